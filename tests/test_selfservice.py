"""The signed links of the reminder emails: the attorney's own checklist and calendars."""

import datetime

import pytest
import time_machine
from django.test import override_settings
from django.urls import reverse
from icalendar import Calendar

from attorneys import tokens
from attorneys.choices import Step
from attorneys.models import CourtLink, StepChange, Verification
from tests.factories import AttorneyFactory, CourtFactory, CourtLinkFactory, UserFactory
from tests.payloads import self_service_link

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def as_of(pinned_date):
    return pinned_date


@pytest.fixture
def una():
    attorney = AttorneyFactory(name="Una Attorney", email="una@firm.example", pacer_account="legacy")
    live = CourtLinkFactory(
        attorney=attorney, court=CourtFactory(court_id="zzlive", nextgen_go_live=datetime.date(2021, 2, 16))
    )
    later = CourtLinkFactory(
        attorney=attorney, court=CourtFactory(court_id="zzlater", nextgen_go_live=datetime.date(2021, 7, 6))
    )
    CourtLinkFactory(attorney=attorney, court=CourtFactory(court_id="zznone", nextgen_go_live=None))
    return {"attorney": attorney, "live": live, "later": later}


def url(attorney):
    return reverse("self-service", args=[tokens.make(attorney)])


def test_the_link_opens_the_attorneys_own_checklist_without_login(client, una):
    response = client.get(url(una["attorney"]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Una Attorney" in page and "zzlive" in page and "upgrade your legacy PACER account" in page
    assert 'type="password"' not in page and 'name="password' not in page


def test_confirmations_are_recorded_as_made_by_the_attorney_and_rules_still_apply(client, una):
    link_url = url(una["attorney"])
    client.post(link_url, {"what": "pacer_upgraded"})
    client.post(link_url, {"what": "cmecf_login_known", "link": una["live"].pk})
    response = client.post(
        link_url,
        self_service_link(una["later"], name="Una Attorney"),
        follow=True,
    )
    assert "goes live on NextGen on 2021-07-06" in response.content.decode()  # refused: not live yet
    client.post(
        link_url,
        self_service_link(una["live"], name="Una Attorney"),
    )
    response = client.post(link_url, {"what": "filing_menus", "link": una["live"].pk, "on": "2021-06-14"}, follow=True)
    assert "is recorded" in response.content.decode()
    assert CourtLink.objects.get(pk=una["live"].pk).status() == "complete"
    changes = StepChange.objects.filter(attorney=una["attorney"])
    assert set(changes.values_list("step", flat=True)) == {
        "pacer_account",
        "cmecf_login_known",
        "linked",
        "filing_menus",
    }
    assert set(changes.values_list("source", flat=True)) == {"attorney"}
    assert set(changes.values_list("actor", flat=True)) == {"Una Attorney (self-service)"}
    assert not changes.filter(changed_by__isnull=False).exists()


def test_one_attorneys_link_cannot_touch_another_attorneys_court(client, una):
    other = CourtLinkFactory(court=CourtFactory(nextgen_go_live=datetime.date(2021, 1, 4)))
    response = client.post(url(una["attorney"]), {"what": "cmecf_login_known", "link": other.pk})
    assert response.status_code == 404
    assert not CourtLink.objects.get(pk=other.pk).cmecf_login_known


@pytest.mark.parametrize(
    "mangle", [lambda t: t[:-2] + ("AA" if not t.endswith("AA") else "BB"), lambda t: "x" + t, lambda t: "nonsense"]
)
def test_a_tampered_link_gets_a_clear_page(client, una, mangle):
    response = client.get(reverse("self-service", args=[mangle(tokens.make(una["attorney"]))]))
    assert response.status_code == 403
    assert "This link is not valid" in response.content.decode()
    assert client.post(reverse("self-service", args=["nonsense"]), {"what": "pacer_upgraded"}).status_code == 403
    assert not StepChange.objects.exists()


def test_a_calendar_token_is_not_a_checklist_token(client, una):
    response = client.get(reverse("self-service", args=[tokens.make(una["attorney"], tokens.CALENDAR)]))
    assert response.status_code == 403


@override_settings(FIRMLINK_SELF_SERVICE_DAYS=30)
def test_an_expired_link_gets_a_clear_page(client, una):
    with time_machine.travel(datetime.datetime(2026, 1, 1, 12, tzinfo=datetime.UTC)):
        token = tokens.make(una["attorney"])
    with time_machine.travel(datetime.datetime(2026, 1, 30, 12, tzinfo=datetime.UTC)):
        assert client.get(reverse("self-service", args=[token])).status_code == 200
    with time_machine.travel(datetime.datetime(2026, 2, 1, 12, tzinfo=datetime.UTC)):
        response = client.get(reverse("self-service", args=[token]))
    assert response.status_code == 410
    assert "This link has expired" in response.content.decode()


def test_staff_verify_an_attorneys_confirmation(client, una):
    client.post(url(una["attorney"]), {"what": "cmecf_login_known", "link": una["live"].pk})
    change = StepChange.objects.get(step=Step.CMECF_LOGIN_KNOWN)
    staff = UserFactory(username="verifier", role="staff")
    client.force_login(staff)
    page = client.get(reverse("attorney-detail", args=[una["attorney"].pk])).content.decode()
    assert 'data-testid="to-verify"' in page
    response = client.post(reverse("attorney-verify", args=[una["attorney"].pk]), {"change": change.pk})
    assert response.status_code == 302
    assert Verification.objects.get(change=change).verified_by == staff
    assert StepChange.objects.filter(step=Step.VERIFIED, changed_by=staff).count() == 1
    page = client.get(reverse("attorney-detail", args=[una["attorney"].pk])).content.decode()
    assert 'data-testid="to-verify"' not in page and "verified by" in page


def test_compliance_cannot_verify(client, una):
    client.post(url(una["attorney"]), {"what": "cmecf_login_known", "link": una["live"].pk})
    client.force_login(UserFactory(username="comp", role="compliance"))
    change = StepChange.objects.get()
    assert client.post(reverse("attorney-verify", args=[una["attorney"].pk]), {"change": change.pk}).status_code == 403
    assert not Verification.objects.exists()


def test_the_attorney_calendar_parses_with_the_go_live_dates(client, una):
    response = client.get(reverse("attorney-calendar", args=[tokens.make(una["attorney"], tokens.CALENDAR)]))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    events = {str(e["summary"]): e for e in calendar.walk("VEVENT")}
    assert set(events) == {"zzlive moves to NextGen CM/ECF", "zzlater moves to NextGen CM/ECF"}
    event = events["zzlater moves to NextGen CM/ECF"]
    assert event.decoded("dtstart") == datetime.date(2021, 7, 6)
    assert event.decoded("dtend") == datetime.date(2021, 7, 7)
    assert str(event["uid"]).startswith("golive-zzlater-attorney-")
    assert "Link a CM/ECF account to my PACER account" in str(event["description"])
    assert calendar["version"] == "2.0" and "PRODID" in calendar


def test_the_firm_calendar(client, una):
    response = client.get(reverse("firm-calendar", args=[tokens.firm_calendar_token()]))
    calendar = Calendar.from_ical(response.content)
    assert sorted(e.decoded("dtstart") for e in calendar.walk("VEVENT")) == [
        datetime.date(2021, 2, 16),
        datetime.date(2021, 7, 6),
    ]
    assert client.get(reverse("firm-calendar", args=["forged"])).status_code == 403
