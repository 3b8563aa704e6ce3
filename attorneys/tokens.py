"""Signed links that act for one attorney without a login: the checklist and the calendar.

A token carries the attorney's id and link generation, signed with SECRET_KEY and a
purpose-specific salt. A token for one purpose is refused for the other. Checklist links
expire after ``FIRMLINK_SELF_SERVICE_DAYS``; calendar links (a calendar application polls
them for months) after ``FIRMLINK_CALENDAR_DAYS``, or never when 0. An administrator revokes
all of one attorney's links at once (``links_revoke``): the generation moves on and every
earlier token is refused. The firm calendar's link is revoked for everyone by raising
``FIRMLINK_FIRM_CALENDAR_VERSION``.
"""

import datetime

from django.conf import settings
from django.core import signing

SELF_SERVICE = "firmlink.attorney.self-service"
CALENDAR = "firmlink.attorney.calendar"
FIRM_CALENDAR = "firmlink.firm.calendar"


class LinkRefused(Exception):
    """Why a link no longer works, said to whoever follows it."""

    reason = "invalid"


class LinkExpired(LinkRefused):
    reason = "expired"


class LinkRevoked(LinkRefused):
    reason = "revoked"


class LinkInvalid(LinkRefused):
    reason = "invalid"


def make(attorney, purpose: str = SELF_SERVICE) -> str:
    return signing.dumps({"a": attorney.pk, "g": attorney.link_generation}, salt=purpose, compress=True)


def _max_age(purpose: str) -> datetime.timedelta | None:
    days = (
        settings.FIRMLINK_CALENDAR_DAYS if purpose in (CALENDAR, FIRM_CALENDAR) else settings.FIRMLINK_SELF_SERVICE_DAYS
    )
    return datetime.timedelta(days=days) if days else None


def _payload(token: str, purpose: str) -> dict:
    try:
        payload = signing.loads(token, salt=purpose, max_age=_max_age(purpose))
    except signing.SignatureExpired as exc:
        raise LinkExpired(str(exc)) from exc
    except signing.BadSignature as exc:
        raise LinkInvalid(str(exc)) from exc
    if not isinstance(payload, dict) or type(payload.get("a")) is not int or type(payload.get("g", 1)) is not int:
        raise LinkInvalid("unexpected payload")
    return payload


def attorney_for(token: str, purpose: str = SELF_SERVICE):
    """The active attorney a valid token stands for; LinkExpired, LinkRevoked or LinkInvalid otherwise."""
    from .models import Attorney

    payload = _payload(token, purpose)
    attorney = Attorney.objects.filter(pk=payload["a"], is_active=True).first()
    if attorney is None:
        raise LinkInvalid("no such active attorney")
    if payload.get("g", 1) != attorney.link_generation:  # links made before this change carry no "g"
        raise LinkRevoked(f"revoked {attorney.links_revoked_at}")
    return attorney


def firm_calendar_token() -> str:
    return signing.dumps({"a": 0, "g": settings.FIRMLINK_FIRM_CALENDAR_VERSION}, salt=FIRM_CALENDAR, compress=True)


def check_firm_calendar(token: str) -> None:
    payload = _payload(token, FIRM_CALENDAR)
    if payload.get("g", 1) != settings.FIRMLINK_FIRM_CALENDAR_VERSION:
        raise LinkRevoked("firm calendar link replaced")


def webcal(url: str) -> str:
    """The subscription form of a calendar address (calendar applications open webcal: links)."""
    return "webcal://" + url.split("://", 1)[-1]
