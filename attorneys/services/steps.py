"""Recording steps: every step change goes through ``step_record``.

It validates the change against the rules of the court documents, writes the new value
and its history row in one transaction, and locks the row first so that two people
recording the same pair at once neither lose an update nor write the history twice.
The checks are plain functions, so the checklist (``why_cannot_link``) and the roster
import (``check_toggle``) ask the very rules the recording enforces.
"""

import datetime

from django.db import transaction
from django.db.models import Q

from core import clock
from core.audit import Actor, StepSource
from core.exceptions import StepRefused

from ..choices import ATTORNEY_STEPS, LINK_STEPS, STEP_OF_LINK_FIELD, PacerAccount, Step
from ..models import Attorney, CourtLink, StepChange, Verification
from ..names import names_match
from ..status import court_is_live
from .history import history_add

LINK_FIELD_OF_STEP = {step: field for field, step in STEP_OF_LINK_FIELD.items()}
# Facts about a pair that mean something else once access is gained: they stay as they were.
SETTLED_BY_ACCESS = (Step.EFILING_ACCOUNT, Step.NEW_TO_COURT)


def step_record(
    *,
    step: str,
    actor: Actor,
    link_id: int | None = None,
    attorney_id: int | None = None,
    value=True,
    on: datetime.date | None = None,
    note: str = "",
    cmecf_name: str = "",
    pacer_name: str = "",
) -> StepChange | None:
    """Record one step. Returns the history row, or None when nothing changed.

    Pair steps take ``link_id``; PACER-level steps take ``attorney_id``. Dated steps
    (linked, filing menus, registered) take ``on`` (default: today in the firm's zone).
    Raises StepRefused with a message for the user when the rules forbid the step.
    """
    step = Step(step)
    with transaction.atomic():
        if step in LINK_STEPS:
            if link_id is None:
                raise ValueError(f"{step} is recorded on an attorney-court pair")
            link = CourtLink.objects.select_for_update(of=("self",)).select_related("attorney", "court").get(pk=link_id)
            return _record_on_link(link, step, actor, value, on, note, cmecf_name, pacer_name)
        if step in ATTORNEY_STEPS:
            if attorney_id is None:
                raise ValueError(f"{step} is recorded on an attorney")
            attorney = Attorney.objects.select_for_update().get(pk=attorney_id)
            return _record_on_attorney(attorney, step, actor, value, note)
        raise ValueError(f"{step} is not a step that can be recorded")


def _record_on_attorney(attorney: Attorney, step: Step, actor: Actor, value, note: str):
    if step == Step.PACER_ACCOUNT:
        check_pacer_account(value)
        field = "pacer_account"
    else:
        value = bool(value)
        field = "pacer_individual"
    old = getattr(attorney, field)
    if old == value:
        return None
    setattr(attorney, field, value)
    attorney.save(update_fields=[field, "updated_at"])
    return history_add(actor=actor, step=step, old=old, new=value, note=note, attorney=attorney)


def _record_on_link(link: CourtLink, step: Step, actor: Actor, value, on, note, cmecf_name, pacer_name):
    today = clock.today()
    if step in (Step.LINKED, Step.FILING_MENUS, Step.REGISTERED):
        on = on or today
        if on > today:
            raise StepRefused(f"The date {on.isoformat()} is in the future (today is {today.isoformat()}).")
    if step == Step.LINKED:
        _check_can_link(link, on, cmecf_name, pacer_name)
        old, new = None, f"{on.isoformat()} (CM/ECF {cmecf_name.strip()!r} / PACER {pacer_name.strip()!r})"
        link.linked_on = on
        link.linked_recorded_by = actor.user
        link.linked_recorded_at = clock.now()
        link.cmecf_name_shown = cmecf_name.strip()
        link.pacer_name_shown = pacer_name.strip()
        link.names_differ = not names_match(link.cmecf_name_shown, link.pacer_name_shown)
        fields = [
            "linked_on",
            "linked_recorded_by",
            "linked_recorded_at",
            "cmecf_name_shown",
            "pacer_name_shown",
            "names_differ",
        ]
    elif step == Step.FILING_MENUS:
        access = link.linked_on or link.registered_on
        if access is None:
            raise StepRefused("The filing menus appear only after the accounts are linked: record the link first.")
        if link.menus_confirmed_on is not None:
            raise StepRefused(f"The filing menus were already confirmed on {link.menus_confirmed_on.isoformat()}.")
        if on < access:
            raise StepRefused(f"The menus cannot be confirmed before access was gained ({access.isoformat()}).")
        old, new = None, on
        link.menus_confirmed_on = on
        fields = ["menus_confirmed_on"]
    elif step == Step.REGISTERED:
        _check_can_register(link, on)
        old, new = None, on
        link.registered_on = on
        fields = ["registered_on"]
    else:
        field = LINK_FIELD_OF_STEP[step]
        value = bool(value)
        old, new = getattr(link, field), value
        if old == new:
            return None
        check_toggle(link, step)
        setattr(link, field, value)
        fields = [field]
    link.save(update_fields=[*fields, "updated_at"])
    return history_add(
        actor=actor, step=step, old=old, new=new, note=note, attorney=link.attorney, court=link.court, link=link
    )


def check_toggle(link: CourtLink, step: str):
    """May this yes/no fact of the pair change now? Raises StepRefused if not."""
    if step in SETTLED_BY_ACCESS and (link.linked_on or link.registered_on):
        raise StepRefused(
            f"{link.court.court_id} already has access recorded (linked or registered): "
            f"“{Step(step).label.lower()}” cannot change now."
        )


def check_pacer_account(value):
    if value not in PacerAccount.values:
        raise StepRefused(f"PACER account must be one of: {', '.join(PacerAccount.values)}.")


def _check_pacer_ready(attorney: Attorney, doing: str):
    if attorney.pacer_account == PacerAccount.NONE or not attorney.pacer_individual:
        raise StepRefused(f"{attorney.name} has no individual PACER account yet: {doing} needs one.")
    if attorney.pacer_account == PacerAccount.LEGACY:
        raise StepRefused(f"{attorney.name}'s PACER account is a legacy account: it must be upgraded before {doing}.")


def _check_court_live(link: CourtLink, on: datetime.date, doing: str):
    court = link.court
    if court_is_live(court.nextgen_go_live, court.live_by, on):
        return
    given = "" if on == clock.today() else f" ({on.isoformat()} given)"
    if court.nextgen_go_live is not None:
        raise StepRefused(
            f"{court.name} goes live on NextGen on {court.nextgen_go_live.isoformat()}: "
            f"{doing} is impossible before that day{given}."
        )
    if court.live_by is not None:
        raise StepRefused(
            f"{court.name} is known to be on NextGen only from {court.live_by.isoformat()} (its go-live date is not "
            f"known): record the court's go-live date first if {doing} happened before then{given}."
        )
    raise StepRefused(f"{court.name} has no announced NextGen go-live date: {doing} is impossible before go-live.")


def _check_can_link(link: CourtLink, on: datetime.date, cmecf_name: str, pacer_name: str):
    if link.linked_on is not None:
        who = link.linked_recorded_by.get_username() if link.linked_recorded_by else "someone"
        raise StepRefused(
            f"Already linked on {link.linked_on.isoformat()} (recorded by {who}). Linking cannot be undone."
        )
    if not link.efiling_account:
        raise StepRefused("This attorney uses this court's CM/ECF for PACER access only: there is nothing to link.")
    if link.new_to_court:
        raise StepRefused(
            "This attorney is new to this court: request e-filing access through PACER instead of linking."
        )
    _check_pacer_ready(link.attorney, "linking")
    _check_court_live(link, on, "linking")
    if not cmecf_name.strip() or not pacer_name.strip():
        raise StepRefused("Enter both names the court showed on the confirmation screen (CM/ECF and PACER).")


def _check_can_register(link: CourtLink, on: datetime.date):
    if link.registered_on is not None:
        raise StepRefused(f"E-filing access was already recorded on {link.registered_on.isoformat()}.")
    if not link.new_to_court:
        raise StepRefused("This attorney had an e-filing account in this court: link it instead of registering anew.")
    _check_pacer_ready(link.attorney, "requesting e-filing access")
    _check_court_live(link, on, "requesting e-filing access through PACER")


def why_cannot_link(link: CourtLink, on: datetime.date | None = None) -> str | None:
    """The reason the rules forbid linking this pair now, or None. Same checks as recording."""
    try:
        _check_can_link(link, on or clock.today(), "-", "-")
    except StepRefused as refusal:
        return " ".join(refusal.messages)
    return None


def why_cannot_register(link: CourtLink, on: datetime.date | None = None) -> str | None:
    try:
        _check_can_register(link, on or clock.today())
    except StepRefused as refusal:
        return " ".join(refusal.messages)
    return None


def already_recorded(link: CourtLink, step: str, value=True) -> bool:
    """The pair is already in the state the step records (a bulk run skips it)."""
    if step in LINK_FIELD_OF_STEP:
        return getattr(link, LINK_FIELD_OF_STEP[step]) == bool(value)
    dated = {
        Step.LINKED: link.linked_on,
        Step.FILING_MENUS: link.menus_confirmed_on,
        Step.REGISTERED: link.registered_on,
    }
    return dated.get(step) is not None


def steps_record_bulk(
    *, link_ids: list[int], step: str, actor: Actor, value=True, on=None, note: str = ""
) -> list[StepChange]:
    """Record one step on many pairs, all or nothing: pairs already in that state are skipped; if
    the rules refuse any other pair, nothing is recorded and every refusal is listed."""
    refusals = []
    changes = []
    with transaction.atomic():
        links = CourtLink.objects.filter(pk__in=link_ids).select_related("attorney", "court").order_by("pk")
        found = {link.pk: link for link in links}
        missing = set(link_ids) - set(found)
        if missing:
            raise StepRefused(f"{len(missing)} selected pair(s) no longer exist; nothing was recorded.")
        for link in found.values():
            if already_recorded(link, step, value):
                continue  # the one rule of bulk recording: what is already so is skipped
            try:
                change = step_record(step=step, actor=actor, link_id=link.pk, value=value, on=on, note=note)
            except StepRefused as refusal:
                refusals.append(f"{link.attorney.name} in {link.court.court_id}: {' '.join(refusal.messages)}")
                continue
            if change is not None:
                changes.append(change)
        if refusals:
            raise StepRefused(["Nothing was recorded:", *refusals])
    return changes


def awaiting_verification():
    """History entries a person must still check: an attorney's own confirmations, and every link
    whose two names differ beyond a middle initial; neither verified nor corrected yet."""
    return StepChange.objects.filter(verification__isnull=True, corrections__isnull=True, corrects__isnull=True).filter(
        Q(source=StepSource.ATTORNEY, step__in=SELF_SERVICE_STEPS) | Q(step=Step.LINKED, link__names_differ=True)
    )


# What an attorney may confirm themselves (self-service), all checked by staff afterwards.
SELF_SERVICE_STEPS = (Step.PACER_ACCOUNT, Step.CMECF_LOGIN_KNOWN, Step.LINKED, Step.FILING_MENUS, Step.REGISTERED)


def attorney_confirmation_verify(*, change_id: int, actor: Actor):
    """Staff mark an entry as checked (an attorney's confirmation, a link whose names differ);
    recorded in history too. Verifying it again changes nothing."""
    return entries_verify(change_ids=[change_id], actor=actor)[0]


def entries_verify(*, change_ids: list[int], actor: Actor) -> list[Verification]:
    """Verify many entries at once, all or nothing."""
    with transaction.atomic():
        changes = list(
            StepChange.objects.select_for_update(of=("self",))
            .select_related("attorney", "court", "link")
            .filter(pk__in=change_ids)
            .order_by("pk")
        )
        if len(changes) != len(set(change_ids)):
            raise StepRefused("Some of the selected entries no longer exist; nothing was verified.")
        waiting = set(awaiting_verification().filter(pk__in=change_ids).values_list("pk", flat=True))
        verifications = []
        for change in changes:
            if hasattr(change, "verification"):
                verifications.append(change.verification)
                continue
            if change.pk not in waiting:
                raise StepRefused(f"Entry #{change.pk} does not need verifying; nothing was verified.")
            verifications.append(Verification.objects.create(change=change, verified_by=actor.user))
            history_add(
                actor=actor,
                step=Step.VERIFIED,
                old=None,
                new=f"{change.get_step_display()} {change.new_value}".strip(),
                note=f"Verified entry #{change.pk}",
                attorney=change.attorney,
                court=change.court,
                link=change.link,
            )
    return verifications
