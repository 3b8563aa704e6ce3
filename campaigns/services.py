"""Recording the steps of a campaign: checked, written, and in the history.

A campaign per attorney records rows without a court; one per attorney and court (renewals,
notice routing, ACMS) records the pair's court with each row, and only for a pair with an
e-filing account in one of the campaign's courts. Steps a campaign computes (``derived``, e.g. a
renewal's next due date) are written by ``derive_pairs`` after every change, never by hand.

The dashboard (one attorney, or many at once), the roster import and Firmlink itself (a holder
who left) all record through ``progress_record``: what the step needs must hold, the value must
be one the step takes (campaigns.values), and the change lands in the append-only history
(attorneys.StepChange, with its ``campaign``). Recording the same thing again changes nothing.
"""

import dataclasses
import datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from attorneys.models import Attorney, CourtLink, StepChange
from attorneys.services.history import history_add, history_add_many, history_row
from core import clock
from core.audit import Actor
from core.campaigns import Campaign, StepDef, StepKind
from core.exceptions import StepRefused
from courts.models import Court

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


def _court_of(item: tuple):
    return item[4] if len(item) > 4 else None


def progress_record_planned(*, campaign: Campaign, items: list[tuple], actor: Actor, note: str) -> int:
    """Write steps already checked against the rules (a roster's plan) in a few statements: ``items``
    are ``(attorney_id, step key, done_on, value)``, with the court's id last for a campaign per
    attorney and court. Each change in the history, as one by one."""
    if not items:
        return 0
    rows = Progress.objects.filter(
        campaign=campaign.slug, attorney_id__in={i[0] for i in items}, step__in={i[1] for i in items}
    )
    if not campaign.per_court:
        rows = rows.filter(court=None)
    existing = {(row.attorney_id, row.court_id, row.step): row for row in rows}
    now, created, updated, history = clock.now(), [], [], []
    for item in items:
        attorney_id, key, done_on, value = item[:4]
        court_id = _court_of(item)
        definition = campaign.step(key)
        row = existing.get((attorney_id, court_id, key))
        old = _shown(definition, row.done_on, row.value) if row else None
        if row is None:
            row = Progress(campaign=campaign.slug, attorney_id=attorney_id, court_id=court_id, step=key)
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
                court_id=court_id,
            )
        )
    Progress.objects.bulk_create(created, batch_size=1000)
    Progress.objects.bulk_update(updated, ["done_on", "value", "updated_at", "updated_by"], batch_size=1000)
    history_add_many(history)
    if campaign.per_court and campaign.derive:
        derive_pairs(campaign, {(item[0], _court_of(item)) for item in items})
    return len(history)


def derive_pairs(campaign: Campaign, pairs: set[tuple[int, int]]) -> int:
    """Write the steps the campaign computes (``derive``) for these (attorney id, court id) pairs from
    their recorded steps; returns how many changed. Also run for every pair when a definition's
    court facts change (``recompute_campaign_dates``)."""
    if not pairs or campaign.derive is None:
        return 0
    derived_keys = [step.key for step in campaign.steps if step.derived]
    courts = dict(Court.objects.filter(pk__in={c for _, c in pairs}).values_list("pk", "court_id"))
    rows: dict[tuple[int, int], dict[str, Progress]] = {}
    for row in Progress.objects.filter(
        campaign=campaign.slug, attorney_id__in={a for a, _ in pairs}, court_id__in=courts
    ):
        if (row.attorney_id, row.court_id) in pairs:
            rows.setdefault((row.attorney_id, row.court_id), {})[row.step] = row
    now, created, updated, gone = clock.now(), [], [], []
    for attorney_id, court_id in pairs:
        held = rows.get((attorney_id, court_id), {})
        recorded = {key: row.done_on for key, row in held.items() if key not in derived_keys}
        for key, day in campaign.derive(campaign.fact(courts.get(court_id, "")), recorded).items():
            row = held.get(key)
            if row is None and day is not None:
                created.append(
                    Progress(
                        campaign=campaign.slug,
                        attorney_id=attorney_id,
                        court_id=court_id,
                        step=key,
                        done_on=day,
                        updated_at=now,
                    )
                )
            elif row is not None and day is None:
                gone.append(row.pk)
            elif row is not None and row.done_on != day:
                row.done_on, row.updated_at, row.updated_by = day, now, None
                updated.append(row)
    Progress.objects.bulk_create(created, batch_size=1000)
    Progress.objects.bulk_update(updated, ["done_on", "updated_at", "updated_by"], batch_size=1000)
    Progress.objects.filter(pk__in=gone).delete()
    return len(created) + len(updated) + len(gone)


def recompute_campaign_dates(campaign: Campaign) -> int:
    """Every pair's computed steps again (after a release changed a court's cycle)."""
    pairs = set(
        Progress.objects.filter(campaign=campaign.slug).exclude(court=None).values_list("attorney_id", "court_id")
    )
    return derive_pairs(campaign, pairs)


def pair_or_refuse(campaign: Campaign, attorney: Attorney, court_id: int | None) -> Court:
    """The court of a pair the campaign is about, or StepRefused saying why not."""
    if court_id is None:
        raise StepRefused(f"{campaign.name} is recorded per court: say which court.")
    link = CourtLink.objects.filter(attorney=attorney, court_id=court_id).select_related("court").first()
    if link is None or not link.efiling_account:
        raise StepRefused(f"{attorney.name} has no e-filing account in that court.")
    if campaign.listed_courts_only and campaign.fact(link.court.court_id) is None:
        raise StepRefused(f"{campaign.name} is not about {link.court.court_id}.")
    return link.court


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
    court_id: int | None = None,
) -> StepChange | None:
    """Record one step for one attorney (in one court: ``court_id``, a Court's pk, for a campaign per
    attorney and court); None when it was already recorded so. StepRefused says why not."""
    today = today or clock.today()
    definition = _step_or_refuse(campaign, step)
    with transaction.atomic():
        attorney = Attorney.objects.select_for_update().get(pk=attorney_id)
        if not attorney.is_active and not definition.automatic:
            raise StepRefused(f"{attorney.name} has left the firm: reactivate the attorney to record steps.")
        court = pair_or_refuse(campaign, attorney, court_id) if campaign.per_court else None
        when = subjects.dates(campaign)
        subject = subjects.state(campaign, attorney, when=when, court=court)
        if not definition.applies.holds(subject, today):
            raise StepRefused(f"{attorney.name}: “{definition.label}” does not apply now.")
        if not definition.needs.holds(subject, today):
            raise StepRefused(f"{attorney.name}: “{definition.label}” needs {definition.needs_text} first.")
        try:
            done_on, cleaned = clean(campaign, definition, on=on, value=value, when=when, today=today)
        except ValidationError as exc:
            raise StepRefused([f"{attorney.name}, {definition.label}: {m}" for m in exc.messages]) from None
        row = Progress.objects.filter(campaign=campaign.slug, attorney=attorney, court=court, step=step).first()
        old = _shown(definition, row.done_on, row.value) if row else ""
        if row is not None and unchanged(definition, row, on=on, done_on=done_on, value=cleaned):
            return None
        if row is None:
            row = Progress(campaign=campaign.slug, attorney=attorney, court=court, step=step)
        row.done_on, row.value, row.updated_at, row.updated_by = done_on, cleaned, clock.now(), actor.user
        row.save()
        change = history_add(
            actor=actor,
            campaign=campaign.slug,
            step=step,
            old=old or None,
            new=_shown(definition, done_on, cleaned),
            note=note,
            attorney=attorney,
            court=court,
        )
        if court is not None:
            derive_pairs(campaign, {(attorney.pk, court.pk)})
        return change


def progress_clear(
    *, campaign: Campaign, attorney_id: int, step: str, actor: Actor, note: str, court_id: int | None = None
) -> StepChange | None:
    """Take back a step recorded by mistake (administrators): the record goes, the history keeps both."""
    if not note.strip():
        raise StepRefused("Say why the step is taken back.")
    definition = campaign.step(step)
    with transaction.atomic():
        attorney = Attorney.objects.select_for_update().get(pk=attorney_id)
        row = Progress.objects.filter(campaign=campaign.slug, attorney=attorney, court_id=court_id, step=step).first()
        if row is None:
            return None
        old = _shown(definition, row.done_on, row.value)
        row.delete()
        change = history_add(
            actor=actor,
            campaign=campaign.slug,
            step=step,
            old=old,
            new=None,
            note=note,
            attorney=attorney,
            court_id=court_id,
        )
        if court_id is not None:
            derive_pairs(campaign, {(attorney.pk, court_id)})
        return change


@dataclasses.dataclass
class _Candidate:
    """One subject of a bulk record: who it is in a message, the state the rules read, the row the
    step already has, whether the attorney left, and where the step goes."""

    who: str
    subject: object
    held: Progress | None
    left: bool
    attorney_id: int
    court_id: int | None = None


def _step_or_refuse(campaign: Campaign, step: str) -> StepDef:
    try:
        definition = campaign.step(step)
    except StopIteration:
        raise StepRefused(f"{campaign.name} has no step {step!r}.") from None
    if definition.derived:
        raise StepRefused(f"“{definition.label}” is computed by Firmlink: record the steps it comes from.")
    return definition


def _record_bulk(*, campaign, step, actor, on, value, note, load) -> tuple[int, int]:
    """The same step for many subjects, all or nothing: (recorded, already so). ``load(when)`` gives the
    ``_Candidate`` of each, in order, read at once; the checks are ``progress_record``'s; StepRefused
    lists every subject it cannot be recorded for, and then nothing is."""
    definition = _step_or_refuse(campaign, step)
    today = clock.today()
    refusals: list[str] = []
    items, unchanged_count = [], 0
    with transaction.atomic():
        when = subjects.dates(campaign)
        try:
            cleaned_on, cleaned = clean(campaign, definition, on=on, value=value, when=when, today=today)
        except ValidationError as exc:
            cleaned_on, cleaned, invalid = None, None, exc.messages
        else:
            invalid = []
        for candidate in load(when):
            who, subject = candidate.who, candidate.subject
            if candidate.left and not definition.automatic:
                refusals.append(f"{who} has left the firm: reactivate the attorney to record steps.")
            elif not definition.applies.holds(subject, today):
                refusals.append(f"{who}: “{definition.label}” does not apply now.")
            elif not definition.needs.holds(subject, today):
                refusals.append(f"{who}: “{definition.label}” needs {definition.needs_text} first.")
            elif invalid:
                refusals.extend(f"{who}, {definition.label}: {m}" for m in invalid)
            elif candidate.held is not None and unchanged(
                definition, candidate.held, on=on, done_on=cleaned_on, value=cleaned
            ):
                unchanged_count += 1
            else:
                items.append((candidate.attorney_id, step, cleaned_on, cleaned, candidate.court_id))
        if refusals:
            raise StepRefused([*refusals[:20], *([f"and {len(refusals) - 20} more"] if len(refusals) > 20 else [])])
        progress_record_planned(campaign=campaign, items=items, actor=actor, note=note)
    return len(items), unchanged_count


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

    def load(when):
        locked = list(Attorney.objects.select_for_update().filter(pk__in=attorney_ids).order_by("pk").values("pk"))
        attorneys = Attorney.objects.filter(pk__in=[row["pk"] for row in locked])
        by_id = {a.pk: a for a in subjects.annotated(campaign, attorneys, when)}
        held = {
            row.attorney_id: row
            for row in Progress.objects.filter(campaign=campaign.slug, court=None, step=step, attorney_id__in=by_id)
        }
        return [
            _Candidate(a.name, a, held.get(a.pk), not a.is_active, a.pk)
            for a in (by_id.get(pk) for pk in attorney_ids)
            if a is not None
        ]

    return _record_bulk(campaign=campaign, step=step, actor=actor, on=on, value=value, note=note, load=load)


def progress_record_pairs(
    *,
    campaign: Campaign,
    link_ids: list[int],
    step: str,
    actor: Actor,
    on: datetime.date | None = None,
    value: str | None = None,
    note: str = "",
) -> tuple[int, int]:
    """``progress_record_many`` for a campaign per attorney and court: the same step for many pairs
    (CourtLink ids), all or nothing, with every refusal named by attorney and court."""

    def load(when):
        attorney_ids = sorted(set(CourtLink.objects.filter(pk__in=link_ids).values_list("attorney_id", flat=True)))
        list(Attorney.objects.select_for_update().filter(pk__in=attorney_ids).order_by("pk").values("pk"))
        pairs = subjects.pairs(campaign).filter(pk__in=link_ids).select_related("attorney", "court")
        by_id = {link.pk: link for link in subjects.annotated(campaign, pairs, when)}
        held = {
            (row.attorney_id, row.court_id): row
            for row in Progress.objects.filter(
                campaign=campaign.slug, step=step, attorney_id__in=attorney_ids, court__isnull=False
            )
        }
        return [
            _Candidate(
                f"{link.attorney.name} in {link.court.court_id}",
                link,
                held.get((link.attorney_id, link.court_id)),
                False,  # pairs() holds active attorneys only
                link.attorney_id,
                link.court_id,
            )
            for link in (by_id.get(pk) for pk in link_ids)
            if link is not None
        ]

    return _record_bulk(campaign=campaign, step=step, actor=actor, on=on, value=value, note=note, load=load)


def person_departed(*, name: str, actor: Actor, on: datetime.date, campaigns: list[Campaign]) -> int:
    """A person left the firm: wherever a campaign names them (an authenticator holder, a filing agent
    in a court), the campaign's departure step is recorded, so that a review is due. Returns how many
    were recorded."""
    recorded = 0
    for campaign in campaigns:
        for event in (s for s in campaign.steps if s.departure_of):
            rows = Progress.objects.filter(campaign=campaign.slug, step=event.departure_of).exclude(value=None)
            rows = rows.exclude(court=None) if campaign.per_court else rows.filter(court=None)
            for row in rows:
                if not any(values.same_person(holder, name) for holder in values.names_of(row.value)):
                    continue
                change = progress_record(
                    campaign=campaign,
                    attorney_id=row.attorney_id,
                    court_id=row.court_id,
                    step=event.key,
                    actor=actor,
                    on=on,
                    value=" ".join(name.split()),
                    note=f"{name} left the firm",
                    today=on,
                )
                recorded += change is not None
    return recorded


def court_date_save(
    *, campaign: Campaign, court_id: str, date: datetime.date | None, actor: Actor, note: str
) -> StepChange | None:
    """Correct a campaign's date in one court (empty: back to the definition's); in the history with the
    court. None when nothing changes."""
    from .models import CourtDate

    if not note.strip():
        raise StepRefused("Say why (it goes to the history).")
    fact = campaign.fact(court_id)
    if fact is None or fact.date is None:
        raise StepRefused(f"{campaign.name} has no date per court for {court_id!r}.")
    court = Court.objects.filter(court_id=court_id).first()
    if court is None:
        raise StepRefused(f"{court_id} is not in the court directory: its date is the definition's.")
    with transaction.atomic():
        row = CourtDate.objects.select_for_update().filter(campaign=campaign.slug, court=court).first()
        old = row.date if row else fact.date
        new = date or fact.date
        if old == new:
            return None
        if date is None or date == fact.date:
            if row:
                row.delete()
        else:
            row = row or CourtDate(campaign=campaign.slug, court=court)
            row.date, row.updated_at, row.updated_by = date, clock.now(), actor.user
            row.save()
        return history_add(
            actor=actor,
            campaign=campaign.slug,
            step=campaign.court_date_label or "date",
            old=old,
            new=new,
            note=note,
            court=court,
        )


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
