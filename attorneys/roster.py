"""The firm's roster from a spreadsheet: read, check, plan and apply, all or nothing.

One row per attorney-court pair. Attorneys are matched by email whatever the letter case;
pairs are created or updated; nothing is ever deleted, and recorded steps (links,
confirmations) are never changed by an import. Every problem is reported as
``row N, column: what is wrong`` (N as a spreadsheet numbers rows: the header is row 1).
"""

import csv
import dataclasses
import io
import re

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models.functions import Lower

from core.audit import Actor, display_value
from core.csvsafe import unneutralise
from core.exceptions import StepRefused
from courts.directory import suggest
from courts.models import Court

from .choices import STEP_OF_LINK_FIELD, PacerAccount
from .models import Attorney, CourtLink
from .services.records import attorneys_add, attorneys_change, links_add, links_change
from .services.steps import check_toggle

REQUIRED = ("attorney_name", "attorney_email", "court_id")
OPTIONAL = ("efiling_account", "new_to_court", "bar_number", "pacer_username", "pacer_account", "pacer_individual")
COLUMNS = REQUIRED + OPTIONAL
# Attorney field -> the roster column it comes from, where the names differ (for messages).
COLUMN_OF_FIELD = {"name": "attorney_name"}
PAIR_FIELDS = ("efiling_account", "new_to_court")
# A column that looks like it carries a secret refuses the whole file.
CREDENTIAL_WORDS = {
    "password",
    "passwd",
    "pass",
    "passcode",
    "passphrase",
    "pwd",
    "secret",
    "pin",
    "credential",
    "credentials",
    "token",
}
YES = {"yes", "y", "true", "1"}
NO = {"no", "n", "false", "0"}
FORMULA_REFUSED = ("=", "+", "@")
PACER_ORDER = {PacerAccount.NONE: 0, PacerAccount.LEGACY: 1, PacerAccount.UPGRADED: 2}


class RosterError(Exception):
    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("\n".join(errors))


@dataclasses.dataclass
class RosterRow:
    number: int
    email: str  # lower case, the matching key
    email_given: str
    court_id: str
    attorney: dict  # Attorney field -> value, only the cells given
    pair: dict  # CourtLink field -> value, only the cells given


def looks_like_credential(column: str) -> bool:
    words = re.split(r"[^a-z0-9]+", column.lower())
    return "password" in column.lower() or any(word in CREDENTIAL_WORDS for word in words)


def decode(data: bytes) -> str:
    if b"\x00" in data[:4096]:
        raise RosterError(
            ["file: this looks like a binary file (a spreadsheet workbook?), not CSV text: save it as CSV UTF-8"]
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise RosterError([f"file: not UTF-8 text (byte {exc.start}); save it as CSV UTF-8"]) from None


def parse(text: str) -> list[RosterRow]:
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise RosterError(["file: empty"]) from None
    except csv.Error as exc:
        raise RosterError([f"row 1: {exc}"]) from None
    names = [name.strip().lower() for name in header]
    secrets = [header[i] for i, name in enumerate(names) if looks_like_credential(name)]
    if secrets:
        raise RosterError(
            [
                f"header: column(s) {', '.join(repr(s) for s in secrets)} look like credentials. Firmlink never stores "
                "passwords or other credentials: remove the column(s) and import again. Nothing was imported."
            ]
        )
    errors = []
    extra = [header[i] for i, name in enumerate(names) if name not in COLUMNS]
    if extra:
        errors.append(f"header: unknown column(s) {', '.join(repr(e) for e in extra)}; allowed: {', '.join(COLUMNS)}")
    missing = [name for name in REQUIRED if name not in names]
    if missing:
        errors.append(f"header: required column(s) missing: {', '.join(missing)}")
    repeated = sorted({name for name in names if names.count(name) > 1})
    if repeated:
        errors.append(f"header: column(s) given twice: {', '.join(repeated)}")
    if errors:
        raise RosterError(errors)

    known_courts = set(Court.objects.values_list("court_id", flat=True))
    rows: list[RosterRow] = []
    try:
        for number, cells in enumerate(reader, start=2):
            if not any(cell.strip() for cell in cells):
                continue
            if len(cells) != len(names):
                errors.append(f"row {number}: {len(cells)} cells for {len(names)} columns")
                continue
            row = _parse_row(
                number, dict(zip(names, (unneutralise(c.strip()) for c in cells), strict=True)), known_courts, errors
            )
            if row:
                rows.append(row)
    except csv.Error as exc:
        errors.append(f"row {reader.line_num}: {exc}")
    _check_consistency(rows, errors)
    if errors:
        raise RosterError(errors)
    if not rows:
        raise RosterError(["file: a header but no rows"])
    return rows


def _yes_no(value: str):
    lowered = value.lower()
    if lowered in YES:
        return True
    if lowered in NO:
        return False
    raise ValueError


def _parse_row(number: int, cells: dict, known_courts: set, errors: list) -> RosterRow | None:
    before = len(errors)
    for column, value in cells.items():
        if value.startswith(FORMULA_REFUSED):
            errors.append(f"row {number}, {column}: {value!r} starts like a spreadsheet formula; refused")
    if len(errors) > before:
        return None
    name, email, court_id = cells["attorney_name"], cells["attorney_email"], cells["court_id"].lower()
    if not name:
        errors.append(f"row {number}, attorney_name: empty")
    try:
        validate_email(email)
    except ValidationError:
        errors.append(f"row {number}, attorney_email: {email!r} is not an email address")
    if court_id not in known_courts:
        errors.append(f"row {number}, court_id: unknown court {cells['court_id']!r}{suggest(court_id, known_courts)}")
    attorney = {"name": name}
    pair = {}
    for column in ("efiling_account", "new_to_court", "pacer_individual"):
        value = cells.get(column, "")
        if not value:
            continue
        try:
            parsed = _yes_no(value)
        except ValueError:
            errors.append(f"row {number}, {column}: {value!r} is not yes or no")
            continue
        (pair if column in PAIR_FIELDS else attorney)[column] = parsed
    account = cells.get("pacer_account", "").lower()
    if account:
        if account in PacerAccount.values:
            attorney["pacer_account"] = account
        else:
            errors.append(
                f"row {number}, pacer_account: {cells['pacer_account']!r} is not one of none, legacy, upgraded"
            )
    for column in ("bar_number", "pacer_username"):
        if cells.get(column):
            attorney[column] = cells[column]
    if len(errors) > before:
        return None
    return RosterRow(
        number=number, email=email.lower(), email_given=email, court_id=court_id, attorney=attorney, pair=pair
    )


def _check_consistency(rows: list[RosterRow], errors: list):
    first_of: dict[str, RosterRow] = {}
    pairs: dict[tuple, int] = {}
    for row in rows:
        key = (row.email, row.court_id)
        if key in pairs:
            errors.append(f"row {row.number}, court_id: {row.court_id} for {row.email} already on row {pairs[key]}")
        pairs.setdefault(key, row.number)
        first = first_of.setdefault(row.email, row)
        if first is row:
            continue
        for field, value in row.attorney.items():
            if field in first.attorney and first.attorney[field] != value:
                column = COLUMN_OF_FIELD.get(field, field)
                given, earlier = display_value(value), display_value(first.attorney[field])
                errors.append(
                    f"row {row.number}, {column}: {given!r} differs from {earlier!r} on row {first.number} "
                    "for the same attorney"
                )
            first.attorney.setdefault(field, value)


# ------------------------------------------------------------------------------ plan & apply


@dataclasses.dataclass
class Plan:
    new_attorneys: list[dict] = dataclasses.field(default_factory=list)
    attorney_changes: list[tuple] = dataclasses.field(default_factory=list)  # (attorney, field, old, new)
    new_pairs: list[tuple] = dataclasses.field(default_factory=list)  # (email, court_id, fields)
    pair_changes: list[tuple] = dataclasses.field(default_factory=list)  # (link, field, old, new)
    kept: list[str] = dataclasses.field(default_factory=list)  # what the import would not overwrite
    rows: int = 0

    @property
    def changes(self) -> int:
        return len(self.new_attorneys) + len(self.attorney_changes) + len(self.new_pairs) + len(self.pair_changes)

    def summary(self) -> str:
        return (
            f"{self.rows} rows: {len(self.new_attorneys)} new attorney(s), {len(self.attorney_changes)} attorney "
            f"field(s) updated, {len(self.new_pairs)} new attorney-court pair(s), {len(self.pair_changes)} pair "
            f"field(s) updated"
        )


def _attorneys_by_email(emails: set[str]):
    """Attorneys whose email, in any letter case, is one of ``emails`` (lower case)."""
    if not emails:
        return Attorney.objects.none()
    return Attorney.objects.annotate(email_lower=Lower("email")).filter(email_lower__in=emails)


def plan(rows: list[RosterRow]) -> Plan:
    """What applying the rows would change, reading the database in a fixed number of queries."""
    result = Plan(rows=len(rows))
    emails = {row.email for row in rows}
    existing = {a.email.lower(): a for a in _attorneys_by_email(emails)}
    links = {
        (link.attorney.email.lower(), link.court.court_id): link
        for link in CourtLink.objects.filter(attorney__in=existing.values()).select_related("attorney", "court")
    }
    errors = []
    seen = set()
    for row in rows:
        attorney = existing.get(row.email)
        if row.email not in seen:
            seen.add(row.email)
            if attorney is None:
                result.new_attorneys.append({"email": row.email_given, **row.attorney, "_row": row.number})
            else:
                for field, value in row.attorney.items():
                    old = getattr(attorney, field)
                    if old == value:
                        continue
                    if field == "pacer_account" and PACER_ORDER[value] < PACER_ORDER[old]:
                        result.kept.append(
                            f"row {row.number}, pacer_account: kept {old!r} for {row.email} (a roster does not undo "
                            f"a recorded upgrade)"
                        )
                        continue
                    result.attorney_changes.append((attorney, field, old, value))
        link = links.get((row.email, row.court_id))
        if link is None:
            result.new_pairs.append((row.email, row.court_id, row.pair))
            continue
        for field, value in row.pair.items():
            old = getattr(link, field)
            if old == value:
                continue
            try:
                check_toggle(link, STEP_OF_LINK_FIELD[field])
            except StepRefused as refusal:
                errors.append(f"row {row.number}, {field}: for {row.email}, {' '.join(refusal.messages)}")
                continue
            result.pair_changes.append((link, field, old, value))
    if errors:
        raise RosterError(errors)
    return result


def apply(plan_: Plan, *, actor: Actor, filename: str) -> Plan:
    """Write the plan in one transaction, through the same services (in bulk) as the dashboard."""
    note = f"roster import {filename}"
    with transaction.atomic():
        created = attorneys_add(
            actor=actor,
            note=note,
            attorneys=[
                Attorney(email=item["email"], **{k: v for k, v in item.items() if k not in ("email", "_row")})
                for item in plan_.new_attorneys
            ],
        )
        attorneys_change(
            actor=actor,
            note=note,
            changes=[(attorney, field, new) for attorney, field, _, new in plan_.attorney_changes],
        )
        by_email = {a.email.lower(): a for a in created}
        wanted = {email for email, _, _ in plan_.new_pairs} - set(by_email)
        by_email.update({a.email.lower(): a for a in _attorneys_by_email(wanted)})
        courts = Court.objects.in_bulk({c for _, c, _ in plan_.new_pairs}, field_name="court_id")
        links_add(
            actor=actor,
            note=note,
            links=[
                CourtLink(attorney=by_email[email], court=courts[court_id], **fields)
                for email, court_id, fields in plan_.new_pairs
            ],
        )
        links_change(actor=actor, note=note, changes=[(link, field, new) for link, field, _, new in plan_.pair_changes])
    return plan_


def roster_import(data: bytes, *, filename: str, actor: Actor, dry_run: bool = False) -> Plan:
    """Read, check, plan and (unless ``dry_run``) apply a roster file. RosterError lists every problem."""
    rows = parse(decode(data))
    planned = plan(rows)
    if not dry_run:
        apply(planned, actor=actor, filename=filename)
    return planned
