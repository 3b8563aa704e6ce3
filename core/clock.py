"""The one clock. Every "today" and "now" in Firmlink comes from here.

"Today" is the calendar date in the firm's time zone (``FIRM_TIME_ZONE``), not the server's
and not UTC: a go-live date is a date on the court's notice, and a firm in New York at
11 p.m. on the 15th is still on the 15th. With ``FIRMLINK_AS_OF`` set, the whole
installation runs as of that date (the time of day stays real), for demos and training.
``pinned(day)`` does the same for one block of code (a command run ``--as-of`` a date, the
demo recording each step on the day it happened) without touching settings.
"""

import contextlib
import contextvars
import datetime
import zoneinfo
from collections.abc import Iterator

from django.conf import settings
from django.utils import timezone

_SETTINGS = object()  # no pin: FIRMLINK_AS_OF decides
_pinned: contextvars.ContextVar = contextvars.ContextVar("firmlink_as_of", default=_SETTINGS)


def firm_zone() -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(settings.FIRM_TIME_ZONE)


def as_of() -> datetime.date | None:
    """The date the installation pretends it is, or None for real time."""
    pinned_day = _pinned.get()
    return settings.FIRMLINK_AS_OF if pinned_day is _SETTINGS else pinned_day


@contextlib.contextmanager
def pinned(day: datetime.date | None) -> Iterator[datetime.date | None]:
    """Run the block as of ``day`` (None: the real date), in this thread or task only."""
    token = _pinned.set(day)
    try:
        yield day
    finally:
        _pinned.reset(token)


def now() -> datetime.datetime:
    """An aware datetime in the firm's zone (shifted onto the as-of date when one is set)."""
    real = timezone.now().astimezone(firm_zone())
    day = as_of()
    if day is None:
        return real
    return datetime.datetime.combine(day, real.timetz()).replace(tzinfo=firm_zone())


def today() -> datetime.date:
    return now().date()
