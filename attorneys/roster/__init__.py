"""The firm's roster from a spreadsheet: read, check, plan and apply, all or nothing.

One row per attorney-court pair. Attorneys are matched by email whatever the letter case;
pairs are created or updated; nothing is ever deleted, and recorded steps (links,
confirmations) are never changed by an import. Every problem is reported as
``row N, column: what is wrong`` (N as a spreadsheet numbers rows: the header is row 1).
"""

from core.audit import Actor

from .planning import Plan, apply, plan
from .reading import COLUMNS, REQUIRED, RosterError, decode, parse

__all__ = ["COLUMNS", "REQUIRED", "Plan", "RosterError", "apply", "decode", "parse", "plan", "roster_import"]


def roster_import(data: bytes, *, filename: str, actor: Actor, dry_run: bool = False) -> Plan:
    """Read, check, plan and (unless ``dry_run``) apply a roster file. RosterError lists every problem."""
    planned = plan(parse(decode(data)))
    if not dry_run:
        apply(planned, actor=actor, filename=filename)
    return planned
