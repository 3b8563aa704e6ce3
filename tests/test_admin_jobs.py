"""A firm administrator who is not a superuser runs the firm from the dashboard: people, logins,
corrections, verification, history and its export, search; the Django admin where it is the tool."""

import csv
import datetime
import io

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from attorneys.choices import Step
from attorneys.models import Attorney, CourtLink, ExportLog, StepChange, Verification
from attorneys.services.steps import step_record
from core.audit import Actor
from tasks.models import Reminder, ReminderStatus
from tests.dates import AS_OF
from tests.factories import AttorneyFactory, CourtFactory, CourtLinkFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def as_of(pinned_date):
    return pinned_date


@pytest.fixture
def admin(client):
    user = UserFactory(username="office-admin", role="administrator")
    user.is_staff = True
    user.save()
    assert not user.is_superuser
    client.force_login(user)
    return user


@pytest.fixture
def firm():
    live = CourtFactory(court_id="zzlive", nextgen_go_live=datetime.date(2021, 2, 16))
    james = AttorneyFactory(name="James C Alison", email="james@firm.example")
    mary = AttorneyFactory(name="Mary Major", email="mary@firm.example")
    return {
        "court": live,
        "james": james,
        "mary": mary,
        "james_live": CourtLinkFactory(attorney=james, court=live),
        "mary_live": CourtLinkFactory(attorney=mary, court=live),
    }


def rows(response) -> list[dict]:
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(body, newline="")))


# ----------------------------------------------------------------------------------- people


def test_an_administrator_adds_edits_deactivates_and_reactivates_an_attorney(client, admin):
    response = client.post(
        reverse("attorney-new"),
        {"name": "Nora Newhire", "email": "nora@firm.example", "bar_number": "NY1", "pacer_account": "none"},
    )
    nora = Attorney.objects.get(email="nora@firm.example")
    assert response.status_code == 302 and response["Location"] == reverse("attorney-detail", args=[nora.pk])
    assert client.post(reverse("attorney-new"), {"name": "Again", "email": "NORA@firm.example"}).status_code == 400
    client.post(
        reverse("attorney-edit", args=[nora.pk]),
        {"name": "Nora N. Newhire", "email": "nora@firm.example", "bar_number": "NY1"},
    )
    client.post(reverse("attorney-active", args=[nora.pk]), {"active": "no", "note": "left the firm"})
    nora.refresh_from_db()
    assert (nora.name, nora.is_active) == ("Nora N. Newhire", False)
    client.post(reverse("attorney-active", args=[nora.pk]), {"active": "yes", "note": "came back"})
    steps = list(StepChange.objects.filter(attorney=nora).order_by("id").values_list("step", "new_value", "note"))
    assert steps == [
        ("attorney_added", "nora@firm.example", ""),
        ("name", "Nora N. Newhire", ""),
        ("active", "no", "left the firm"),
        ("active", "yes", "came back"),
    ]
    assert all(change.changed_by == admin for change in StepChange.objects.filter(attorney=nora))


def test_an_administrator_creates_logins_with_roles_and_links_one_to_an_attorney(client, admin, firm):
    response = client.post(
        reverse("login-new"),
        {
            "username": "pat",
            "first_name": "Pat",
            "last_name": "Paralegal",
            "role": "staff",
            "is_active": "on",
            "password": "a-long enough passphrase 42",
        },
    )
    assert response.status_code == 302
    pat = get_user_model().objects.get(username="pat")
    assert pat.check_password("a-long enough passphrase 42") and not pat.is_staff
    assert list(pat.groups.values_list("name", flat=True)) == ["staff"]
    # An attorney's login opens that attorney's own checklist.
    client.post(reverse("login-new"), {"username": "james", "role": "attorney", "is_active": "on"})
    assert (
        "Choose the attorney"
        in client.post(
            reverse("login-new"), {"username": "james", "role": "attorney", "is_active": "on"}
        ).content.decode()
    )
    client.post(
        reverse("login-new"),
        {"username": "james", "role": "attorney", "attorney": firm["james"].pk, "is_active": "on"},
    )
    james = Attorney.objects.get(pk=firm["james"].pk)
    assert james.user.username == "james"
    # Promote pat to administrator: enters the Django admin too.
    client.post(
        reverse("login-edit", args=[pat.pk]), {"username": "ignored", "role": "administrator", "is_active": "on"}
    )
    pat.refresh_from_db()
    assert (
        pat.username == "pat" and pat.is_staff and list(pat.groups.values_list("name", flat=True)) == ["administrator"]
    )
    logins = StepChange.objects.filter(step=Step.LOGIN).values_list("old_value", "new_value")
    assert ("", "pat (Staff)") in logins and ("pat (Staff)", "pat (Administrator)") in logins
    assert ("", "james") in logins  # linked, in James's history
    page = client.get(reverse("login-list")).content.decode()
    assert "pat" in page and "James C Alison" in page


def test_staff_cannot_manage_people(client, firm):
    client.force_login(UserFactory(username="s", role="staff"))
    for url in (reverse("attorney-new"), reverse("login-list"), reverse("attorney-edit", args=[firm["james"].pk])):
        assert client.get(url).status_code == 403


def test_the_administrator_group_uses_the_django_admin_where_it_is_the_tool(client, admin, firm):
    index = client.get(reverse("admin:index"))
    assert index.status_code == 200
    page = index.content.decode()
    assert "Reminders" in page and "Courts" in page and "Court links" in page
    reminder = Reminder.objects.create(
        link=firm["james_live"],
        attorney=firm["james"],
        occasion="after-3",
        kind="after",
        days=3,
        due_on=AS_OF,
        go_live=AS_OF,
        status=ReminderStatus.FAILED,
        last_error="550",
    )
    client.post(reverse("admin:tasks_reminder_changelist"), {"action": "retry", "_selected_action": [reminder.pk]})
    assert Reminder.objects.get(pk=reminder.pk).status == ReminderStatus.PENDING
    assert client.get(reverse("admin:auth_user_changelist")).status_code == 403  # logins are a dashboard page


# ------------------------------------------------------------------------------ corrections


def test_a_link_recorded_on_the_wrong_attorney_is_corrected_and_the_original_stays(client, admin, firm):
    actor = Actor.for_user(admin)
    wrong = step_record(
        step=Step.LINKED, actor=actor, link_id=firm["james_live"].pk, cmecf_name="Mary Major", pacer_name="Mary Major"
    )
    original = StepChange.objects.filter(pk=wrong.pk).values().get()
    url = reverse("history-correct", args=[wrong.pk])
    assert "cannot be undone in the court itself" in client.get(url).content.decode()
    assert client.post(url, {"how": "undo", "reason": ""}).status_code == 400  # a reason is required
    response = client.post(url, {"how": "undo", "reason": "Recorded on James instead of Mary"})
    assert response.status_code == 302
    assert CourtLink.objects.get(pk=firm["james_live"].pk).linked_on is None
    assert CourtLink.objects.with_status().get(pk=firm["james_live"].pk).status == "ready_to_link"
    correction = StepChange.objects.get(corrects=wrong)
    assert correction.note.startswith(f"Correction of entry #{wrong.pk}: Recorded on James instead of Mary")
    assert "cannot be undone there" in correction.note and correction.changed_by == admin
    assert StepChange.objects.filter(pk=wrong.pk).values().get() == original  # untouched
    # Recorded again on the right attorney; the first entry cannot be corrected twice.
    step_record(
        step=Step.LINKED, actor=actor, link_id=firm["mary_live"].pk, cmecf_name="Mary Major", pacer_name="Mary M"
    )
    assert "already corrected" in client.post(url, {"how": "undo", "reason": "again"}).content.decode()
    page = client.get(reverse("attorney-detail", args=[firm["james"].pk])).content.decode()
    assert f"corrected by #{correction.pk}" in page and "the link in the court stands" in page


def test_a_wrong_date_is_corrected_and_the_rules_still_apply(client, admin, firm):
    actor = Actor.for_user(admin)
    change = step_record(
        step=Step.LINKED, actor=actor, link_id=firm["mary_live"].pk, cmecf_name="Mary Major", pacer_name="Mary Major"
    )
    url = reverse("history-correct", args=[change.pk])
    refused = client.post(url, {"how": "redate", "on": "2021-01-04", "reason": "typo"}).content.decode()
    assert "was not on NextGen on 2021-01-04" in refused
    assert client.post(url, {"how": "redate", "on": "2021-03-01", "reason": "the call was in March"}).status_code == 302
    assert CourtLink.objects.get(pk=firm["mary_live"].pk).linked_on == datetime.date(2021, 3, 1)
    correction = StepChange.objects.get(corrects=change)
    assert (correction.old_value, correction.new_value) == ("2021-06-14", "2021-03-01")


def test_only_administrators_correct(client, firm):
    change = step_record(step=Step.CMECF_LOGIN_KNOWN, actor=Actor.system("t"), link_id=firm["mary_live"].pk)
    client.force_login(UserFactory(username="s2", role="staff"))
    assert client.get(reverse("history-correct", args=[change.pk])).status_code == 403
    assert "Correct…" not in client.get(reverse("history")).content.decode()


# ----------------------------------------------------------------------------- verification


def test_the_verification_queue_lists_confirmations_and_mismatches_and_verifies_in_bulk(client, admin, firm):
    by_attorney = step_record(
        step=Step.CMECF_LOGIN_KNOWN, actor=Actor.attorney_self(firm["james"]), link_id=firm["james_live"].pk
    )
    mismatch = step_record(
        step=Step.LINKED,
        actor=Actor.for_user(admin),
        link_id=firm["mary_live"].pk,
        cmecf_name="Mary Major",
        pacer_name="Marianne Majors",
    )
    step_record(step=Step.CMECF_LOGIN_KNOWN, actor=Actor.for_user(admin), link_id=firm["mary_live"].pk)  # not queued
    export = rows(client.get(reverse("link-list") + "?_export=csv"))
    assert {r["attorney_email"]: r["link_verification"] for r in export} == {
        "james@firm.example": "",
        "mary@firm.example": "unverified",
    }
    assert "rest on a link not verified yet" in client.get(reverse("overview")).content.decode()
    page = client.get(reverse("verify")).content.decode()
    assert f'value="{by_attorney.pk}"' in page and f'value="{mismatch.pk}"' in page
    assert "Names differ: CM/ECF “Mary Major”, PACER “Marianne Majors”" in page
    names_only = client.get(reverse("verify") + "?kind=names")
    assert [row.record.pk for row in names_only.context["table"].paginated_rows] == [mismatch.pk]
    client.post(reverse("verify"), {"changes": [by_attorney.pk, mismatch.pk]})
    assert Verification.objects.count() == 2
    assert StepChange.objects.filter(step=Step.VERIFIED).count() == 2
    assert [r["link_verification"] for r in rows(client.get(reverse("link-list") + "?_export=csv&q=mary"))] == [
        "verified"
    ]
    assert "Nothing waits for verification" in client.get(reverse("verify")).content.decode()


# --------------------------------------------------------------------------- history, search


def test_the_firm_history_filters_and_exports_what_it_shows(client, admin, firm):
    actor = Actor.for_user(admin)
    step_record(step=Step.CMECF_LOGIN_KNOWN, actor=actor, link_id=firm["james_live"].pk, note="phone")
    step_record(step=Step.CMECF_LOGIN_KNOWN, actor=Actor.system("import"), link_id=firm["mary_live"].pk)
    response = client.get(reverse("history") + "?q=james&step=cmecf_login_known")
    assert [row.record.note for row in response.context["table"].paginated_rows] == ["phone"]
    exported = rows(client.get(reverse("history") + "?q=james&step=cmecf_login_known&_export=csv&excel=1"))
    assert [(r["attorney_email"], r["step"], r["note"]) for r in exported] == [
        ("james@firm.example", "cmecf_login_known", "phone")
    ]
    log = ExportLog.objects.get(kind=ExportLog.Kind.HISTORY)
    assert log.rows == 1 and log.filters == {"q": ["james"], "step": ["cmecf_login_known"]}


def test_attorney_and_court_tables_export_their_rows(client, admin, firm):
    attorneys = rows(client.get(reverse("attorney-list") + "?_export=csv&q=mary"))
    assert [(r["name"], r["courts"], r["cannot_file_in"]) for r in attorneys] == [("Mary Major", "1", "1")]
    courts = rows(client.get(reverse("court-list") + "?_export=csv&firm_courts=on"))
    assert [(r["court_id"], r["nextgen_go_live"], r["efilers"]) for r in courts] == [("zzlive", "2021-02-16", "2")]
    assert set(ExportLog.objects.values_list("kind", flat=True)) == {"attorneys", "courts"}


def test_the_header_search_finds_attorneys_and_courts(client, admin, firm):
    assert client.get(reverse("search") + "?q=mary@").url == reverse("attorney-detail", args=[firm["mary"].pk])
    assert client.get(reverse("search") + "?q=canb").url == reverse("court-detail", args=["canb"])
    page = client.get(reverse("search") + "?q=ma").content.decode()  # several: a page of results
    assert "Mary Major" in page and "Massachusetts District Court" in page
    assert "Nothing matches" in client.get(reverse("search") + "?q=zzzzqqq").content.decode()
    firm["james"].user = UserFactory(username="jlogin")
    firm["james"].save()
    client.force_login(firm["james"].user)  # an attorney searches nobody
    assert client.get(reverse("search") + "?q=mary").status_code == 403


# ------------------------------------------------------------------------- attorney signed in


def test_an_attorney_signed_in_confirms_their_own_steps_and_subscribes_to_the_calendar(client, firm):
    james = firm["james"]
    james.user = UserFactory(username="james-login")
    james.save()
    new_court = CourtFactory(court_id="zznew", nextgen_go_live=datetime.date(2021, 3, 1))
    CourtLinkFactory(attorney=james, court=new_court, new_to_court=True)
    client.force_login(james.user)
    page = client.get(reverse("attorney-detail", args=[james.pk])).content.decode()
    assert 'href="webcal://testserver/calendar/attorney/' in page
    assert "The court granted me e-filing access" in page and "I know my old CM/ECF login" in page
    new_pair = james.links.get(court=new_court)
    response = client.post(reverse("my-confirm"), {"what": "registered", "link": new_pair.pk, "on": "2021-06-10"})
    assert response.status_code == 302
    assert CourtLink.objects.get(pk=new_pair.pk).registered_on == datetime.date(2021, 6, 10)
    client.post(reverse("my-confirm"), {"what": "cmecf_login_known", "link": firm["james_live"].pk})
    sources = set(StepChange.objects.filter(attorney=james).values_list("source", flat=True))
    assert sources == {"attorney"}
    assert (
        client.post(reverse("my-confirm"), {"what": "cmecf_login_known", "link": firm["mary_live"].pk}).status_code
        == 404
    )
