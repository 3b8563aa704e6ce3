"""The federal court directory: read, check and apply court rows from CSV.

The shipped directory is ``courts/data/federal_courts.csv`` (PACER's directory as of
2023-01-10, with the go-live dates court notices give, sourced in
``nextgen_go_live_sources.tsv``), completed for the courts it has no date for by the evidence
files ``nextgen_dates_2026-11.tsv`` and ``nextgen_dates_2026-12.tsv``: an exact go-live date
where a court notice gives one, and an "on NextGen by" bound (the tightest one) for every
court. Data migrations load it; ``load_courts`` applies it again, or the same parser to a
file an administrator brings. Parsing is pure (no database) so the migrations can use it
with historical models.
"""

import csv
import dataclasses
import datetime
import difflib
import io
from collections.abc import Iterable
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email

from . import feed as pacer_feed
from .models import web_address

DATA_DIR = Path(__file__).resolve().parent / "data"
DIRECTORY_FILE = DATA_DIR / "federal_courts.csv"
SOURCES_FILE = DATA_DIR / "nextgen_go_live_sources.tsv"
# Later files re-check earlier ones: for the same court, a later file's go-live date wins.
EVIDENCE_FILES = (DATA_DIR / "nextgen_dates_2026-11.tsv", DATA_DIR / "nextgen_dates_2026-12.tsv")
# A copy of PACER's Court CM/ECF Lookup feed: every court it lists on NextGen was live by its date.
FEED_FILE = DATA_DIR / "pacer_feed_2022-11-27.json"
# The date of PACER's Court CM/ECF Lookup feed the shipped names, addresses and versions come from.
DIRECTORY_AS_OF = datetime.date(2023, 1, 10)

COURT_TYPES = ("appellate", "district", "bankruptcy", "national")
SOURCE_KINDS = ("planned", "past", "stated", "estimate", "brief", "administrator")
# When a court has several sources, the most certain one is shown.
_SOURCE_PREFERENCE = {"past": 0, "stated": 1, "planned": 2, "brief": 3, "estimate": 4}

# CSV column -> Court field. ``court_id`` is the key and always required.
COLUMNS = {
    "court_id": "court_id",
    "name": "name",
    "court_type": "court_type",
    "state": "state",
    "ecf_url": "ecf_url",
    "web_url": "web_url",
    "help_desk_phone": "help_desk_phone",
    "help_desk_email": "help_desk_email",
    "nextgen_go_live": "nextgen_go_live",
    "go_live_source_kind": "go_live_source_kind",
    "go_live_source_url": "go_live_source_url",
    "go_live_source_note": "go_live_source_note",
    "live_by": "live_by",
    "live_by_source": "live_by_source",
    "live_by_note": "live_by_note",
    "software_version_2023": "directory_software_version",
    "source": "directory_source",
    "directory_as_of": "directory_as_of",
    "notes": "notes",
}
DATE_FIELDS = ("nextgen_go_live", "live_by", "directory_as_of")
REQUIRED_TO_CREATE = ("court_id", "name", "court_type", "ecf_url")

# Help-desk addresses the court documents in ../shared/seeds give (the directory has none).
HELP_DESK_EMAILS = {
    "alnb": "ecfrain@alnb.uscourts.gov",
    "canb": "helpdesk@canb.uscourts.gov",
}


class DirectoryError(Exception):
    """A directory file that cannot be applied; ``errors`` name the row and the column."""

    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("\n".join(errors))


@dataclasses.dataclass(frozen=True)
class Source:
    date: datetime.date
    kind: str
    url: str
    note: str


@dataclasses.dataclass
class CourtRow:
    line: int
    values: dict  # Court field name -> parsed value, only for the columns the file has


def read_sources(path: Path = SOURCES_FILE) -> dict[str, Source]:
    """The most certain go-live source per court id."""
    best: dict[str, Source] = {}
    with path.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            source = Source(
                date=datetime.date.fromisoformat(row["date"]),
                kind=row["kind"],
                url=row["url"] if row["url"].startswith("http") else "",
                note=row["note"],
            )
            current = best.get(row["court_id"])
            if current is None or _SOURCE_PREFERENCE[source.kind] < _SOURCE_PREFERENCE[current.kind]:
                best[row["court_id"]] = source
    return best


def _url(value: str) -> str:
    try:
        URLValidator(schemes=["http", "https"])(value)
    except ValidationError:
        raise ValidationError("is not an http(s) address") from None
    return value


def _email(value: str) -> str:
    try:
        validate_email(value)
    except ValidationError:
        raise ValidationError("is not an email address") from None
    return value


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise ValidationError("is not a date in the form YYYY-MM-DD") from None


def _choice(choices):
    def check(value: str) -> str:
        if value not in choices:
            raise ValidationError(f"is not one of {', '.join(c for c in choices if c)}")
        return value

    return check


def _state(value: str) -> str:
    if len(value) != 2 or not value.isalpha() or not value.isupper():
        raise ValidationError("is not a two-letter state or territory code")
    return value


_PARSERS = {
    "court_type": _choice(COURT_TYPES),
    "state": _state,
    "ecf_url": _url,
    "web_url": _url,
    "help_desk_email": _email,
    "nextgen_go_live": _date,
    "live_by": _date,
    "directory_as_of": _date,
    "go_live_source_kind": _choice(SOURCE_KINDS),
    "go_live_source_url": _url,
}


def parse_court_csv(text: str, *, known_ids: Iterable[str] | None = None) -> list[CourtRow]:
    """Parse and check a directory CSV. Raises DirectoryError listing every problem.

    With ``known_ids`` given, a court id outside it is refused (with the closest real id).
    An empty cell means "no value" (e.g. an empty go-live date clears it).
    """
    known = set(known_ids) if known_ids is not None else None
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [(name or "").strip() for name in (reader.fieldnames or [])]
    if "court_id" not in header:
        raise DirectoryError(["header: a 'court_id' column is required"])
    unknown_columns = [name for name in header if name not in COLUMNS]
    if unknown_columns:
        raise DirectoryError([f"header: unknown column(s) {', '.join(unknown_columns)}; known: {', '.join(COLUMNS)}"])
    reader.fieldnames = header

    rows: list[CourtRow] = []
    errors: list[str] = []
    seen: dict[str, int] = {}
    for row in reader:
        line = reader.line_num
        if None in row:
            errors.append(f"row {line}: more cells than the header has columns")
            continue
        values = {}
        for column, raw in row.items():
            raw = (raw or "").strip()
            field = COLUMNS[column]
            if not raw:
                values[field] = None if field in DATE_FIELDS else ""
                continue
            try:
                values[field] = _PARSERS.get(column, str)(raw)
            except ValidationError as exc:
                errors.append(f"row {line}, {column}: {raw!r} {exc.messages[0]}")
        court_id = values.get("court_id", "")
        if not court_id:
            errors.append(f"row {line}, court_id: empty")
            continue
        if court_id in seen:
            errors.append(f"row {line}, court_id: {court_id!r} already given on row {seen[court_id]}")
        seen[court_id] = line
        if known is not None and court_id not in known:
            errors.append(f"row {line}, court_id: unknown court {court_id!r}{suggest(court_id, known)}")
        rows.append(CourtRow(line=line, values=values))
    if errors:
        raise DirectoryError(errors)
    if not rows:
        raise DirectoryError(["the file has a header but no rows"])
    return rows


def suggest(value: str, known: Iterable[str]) -> str:
    close = difflib.get_close_matches(value.lower(), list(known), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


@dataclasses.dataclass(frozen=True)
class Evidence:
    """One row of an evidence file: a go-live date and/or an on-NextGen-by bound, with its source."""

    court_id: str
    go_live: datetime.date | None
    live_by: datetime.date | None
    source: str
    quote: str
    kind: str

    @property
    def url(self) -> str:
        """The source's web address, when it has one (else it is a repository and path)."""
        return web_address(self.source)

    def cited(self) -> str:
        return self.quote if self.source == self.url else f"{self.quote} ({self.source})"


# Evidence kind -> how sure the go-live date is. A kind not listed gives no date.
GO_LIVE_KIND_OF_EVIDENCE = {
    "past": "past",
    "planned": "planned",
    "estimate": "estimate",
    "planned(estimate+maintenance banner)": "estimate",  # the court said "estimated"
}
# Bounds are observations (a feed snapshot, a version stamp, a dated page); a weak one is shown, not used.
UNRELIABLE_BOUND_KINDS = ("bound(weak)",)


def read_evidence(paths=EVIDENCE_FILES) -> dict[str, list[Evidence]]:
    evidence: dict[str, list[Evidence]] = {}
    for path in paths:
        with path.open(newline="", encoding="utf-8") as handle:
            for line, row in enumerate(csv.DictReader(handle, delimiter="\t"), start=2):
                try:
                    item = Evidence(
                        court_id=row["court_id"],
                        go_live=datetime.date.fromisoformat(row["nextgen_go_live"]) if row["nextgen_go_live"] else None,
                        live_by=datetime.date.fromisoformat(row["live_by"]) if row["live_by"] else None,
                        source=row["source_url_or_repo_path"],
                        quote=row["evidence_quote"],
                        kind=row["kind"],
                    )
                except (KeyError, ValueError) as exc:
                    raise DirectoryError([f"{path.name}, line {line}: {exc}"]) from None
                if item.go_live and item.kind not in GO_LIVE_KIND_OF_EVIDENCE:
                    raise DirectoryError([f"{path.name}, line {line}: a date of unknown kind {item.kind!r}"])
                evidence.setdefault(item.court_id, []).append(item)
    return evidence


def _evidence_values(court_id: str, items: list[Evidence]) -> dict:
    """Court fields from the evidence of one court: its go-live date and its tightest reliable bound."""
    values = {}
    dated = [item for item in items if item.go_live]
    if dated:
        best = dated[-1]  # the latest file re-checks the earlier ones
        values.update(
            nextgen_go_live=best.go_live,
            go_live_source_kind=GO_LIVE_KIND_OF_EVIDENCE[best.kind],
            go_live_source_url=best.url,
            go_live_source_note=best.cited(),
        )
    else:
        approximate = [item for item in items if not item.live_by or item.kind in UNRELIABLE_BOUND_KINDS]
        if approximate:
            values.update(
                go_live_source_kind="estimate",
                go_live_source_url=approximate[-1].url,
                go_live_source_note="Not shipped as a go-live date: "
                + " ".join(f"{item.kind}: {item.cited()}" for item in approximate),
            )
    bounds = [item for item in items if item.live_by and item.kind not in UNRELIABLE_BOUND_KINDS]
    if bounds:
        tightest = min(bounds, key=lambda item: item.live_by)
        values.update(
            live_by=tightest.live_by,
            live_by_source=tightest.source,
            live_by_note=f"{tightest.kind}: {tightest.quote}",
        )
    go_live, live_by = values.get("nextgen_go_live"), values.get("live_by")
    if go_live and live_by and go_live > live_by:
        raise DirectoryError([f"{court_id}: go-live {go_live} is after the on-NextGen-by bound {live_by}"])
    return values


def shipped_rows() -> list[CourtRow]:
    """The directory that ships with Firmlink: dates, bounds and their sources, seed help desks."""
    rows = parse_court_csv(DIRECTORY_FILE.read_text(encoding="utf-8"))
    sources = read_sources()
    evidence = read_evidence()
    shipped_feed = pacer_feed.read_feed(FEED_FILE.read_bytes())
    feed_date, listed = shipped_feed.updated, {entry.court_id: entry for entry in shipped_feed.courts}
    for row in rows:
        court_id = row.values["court_id"]
        source = sources.get(court_id)
        go_live = row.values.get("nextgen_go_live")
        row.values.update(
            go_live_source_kind="",
            go_live_source_url="",
            go_live_source_note="",
            live_by=None,
            live_by_source="",
            live_by_note="",
            directory_as_of=DIRECTORY_AS_OF,
            help_desk_email=HELP_DESK_EMAILS.get(court_id, ""),
        )
        if go_live is not None and court_id in evidence:
            raise DirectoryError([f"{court_id}: dated in the directory and in an evidence file"])
        if go_live is not None and source:
            if source.date != go_live:
                raise DirectoryError([f"{court_id}: directory date {go_live} != source {source.date}"])
            row.values.update(
                go_live_source_kind=source.kind, go_live_source_url=source.url, go_live_source_note=source.note
            )
        elif court_id in evidence:
            row.values.update(_evidence_values(court_id, evidence[court_id]))
        _tighten_from_feed(row.values, listed.get(court_id), feed_date)
    return rows


def _tighten_from_feed(values: dict, entry, feed_date: datetime.date):
    """The shipped feed copy bounds every court it lists on NextGen (the evidence files cite the same
    snapshot for the courts without a date; for the dated ones it is a check)."""
    if entry is None or not entry.on_nextgen:
        return
    if values["live_by"] is None or feed_date < values["live_by"]:
        values.update(
            live_by=feed_date,
            live_by_source=f"courts/data/{FEED_FILE.name} (PACER Court CM/ECF Lookup feed of {feed_date.isoformat()})",
            live_by_note=f"bound(feed): software_version: {entry.software_version}",
        )
    go_live = values.get("nextgen_go_live")
    if go_live and go_live > values["live_by"]:
        raise DirectoryError(
            [f"{values['court_id']}: go-live {go_live} is after the on-NextGen-by bound {values['live_by']}"]
        )


_GO_LIVE_FIELDS = ("nextgen_go_live", "go_live_source_kind", "go_live_source_url", "go_live_source_note")


@dataclasses.dataclass
class ApplyResult:
    created: list[str] = dataclasses.field(default_factory=list)
    # court_id -> {field: (old, new)}
    updated: dict[str, dict] = dataclasses.field(default_factory=dict)
    unchanged: int = 0
    kept_corrections: list[str] = dataclasses.field(default_factory=list)


def apply_court_rows(
    court_model,
    rows: list[CourtRow],
    *,
    create: bool = False,
    overwrite_corrections: bool = False,
    source_label: str = "",
) -> ApplyResult:
    """Create or update courts from parsed rows. Never deletes.

    ``court_model`` may be a historical model (data migrations). A go-live date an
    administrator corrected is kept unless ``overwrite_corrections``. A new date without
    source columns is attributed to ``source_label`` (the file it came from).
    """
    result = ApplyResult()
    existing = {court.court_id: court for court in court_model.objects.all()}
    # A historical model (an earlier migration) may not have every field yet.
    known = {field.name for field in court_model._meta.get_fields()}
    for row in rows:
        values = {field: value for field, value in row.values.items() if field in known}
        court_id = values.pop("court_id")
        court = existing.get(court_id)
        if court is None:
            if not create:
                raise DirectoryError([f"row {row.line}, court_id: unknown court {court_id!r}"])
            missing = [f for f in REQUIRED_TO_CREATE if not row.values.get(f)]
            if missing:
                raise DirectoryError([f"row {row.line}: a new court needs {', '.join(missing)}"])
            court_model.objects.create(court_id=court_id, **values)
            result.created.append(court_id)
            continue
        if court.go_live_source_kind == "administrator" and not overwrite_corrections:
            if any(field in values and values[field] != getattr(court, field) for field in _GO_LIVE_FIELDS):
                result.kept_corrections.append(court_id)
            for field in _GO_LIVE_FIELDS:
                values.pop(field, None)
        if (
            "nextgen_go_live" in values
            and values["nextgen_go_live"] != court.nextgen_go_live
            and not any(field in values for field in _GO_LIVE_FIELDS[1:])
        ):
            values.update(go_live_source_kind="", go_live_source_url="", go_live_source_note=source_label)
        changes = {field: (getattr(court, field), new) for field, new in values.items() if getattr(court, field) != new}
        if not changes:
            result.unchanged += 1
            continue
        for field, (_old, new) in changes.items():
            setattr(court, field, new)
        court.save(update_fields=[*changes, "updated_at"])
        result.updated[court_id] = changes
    return result
