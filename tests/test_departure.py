"""An attorney leaving the firm: one checklist across every court they file in and the campaigns."""

import datetime

import pytest
from django.test import override_settings
from django.urls import reverse

from attorneys.models import StepChange
from campaigns import departure, services
from campaigns.mfa import CAMPAIGN as MFA
from campaigns.models import Progress
from core import clock
from core.audit import Actor
from core.exceptions import StepRefused
from tests.factories import AttorneyFactory, CourtFactory, CourtLinkFactory, UserFactory

pytestmark = pytest.mark.django_db

REAL_DATE = datetime.date(2026, 12, 3)


@pytest.fixture
def leaver():
    ann = AttorneyFactory(name="Ann Leaving", email="ann@firm.example")
    for court_id in ("zzb", "zza", "zzc"):
        CourtLinkFactory(attorney=ann, court=CourtFactory(court_id=court_id, name=f"Court {court_id}"))
    CourtLinkFactory(attorney=ann, court=CourtFactory(court_id="zzd"), efiling_account=False)  # no account there
    return ann


@pytest.fixture
def staff():
    return UserFactory(username="clerk", role="staff", first_name="Pat", last_name="Clerk")


@override_settings(FIRMLINK_AS_OF=REAL_DATE)
def test_the_checklist_lists_every_court_with_an_account_and_who_she_holds_an_authenticator_for(client, leaver, staff):
    ben = AttorneyFactory(name="Ben Partner")
    CourtLinkFactory(attorney=ben)
    actor = Actor.for_user(staff)
    with clock.pinned(REAL_DATE):
        services.progress_record(
            campaign=MFA, attorney_id=ben.pk, step="holders", actor=actor, value="Ben Partner; ann leaving"
        )
    client.force_login(staff)
    page = client.get(reverse("attorney-detail", args=[leaver.pk])).content.decode()
    assert reverse("attorney-departure", args=[leaver.pk]) in page
    response = client.get(reverse("attorney-departure", args=[leaver.pk]))
    page = response.content.decode()
    assert [c for c in ("zza", "zzb", "zzc", "zzd") if f'data-court="{c}"' in page] == ["zza", "zzb", "zzc"]
    assert "0 of 10 done" in page  # once in PACER, three per court
    assert "authenticator holder for 1 attorney" in page and "Ben Partner" in page


@override_settings(FIRMLINK_AS_OF=REAL_DATE)
def test_each_item_is_recorded_like_any_step_with_the_court_in_the_history(client, leaver, staff):
    client.force_login(staff)
    url = reverse("attorney-departure", args=[leaver.pk])
    response = client.post(
        url, {"step": "open_cases", "court": "zzb", "value": "filed", "on": "2026-12-02"}, follow=True
    )
    page = response.content.decode()
    assert "Recorded “Open cases: notices of change or withdrawal” in zzb." in page
    assert "1 of 10 done" in page
    row = Progress.objects.get(campaign="departure", attorney=leaver, court__court_id="zzb")
    assert (row.step, row.value, row.done_on) == ("open_cases", "filed", datetime.date(2026, 12, 2))
    change = StepChange.objects.get(campaign="departure")
    assert (change.court.court_id, change.actor, change.new_value) == (
        "zzb",
        "Pat Clerk",
        "A notice filed in every open case (2026-12-02)",
    )
    # Again: nothing changes.
    response = client.post(
        url, {"step": "open_cases", "court": "zzb", "value": "filed", "on": "2026-12-02"}, follow=True
    )
    assert "was already so" in response.content.decode()
    assert StepChange.objects.filter(campaign="departure").count() == 1
    # Once in PACER, and the remaining items of every court: complete.
    client.post(url, {"step": "contact_updated"})
    for court_id in ("zza", "zzb", "zzc"):
        client.post(url, {"step": "open_cases", "court": court_id, "value": "none_open"})
        client.post(url, {"step": "secondary_removed", "court": court_id})
        client.post(url, {"step": "agents_unlinked", "court": court_id})
    checklist = departure.checklist(leaver)
    assert checklist.complete and checklist.done == 10


@override_settings(FIRMLINK_AS_OF=REAL_DATE)
def test_refusals_name_what_is_wrong_and_record_nothing(client, leaver, staff):
    actor = Actor.for_user(staff)
    with pytest.raises(StepRefused, match="no e-filing account in zzd"):
        departure.departure_record(attorney_id=leaver.pk, step="secondary_removed", court_id="zzd", actor=actor)
    with pytest.raises(StepRefused, match="is not one of"):
        departure.departure_record(attorney_id=leaver.pk, step="open_cases", court_id="zza", value="maybe", actor=actor)
    with pytest.raises(StepRefused, match="in the future"):
        departure.departure_record(
            attorney_id=leaver.pk, step="agents_unlinked", court_id="zza", on=datetime.date(2027, 1, 1), actor=actor
        )
    with pytest.raises(StepRefused, match="never stores"):
        departure.departure_record(
            attorney_id=leaver.pk, step="contact_updated", actor=actor, note="her PACER password is Winter2021!"
        )
    assert not Progress.objects.filter(campaign="departure").exists()
    assert not StepChange.objects.filter(campaign="departure").exists()
    client.force_login(UserFactory(username="auditor", role="compliance"))
    url = reverse("attorney-departure", args=[leaver.pk])
    assert client.get(url).status_code == 200  # compliance reads it
    assert client.post(url, {"step": "contact_updated"}).status_code == 403  # but records nothing


@override_settings(FIRMLINK_AS_OF=REAL_DATE)
def test_the_checklist_page_runs_a_bounded_number_of_queries(client, leaver, staff, django_assert_max_num_queries):
    for n in range(30):
        CourtLinkFactory(attorney=leaver, court=CourtFactory(court_id=f"zq{n:02d}"))
    client.force_login(staff)
    with django_assert_max_num_queries(10):
        assert client.get(reverse("attorney-departure", args=[leaver.pk])).status_code == 200
