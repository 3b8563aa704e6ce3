"""Planning and applying a roster: what would change, then all of it through the services."""

import dataclasses

from django.db import transaction
from django.db.models.functions import Lower

from core.audit import Actor
from core.exceptions import StepRefused
from courts.models import Court

from ..choices import STEP_OF_LINK_FIELD, PacerAccount
from ..models import Attorney, CourtLink
from ..services.records import attorneys_add, attorneys_change, links_add, links_change
from ..services.steps import check_toggle
from .reading import Problems, RosterRow

PACER_ORDER = {PacerAccount.NONE: 0, PacerAccount.LEGACY: 1, PacerAccount.UPGRADED: 2}
BATCH = 1000  # ids or emails per IN list: the same on SQLite (999 variables) and PostgreSQL


@dataclasses.dataclass
class Plan:
    new_attorneys: list[dict] = dataclasses.field(default_factory=list)
    attorney_changes: list[tuple] = dataclasses.field(default_factory=list)  # (attorney, field, old, new)
    new_pairs: list[tuple] = dataclasses.field(default_factory=list)  # (email, court_id, fields)
    pair_changes: list[tuple] = dataclasses.field(default_factory=list)  # (link, field, old, new)
    kept: list[str] = dataclasses.field(default_factory=list)  # what the import would not overwrite, and why
    rows: int = 0
    # Steps of other campaigns (a higher layer plans and applies them): (email, what, old, new).
    campaign_changes: list[tuple] = dataclasses.field(default_factory=list)
    campaign_writes: dict = dataclasses.field(default_factory=dict)  # campaign slug -> what to write

    @property
    def changes(self) -> int:
        return (
            len(self.new_attorneys)
            + len(self.attorney_changes)
            + len(self.new_pairs)
            + len(self.pair_changes)
            + len(self.campaign_changes)
        )

    def summary(self) -> str:
        text = (
            f"{self.rows} rows: {len(self.new_attorneys)} new attorney(s), {len(self.attorney_changes)} attorney "
            f"field(s) updated, {len(self.new_pairs)} new attorney-court pair(s), {len(self.pair_changes)} pair "
            f"field(s) updated"
        )
        if self.campaign_changes:
            text += f", {len(self.campaign_changes)} campaign step(s) recorded"
        return text


def _batches(values):
    values = list(values)
    for start in range(0, len(values), BATCH):
        yield values[start : start + BATCH]


def attorneys_by_email(emails) -> dict[str, Attorney]:
    """Attorneys whose email, in any letter case, is one of ``emails`` (lower case), in batches."""
    found = {}
    for batch in _batches(emails):
        for attorney in Attorney.objects.annotate(email_lower=Lower("email")).filter(email_lower__in=batch):
            found[attorney.email.lower()] = attorney
    return found


def _links_of(attorneys) -> dict[tuple[str, str], CourtLink]:
    links = {}
    for batch in _batches(a.pk for a in attorneys):
        for link in CourtLink.objects.filter(attorney_id__in=batch).select_related("attorney", "court"):
            links[(link.attorney.email.lower(), link.court.court_id)] = link
    return links


def _only_formatting(field: str, old, new) -> str | None:
    """A value a spreadsheet changed, not the firm: kept, with the reason."""
    if field == "bar_number" and isinstance(old, str) and old != new and old.lstrip("0") == new:
        return f"kept {old!r}: the file's {new!r} only lost its leading zeros (as spreadsheets do)"
    return None


def plan(rows: list[RosterRow]) -> Plan:
    """What applying the rows would change, reading the database in batches of bounded size."""
    result = Plan(rows=len(rows))
    existing = attorneys_by_email({row.email for row in rows})
    links = _links_of(existing.values())
    problems = Problems()
    seen = set()
    for row in rows:
        result.kept.extend(row.notes)
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
                    formatting = _only_formatting(field, old, value)
                    if formatting:
                        result.kept.append(f"row {row.number}, {field}: {formatting} for {row.email}")
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
                problems.add(f"row {row.number}, {field}: for {row.email}, {' '.join(refusal.messages)}")
                continue
            result.pair_changes.append((link, field, old, value))
    problems.raise_if_any()
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
        by_email.update(attorneys_by_email({email for email, _, _ in plan_.new_pairs} - set(by_email)))
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
