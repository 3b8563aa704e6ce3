"""The one writer of the append-only history: every change of every kind goes through here."""

from core import clock
from core.audit import Actor, display_value
from core.exceptions import StepRefused
from core.secrets import MESSAGE, SECRET_MESSAGE, looks_like_credential, looks_like_setup_key

from ..models import StepChange

BULK_SIZE = 2000


def history_row(
    *, actor: Actor, step: str, old, new, note: str = "", when=None, campaign: str = "", **where
) -> StepChange:
    """An unsaved history row; ``where`` is ``attorney``, ``court`` and/or ``link``. A note that looks
    like it carries a password or an authenticator's key is refused (the history is forever: nothing secret gets in)."""
    if looks_like_credential(note):
        raise StepRefused(MESSAGE)
    if looks_like_setup_key(note):
        raise StepRefused(SECRET_MESSAGE)
    return StepChange(
        changed_at=when or clock.now(),
        changed_by=actor.user,
        actor=actor.label[:200],
        source=actor.source,
        campaign=campaign,
        step=step,
        old_value=display_value(old)[:255],
        new_value=display_value(new)[:255],
        note=note,
        **where,
    )


def history_add(
    *, actor: Actor, step: str, old, new, note: str = "", when=None, campaign: str = "", **where
) -> StepChange:
    row = history_row(actor=actor, step=step, old=old, new=new, note=note, when=when, campaign=campaign, **where)
    row.save()
    return row


def history_add_many(rows: list[StepChange]) -> list[StepChange]:
    """Save rows built by ``history_row`` in a few statements (roster imports, bulk records)."""
    return StepChange.objects.bulk_create(rows, batch_size=BULK_SIZE)
