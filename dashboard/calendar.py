"""iCalendar (RFC 5545) feeds of go-live dates: one per attorney, one for the whole firm."""

import datetime

from django.conf import settings
from icalendar import Calendar, Event

from attorneys.models import CourtLink
from core import clock
from courts.models import Court


def _calendar(name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", "-//Firmlink//NextGen CM/ECF go-live dates//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", settings.FIRM_TIME_ZONE)
    return calendar


def _event(*, uid: str, court, summary: str, description: str, stamp: datetime.datetime) -> Event:
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("dtstart", court.nextgen_go_live)  # an all-day event: a DATE value
    event.add("dtend", court.nextgen_go_live + datetime.timedelta(days=1))
    event.add("summary", summary)
    event.add("description", description)
    event.add("url", court.ecf_url)
    event.add("transp", "TRANSPARENT")
    return event


def attorney_calendar(attorney) -> bytes:
    """The go-live dates of every court where the attorney has an e-filing account."""
    stamp = clock.now().astimezone(datetime.UTC)
    calendar = _calendar(f"NextGen go-live dates: {attorney.name}")
    links = (
        CourtLink.objects.filter(attorney=attorney, efiling_account=True, court__nextgen_go_live__isnull=False)
        .select_related("court")
        .order_by("court__nextgen_go_live", "court__court_id")
    )
    for link in links:
        court = link.court
        what = (
            "Request e-filing access through your upgraded PACER account (you are new to this court)."
            if link.new_to_court
            else "From this day, link your old CM/ECF account to your upgraded PACER account: Utilities -> "
            "'Link a CM/ECF account to my PACER account'. Until then you cannot e-file in this court."
        )
        calendar.add_component(
            _event(
                uid=f"golive-{court.court_id}-attorney-{attorney.pk}@firmlink",
                court=court,
                summary=f"{court.court_id} moves to NextGen CM/ECF",
                description=f"{court.name}. {what} CM/ECF: {court.ecf_url}",
                stamp=stamp,
            )
        )
    return calendar.to_ical()


def firm_calendar() -> bytes:
    """The go-live dates of every court where the firm has an active e-filer."""
    stamp = clock.now().astimezone(datetime.UTC)
    calendar = _calendar(f"NextGen go-live dates: {settings.FIRMLINK_FIRM_NAME}")
    courts = (
        Court.objects.filter(
            nextgen_go_live__isnull=False, links__efiling_account=True, links__attorney__is_active=True
        )
        .distinct()
        .order_by("nextgen_go_live", "court_id")
    )
    for court in courts:
        calendar.add_component(
            _event(
                uid=f"golive-{court.court_id}-firm@firmlink",
                court=court,
                summary=f"{court.court_id} moves to NextGen CM/ECF",
                description=f"{court.name}: every e-filer must link their CM/ECF account to an upgraded PACER "
                f"account from this day. CM/ECF: {court.ecf_url}",
                stamp=stamp,
            )
        )
    return calendar.to_ical()
