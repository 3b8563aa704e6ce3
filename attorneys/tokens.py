"""Signed links that act for one attorney without a login: the checklist and the calendar.

A token carries only the attorney's id, signed with SECRET_KEY and a purpose-specific salt,
and expires (``FIRMLINK_SELF_SERVICE_DAYS``, ``FIRMLINK_CALENDAR_DAYS``). A token for one
purpose is refused for the other.
"""

import datetime

from django.conf import settings
from django.core import signing

SELF_SERVICE = "firmlink.attorney.self-service"
CALENDAR = "firmlink.attorney.calendar"
FIRM_CALENDAR = "firmlink.firm.calendar"


class LinkExpired(Exception):
    pass


class LinkInvalid(Exception):
    pass


def make(attorney_id: int, purpose: str = SELF_SERVICE) -> str:
    return signing.dumps({"a": attorney_id}, salt=purpose, compress=True)


def read(token: str, purpose: str = SELF_SERVICE) -> int:
    """The attorney id a valid token stands for; LinkExpired or LinkInvalid otherwise."""
    days = (
        settings.FIRMLINK_CALENDAR_DAYS if purpose in (CALENDAR, FIRM_CALENDAR) else settings.FIRMLINK_SELF_SERVICE_DAYS
    )
    try:
        payload = signing.loads(token, salt=purpose, max_age=datetime.timedelta(days=days))
    except signing.SignatureExpired as exc:
        raise LinkExpired(str(exc)) from exc
    except signing.BadSignature as exc:
        raise LinkInvalid(str(exc)) from exc
    if not isinstance(payload, dict) or not isinstance(payload.get("a"), int):
        raise LinkInvalid("unexpected payload")
    return payload["a"]


def firm_calendar_token() -> str:
    return signing.dumps({"a": 0}, salt=FIRM_CALENDAR, compress=True)
