"""When a reminder is due: pure date arithmetic, no database.

For one pair the schedule is: ``before-N`` for each N of FIRMLINK_REMINDER_DAYS_BEFORE,
``go-live`` on the day, then ``after-K`` every FIRMLINK_REMINDER_EVERY_DAYS_AFTER days (only
the ``after-K`` ones, from the bound, for a court known only to be on NextGen by a date). On
any day only the latest occasion already reached counts: after an outage the next run
sends that one, never the backlog of those it missed.
"""

import dataclasses
import datetime

from .models import OccasionKind


@dataclasses.dataclass(frozen=True)
class Occasion:
    kind: str
    days: int
    due_on: datetime.date

    @property
    def key(self) -> str:
        if self.kind == OccasionKind.GO_LIVE:
            return "go-live"
        return f"{self.kind}-{self.days}"


def current_occasion(
    go_live: datetime.date | None,
    live_by: datetime.date | None,
    today: datetime.date,
    *,
    days_before: list[int],
    every_after: int,
) -> Occasion | None:
    """The latest occasion of the schedule on or before ``today``, or None before the first.

    Without a go-live date, a court known to be on NextGen by ``live_by`` has no "before" and no
    "go-live day" occasions (nobody knows when they were): only ``after-K`` ones, counted from
    the bound, so that an attorney blocked there is still reminded.
    """
    if go_live is None:
        if live_by is None or live_by > today:
            return None
        since = (today - live_by).days
        days = since - since % every_after if every_after > 0 else 0
        return Occasion(OccasionKind.AFTER, days, live_by + datetime.timedelta(days=days))
    until = (go_live - today).days
    if until > 0:
        reached = [n for n in days_before if n >= until]
        if not reached:
            return None
        days = min(reached)
        return Occasion(OccasionKind.BEFORE, days, go_live - datetime.timedelta(days=days))
    since = -until
    if every_after <= 0 or since < every_after:
        return Occasion(OccasionKind.GO_LIVE, 0, go_live)
    days = since - since % every_after
    return Occasion(OccasionKind.AFTER, days, go_live + datetime.timedelta(days=days))
