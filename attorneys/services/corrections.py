"""Corrections of recorded steps: a new history entry that names the one it corrects.

Nothing is deleted or rewritten: the original entry stays as it was, and the correction beside
it says what Firmlink's record is now and why. A step recorded by mistake is undone in the
record (or, for a dated step, given its right date); a step on the wrong attorney is undone
there and recorded again on the right one. Linking is irreversible in the court itself: a
correction of a link changes Firmlink's record only, and says so.
"""

import datetime

from django.db import transaction
from django.db.models import Q

from core import clock
from core.audit import Actor, display_value
from core.exceptions import StepRefused

from ..choices import ATTORNEY_STEPS, STEP_OF_LINK_FIELD, Step
from ..models import Attorney, CourtLink, StepChange
from ..status import court_is_live
from .history import history_add

DATED = {Step.LINKED: "linked_on", Step.FILING_MENUS: "menus_confirmed_on", Step.REGISTERED: "registered_on"}
TOGGLES = {step: field for field, step in STEP_OF_LINK_FIELD.items()}
ON_ATTORNEY = {Step.PACER_ACCOUNT: "pacer_account", Step.PACER_INDIVIDUAL: "pacer_individual"}
CORRECTABLE = (*DATED, *TOGGLES, *ON_ATTORNEY)
LINK_FIELDS = ("linked_on", "linked_recorded_by", "linked_recorded_at", "cmecf_name_shown", "pacer_name_shown")


def correctable(change: StepChange) -> bool:
    """Whether an entry records a step that can be corrected (not itself a correction)."""
    return change.step in CORRECTABLE and change.corrects_id is None


def step_correct(*, change_id: int, actor: Actor, reason: str, on: datetime.date | None = None) -> StepChange:
    """Correct the recorded step of history entry ``change_id``: undo it (recorded by mistake, or on
    the wrong attorney), or with ``on``, give a dated step its right date. Returns the correction."""
    reason = reason.strip()
    if not reason:
        raise StepRefused("Say why the entry is corrected (e.g. recorded on the wrong attorney).")
    with transaction.atomic():
        change = StepChange.objects.select_for_update(of=("self",)).get(pk=change_id)
        if not correctable(change):
            raise StepRefused("Only a recorded step can be corrected (not a correction, a roster or court entry).")
        done = change.corrections.first()
        if done is not None:
            raise StepRefused(f"Entry #{change.pk} was already corrected by entry #{done.pk}.")
        later = _later_entry(change)
        if later is not None:
            raise StepRefused(
                f"A later entry (#{later.pk} of {later.changed_at:%Y-%m-%d}) changed this since: "
                "correct that one first."
            )
        note = f"Correction of entry #{change.pk}: {reason}"
        if change.step in ON_ATTORNEY:
            attorney = Attorney.objects.select_for_update().get(pk=change.attorney_id)
            return _undo_on_attorney(change, attorney, actor, note)
        link = (
            CourtLink.objects.select_for_update(of=("self",)).select_related("attorney", "court").get(pk=change.link_id)
        )
        if on is not None:
            return _redate(change, link, on, actor, note)
        return _undo_on_link(change, link, actor, note)


def _later_entry(change: StepChange) -> StepChange | None:
    """A later entry of the same step on the same pair (or attorney), if any."""
    target = (
        {"attorney_id": change.attorney_id, "link": None}
        if change.step in ATTORNEY_STEPS
        else {"link_id": change.link_id}
    )
    return (
        StepChange.objects.filter(step=change.step, **target)
        .filter(Q(changed_at__gt=change.changed_at) | Q(changed_at=change.changed_at, pk__gt=change.pk))
        .order_by("changed_at", "pk")
        .first()
    )


def _undo_on_attorney(change, attorney, actor, note) -> StepChange:
    field = ON_ATTORNEY[change.step]
    current = getattr(attorney, field)
    if display_value(current) != change.new_value:
        raise StepRefused(f"The record no longer says {change.new_value!r}: nothing to correct.")
    old = change.old_value if field == "pacer_account" else change.old_value == "yes"
    setattr(attorney, field, old)
    attorney.save(update_fields=[field, "updated_at"])
    return history_add(
        actor=actor, step=change.step, old=current, new=old, note=note, attorney=attorney, corrects=change
    )


def _undo_on_link(change, link, actor, note) -> StepChange:
    if change.step in TOGGLES:
        field = TOGGLES[change.step]
        current = getattr(link, field)
        if display_value(current) != change.new_value:
            raise StepRefused(f"The record no longer says {change.new_value!r}: nothing to correct.")
        setattr(link, field, not current)
        link.save(update_fields=[field, "updated_at"])
        return _history(actor, change, link, current, not current, note)
    field = DATED[change.step]
    current = getattr(link, field)
    if current is None:
        raise StepRefused("The record no longer has this step: nothing to correct.")
    if change.step in (Step.LINKED, Step.REGISTERED) and link.menus_confirmed_on is not None:
        raise StepRefused("The filing menus were confirmed after this: correct that entry first.")
    if change.step == Step.LINKED:
        old = change.new_value
        for name in LINK_FIELDS:
            setattr(link, name, None if name.endswith(("_on", "_at", "_by")) else "")
        link.names_differ = False
        note += " (The link made in the court cannot be undone there: this corrects Firmlink's record only.)"
        link.save(update_fields=[*LINK_FIELDS, "names_differ", "updated_at"])
    else:
        old = current
        setattr(link, field, None)
        link.save(update_fields=[field, "updated_at"])
    return _history(actor, change, link, old, None, note)


def _redate(change, link, on: datetime.date, actor, note) -> StepChange:
    if change.step not in DATED:
        raise StepRefused("Only a dated step (linked, filing menus, access granted) takes a corrected date.")
    field = DATED[change.step]
    current = getattr(link, field)
    if current is None:
        raise StepRefused("The record no longer has this step: nothing to correct.")
    today = clock.today()
    if on > today:
        raise StepRefused(f"The date {on.isoformat()} is in the future (today is {today.isoformat()}).")
    if on == current:
        raise StepRefused(f"The recorded date is already {on.isoformat()}.")
    if change.step in (Step.LINKED, Step.REGISTERED):
        if not court_is_live(link.court.nextgen_go_live, link.court.live_by, on):
            raise StepRefused(f"{link.court.name} was not on NextGen on {on.isoformat()}.")
        if link.menus_confirmed_on and link.menus_confirmed_on < on:
            raise StepRefused(f"The filing menus were confirmed on {link.menus_confirmed_on.isoformat()}, before that.")
    else:
        access = link.linked_on or link.registered_on
        if on < access:
            raise StepRefused(f"The menus cannot be confirmed before access was gained ({access.isoformat()}).")
    setattr(link, field, on)
    link.save(update_fields=[field, "updated_at"])
    return _history(actor, change, link, current, on, note)


def _history(actor, change, link, old, new, note) -> StepChange:
    return history_add(
        actor=actor,
        step=change.step,
        old=old,
        new=new,
        note=note,
        attorney=link.attorney,
        court=link.court,
        link=link,
        corrects=change,
    )
