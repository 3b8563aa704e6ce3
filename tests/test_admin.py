"""Every model is usefully registered in the admin; steps and history are not editable there."""

import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse

from attorneys.choices import Step
from attorneys.models import StepChange
from attorneys.services.steps import step_record
from courts.models import Court
from tests.factories import CourtLinkFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
    return client


@pytest.fixture
def recorded(actor):
    link = CourtLinkFactory()
    step_record(step=Step.CMECF_LOGIN_KNOWN, actor=actor, link_id=link.pk, value=True)
    return link


@pytest.mark.parametrize(
    ("model", "query"),
    [
        ("courts/court", "?q=canb"),
        ("attorneys/attorney", "?q=a"),
        ("attorneys/courtlink", "?q=a"),
        ("attorneys/stepchange", "?step=cmecf_login_known"),
    ],
)
def test_changelists_search_and_filter(admin_client, recorded, model, query):
    response = admin_client.get(f"/admin/{model}/{query}")
    assert response.status_code == 200


def test_change_pages_render(admin_client, recorded):
    for url in (
        reverse("admin:attorneys_attorney_change", args=[recorded.attorney.pk]),
        reverse("admin:attorneys_courtlink_change", args=[recorded.pk]),
        reverse("admin:courts_court_change", args=[recorded.court.pk]),
        reverse("admin:attorneys_stepchange_change", args=[StepChange.objects.get().pk]),
    ):
        assert admin_client.get(url).status_code == 200


def test_history_cannot_be_deleted_in_the_admin(admin_client, recorded):
    change = StepChange.objects.get()
    response = admin_client.post(reverse("admin:attorneys_stepchange_delete", args=[change.pk]), {"post": "yes"})
    assert response.status_code == 403
    assert StepChange.objects.filter(pk=change.pk).exists()


def test_correcting_a_go_live_date_in_the_admin_needs_a_note_and_is_recorded(admin_client):
    court = Court.objects.get(court_id="nysd")
    url = reverse("admin:courts_court_change", args=[court.pk])
    form = {
        "court_id": "nysd",
        "name": court.name,
        "court_type": court.court_type,
        "state": court.state,
        "ecf_url": court.ecf_url,
        "web_url": court.web_url,
        "help_desk_phone": court.help_desk_phone,
        "help_desk_email": "",
        "nextgen_go_live": "2022-09-12",
        "directory_source": court.directory_source,
        "directory_software_version": court.directory_software_version,
        "notes": "",
    }
    response = admin_client.post(url, {**form, "correction_note": ""})
    assert response.status_code == 200
    assert "Say where the corrected go-live date comes from" in response.content.decode()
    response = admin_client.post(url, {**form, "correction_note": "Clerk's notice of 2022-08-01"})
    assert response.status_code == 302
    court.refresh_from_db()
    assert court.nextgen_go_live == datetime.date(2022, 9, 12)
    assert court.go_live_source_kind == "administrator"
    change = StepChange.objects.get(court=court)
    assert (change.step, change.old_value, change.new_value) == ("go_live", "", "2022-09-12")


def test_correcting_a_courts_directory_facts_in_the_admin_is_recorded_and_kept(admin_client, tmp_path):
    court = Court.objects.get(court_id="canb")
    form = {
        "court_id": "canb",
        "name": "Bankruptcy Court, N.D. Cal.",
        "court_type": court.court_type,
        "state": court.state,
        "ecf_url": court.ecf_url,
        "web_url": court.web_url,
        "help_desk_phone": "888-821-7606 (ECF help desk)",
        "help_desk_email": court.help_desk_email,
        "nextgen_go_live": "2021-02-16",
        "directory_software_version": court.directory_software_version,
        "notes": "",
        "correction_note": "",
    }
    response = admin_client.post(reverse("admin:courts_court_change", args=[court.pk]), form)
    assert response.status_code == 302
    court.refresh_from_db()
    assert (court.name, court.directory_source) == ("Bankruptcy Court, N.D. Cal.", "administrator")
    changes = StepChange.objects.filter(court=court, step="court_detail").order_by("note")
    assert [(c.old_value, c.new_value) for c in changes] == [
        ("888-821-7606", "888-821-7606 (ECF help desk)"),
        ("California Northern Bankruptcy Court", "Bankruptcy Court, N.D. Cal."),
    ]
    assert not StepChange.objects.filter(court=court, step="go_live").exists()  # the date did not change
    # A later refresh from PACER's feed keeps what the administrator corrected.
    feed = tmp_path / "data.json"
    feed.write_text(
        '{"meta": {"last_updated": "2027-01-04"}, "data": [{"court_id": "CANBK", "title": "California Northern '
        'Bankruptcy Court", "type": "Bankruptcy", "login_url": "https://ecf.canb.uscourts.gov", '
        '"software_version": "NextGen CM/ECF Release 1.8"}]}'
    )
    call_command("refresh_courts", str(feed), verbosity=0)
    court.refresh_from_db()
    assert court.name == "Bankruptcy Court, N.D. Cal."
