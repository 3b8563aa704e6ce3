"""Firmlink on the real date: every court's NextGen state is true today, with the one live rule.

A court is live on a day if its go-live date is on or before it, or, with no go-live date
known, if its on-NextGen-by bound is. Pages, counts, reminders and the digest follow that rule
and say "on NextGen by" where only a bound is known.
"""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from attorneys.choices import Step
from attorneys.models import CourtLink
from attorneys.services.steps import step_record
from attorneys.status import LinkStatus
from core.exceptions import StepRefused
from courts.models import Court
from tasks.models import Reminder
from tests.factories import AttorneyFactory, CourtLinkFactory, UserFactory

pytestmark = pytest.mark.django_db
REAL_DATE = datetime.date(2026, 12, 3)
BOUND = datetime.date(2022, 11, 27)


@pytest.fixture
def on_the_real_date():
    with override_settings(FIRMLINK_AS_OF=REAL_DATE):
        yield REAL_DATE


def test_no_pair_in_any_shipped_court_awaits_a_go_live_that_is_past(on_the_real_date):
    attorney = AttorneyFactory()
    CourtLink.objects.bulk_create(CourtLink(attorney=attorney, court=court) for court in Court.objects.all())
    statuses = set(CourtLink.objects.with_status().values_list("status", flat=True))
    assert statuses == {LinkStatus.READY_TO_LINK}
    assert CourtLink.objects.cannot_file().count() == 204
    # ... while on the demo date, courts with a date or a bound still ahead await their go-live.
    awaiting = CourtLink.objects.with_status(datetime.date(2021, 6, 14)).filter(status=LinkStatus.AWAITING_GO_LIVE)
    assert 80 < awaiting.count() < 204


@pytest.fixture
def nysd(on_the_real_date):
    """An attorney who never linked in a court known only to be on NextGen by 2022-11-27."""
    court = Court.objects.get(court_id="nysd")
    assert (court.nextgen_go_live, court.live_by) == (None, BOUND)
    attorney = AttorneyFactory(name="Nora Newhire", email="nora@firm.example", user=UserFactory(username="nora"))
    return CourtLinkFactory(attorney=attorney, court=court, cmecf_login_known=True)


def test_pages_say_on_nextgen_by_and_count_days_from_the_bound(client, nysd):
    client.force_login(UserFactory(username="comp", role="compliance"))
    days = (REAL_DATE - BOUND).days  # 1467
    overview = client.get(reverse("overview")).content.decode()
    assert "on NextGen by 2022-11-27" in overview and f"≥{days}" in overview
    links = client.get(reverse("link-list") + "?cannot_file=on").content.decode()
    assert "on NextGen by 2022-11-27" in links and f"≥{days}" in links
    court = client.get(reverse("court-detail", args=["nysd"])).content.decode()
    assert f"not known; on NextGen by 2022-11-27 (live, at least {days} days)" in court
    assert "software_version: NextGen CM/ECF Release 1.6 (Revision 1.6.3)" in court  # the bound's own words
    courts = client.get(reverse("court-list") + "?q=nysd").content.decode()
    assert "On NextGen by (bound)" in courts
    canb = client.get(reverse("court-list") + "?q=canb").content.decode()
    assert "Planned (court notice before the date)" in canb or "Confirmed" in canb
    client.force_login(nysd.attorney.user)
    page = client.get(reverse("attorney-detail", args=[nysd.attorney_id])).content.decode()
    assert f"≥{days}" in page and "days since the on-NextGen-by bound" in page


def test_linking_follows_the_rule_too(nysd, actor):
    with pytest.raises(StepRefused, match="known to be on NextGen only from 2022-11-27"):
        step_record(
            step=Step.LINKED, actor=actor, link_id=nysd.pk, on=datetime.date(2022, 6, 1), cmecf_name="N", pacer_name="N"
        )
    step_record(step=Step.LINKED, actor=actor, link_id=nysd.pk, cmecf_name="Nora Newhire", pacer_name="Nora Newhire")
    assert CourtLink.objects.with_status().get(pk=nysd.pk).status == LinkStatus.LINKED


def test_after_cutover_reminders_apply_from_the_bound_and_the_digest_says_at_least(nysd):
    UserFactory(username="boss", email="boss@firm.example", role="administrator")
    call_command("send_reminders", verbosity=0)
    reminder = Reminder.objects.get(link=nysd)
    assert reminder.kind == "after" and reminder.go_live == BOUND
    to_nora = [m for m in mail.outbox if m.to == ["nora@firm.example"]]
    assert len(to_nora) == 1
    assert "you cannot e-file in nysd" in to_nora[0].subject
    assert "not known; on NextGen since November 27, 2022 at the latest (1467 days or more)" in to_nora[0].body
    digest = next(m for m in mail.outbox if m.to == ["boss@firm.example"])
    assert "on NextGen by 2022-11-27, at least 1467 days ago" in digest.body


def test_no_reminder_before_a_cutover_without_an_exact_date(actor):
    court = Court.objects.get(court_id="nysd")
    CourtLinkFactory(court=court)  # login not known: would get "before" reminders ahead of a dated cutover
    with override_settings(FIRMLINK_AS_OF=BOUND - datetime.timedelta(days=7)):
        call_command("send_reminders", verbosity=0)
    assert not Reminder.objects.exists() and not mail.outbox


def test_the_court_list_filters_by_the_same_rule(client, on_the_real_date):
    client.force_login(UserFactory(username="comp", role="compliance"))

    def shown(query):
        response = client.get(reverse("court-list") + query + "&per_page=250")
        return {row.record.court_id for row in response.context["table"].paginated_rows}

    assert len(shown("?live=true")) == 204 and shown("?live=false") == set()
    with override_settings(FIRMLINK_AS_OF=datetime.date(2021, 6, 14)):
        live, not_live = shown("?live=true"), shown("?live=false")
    assert "canb" in live and "nysd" in not_live and "ctd" in live  # ctd: no date, on NextGen by 2018-05-12
    assert len(live) + len(not_live) == 204
