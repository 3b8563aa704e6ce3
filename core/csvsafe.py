"""CSV that a spreadsheet shows as text and never evaluates (OWASP CSV injection).

Every exported cell starting with ``=``, ``+``, ``-``, ``@``, tab or carriage return gets a
leading ``'``; ``unneutralise`` takes it off again when such a file comes back as an import.
"""

import csv
import datetime
import itertools
from collections.abc import Iterable, Iterator

from django.utils import timezone

from core import clock

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"
CHUNK_LINES = 1000  # lines per chunk of a prepared export
LF = ord("\n")


def neutralise(value, zone=None) -> str:
    """A cell a spreadsheet will show as text, never evaluate (OWASP: prefix with a quote).

    Timestamps are written in the firm's time zone (``zone``), dates and times in ISO 8601.
    """
    if type(value) is str:  # the common case first: this runs for every cell of every row
        return "'" + value if value.startswith(FORMULA_START) else value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value, zone or clock.firm_zone()).isoformat(timespec="seconds")
    if isinstance(value, datetime.date):
        return value.isoformat()
    text = str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def unneutralise(value: str) -> str:
    """Undo the quote ``neutralise`` puts before a cell that starts like a formula."""
    if len(value) > 1 and value[0] == "'" and value[1] in FORMULA_START:
        return value[1:]
    return value


class _Line:
    """A file-like object whose write returns the line, for csv.writer."""

    def write(self, value):
        return value


class Lines(str):
    """Several whole lines written at once (a streamed file's chunk), knowing how many they are."""

    rows: int

    def __new__(cls, text: str, rows: int):
        chunk = super().__new__(cls, text)
        chunk.rows = rows
        return chunk


class PreparedLines:
    """Chunks of whole lines (``Lines``) as ``csv_lines`` writes them: each cell formatted,
    neutralised and quoted by the database in the same way (the compliance export's single
    statement; tested to give the same file). ``csv_lines`` passes them on."""

    def __init__(self, chunks: Iterable[Lines]):
        self.chunks = chunks

    def __iter__(self):
        return iter(self.chunks)

    @classmethod
    def copied(cls, rows: Iterable[bytes]) -> "PreparedLines":
        """The rows of ``COPY ... TO STDOUT (FORMAT csv)`` (UTF-8), each one whole line ending in LF
        (the protocol sends a row per message), in chunks of ``CHUNK_LINES`` lines ending in CR LF."""

        def chunks():
            rows_left = iter(rows)
            while batch := list(itertools.islice(rows_left, CHUNK_LINES)):
                if not all(row[-1] == LF for row in batch):
                    raise ValueError("a copied row that does not end a line")
                text = b"".join(batch)
                if text.count(b"\n") == len(batch):  # no line break within a cell: only the line ends
                    text = text.replace(b"\n", b"\r\n")
                else:
                    text = b"\r\n".join(row[:-1] for row in batch) + b"\r\n"
                yield Lines(text.decode(), len(batch))

        return cls(chunks())


def csv_lines(header: Iterable[str], rows: Iterable[Iterable], *, excel: bool = False) -> Iterator[str]:
    """RFC 4180 lines, one at a time (prepared ones a chunk at a time: ``Lines``), every cell
    neutralised (``excel``: start with a BOM)."""
    writer = csv.writer(_Line(), lineterminator="\r\n")
    first = writer.writerow(header)
    yield (BOM + first) if excel else first
    if isinstance(rows, PreparedLines):  # a chunk of lines at a time: fewer, larger writes
        yield from rows
        return
    zone = clock.firm_zone()
    for row in rows:
        yield writer.writerow([neutralise(value, zone) for value in row])
