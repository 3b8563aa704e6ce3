"""A firm adds its own campaign with a definition module and one setting: pages, table, bulk
recording, export, reminders and roster columns follow from the definition alone."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from campaigns import registry
from campaigns.examples.pacer_contact_review import CAMPAIGN as REVIEW
from campaigns.models import Progress
from core import campaigns as core_campaigns
from tasks.models import Reminder
from tests.factories import AttorneyFactory, CourtFactory, CourtLinkFactory, UserFactory

pytestmark = pytest.mark.django_db

MODULE = "campaigns.examples.pacer_contact_review"
DAY = datetime.date(2027, 1, 24)  # 7 days before the example's review deadline


@pytest.fixture
def firm_campaign():
    with override_settings(FIRMLINK_EXTRA_CAMPAIGNS=[MODULE]):
        registry.register_all()
        yield REVIEW
    core_campaigns._registered.pop(REVIEW.slug, None)


def filer(name, email):
    attorney = AttorneyFactory(name=name, email=email)
    CourtLinkFactory(attorney=attorney, court=CourtFactory(), linked_on=datetime.date(2022, 1, 5))
    return attorney


def test_it_is_not_there_unless_the_firm_names_it():
    assert registry.get(REVIEW.slug) is None


def test_a_module_without_a_definition_is_refused_by_name():
    with (
        override_settings(FIRMLINK_EXTRA_CAMPAIGNS=["campaigns.values"]),
        pytest.raises(ImproperlyConfigured, match="campaigns.values.*has no CAMPAIGN"),
    ):
        registry.register_all()


@override_settings(FIRMLINK_AS_OF=DAY)
def test_a_firms_campaign_gets_pages_bulk_recording_export_and_reminders(client, firm_campaign):
    ann, ben = filer("Ann Filer", "ann@firm.example"), filer("Ben Filer", "ben@firm.example")
    client.force_login(UserFactory(username="clerk", role="staff"))
    listing = client.get(reverse("campaign-list")).content.decode()
    assert "PACER contact review" in listing
    overview = client.get(reverse("campaign-overview", args=[REVIEW.slug])).content.decode()
    assert "Check the account email" in overview

    response = client.post(
        reverse("campaign-bulk", args=[REVIEW.slug]),
        {"step": "contact_email_checked", "on": "2027-01-20", "attorneys": [ann.pk]},
        follow=True,
    )
    assert "Recorded “Account email checked” for 1 attorney(s)." in response.content.decode()
    assert Progress.objects.get(campaign=REVIEW.slug, attorney=ann).done_on == datetime.date(2027, 1, 20)

    export = client.get(reverse("campaign-attorneys", args=[REVIEW.slug]) + "?_export=csv")
    header, *rows = b"".join(export.streaming_content).decode().splitlines()
    assert "contact_email_checked_on" in header.split(",")
    assert sorted(row.split(",")[0] for row in rows) == ["Ann Filer", "Ben Filer"]
    statuses = {row.split(",")[0]: row.split(",")[3] for row in rows}
    assert statuses == {"Ann Filer": "needs_notices", "Ben Filer": "needs_check"}

    call_command("send_reminders", verbosity=0)
    to_ben = [m for m in mail.outbox if m.to == ["ben@firm.example"]]
    assert len(to_ben) == 1 and "PACER contact review" in to_ben[0].subject
    assert not [m for m in mail.outbox if m.to == ["ann@firm.example"] and "contact review" in m.subject]
    assert Reminder.objects.filter(campaign=REVIEW.slug, attorney=ben, occasion="before-7").exists()
