"""Reading a roster file: bytes to checked rows, or every problem as ``row N, column: what``.

Files as spreadsheets save them: UTF-8 (with or without BOM) or UTF-16 with BOM; comma,
semicolon or tab separated; headers in any case with spaces ("Attorney Email"), trailing empty
columns. Refused whole, at once, with the fix: a workbook or any NUL byte, another encoding,
a file over the size or row limits, credential columns. Every cell is checked as the model
would (lengths, emails, choices, control characters), so nothing reaches the database that
it would refuse; at most FIRMLINK_ROSTER_MAX_ERRORS problems are listed, then a count.
"""

import codecs
import csv
import dataclasses
import difflib
import functools
import io
import re
import unicodedata

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from core.audit import display_value
from core.csvsafe import unneutralise
from core.secrets import looks_like_credential as text_looks_like_credential
from core.secrets import may_contain_credential
from courts.directory import suggest

from ..choices import PacerAccount
from ..models import Attorney

REQUIRED = ("attorney_name", "attorney_email", "court_id")
OPTIONAL = ("efiling_account", "new_to_court", "bar_number", "pacer_username", "pacer_account", "pacer_individual")
COLUMNS = REQUIRED + OPTIONAL
# Attorney field -> the roster column it comes from, where the names differ (for messages).
COLUMN_OF_FIELD = {"name": "attorney_name"}
PAIR_FIELDS = ("efiling_account", "new_to_court")
# The model's limits, per column.
MAX_LENGTH = {
    "attorney_name": Attorney._meta.get_field("name").max_length,
    "attorney_email": Attorney._meta.get_field("email").max_length,
    "bar_number": Attorney._meta.get_field("bar_number").max_length,
    "pacer_username": Attorney._meta.get_field("pacer_username").max_length,
    "court_id": 12,
}
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
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")  # any control character but tab
LINE_BREAK = re.compile(r"[\r\n]")
# Control characters other than line ends, or a CR that does not end a line: worth a per-cell look.
STRAY_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]|\r(?!\n)")
# An address validate_email accepts, checked by one regex; anything else goes to validate_email.
PLAIN_EMAIL = re.compile(
    r"[A-Za-z0-9_%+-]+(?:\.[A-Za-z0-9_%+-]+)*@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}"
)
SAVE_AS = "In Excel: File > Save As > “CSV UTF-8 (Comma delimited)”; in LibreOffice: character set “Unicode (UTF-8)”."


class RosterError(Exception):
    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("\n".join(errors))


class Problems:
    """Every problem counted; the first FIRMLINK_ROSTER_MAX_ERRORS kept as messages."""

    def __init__(self):
        self.messages: list[str] = []
        self.count = 0
        self.limit = settings.FIRMLINK_ROSTER_MAX_ERRORS

    def add(self, message: str):
        self.count += 1
        if len(self.messages) < self.limit:
            self.messages.append(message)

    def __len__(self):
        return self.count

    @property
    def listing(self) -> bool:
        """Whether the next problem will be listed (so worth the cost of a suggestion)."""
        return len(self.messages) < self.limit

    def raise_if_any(self):
        if self.count:
            more = self.count - len(self.messages)
            raise RosterError([*self.messages, *([f"and {more:,} more problem(s)"] if more else [])])


@dataclasses.dataclass
class Suspicion:
    """What a whole-file scan says cells may hold; cells are looked at closely only for that."""

    control: bool  # a control character, or a line break inside a quoted cell
    credential: bool
    unusual_space: bool

    @classmethod
    def of(cls, text: str) -> "Suspicion":
        return cls(
            control=bool(STRAY_CONTROL.search(text)) or '"' in text,
            credential=may_contain_credential(text),
            unusual_space="\u00a0" in text,
        )


@dataclasses.dataclass
class RosterRow:
    number: int
    email: str  # lower case, the matching key
    email_given: str
    court_id: str
    attorney: dict  # Attorney field -> value, only the cells given
    pair: dict  # CourtLink field -> value, only the cells given
    notes: list = dataclasses.field(default_factory=list)  # what was read differently from how it was written
    extra: dict = dataclasses.field(default_factory=dict)  # columns a higher layer added (campaign steps), cleaned


def looks_like_credential(column: str) -> bool:
    words = re.split(r"[^a-z0-9]+", column.lower())
    return "password" in column.lower() or any(word in CREDENTIAL_WORDS for word in words)


def size(n: int) -> str:
    return f"{n / 1e6:.1f} MB" if n >= 1e6 else f"{n / 1e3:.0f} kB"


def decode(data: bytes) -> str:
    """Text of the file, or RosterError saying how to save it so that it can be read."""
    limit = settings.FIRMLINK_ROSTER_MAX_BYTES
    if len(data) > limit:
        raise RosterError([f"file: {size(len(data))}, over the limit of {size(limit)}: split it"])
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):  # Excel's "Unicode Text"
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise RosterError([f"file: not readable UTF-16 text; {SAVE_AS}"]) from None
    else:
        if b"\x00" in data:
            raise RosterError(
                [f"file: this looks like a binary file (a spreadsheet workbook?), not CSV text: {SAVE_AS}"]
            )
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise RosterError(
                [f"file: not UTF-8 text (byte {exc.start}; probably Windows-1252 or Latin-1); {SAVE_AS}"]
            ) from None
    if "\x00" in text:
        raise RosterError(["file: contains NUL characters: not a text file"])
    return text.lstrip("\ufeff")


def _delimiter(first_line: str) -> str:
    """Comma, semicolon (European spreadsheets) or tab: whichever the header line uses most."""
    counts = {d: first_line.count(d) for d in (",", ";", "\t")}
    return max(counts, key=lambda d: (counts[d], d == ","))


def normalise_header(name: str) -> str:
    """'Attorney Email', 'attorney-email', ' ATTORNEY_EMAIL ' -> 'attorney_email'."""
    name = unicodedata.normalize("NFKC", name).strip().lower()
    return re.sub(r"[\s\-_.]+", "_", name).strip("_")


def parse(text: str, extra: dict | None = None, per_pair: frozenset = frozenset()) -> list[RosterRow]:
    """Rows of the file. ``extra``: more optional columns, each with the function that cleans a cell
    (raising ValidationError with what is wrong); a higher layer's (e.g. campaign steps). Those in
    ``per_pair`` belong to the row's court: they may differ between an attorney's rows."""
    extra = extra or {}
    first_line = text.split("\n", 1)[0]
    lines = text.count("\n") + (0 if text.endswith("\n") else 1)
    if lines - 1 > settings.FIRMLINK_ROSTER_MAX_ROWS:
        raise RosterError(
            [f"file: {lines - 1:,} rows, over the limit of {settings.FIRMLINK_ROSTER_MAX_ROWS:,}: split it"]
        )
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(first_line))
    try:
        header = next(reader)
    except StopIteration:
        raise RosterError(["file: empty"]) from None
    except csv.Error as exc:
        raise RosterError([f"row 1: {exc}"]) from None
    while header and not header[-1].strip():  # Excel's trailing empty columns
        header = header[:-1]
    names = [normalise_header(name) for name in header]
    secrets = [header[i] for i, name in enumerate(names) if looks_like_credential(name)]
    if secrets:
        raise RosterError(
            [
                f"header: column(s) {', '.join(repr(s) for s in secrets)} look like credentials. Firmlink never stores "
                "passwords or other credentials: remove the column(s) and import again. Nothing was imported."
            ]
        )
    _check_header(header, names, allowed=(*COLUMNS, *extra))
    return _rows(
        reader, names, Suspicion.of(text), {name: clean for name, clean in extra.items() if name in names}, per_pair
    )


def _check_header(header: list[str], names: list[str], *, allowed: tuple[str, ...] = COLUMNS):
    errors = []
    if any(not name for name in names):
        errors.append("header: a column has no name (only trailing empty columns are ignored)")
    unknown = [(header[i], name) for i, name in enumerate(names) if name and name not in allowed]
    if unknown:
        described = []
        for given, name in unknown:
            close = difflib.get_close_matches(name, allowed, n=1, cutoff=0.6)
            described.append(f"{given!r}" + (f" (did you mean {close[0]!r}?)" if close else ""))
        errors.append(f"header: unknown column(s) {', '.join(described)}; allowed: {', '.join(allowed)}")
    missing = [name for name in REQUIRED if name not in names]
    if missing:
        errors.append(f"header: required column(s) missing: {', '.join(missing)}")
    repeated = sorted({name for name in names if name and names.count(name) > 1})
    if repeated:
        errors.append(f"header: column(s) given twice: {', '.join(repeated)}")
    if errors:
        raise RosterError(errors)


def _rows(reader, names: list[str], suspicion: Suspicion, extra: dict, per_pair: frozenset) -> list[RosterRow]:
    from courts.models import Court

    known_courts = frozenset(Court.objects.values_list("court_id", flat=True))
    # Computed once per distinct value, and only for problems that are listed.
    closest = functools.lru_cache(maxsize=4096)(lambda value: suggest(value, known_courts))
    problems = Problems()
    rows: list[RosterRow] = []
    width = len(names)
    try:
        for number, cells in enumerate(reader, start=2):
            if not any(cell.strip() for cell in cells):
                continue
            if len(cells) > width and not any(cell.strip() for cell in cells[width:]):
                cells = cells[:width]  # trailing empty cells
            if len(cells) != width:
                problems.add(f"row {number}: {len(cells)} cells for {width} columns")
                continue
            row = _parse_row(
                number,
                dict(zip(names, (unneutralise(c.strip()) for c in cells), strict=True)),
                known_courts,
                closest,
                problems,
                suspicion,
                extra,
            )
            if row:
                rows.append(row)
    except csv.Error as exc:
        problems.add(f"row {reader.line_num}: {exc}")
    _check_consistency(rows, problems, per_pair)
    problems.raise_if_any()
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


def _cell_problem(column: str, value: str, suspicion: Suspicion) -> str | None:
    if value.startswith(FORMULA_REFUSED):
        return f"{value!r} starts like a spreadsheet formula; refused"
    if suspicion.control:
        if LINE_BREAK.search(value):
            return "contains a line break (Alt+Enter in a spreadsheet cell): put it on one line"
        if CONTROL.search(value):
            return "contains a control character; refused"
    limit = MAX_LENGTH.get(column)
    if limit and len(value) > limit:
        return f"{len(value)} characters, more than the {limit} allowed"
    if suspicion.credential and text_looks_like_credential(value):
        return "looks like it contains a password; Firmlink never stores one"
    return None


def _is_email(value: str) -> bool:
    if PLAIN_EMAIL.fullmatch(value) and len(value) <= MAX_LENGTH["attorney_email"]:
        return True
    if "@" not in value or (value.count("@") > 1 and '"' not in value):
        return False  # what validate_email would say (only a quoted local part may hold an "@"), sooner
    try:
        validate_email(value)
    except ValidationError:
        return False
    return True


def _parse_row(
    number: int, cells: dict, known_courts, closest, problems: Problems, suspicion: Suspicion, extra: dict
) -> RosterRow | None:
    before = len(problems)
    for column, value in cells.items():
        problem = _cell_problem(column, value, suspicion)
        if problem:
            problems.add(f"row {number}, {column}: {problem}")
    if len(problems) > before:
        return None
    notes = (
        [
            f"row {number}, {column}: unusual spaces (e.g. non-breaking) read as plain spaces"
            for column, value in cells.items()
            if "\u00a0" in value
        ]
        if suspicion.unusual_space
        else []
    )
    name = " ".join(cells["attorney_name"].split())  # a pasted non-breaking space is a space
    email, court_id = cells["attorney_email"], cells["court_id"].lower()
    if not name:
        problems.add(f"row {number}, attorney_name: empty")
    if not _is_email(email):
        problems.add(f"row {number}, attorney_email: {email!r} is not an email address")
    if court_id not in known_courts:
        hint = closest(court_id) if problems.listing else ""
        problems.add(f"row {number}, court_id: unknown court {cells['court_id']!r}{hint}")
    attorney = {"name": name}
    pair = {}
    for column in ("efiling_account", "new_to_court", "pacer_individual"):
        value = cells.get(column, "")
        if not value:
            continue
        try:
            parsed = _yes_no(value)
        except ValueError:
            problems.add(f"row {number}, {column}: {value!r} is not yes or no")
            continue
        (pair if column in PAIR_FIELDS else attorney)[column] = parsed
    account = cells.get("pacer_account", "").lower()
    if account:
        if account in PacerAccount.values:
            attorney["pacer_account"] = account
        else:
            problems.add(
                f"row {number}, pacer_account: {cells['pacer_account']!r} is not one of none, legacy, upgraded"
            )
    for column in ("bar_number", "pacer_username"):
        if cells.get(column):
            attorney[column] = " ".join(cells[column].split())
    cleaned = {}
    for column, clean in extra.items():
        if not cells.get(column):
            continue
        try:
            cleaned[column] = clean(cells[column])
        except ValidationError as exc:
            problems.add(f"row {number}, {column}: {' '.join(exc.messages)}")
    if len(problems) > before:
        return None
    return RosterRow(
        extra=cleaned,
        number=number,
        email=email.lower(),
        email_given=email,
        court_id=court_id,
        attorney=attorney,
        pair=pair,
        notes=notes,
    )


def _check_consistency(rows: list[RosterRow], problems: Problems, per_pair: frozenset = frozenset()):
    first_of: dict[str, RosterRow] = {}
    pairs: dict[tuple, int] = {}
    for row in rows:
        key = (row.email, row.court_id)
        if key in pairs:
            problems.add(f"row {row.number}, court_id: {row.court_id} for {row.email} already on row {pairs[key]}")
        pairs.setdefault(key, row.number)
        first = first_of.setdefault(row.email, row)
        if first is row:
            continue
        for column, value in row.extra.items():
            if column in per_pair:
                continue  # a column per attorney and court: each row its own court's
            if column in first.extra and first.extra[column] != value:
                given, earlier = display_value(value), display_value(first.extra[column])
                problems.add(
                    f"row {row.number}, {column}: {given!r} differs from {earlier!r} on row {first.number} "
                    "for the same attorney"
                )
            first.extra.setdefault(column, value)
        for field, value in row.attorney.items():
            if field in first.attorney and first.attorney[field] != value:
                column = COLUMN_OF_FIELD.get(field, field)
                given, earlier = display_value(value), display_value(first.attorney[field])
                problems.add(
                    f"row {row.number}, {column}: {given!r} differs from {earlier!r} on row {first.number} "
                    "for the same attorney"
                )
            first.attorney.setdefault(field, value)
