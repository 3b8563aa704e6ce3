"""The one clock. Every "today" and "now" in Firmlink comes from here.

"Today" is the calendar date in the firm's time zone (``FIRM_TIME_ZONE``), not the server's
and not UTC: a go-live date is a date on the court's notice, and a firm in New York at
11 p.m. on the 15th is still on the 15th. With ``FIRMLINK_AS_OF`` set, the whole
installation runs as of that date (the time of day stays real), for demos and training.
"""

import datetime
import zoneinfo

from django.conf import settings
from django.utils import timezone


def firm_zone() -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(settings.FIRM_TIME_ZONE)


def as_of() -> datetime.date | None:
    """The date the installation pretends it is, or None for real time."""
    return settings.FIRMLINK_AS_OF


def now() -> datetime.datetime:
    """An aware datetime in the firm's zone (shifted onto the as-of date when one is set)."""
    real = timezone.now().astimezone(firm_zone())
    pinned = as_of()
    if pinned is None:
        return real
    return datetime.datetime.combine(pinned, real.timetz()).replace(tzinfo=firm_zone())


def today() -> datetime.date:
    return now().date()
