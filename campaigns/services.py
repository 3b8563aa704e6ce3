"""Recording the steps of a campaign per attorney: checked, written, and in the history.

The dashboard (one attorney, or many at once), the roster import and Firmlink itself (a holder
who left) all record through ``progress_record``: what the step needs must hold, the value must
be one the step takes (campaigns.values), and the change lands in the append-only history
(attorneys.StepChange, with its ``campaign``). Recording the same thing again changes nothing.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from attorneys.models import Attorney, StepChange
from attorneys.services.history import history_add, history_add_many, history_row
from core import clock
from core.audit import Actor
from core.campaigns import Campaign, StepDef, StepKind
from core.exceptions import StepRefused

from . import subjects, values
from .models import CampaignSettings, Progress


def _shown(step: StepDef, done_on, value) -> str:
    if step.kind == StepKind.DATE:
        return done_on.isoformat() if done_on else ""
    if step.kind == StepKind.CHOICE:
        return dict(step.choices).get(value, value or "")
    if step.kind == StepKind.EVENT:
        return f"{value} on {done_on.isoformat()}" if value and done_on else ""
    return value or ""


def clean(campaign: Campaign, step: StepDef, *, on, value, when: subjects.Dates, today: datetime.date):
    """(date, value) the step would record, or ValidationError saying what is wrong."""
    if step.kind == StepKind.DATE:
        earliest = getattr(when, step.earliest) if step.earliest else None
        return values.clean_date(on, earliest=earliest, today=today), None
    day = values.clean_date(on or today, earliest=None, today=today)
    if step.kind == StepKind.NAMES:
        return day, values.clean_names(value or "", max_items=step.max_items)
    if step.kind == StepKind.PLACE:
        return day, values.clean_place(value or "")
    if step.kind == StepKind.CHOICE:
        return day, values.clean_choice(value or "", step.choices)
    return day, values.clean_names(value or "", max_items=1)  # EVENT: who


def unchanged(step: StepDef, row: Progress, *, on, done_on, value) -> bool:
    """Recording this again changes nothing: the same date (a date step), the same value (names, a
    place, a choice: the same list recorded again on another day is not a new fact), the same
    date and name (an event)."""
    if step.kind == StepKind.DATE:
        return row.done_on == done_on
    if step.kind == StepKind.EVENT:
        return (row.done_on, row.value) == (done_on, value)
    return row.value == value


def progress_record_planned(*, campaign: Campaign, items: list[tuple], actor: Actor, note: str) -> int:
    """Write steps already checked against the rules (a roster's plan) in a few statements: ``items``
    are ``(attorney_id, step key, done_on, value)``. Each change in the history, as one by one."""
    if not items:
        return 0
    existing = {
        (row.attorney_id, row.step): row
        for row in Progress.objects.filter(
            campaign=campaign.slug, court=None, attorney_id__in={i[0] for i in items}, step__in={i[1] for i in items}
        )
    }
    now, created, updated, history = clock.now(), [], [], []
    for attorney_id, key, done_on, value in items:
        definition = campaign.step(key)
        row = existing.get((attorney_id, key))
        old = _shown(definition, row.done_on, row.value) if row else None
        if row is None:
            row = Progress(campaign=campaign.slug, attorney_id=attorney_id, step=key)
            created.append(row)
        else:
            updated.append(row)
        row.done_on, row.value, row.updated_at, row.updated_by = done_on, value, now, actor.user
        history.append(
            history_row(
                actor=actor,
                campaign=campaign.slug,
                step=key,
                old=old or None,
                new=_shown(definition, done_on, value),
                note=note,
                attorney_id=attorney_id,
            )
        )
    Progress.objects.bulk_create(created, batch_size=1000)
    Progress.objects.bulk_update(updated, ["done_on", "value", "updated_at", "updated_by"], batch_size=1000)
    history_add_many(history)
    return len(history)


def progress_record(
    *,
    campaign: Campaign,
    attorney_id: int,
    step: str,
    actor: Actor,
    on: datetime.date | None = None,
    value: str | None = None,
    note: str = "",
    today: datetime.date | None = None,
) -> StepChange | None:
    """Record one step for one attorney; None when it was already recorded so. StepRefused says why not."""
    today = today or clock.today()
    try:
        definition = campaign.step(step)
    except StopIteration:
        raise StepRefused(f"{campaign.name} has no step {step!r}.") from None
    with transaction.atomic():
        attorney = Attorney.objects.select_for_update().get(pk=attorney_id)
        if not attorney.is_active and not definition.automatic:
            raise StepRefused(f"{attorney.name} has left the firm: reactivate the attorney to record steps.")
        when = subjects.dates(campaign)
        subject = subjects.state(campaign, attorney, when=when)
        if not definition.applies.holds(subject, today):
            raise StepRefused(f"{attorney.name}: “{definition.label}” does not apply now.")
        if not definition.needs.holds(subject, today):
            raise StepRefused(f"{attorney.name}: “{definition.label}” needs {definition.needs_text} first.")
        try:
            done_on, cleaned = clean(campaign, definition, on=on, value=value, when=when, today=today)
        except ValidationError as exc:
            raise StepRefused([f"{attorney.name}, {definition.label}: {m}" for m in exc.messages]) from None
        row = Progress.objects.filter(campaign=campaign.slug, attorney=attorney, court=None, step=step).first()
        old = _shown(definition, row.done_on, row.value) if row else ""
        if row is not None and unchanged(definition, row, on=on, done_on=done_on, value=cleaned):
            return None
        if row is None:
            row = Progress(campaign=campaign.slug, attorney=attorney, step=step)
        row.done_on, row.value, row.updated_at, row.updated_by = done_on, cleaned, clock.now(), actor.user
        row.save()
        return history_add(
            actor=actor,
            campaign=campaign.slug,
            step=step,
            old=old or None,
            new=_shown(definition, done_on, cleaned),
            note=note,
            attorney=attorney,
        )


def progress_clear(*, campaign: Campaign, attorney_id: int, step: str, actor: Actor, note: str) -> StepChange | None:
    """Take back a step recorded by mistake (administrators): the record goes, the history keeps both."""
    if not note.strip():
        raise StepRefused("Say why the step is taken back.")
    definition = campaign.step(step)
    with transaction.atomic():
        attorney = Attorney.objects.select_for_update().get(pk=attorney_id)
        row = Progress.objects.filter(campaign=campaign.slug, attorney=attorney, court=None, step=step).first()
        if row is None:
            return None
        old = _shown(definition, row.done_on, row.value)
        row.delete()
        return history_add(
            actor=actor, campaign=campaign.slug, step=step, old=old, new=None, note=note, attorney=attorney
        )


def progress_record_many(
    *,
    campaign: Campaign,
    attorney_ids: list[int],
    step: str,
    actor: Actor,
    on: datetime.date | None = None,
    value: str | None = None,
    note: str = "",
) -> tuple[int, int]:
    """The same step for many attorneys, all or nothing: (recorded, already so). StepRefused lists
    every attorney it cannot be recorded for, and then nothing is. The same checks as
    ``progress_record``, read for every attorney at once (a few queries, whatever their number)."""
    try:
        definition = campaign.step(step)
    except StopIteration:
        raise StepRefused(f"{campaign.name} has no step {step!r}.") from None
    today = clock.today()
    refusals: list[str] = []
    items, unchanged_count = [], 0
    with transaction.atomic():
        when = subjects.dates(campaign)
        locked = list(Attorney.objects.select_for_update().filter(pk__in=attorney_ids).order_by("pk").values("pk"))
        attorneys = Attorney.objects.filter(pk__in=[row["pk"] for row in locked])
        by_id = {a.pk: a for a in subjects.annotated(campaign, attorneys, when)}
        held = {
            row.attorney_id: row
            for row in Progress.objects.filter(campaign=campaign.slug, court=None, step=step, attorney_id__in=by_id)
        }
        try:
            cleaned_on, cleaned = clean(campaign, definition, on=on, value=value, when=when, today=today)
        except ValidationError as exc:
            cleaned_on, cleaned, invalid = None, None, exc.messages
        else:
            invalid = []
        for attorney_id in attorney_ids:
            attorney = by_id.get(attorney_id)
            if attorney is None:
                continue
            if not attorney.is_active and not definition.automatic:
                refusals.append(f"{attorney.name} has left the firm: reactivate the attorney to record steps.")
            elif not definition.applies.holds(attorney, today):
                refusals.append(f"{attorney.name}: “{definition.label}” does not apply now.")
            elif not definition.needs.holds(attorney, today):
                refusals.append(f"{attorney.name}: “{definition.label}” needs {definition.needs_text} first.")
            elif invalid:
                refusals.extend(f"{attorney.name}, {definition.label}: {m}" for m in invalid)
            elif attorney_id in held and unchanged(
                definition, held[attorney_id], on=on, done_on=cleaned_on, value=cleaned
            ):
                unchanged_count += 1
            else:
                items.append((attorney_id, step, cleaned_on, cleaned))
        if refusals:
            raise StepRefused([*refusals[:20], *([f"and {len(refusals) - 20} more"] if len(refusals) > 20 else [])])
        progress_record_planned(campaign=campaign, items=items, actor=actor, note=note)
    return len(items), unchanged_count


def person_departed(*, name: str, actor: Actor, on: datetime.date, campaigns: list[Campaign]) -> int:
    """A person left the firm: wherever a campaign names them (e.g. as an authenticator holder), the
    campaign's departure step is recorded, so that a review is due. Returns how many were recorded."""
    recorded = 0
    for campaign in campaigns:
        for event in (s for s in campaign.steps if s.departure_of):
            rows = Progress.objects.filter(campaign=campaign.slug, court=None, step=event.departure_of).exclude(
                value=None
            )
            for row in rows:
                if not any(values.same_person(holder, name) for holder in values.names_of(row.value)):
                    continue
                change = progress_record(
                    campaign=campaign,
                    attorney_id=row.attorney_id,
                    step=event.key,
                    actor=actor,
                    on=on,
                    value=" ".join(name.split()),
                    note=f"{name} left the firm",
                    today=on,
                )
                recorded += change is not None
    return recorded


SETTINGS_FIELDS = ("deadline", "starts_on", "scope", "reminders_on", "message")


def settings_save(*, campaign: Campaign, actor: Actor, note: str, **fields) -> list[StepChange]:
    """Change what the firm sets for a campaign (its dates, scope, reminders, message); each change in
    the history. A date left empty falls back to the definition's."""
    if not note.strip():
        raise StepRefused("Say why (it goes to the history).")
    unknown = set(fields) - set(SETTINGS_FIELDS)
    if unknown:
        raise ValueError(f"not a campaign setting: {sorted(unknown)}")
    changes = []
    with transaction.atomic():
        row, _ = CampaignSettings.objects.select_for_update().get_or_create(campaign=campaign.slug)
        for field, new in fields.items():
            old = getattr(row, field)
            if old == new:
                continue
            setattr(row, field, new)
            changes.append(history_add(actor=actor, campaign=campaign.slug, step=field, old=old, new=new, note=note))
        if changes:
            row.updated_at = clock.now()
            row.save()
    return changes
