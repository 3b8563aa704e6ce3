"""What a guesser, a careless paste or a hostile request meets: throttled logins, no credentials in
free text, bounded dates, revocable links, headers, no delete of audit rows."""

import datetime
import html

import pytest
import time_machine
from axes.models import AccessAttempt
from django.core import mail
from django.test import override_settings
from django.urls import reverse
from icalendar import Calendar

from attorneys import tokens
from attorneys.choices import Step
from attorneys.models import Attorney, StepChange
from courts.models import Court
from tests.factories import AttorneyFactory, CourtFactory, CourtLinkFactory, UserFactory
from tests.payloads import toggle_step

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery staple"  # UserFactory's


@pytest.fixture(autouse=True)
def as_of(pinned_date):
    return pinned_date


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(username="boss", role="administrator", email="boss@firm.example"))
    return client


@pytest.fixture
def una():
    court = CourtFactory(court_id="zzlive", nextgen_go_live=datetime.date(2021, 2, 16))
    attorney = AttorneyFactory(name="Una Attorney", email="una@firm.example")
    return {"attorney": attorney, "link": CourtLinkFactory(attorney=attorney, court=court), "court": court}


def sign_in(client, username, password, url="login"):
    return client.post(reverse(url), {"username": username, "password": password})


def signed_in(client) -> bool:
    response = client.get(reverse("overview"))
    return not (response.status_code == 302 and response["Location"].startswith(reverse("login")))


# Logins ---------------------------------------------------------------------------------------


@override_settings(AXES_FAILURE_LIMIT=10)
def test_twenty_wrong_passwords_lock_the_account_until_an_administrator_unlocks_it(client, admin_client):
    from django.test import Client

    guesser = Client()
    target = UserFactory(username="target", role="staff")
    statuses = [sign_in(guesser, "target", f"Guess{i}!").status_code for i in range(20)]
    assert statuses[:9] == [200] * 9  # the form again, "did not match"
    assert set(statuses[9:]) == {429}
    locked = sign_in(guesser, "target", PASSWORD)  # the right password no longer helps
    assert locked.status_code == 429
    page = locked.content.decode()
    assert "Sign-in locked" in page and "administrator can unlock it" in page
    assert not signed_in(guesser)
    # Axes keeps the attempts, never the passwords tried.
    stored = " ".join(f"{a.get_data} {a.post_data}" for a in AccessAttempt.objects.all())
    assert "Guess" not in stored and PASSWORD not in stored

    edit = admin_client.get(reverse("login-edit", args=[target.pk])).content.decode()
    assert "Locked out: 21 failed sign-ins in a row (the limit is 10)" in edit
    listing = admin_client.get(reverse("login-list")).content.decode()
    assert "locked out" in listing
    response = admin_client.post(reverse("login-unlock", args=[target.pk]), follow=True)
    assert "target can sign in again" in response.content.decode()
    assert StepChange.objects.filter(step=Step.LOGIN, new_value="target unlocked").exists()
    assert sign_in(guesser, "target", PASSWORD).status_code == 302
    assert signed_in(guesser)


@override_settings(AXES_FAILURE_LIMIT=10)
def test_the_admin_login_is_throttled_too(client):
    UserFactory(username="root", is_superuser=True, is_staff=True)
    statuses = [sign_in(client, "root", f"wrong-{i}", url="admin:login").status_code for i in range(20)]
    assert statuses[-1] == 429
    assert sign_in(client, "root", PASSWORD, url="admin:login").status_code == 429


def test_the_login_page_says_what_happens_after_wrong_passwords(client):
    page = client.get(reverse("login")).content.decode()
    assert "After 10 wrong passwords in a row an account is locked for 60 minutes" in page
    assert "administrator sets a new one" in page


@pytest.mark.parametrize("url", ["/accounts/password_reset/", "/admin/password_reset/", "/accounts/reset/x/y/"])
def test_there_is_no_anonymous_password_reset(client, url):
    UserFactory(username="boss", role="administrator", email="boss@firm.example")
    for response in (client.get(url), client.post(url, {"email": "boss@firm.example"})):
        # Not found, or (the admin's catch-all) sent to sign in: never a reset form.
        assert response.status_code in (403, 404) or response["Location"].startswith("/admin/login/")
    assert mail.outbox == []


def test_signed_in_users_change_their_own_password(client):
    user = UserFactory(username="clerk", role="staff")
    client.force_login(user)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "a-longer-one-2026",
            "new_password2": "a-longer-one-2026",
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("a-longer-one-2026")


def test_an_inactive_attorney_cannot_sign_in_and_an_open_session_ends(client, una):
    user = UserFactory(username="una", email="una@firm.example")
    Attorney.objects.filter(pk=una["attorney"].pk).update(user=user)
    assert sign_in(client, "una", PASSWORD).status_code == 302 and signed_in(client)
    # Made inactive by any path (here as a roster import or the admin would: the row only).
    Attorney.objects.filter(pk=una["attorney"].pk).update(is_active=False)
    assert not signed_in(client)
    response = sign_in(client, "una", PASSWORD)
    assert response.status_code == 200 and "did not match" in response.content.decode()


def test_linking_a_login_in_the_admin_writes_history(client, una):
    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
    login = UserFactory(username="una-login")
    attorney = una["attorney"]
    url = reverse("admin:attorneys_attorney_change", args=[attorney.pk])
    form = {
        "name": attorney.name,
        "email": attorney.email,
        "bar_number": attorney.bar_number,
        "pacer_username": attorney.pacer_username,
        "pacer_account": attorney.pacer_account,
        "pacer_individual": "on",
        "is_active": "on",
        "user": login.pk,
        "links-TOTAL_FORMS": "1",
        "links-INITIAL_FORMS": "1",
        "links-MIN_NUM_FORMS": "0",
        "links-MAX_NUM_FORMS": "1000",
        "links-0-id": una["link"].pk,
        "links-0-attorney": attorney.pk,
        "history-TOTAL_FORMS": "0",
        "history-INITIAL_FORMS": "0",
        "history-MIN_NUM_FORMS": "0",
        "history-MAX_NUM_FORMS": "1000",
    }
    response = client.post(url, form)
    assert response.status_code == 302, response.content.decode()[:2000]
    attorney.refresh_from_db()
    assert attorney.user == login
    row = StepChange.objects.get(step=Step.LOGIN, attorney=attorney)
    assert (row.new_value, row.changed_by.username) == ("una-login", "root")


# Credentials in free text -----------------------------------------------------------------------

REFUSED = [
    "my PACER password is Winter2021!",
    "pw: hunter2",
    "Password = Tr0ub4dor&3",
    "CM/ECF pwd: abc12345",
    "her passcode 483920",
    "PACER login jdoe / password Spring#2024",
]
ACCEPTED = [
    "upgraded PACER account",
    "the password was reset by the attorney",
    "attorney knows their password",
    "PIN mailer received from the court",
    "asked for a password reset at the PACER service center",
]


@pytest.mark.parametrize("note", REFUSED)
def test_a_note_that_looks_like_a_password_is_refused_everywhere(client, una, note):
    staff = UserFactory(username="clerk", role="staff")
    client.force_login(staff)
    link = una["link"]
    before = StepChange.objects.count()
    # The attorney page's step form.
    response = client.post(
        reverse("attorney-record", args=[una["attorney"].pk]), {**toggle_step("cmecf_login_known", link), "note": note}
    )
    assert response.status_code == 400
    assert "Firmlink never stores PACER or CM/ECF passwords" in response.content.decode()
    # The bulk form of the pairs list.
    response = client.post(
        reverse("link-bulk"), {"action": "cmecf_login_known:yes", "links": [link.pk], "note": note}, follow=True
    )
    page = response.content.decode()
    assert "Firmlink never stores PACER or CM/ECF passwords" in page
    # The refused note is not given back for another try, nor kept in the session.
    assert html.escape(note) not in page and note not in str(dict(client.session.items()))
    # The attorney's own checklist, from the email link.
    client.logout()
    response = client.post(
        reverse("self-service", args=[tokens.make(una["attorney"])]),
        {"what": "cmecf_login_known", "link": link.pk, "note": note},
        follow=True,
    )
    assert "Firmlink never stores PACER or CM/ECF passwords" in response.content.decode()
    assert StepChange.objects.count() == before
    assert note not in " ".join(StepChange.objects.values_list("note", flat=True))


@pytest.mark.parametrize("note", ACCEPTED)
def test_ordinary_notes_about_accounts_are_kept(client, una, note):
    client.force_login(UserFactory(username="clerk", role="staff"))
    response = client.post(
        reverse("attorney-record", args=[una["attorney"].pk]),
        {**toggle_step("cmecf_login_known", una["link"]), "note": note},
    )
    assert response.status_code == 302
    assert StepChange.objects.get(step=Step.CMECF_LOGIN_KNOWN).note == note


def test_a_go_live_source_note_with_a_password_is_refused(admin_client, una):
    response = admin_client.post(
        reverse("court-go-live", args=["zzlive"]), {"go_live": "2021-02-17", "note": "pw: hunter2"}
    )
    assert response.status_code == 400
    assert Court.objects.get(court_id="zzlive").nextgen_go_live == datetime.date(2021, 2, 16)


# Requests that used to answer 500 -----------------------------------------------------------------


@pytest.mark.parametrize("step", ["go_live", "name", "verified", "attorney_added", "links_revoked", "nonsense", ""])
def test_a_step_without_a_form_on_the_attorney_page_is_a_400(client, una, step):
    client.force_login(UserFactory(username="clerk", role="staff"))
    response = client.post(reverse("attorney-record", args=[una["attorney"].pk]), {"step": step, "value": "x"})
    assert response.status_code == 400
    assert "is not a step recorded on this page" in response.content.decode()
    assert not StepChange.objects.exists()


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01", "1989-12-31", "2101-01-01"])
def test_a_go_live_outside_sane_years_is_refused(admin_client, una, day):
    response = admin_client.post(
        reverse("court-go-live", args=["zzlive"]), {"go_live": day, "note": "typo", "confirm_for": day}
    )
    assert response.status_code == 400
    assert "outside the years 1990-2100" in response.content.decode()
    assert Court.objects.get(court_id="zzlive").nextgen_go_live == datetime.date(2021, 2, 16)


def test_a_go_live_source_address_is_bounded(admin_client, una):
    url = "https://example.com/" + "a" * 600
    response = admin_client.post(
        reverse("court-go-live", args=["zzlive"]), {"go_live": "2021-02-16", "note": "x", "source_url": url}
    )
    assert response.status_code == 400
    assert "at most 500 characters" in response.content.decode()


# Calendars ----------------------------------------------------------------------------------------


def calendar_of(client, attorney, status=200):
    response = client.get(reverse("attorney-calendar", args=[tokens.make(attorney, tokens.CALENDAR)]))
    assert response.status_code == status
    return Calendar.from_ical(response.content)


def test_a_name_with_line_breaks_and_commas_still_makes_a_calendar(client, una):
    Attorney.objects.filter(pk=una["attorney"].pk).update(name="Una\r\nAttorney, Esq.; \x1b[31mred")
    una["attorney"].refresh_from_db()
    calendar = calendar_of(client, una["attorney"])
    assert str(calendar["x-wr-calname"]) == "NextGen go-live dates: Una Attorney, Esq.; [31mred"
    assert len(list(calendar.walk("VEVENT"))) == 1


def test_a_date_outside_the_sane_range_already_stored_is_left_out_not_a_500(client, una):
    other = CourtFactory(court_id="zzodd")
    CourtLinkFactory(attorney=una["attorney"], court=other)
    Court.objects.filter(pk=other.pk).update(nextgen_go_live=datetime.date(9999, 12, 31))
    calendar = calendar_of(client, una["attorney"])
    assert [str(e["summary"]) for e in calendar.walk("VEVENT")] == ["zzlive moves to NextGen CM/ECF"]
    response = client.get(reverse("firm-calendar", args=[tokens.firm_calendar_token()]))
    assert response.status_code == 200


def test_a_corrected_date_replaces_the_event(client, admin_client, una):
    before = next(iter(calendar_of(client, una["attorney"]).walk("VEVENT")))
    form = {"go_live": "2021-03-01", "note": "clerk's notice", "confirm_for": "2021-03-01"}
    assert admin_client.post(reverse("court-go-live", args=["zzlive"]), form).status_code == 302
    after = next(iter(calendar_of(client, una["attorney"]).walk("VEVENT")))
    assert str(after["uid"]) == str(before["uid"])
    assert after["sequence"] > before.get("sequence", 0)
    assert after.decoded("dtstart") == datetime.date(2021, 3, 1)
    assert after.decoded("last-modified") == StepChange.objects.get(step=Step.GO_LIVE).changed_at.replace(microsecond=0)


def test_an_administrator_revokes_an_attorneys_links(client, admin_client, una):
    attorney = una["attorney"]
    old_calendar = tokens.make(attorney, tokens.CALENDAR)
    old_checklist = tokens.make(attorney)
    response = admin_client.post(
        reverse("attorney-links-revoke", args=[attorney.pk]), {"note": "email forwarded"}, follow=True
    )
    assert "is revoked" in response.content.decode()
    assert StepChange.objects.get(step=Step.LINKS_REVOKED, attorney=attorney).note == "email forwarded"
    response = client.get(reverse("attorney-calendar", args=[old_calendar]))
    assert response.status_code == 410 and response["Content-Type"].startswith("text/calendar")
    (event,) = Calendar.from_ical(response.content).walk("VEVENT")
    assert "revoked" in str(event["summary"])
    response = client.get(reverse("self-service", args=[old_checklist]))
    assert response.status_code == 410 and "This link has been revoked" in response.content.decode()
    attorney.refresh_from_db()
    assert client.get(reverse("self-service", args=[tokens.make(attorney)])).status_code == 200
    calendar_of(client, attorney)


def test_only_administrators_revoke_links(client, una):
    client.force_login(UserFactory(username="clerk", role="staff"))
    assert client.post(reverse("attorney-links-revoke", args=[una["attorney"].pk])).status_code == 403
    assert not StepChange.objects.filter(step=Step.LINKS_REVOKED).exists()


def test_calendar_links_last_until_revoked_unless_a_lifetime_is_set(client, una):
    with time_machine.travel(datetime.datetime(2024, 1, 1, 12, tzinfo=datetime.UTC)):
        token = tokens.make(una["attorney"], tokens.CALENDAR)
    with time_machine.travel(datetime.datetime(2026, 12, 1, 12, tzinfo=datetime.UTC)):
        assert client.get(reverse("attorney-calendar", args=[token])).status_code == 200
        with override_settings(FIRMLINK_CALENDAR_DAYS=90):
            response = client.get(reverse("attorney-calendar", args=[token]))
    assert response.status_code == 410
    (event,) = Calendar.from_ical(response.content).walk("VEVENT")
    assert "expired" in str(event["summary"])


def test_a_forged_calendar_link_gets_a_calendar_saying_so(client):
    response = client.get(reverse("attorney-calendar", args=["forged"]))
    assert response.status_code == 403 and response["Content-Type"].startswith("text/calendar")
    Calendar.from_ical(response.content)


def test_the_firm_calendar_link_is_replaced_by_raising_its_version(client):
    token = tokens.firm_calendar_token()
    with override_settings(FIRMLINK_FIRM_CALENDAR_VERSION=2):
        assert client.get(reverse("firm-calendar", args=[token])).status_code == 410
        assert client.get(reverse("firm-calendar", args=[tokens.firm_calendar_token()])).status_code == 200


# Headers --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("what", ["page", "export", "calendar", "login"])
def test_responses_carry_csp_permissions_policy_and_no_store(client, una, what):
    client.force_login(UserFactory(username="clerk", role="staff"))
    url = {
        "page": reverse("overview"),
        "export": reverse("link-list") + "?_export=csv",
        "calendar": reverse("attorney-calendar", args=[tokens.make(una["attorney"], tokens.CALENDAR)]),
        "login": reverse("login"),
    }[what]
    response = client.get(url)
    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    assert "camera=()" in response["Permissions-Policy"]
    assert "no-store" in response["Cache-Control"]


def test_sessions_last_a_working_day(client):
    client.force_login(UserFactory(username="clerk", role="staff"))
    assert client.session.get_expiry_age() == 8 * 60 * 60


# The admin keeps audit rows --------------------------------------------------------------------


@pytest.mark.parametrize(
    "model",
    [
        "tasks/reminder",
        "tasks/reminderrun",
        "tasks/escalationdigest",
        "attorneys/verification",
        "attorneys/rosterimport",
        "attorneys/exportlog",
        "attorneys/stepchange",
    ],
)
def test_no_one_deletes_audit_rows_in_the_admin(client, rf, model):
    from django.apps import apps
    from django.contrib import admin

    root = UserFactory(username="root", is_superuser=True, is_staff=True)
    client.force_login(root)
    model_admin = admin.site._registry[apps.get_model(*model.split("/"))]
    request = rf.get(f"/admin/{model}/")
    request.user = root
    assert not model_admin.has_delete_permission(request)
    assert "delete_selected" not in model_admin.get_actions(request)
    page = client.get(f"/admin/{model}/").content.decode()
    assert "Delete selected" not in page


# Emails ---------------------------------------------------------------------------------------------


def test_reminders_reply_to_the_administrators_and_say_they_are_automated(settings, una):
    from tasks.emails import _message

    UserFactory(username="boss", role="administrator", email="boss@firm.example")
    settings.FIRMLINK_MAIL_DOMAIN = "firmlink.firm.example"
    message = _message("digest", {"rows": [], "per_court": []}, to=["x@firm.example"], connection=None, subject="s")
    assert message.reply_to == ["boss@firm.example"]
    assert message.extra_headers["Message-ID"].endswith("@firmlink.firm.example>")
    assert message.extra_headers["Auto-Submitted"] == "auto-generated"
    assert message.extra_headers["X-Auto-Response-Suppress"] == "All"
    settings.FIRMLINK_REPLY_TO = ["help@firm.example"]
    message = _message("digest", {"rows": [], "per_court": []}, to=["x@firm.example"], connection=None, subject="s")
    assert message.reply_to == ["help@firm.example"]


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_nul_character_in_a_request_is_a_400(client, una, method):
    client.force_login(UserFactory(username="clerk", role="staff"))
    response = getattr(client, method)(reverse("search"), {"q": "ann\x00"})
    assert response.status_code == 400
    assert "NUL character" in response.content.decode()
    assert "no-store" in response["Cache-Control"]
