"""An administrator (not a superuser) at work in the browser: every export button clicked and its
file read, a go-live move that needs confirmation, a correction, a new login, bulk recording."""

import csv
import datetime
import io
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from attorneys.choices import Step
from attorneys.models import CourtLink, StepChange
from attorneys.services.steps import step_record
from core.audit import Actor
from courts.models import Court
from tests.browser.conftest import sign_in
from tests.factories import AttorneyFactory, CourtLinkFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def firm():
    canb, azb = Court.objects.get(court_id="canb"), Court.objects.get(court_id="azb")
    james = AttorneyFactory(name="James C Alison", email="james@firm.example")
    mary = AttorneyFactory(name="Mary Major", email="=mary@firm.example")  # looks like a formula
    done = datetime.date(2021, 3, 1)
    return {
        "james": james,
        "mary": mary,
        "james_canb": CourtLinkFactory(attorney=james, court=canb),
        "james_azb": CourtLinkFactory(attorney=james, court=azb),
        "mary_canb": CourtLinkFactory(attorney=mary, court=canb, linked_on=done, menus_confirmed_on=done),
    }


@pytest.fixture
def administrator(page, site):
    user = UserFactory(username="office-admin", role="administrator", first_name="Olive", last_name="Office")
    user.is_staff = True
    user.save()
    sign_in(page, site, user.username)
    return user


def download(page: Page, button) -> tuple[str, list[list[str]]]:
    """Click an export button as a user does; the file's name and its rows."""
    with page.expect_download() as info:
        button.click()
    data = Path(info.value.path()).read_text(encoding="utf-8")
    return info.value.suggested_filename, list(csv.reader(io.StringIO(data, newline="")))


def test_every_export_button_downloads_its_tables_rows(page: Page, site, administrator, firm):
    # The pairs table, filtered: the buttons carry the filters.
    page.goto(site("/links/?court=canb&include_inactive=on"))
    name, rows = download(page, page.get_by_test_id("export-csv"))
    assert name == "firmlink-compliance-2021-06-14.csv"
    assert rows[0][:3] == ["attorney_name", "attorney_email", "bar_number"]
    assert sorted(r[1] for r in rows[1:]) == ["'=mary@firm.example", "james@firm.example"]  # neutralised
    name, excel_rows = download(page, page.get_by_test_id("export-excel"))
    assert excel_rows[0][0] == "\ufeffattorney_name" and len(excel_rows) == 3  # the BOM Excel needs
    # The attorneys, the courts, one court, the history.
    page.get_by_role("link", name="Attorneys", exact=True).click()
    name, rows = download(page, page.get_by_test_id("export-csv"))
    assert name == "firmlink-attorneys-2021-06-14.csv" and {r[0] for r in rows[1:]} == {"James C Alison", "Mary Major"}
    page.get_by_role("link", name="Courts", exact=True).click()
    page.get_by_label("Only courts where the firm has e-filers").check()
    page.get_by_role("button", name="Apply filters").click()
    name, rows = download(page, page.get_by_test_id("export-excel"))
    assert name == "firmlink-courts-2021-06-14.csv" and sorted(r[0] for r in rows[1:]) == ["azb", "canb"]
    page.goto(site("/courts/canb/"))
    name, rows = download(page, page.get_by_test_id("export-csv"))
    assert len(rows) == 3 and {r[3] for r in rows[1:]} == {"canb"}
    page.get_by_role("link", name="History", exact=True).click()
    name, rows = download(page, page.get_by_test_id("export-csv"))
    assert name == "firmlink-history-2021-06-14.csv" and rows[0][-2:] == ["entry_id", "corrects_entry"]
    # Every one of them is in the export audit.
    page.get_by_role("link", name="Exports", exact=True).click()
    expect(page.locator("tbody tr")).to_have_count(6)


def test_moving_a_live_court_into_the_future_shows_the_impact_and_needs_confirmation(
    page: Page, site, administrator, firm
):
    page.goto(site("/courts/canb/"))
    page.get_by_label("NextGen go-live").fill("2021-07-01")
    page.get_by_label("Where the corrected date comes from").fill("Postponed, clerk's call")
    page.get_by_role("button", name="Save the corrected date").click()
    impact = page.get_by_test_id("go-live-impact")
    expect(impact).to_contain_text("would leave “cannot file now”")
    expect(impact).to_contain_text("James C Alison")
    expect(impact).to_contain_text("Mary Major (2021-03-01)")  # linked before the new date
    assert Court.objects.get(court_id="canb").nextgen_go_live == datetime.date(2021, 2, 16)
    page.get_by_role("button", name="Confirm and save this date").click()
    expect(page.get_by_text("Go-live date of canb corrected")).to_be_visible()
    expect(page.get_by_test_id("go-live")).to_contain_text("2021-07-01")
    assert StepChange.objects.filter(court__court_id="canb", step=Step.GO_LIVE).count() == 1


def test_a_step_recorded_by_mistake_is_corrected_and_both_entries_show(page: Page, site, administrator, firm):
    wrong = step_record(
        step=Step.LINKED,
        actor=Actor.for_user(administrator),
        link_id=firm["james_canb"].pk,
        cmecf_name="James C Alison",
        pacer_name="James Alison",
    )
    page.goto(site(f"/attorneys/{firm['james'].pk}/"))
    page.get_by_role("link", name="Correct this entry…").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Correct entry #{wrong.pk}")
    page.get_by_label(re.compile("recorded by mistake")).check()
    page.get_by_label("Why (required, kept in the history)").fill("James had not linked yet: it was Mary")
    page.get_by_role("button", name="Record the correction").click()
    expect(page.get_by_text(re.compile(rf"Entry #{wrong.pk} corrected by entry #\d+"))).to_be_visible()
    expect(page.get_by_test_id("history")).to_contain_text("corrected by #")
    expect(page.get_by_test_id("history")).to_contain_text(f"corrects #{wrong.pk}")
    assert CourtLink.objects.get(pk=firm["james_canb"].pk).linked_on is None
    assert StepChange.objects.get(pk=wrong.pk).new_value.startswith("2021-06-14")  # the original is untouched


def test_an_administrator_creates_a_login_for_an_attorney_who_then_signs_in(page: Page, site, administrator, firm):
    page.get_by_role("link", name="Logins", exact=True).click()
    page.get_by_role("link", name="New login").click()
    page.get_by_label("Username").fill("jalison")
    page.get_by_label("Role").select_option(label="Attorney")
    page.get_by_label("Attorney", exact=True).select_option(label="James C Alison")
    page.get_by_label("Password").fill("correct horse battery staple")
    page.get_by_role("button", name="Save the login").click()
    expect(page.get_by_test_id("logins-table")).to_contain_text("jalison")
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, site, "jalison", "correct horse battery staple")
    expect(page.get_by_role("heading", level=1)).to_have_text("James C Alison")
    page.get_by_role("button", name="I know my old CM/ECF login for this court").first.click()
    expect(page.get_by_text(re.compile("Thank you: “Old CM/ECF login known” for"))).to_be_visible()


def test_bulk_keeps_its_choices_after_a_refusal_and_can_take_every_matching_pair(page: Page, site, administrator, firm):
    page.get_by_role("link", name="Attorney-court pairs").click()
    page.get_by_label("Record for the selected pairs").select_option(label="Filing menus visible (on the date below)")
    page.get_by_label("Note").fill("roll call")
    page.get_by_label("Select James C Alison in canb").check()
    page.get_by_role("button", name="Record for selected").click()
    expect(page.get_by_text("Nothing was recorded:")).to_be_visible()
    expect(page.get_by_label("Select James C Alison in canb")).to_be_checked()
    expect(page.get_by_label("Note")).to_have_value("roll call")
    expect(page.get_by_label("Record for the selected pairs")).to_have_value("filing_menus:")
    page.get_by_label("Record for the selected pairs").select_option(label="Old CM/ECF login known")
    page.get_by_label(re.compile("matching pairs, on every page")).check()
    page.get_by_role("button", name="Record for selected").click()
    expect(page.get_by_text(re.compile(r"Recorded “Old CM/ECF login known” for 3 pair\(s\)"))).to_be_visible()


def test_a_guessed_account_is_locked_and_an_administrator_unlocks_it(page: Page, site, administrator, firm, browser):
    UserFactory(username="paralegal", role="staff")
    guesser = browser.new_context(viewport={"width": 1400, "height": 900}).new_page()
    for attempt in range(20):
        guesser.goto(site("/accounts/login/"))
        guesser.locator("#id_username").fill("paralegal")
        guesser.locator("#id_password").fill(f"Guess-{attempt}")
        guesser.get_by_role("button", name="Sign in").click()
    expect(guesser.get_by_test_id("locked-out")).to_contain_text("Too many wrong passwords for paralegal")
    # The right password no longer helps.
    guesser.goto(site("/accounts/login/"))
    guesser.locator("#id_username").fill("paralegal")
    guesser.locator("#id_password").fill("correct horse battery staple")
    guesser.get_by_role("button", name="Sign in").click()
    expect(guesser.get_by_role("heading", level=1)).to_have_text("Sign-in locked")

    page.get_by_role("link", name="Logins", exact=True).click()
    expect(page.get_by_role("row").filter(has_text="paralegal")).to_contain_text("locked out")
    page.get_by_role("link", name="paralegal").click()
    expect(page.get_by_test_id("login-locked")).to_contain_text(
        "Locked out: 21 failed sign-ins in a row (the limit is 10)"
    )
    page.get_by_role("button", name="Unlock").click()
    expect(page.get_by_text("paralegal can sign in again (21 failed sign-ins forgotten).")).to_be_visible()

    sign_in(guesser, site, "paralegal")
    expect(guesser.get_by_role("heading", level=1)).to_have_text("Who cannot file where, and what is coming")
    guesser.context.close()


def test_an_administrator_revokes_an_attorneys_links_and_the_old_calendar_says_so(
    page: Page, site, administrator, firm
):
    from attorneys import tokens

    old_calendar = site(f"/calendar/attorney/{tokens.make(firm['james'], tokens.CALENDAR)}.ics")
    page.get_by_role("link", name="Attorneys", exact=True).click()
    page.get_by_role("link", name="James C Alison").click()
    page.get_by_text("Revoke email and calendar links").click()
    page.locator("#revoke-note").fill("reminder forwarded to a client")
    page.get_by_role("button", name="Revoke every link sent so far").click()
    expect(page.get_by_text("Every email and calendar link sent to James C Alison so far is revoked")).to_be_visible()
    expect(page.get_by_test_id("history")).to_contain_text("Email and calendar links revoked")
    response = page.request.get(old_calendar)
    assert response.status == 410 and "link was revoked" in response.text().replace("\r\n ", "")
