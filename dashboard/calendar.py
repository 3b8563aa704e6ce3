"""iCalendar (RFC 5545) feeds of go-live dates: one per attorney, one for the whole firm.

The icalendar library escapes text (commas, semicolons, line breaks) and folds long lines.
Each event's UID stays the same for a court; SEQUENCE counts the go-live corrections and
LAST-MODIFIED dates the latest, so a calendar replaces the old event with the corrected one.
Dates outside core.dates' sane range (which the forms refuse) are left out, never a 500.
"""

import datetime
import re

from django.conf import settings
from django.db.models import Count, DateTimeField, IntegerField, Max, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from icalendar import Calendar, Event

from attorneys.choices import Step
from attorneys.models import CourtLink, StepChange
from core import clock
from core.dates import EARLIEST, LATEST
from courts.models import Court


def _corrections(court_ref: str) -> dict:
    """Annotations: how often the court's go-live date was set or corrected, and when last."""
    rows = StepChange.objects.filter(court_id=OuterRef(court_ref), step=Step.GO_LIVE).order_by().values("court_id")
    return {
        "go_live_revisions": Coalesce(
            Subquery(rows.annotate(n=Count("pk")).values("n")[:1], output_field=IntegerField()), Value(0)
        ),
        "go_live_changed_at": Subquery(
            rows.annotate(last=Max("changed_at")).values("last")[:1], output_field=DateTimeField()
        ),
    }


CONTROL = re.compile(r"[\x00-\x1f\x7f]+")


def one_line(text: str) -> str:
    """Text for a calendar property: control characters and line breaks become spaces (some
    properties, X-WR-CALNAME among them, are not escaped by the library, and a name pasted from
    a spreadsheet cell can hold a line break)."""
    return " ".join(CONTROL.sub(" ", text).split())


def _in_range(day: datetime.date | None) -> bool:
    return day is not None and EARLIEST <= day <= LATEST


def _calendar(name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", "-//Firmlink//NextGen CM/ECF go-live dates//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", one_line(name))
    calendar.add("x-wr-timezone", settings.FIRM_TIME_ZONE)
    return calendar


def _event(
    *, uid: str, court, summary: str, description: str, stamp: datetime.datetime, revisions: int, changed_at
) -> Event:
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("sequence", revisions)
    if changed_at is not None:  # dated by the firm's clock, as the history is
        event.add("last-modified", changed_at.astimezone(datetime.UTC))
    event.add("dtstart", court.nextgen_go_live)  # an all-day event: a DATE value
    event.add("dtend", court.nextgen_go_live + datetime.timedelta(days=1))
    event.add("summary", one_line(summary))
    event.add("description", one_line(description))
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
        .annotate(**_corrections("court_id"))
        .order_by("court__nextgen_go_live", "court__court_id")
    )
    for link in links:
        court = link.court
        if not _in_range(court.nextgen_go_live):
            continue
        what = (
            "Request e-filing access through your upgraded PACER account (you are new to this court)."
            if link.new_to_court
            else "From this day, link your old CM/ECF account to your upgraded PACER account: Utilities -> "
            "'Link a CM/ECF account to my PACER account'. Until then you cannot e-file in this court."
        )
        calendar.add_component(
            _event(
                uid=f"golive-{court.court_id}-attorney-{attorney.pk}@firmlink",  # as before: kept stable
                court=court,
                summary=f"{court.court_id} moves to NextGen CM/ECF",
                description=f"{court.name}. {what} CM/ECF: {court.ecf_url}",
                stamp=stamp,
                revisions=link.go_live_revisions,
                changed_at=link.go_live_changed_at,
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
        .annotate(**_corrections("pk"))
        .order_by("nextgen_go_live", "court_id")
    )
    for court in courts:
        if not _in_range(court.nextgen_go_live):
            continue
        calendar.add_component(
            _event(
                uid=f"golive-{court.court_id}-firm@firmlink",
                court=court,
                summary=f"{court.court_id} moves to NextGen CM/ECF",
                description=f"{court.name}: every e-filer must link their CM/ECF account to an upgraded PACER "
                f"account from this day. CM/ECF: {court.ecf_url}",
                stamp=stamp,
                revisions=court.go_live_revisions,
                changed_at=court.go_live_changed_at,
            )
        )
    return calendar.to_ical()


REFUSED = {
    "expired": "Your Firmlink calendar link has expired",
    "revoked": "Your Firmlink calendar link was revoked",
    "invalid": "This Firmlink calendar link is not valid",
}


def refused_calendar(reason: str) -> bytes:
    """What a calendar application gets for a link that no longer works: one event today saying
    so and where a new link comes from (the next reminder email, or the firm's administrator)."""
    stamp = clock.now().astimezone(datetime.UTC)
    today = clock.today()
    calendar = _calendar("Firmlink: calendar link no longer valid")
    event = Event()
    event.add("uid", f"firmlink-link-{reason}-{today.isoformat()}@{settings.FIRMLINK_MAIL_DOMAIN}")
    event.add("dtstamp", stamp)
    event.add("dtstart", today)
    event.add("dtend", today + datetime.timedelta(days=1))
    event.add("summary", REFUSED.get(reason, REFUSED["invalid"]))
    event.add(
        "description",
        "Go-live dates are no longer updated in this calendar. Subscribe again with the calendar link in your "
        "latest Firmlink reminder email, or ask your firm's Firmlink administrator for one.",
    )
    event.add("transp", "TRANSPARENT")
    calendar.add_component(event)
    return calendar.to_ical()
