"""The roster's records: attorneys and the courts each one files in, one at a time or in bulk.

The dashboard and the admin change one record at a time (row locked, model validation);
the roster import changes thousands at once through the bulk forms here. Both go through the
same field-to-step table and the same rules (``steps.check_toggle``,
``steps.check_pacer_account``), and both write the history through ``history``.
"""

from django.db import transaction

from core import clock
from core.audit import Actor
from core.signals import person_left

from ..choices import STEP_OF_ATTORNEY_FIELD, STEP_OF_LINK_FIELD, Step
from ..models import Attorney, CourtLink, StepChange
from .history import history_add, history_add_many, history_row
from .steps import check_pacer_account, check_toggle, step_record

BULK_SIZE = 1000


# ---------------------------------------------------------------------------------- attorneys


def attorney_create(*, actor: Actor, note: str = "", **fields) -> Attorney:
    """Add an attorney to the roster, with a history row."""
    attorney = Attorney(**fields)
    attorney.full_clean()
    with transaction.atomic():
        return attorneys_add(actor=actor, note=note, attorneys=[attorney])[0]


def attorneys_add(*, actor: Actor, note: str, attorneys: list[Attorney]) -> list[Attorney]:
    """Save new attorneys, each with its "attorney added" history row, in a few statements."""
    created = Attorney.objects.bulk_create(attorneys, batch_size=BULK_SIZE)
    history_add_many(
        [
            history_row(actor=actor, step=Step.ATTORNEY_ADDED, old=None, new=a.email, note=note, attorney=a)
            for a in created
        ]
    )
    return created


def attorney_update(*, attorney_id: int, actor: Actor, note: str = "", **fields) -> list[StepChange]:
    """Change roster details and PACER-level steps of an attorney; one history row per change."""
    unknown = set(fields) - set(STEP_OF_ATTORNEY_FIELD)
    if unknown:
        raise ValueError(f"not an attorney detail: {', '.join(sorted(unknown))}")
    changes = []
    with transaction.atomic():
        for field in ("pacer_account", "pacer_individual"):
            if field in fields:
                step = STEP_OF_ATTORNEY_FIELD[field]
                change = step_record(
                    step=step, actor=actor, attorney_id=attorney_id, value=fields.pop(field), note=note
                )
                if change is not None:
                    changes.append(change)
        attorney = Attorney.objects.select_for_update().get(pk=attorney_id)
        changed = [(attorney, f, getattr(attorney, f), v) for f, v in fields.items() if getattr(attorney, f) != v]
        if changed:
            for _, field, _, new in changed:
                setattr(attorney, field, new)
            attorney.full_clean()
            attorney.save(update_fields=[*(field for _, field, _, _ in changed), "updated_at"])
            changes.extend(_attorney_history(actor, note, changed))
            if any(field == "is_active" and old and not new for _, field, old, new in changed):
                person_left.send(sender=attorney_update, name=attorney.name, actor=actor, on=clock.today())
    return changes


def attorneys_change(*, actor: Actor, note: str, changes: list[tuple[Attorney, str, object]]) -> list[StepChange]:
    """Set fields of many attorneys, each change ``(attorney, field, new value)``, in a few statements."""
    done = []
    for attorney, field, new in changes:
        if field == "pacer_account":
            check_pacer_account(new)
        done.append((attorney, field, getattr(attorney, field), new))
        setattr(attorney, field, new)
    if done:
        Attorney.objects.bulk_update(
            list({a.pk: a for a, _, _, _ in done}.values()), sorted({f for _, f, _, _ in done}), batch_size=BULK_SIZE
        )
    return _attorney_history(actor, note, done)


def _attorney_history(actor: Actor, note: str, changes) -> list[StepChange]:
    return history_add_many(
        [
            history_row(actor=actor, step=STEP_OF_ATTORNEY_FIELD[field], old=old, new=new, note=note, attorney=a)
            for a, field, old, new in changes
        ]
    )


# -------------------------------------------------------------------------------------- pairs


def link_create(
    *,
    attorney: Attorney,
    court,
    actor: Actor,
    efiling_account: bool = True,
    new_to_court: bool = False,
    cmecf_login_known: bool = False,
    note: str = "",
) -> CourtLink:
    """Add a court to an attorney's list, with a history row."""
    link = CourtLink(
        attorney=attorney,
        court=court,
        efiling_account=efiling_account,
        new_to_court=new_to_court,
        cmecf_login_known=cmecf_login_known,
    )
    with transaction.atomic():
        return links_add(actor=actor, note=note, links=[link])[0]


def links_add(*, actor: Actor, note: str, links: list[CourtLink]) -> list[CourtLink]:
    """Save new attorney-court pairs, each with its "court added" history row."""
    created = CourtLink.objects.bulk_create(links, batch_size=BULK_SIZE)
    history_add_many(
        [
            history_row(
                actor=actor,
                step=Step.COURT_ADDED,
                old=None,
                new=_kind(link),
                note=note,
                attorney=link.attorney,
                court=link.court,
                link=link,
            )
            for link in created
        ]
    )
    return created


def _kind(link: CourtLink) -> str:
    if not link.efiling_account:
        return "PACER access only"
    return "new filer" if link.new_to_court else "e-filing account"


def links_change(*, actor: Actor, note: str, changes: list[tuple[CourtLink, str, bool]]) -> list[StepChange]:
    """Set yes/no facts of many pairs, each change ``(pair, field, new value)``, under the same
    rules as ``step_record`` (StepRefused names the first pair refused)."""
    history = []
    for link, field, new in changes:
        step = STEP_OF_LINK_FIELD[field]
        check_toggle(link, step)
        old = getattr(link, field)
        setattr(link, field, new)
        history.append(
            history_row(
                actor=actor, step=step, old=old, new=new, note=note, attorney=link.attorney, court=link.court, link=link
            )
        )
    if history:
        CourtLink.objects.bulk_update(
            list({link.pk: link for link, _, _ in changes}.values()),
            sorted({field for _, field, _ in changes}),
            batch_size=BULK_SIZE,
        )
    return history_add_many(history)


def links_revoke(*, actor: Actor, attorney_id: int, note: str = "") -> Attorney:
    """Every checklist and calendar link sent to the attorney stops working (a new reminder
    carries new ones). In the attorney's history."""
    with transaction.atomic():
        attorney = Attorney.objects.select_for_update().get(pk=attorney_id)
        old = attorney.link_generation
        attorney.link_generation = old + 1
        attorney.links_revoked_at = clock.now()
        attorney.save(update_fields=["link_generation", "links_revoked_at", "updated_at"])
        history_add(
            actor=actor,
            step=Step.LINKS_REVOKED,
            old=f"links of generation {old}",
            new=f"generation {old + 1}",
            note=note,
            attorney=attorney,
        )
    return attorney
