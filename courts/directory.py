"""The federal court directory: read, check and apply court rows from CSV.

The shipped directory (``courts/data/federal_courts.csv`` with the go-live sources in
``nextgen_go_live_sources.tsv``) is loaded by a data migration; ``load_courts`` applies the
same parser to a file an administrator brings. Parsing is pure (no database) so the
migration can use it with historical models.
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

DATA_DIR = Path(__file__).resolve().parent / "data"
DIRECTORY_FILE = DATA_DIR / "federal_courts.csv"
SOURCES_FILE = DATA_DIR / "nextgen_go_live_sources.tsv"

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
    "software_version_2023": "directory_software_version",
    "source": "directory_source",
    "notes": "notes",
}
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
                values[field] = None if field == "nextgen_go_live" else ""
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


def shipped_rows() -> list[CourtRow]:
    """The directory that ships with Firmlink, with go-live sources and seed help desks."""
    rows = parse_court_csv(DIRECTORY_FILE.read_text(encoding="utf-8"))
    sources = read_sources()
    for row in rows:
        court_id = row.values["court_id"]
        source = sources.get(court_id)
        go_live = row.values.get("nextgen_go_live")
        if source and go_live is None:
            # A date the sources only estimate is not shipped as a go-live date, but kept visible.
            row.values["go_live_source_kind"] = source.kind
            row.values["go_live_source_url"] = source.url
            row.values["go_live_source_note"] = (
                f"Not shipped as a go-live date: {source.kind} {source.date.isoformat()} only. {source.note}"
            )
        elif source:
            if source.date != go_live:
                raise DirectoryError([f"{court_id}: directory date {go_live} != source {source.date}"])
            row.values["go_live_source_kind"] = source.kind
            row.values["go_live_source_url"] = source.url
            row.values["go_live_source_note"] = source.note
        else:
            row.values.update(go_live_source_kind="", go_live_source_url="", go_live_source_note="")
        row.values["help_desk_email"] = HELP_DESK_EMAILS.get(court_id, "")
    return rows


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
    for row in rows:
        values = dict(row.values)
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
