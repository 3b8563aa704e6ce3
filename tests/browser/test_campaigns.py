"""PACER MFA in the browser, on the real date (2026-12-03, past the 2025-12-31 deadline: every attorney with
filing access who is not enrolled cannot file): the overview and its blocked list, bulk recording on the
attorneys table (and its all-or-nothing refusal), one attorney's checklist, and the export."""

import csv
import datetime
import io
import re
from pathlib import Path

import pytest
from django.test import override_settings
from playwright.sync_api import Page, expect

from attorneys.models import ExportLog, StepChange
from campaigns import services
from campaigns.mfa import CAMPAIGN as MFA
from campaigns.models import Progress
from campaigns.values import SECRET_MESSAGE
from core import clock
from core.audit import Actor
from tests.browser.conftest import sign_in
from tests.factories import AttorneyFactory, CourtFactory, CourtLinkFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REAL_DATE = datetime.date(2026, 12, 3)
SECRET = "otpauth://totp/x?secret=JBSWY3DPEHPK3PXP"


@pytest.fixture(autouse=True)
def as_of():
    """Replaces the package's 2021 date: the firm lives on the real date, a year past the MFA deadline."""
    with override_settings(FIRMLINK_AS_OF=REAL_DATE):
        yield REAL_DATE


@pytest.fixture
def clerk():
    return Actor.for_user(UserFactory(username="setup-clerk", role="staff"))


def filer(name: str, **kwargs):
    """An active attorney with an e-filing account in one court: in PACER MFA's scope."""
    attorney = AttorneyFactory(name=name, **kwargs)
    CourtLinkFactory(attorney=attorney, court=CourtFactory())
    return attorney


def record(actor, attorney, step, **kwargs):
    with clock.pinned(REAL_DATE):
        return services.progress_record(campaign=MFA, attorney_id=attorney.pk, step=step, actor=actor, **kwargs)


def mfa_steps(attorney) -> dict[str, tuple]:
    return {
        row.step: (row.done_on, row.value)
        for row in Progress.objects.filter(campaign=MFA.slug, attorney=attorney, court=None)
    }


def download(page: Page, button) -> tuple[str, list[list[str]]]:
    """Click an export button as a user does; the file's name and its rows."""
    with page.expect_download() as info:
        button.click()
    data = Path(info.value.path()).read_text(encoding="utf-8")
    return info.value.suggested_filename, list(csv.reader(io.StringIO(data, newline="")))


def said(page: Page):
    """The page's success messages (the as-of banner is a status too, outside them)."""
    return page.locator('main [aria-live="polite"]').get_by_role("status")


def refused(page: Page):
    """The page's error messages (not the attorney page's standing "cannot file" alert)."""
    return page.locator('main [aria-live="polite"]').get_by_role("alert")


def row_of(page: Page, name: str):
    return page.get_by_test_id("campaign-table").locator("tbody tr").filter(has_text=name)


def test_overview_blocked_list_and_bulk_recording_all_or_nothing(page: Page, site, clerk):
    ella = filer("Enrolled Ella")
    record(clerk, ella, "email_current", on=datetime.date(2025, 6, 2))
    record(clerk, ella, "holders", value="Enrolled Ella")
    record(clerk, ella, "enrolled", on=datetime.date(2025, 6, 3))
    ada, ben = filer("Waiting Ada"), filer("Waiting Ben")
    for attorney in (ada, ben):
        record(clerk, attorney, "email_current", on=datetime.date(2025, 9, 1))
    hal = filer("Halfway Hal")  # nothing recorded: not even the email
    AttorneyFactory(name="Pacer Only Pam")  # no e-filing account anywhere: not in scope
    admin = UserFactory(username="mfa-admin", role="administrator", first_name="Olive", last_name="Office")
    admin.is_staff = True
    admin.save()
    sign_in(page, site, admin.username)

    # Campaigns, from the nav: both campaigns listed, PACER MFA's counts in its row.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Campaigns", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Campaigns")
    listing = page.get_by_test_id("campaign-list")
    expect(listing).to_contain_text("NextGen linking")
    mfa_row = listing.locator("tbody tr").filter(has_text="PACER MFA")
    expect(mfa_row.locator("td")).to_have_text(["enrollment deadline 2025-12-31", "4", "0", "3", "Overview · Table"])

    # The overview: counts per status, and the blocked named.
    mfa_row.get_by_role("link", name="PACER MFA").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("PACER MFA")
    expect(page.get_by_test_id("campaign-dates")).to_contain_text("2025-12-31 (337 days ago)")
    cards = page.get_by_test_id("campaign-status-cards")
    expect(cards.locator(".card").filter(has=page.locator('[data-status="blocked"]'))).to_contain_text("3")
    expect(cards.locator(".card").filter(has=page.locator('[data-status="not_in_scope"]'))).to_contain_text("1")
    expect(cards.locator(".card").filter(has=page.locator('[data-status="needs_backup_place"]'))).to_contain_text("1")
    expect(page.get_by_role("heading", name="Cannot file now: 3 of 4 in scope")).to_be_visible()
    expect(page.get_by_test_id("campaign-blocked").get_by_role("listitem")).to_have_text(
        ["Halfway Hal ·", "Waiting Ada ·", "Waiting Ben"]
    )

    # The table, filtered to those who cannot file.
    page.get_by_role("link", name="All attorneys").click()
    expect(page.get_by_test_id("matching-count")).to_have_text("5 matching")
    page.get_by_label("Not enrolled: cannot file").check()
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_test_id("matching-count")).to_have_text("3 matching")
    expect(page).to_have_url(re.compile(r"status=blocked"))

    # The holders, in bulk, for two of them.
    page.get_by_label("Select Waiting Ada").check()
    page.get_by_label("Select Waiting Ben").check()
    page.get_by_label("Record for the selected attorneys").select_option(label="Who holds an authenticator app")
    page.get_by_label(re.compile(r"^Value")).fill("Ann Filer;  Pat Paralegal")
    page.get_by_role("button", name="Record for selected").click()
    expect(said(page)).to_have_text("Recorded “Who holds an authenticator app” for 2 attorney(s).")
    expect(page.get_by_test_id("matching-count")).to_have_text("3 matching")  # still on the filtered table
    for name in ("Waiting Ada", "Waiting Ben"):
        expect(row_of(page, name)).to_contain_text("Ann Filer; Pat Paralegal")
        expect(row_of(page, name).locator("[data-status]")).to_have_text("Not enrolled: cannot file")
    assert mfa_steps(ada)["holders"][1] == mfa_steps(ben)["holders"][1] == "Ann Filer; Pat Paralegal"

    # Enrollment for all three: Hal has confirmed nothing, so nothing at all is recorded.
    for name in ("Waiting Ada", "Waiting Ben", "Halfway Hal"):
        page.get_by_label(f"Select {name}").check()
    page.get_by_label("Record for the selected attorneys").select_option(label="Enrolled in MFA")
    page.get_by_label("Date", exact=True).fill("2025-06-03")
    page.get_by_role("button", name="Record for selected").click()
    alerts = refused(page)
    expect(alerts.first).to_have_text("Nothing was recorded:")
    expect(alerts).to_have_count(2)
    expect(alerts.nth(1)).to_contain_text("Halfway Hal: “Enrolled in MFA” needs the account's email confirmed")
    assert not Progress.objects.filter(campaign=MFA.slug, step="enrolled").exclude(attorney=ella).exists()
    assert not StepChange.objects.filter(campaign=MFA.slug, step="enrolled").exclude(attorney=ella).exists()
    # The choices are kept for another try.
    expect(page.get_by_label("Select Halfway Hal")).to_be_checked()
    expect(page.get_by_label("Record for the selected attorneys")).to_have_value("enrolled")
    expect(page.get_by_label("Date", exact=True)).to_have_value("2025-06-03")

    # Without Hal it goes through, and the two leave the blocked table.
    page.get_by_label("Select Halfway Hal").uncheck()
    page.get_by_role("button", name="Record for selected").click()
    expect(said(page)).to_have_text("Recorded “Enrolled in MFA” for 2 attorney(s).")
    expect(page.get_by_test_id("matching-count")).to_have_text("1 matching")
    expect(page.get_by_test_id("campaign-table").locator("tbody tr")).to_have_count(1)
    expect(row_of(page, "Halfway Hal")).to_be_visible()
    assert mfa_steps(ada)["enrolled"][0] == mfa_steps(ben)["enrolled"][0] == datetime.date(2025, 6, 3)
    assert "enrolled" not in mfa_steps(hal)
    page.get_by_role("link", name="Clear").click()
    expect(row_of(page, "Waiting Ada").locator("[data-status]")).to_have_text("Say where the backup codes are")
    page.locator("main").get_by_role("link", name="Overview", exact=True).click()
    expect(page.get_by_role("heading", name="Cannot file now: 1 of 4 in scope")).to_be_visible()
    expect(page.get_by_test_id("campaign-blocked")).to_have_text("Halfway Hal")


def test_one_attorneys_checklist_records_steps_and_refuses_a_secret(page: Page, site, sign_in_as):
    ann = filer("Ann Filer", email="ann@firm.example")
    sign_in_as("staff", "mfa-clerk")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Attorneys", exact=True).click()
    page.get_by_role("link", name="Ann Filer", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ann Filer")
    card = page.locator("#campaign-pacer_mfa")
    expect(card).to_contain_text("Not enrolled: cannot file: the enrollment deadline has passed.")
    email_step, holders_step = card.locator('[data-step="email_current"]'), card.locator('[data-step="holders"]')
    enrolled_step = card.locator('[data-step="enrolled"]')
    expect(enrolled_step).to_contain_text("Needs the account's email confirmed")  # not ready: no form yet
    expect(enrolled_step.get_by_role("button", name="Record")).to_have_count(0)

    # The email confirmed, on a date.
    email_step.get_by_label("Date").fill("2025-06-02")
    email_step.get_by_role("button", name="Record").click()
    expect(said(page)).to_have_text("Recorded: PACER MFA, PACER account email confirmed current (2025-06-02).")
    expect(email_step).to_contain_text("PACER account email confirmed current: 2025-06-02")
    expect(email_step.locator(".visually-hidden").first).to_have_text("Done:")
    history = page.get_by_test_id("history")
    expect(history).to_contain_text("PACER MFA: PACER account email confirmed current: — → 2025-06-02")

    # Something that looks like an authenticator's key is refused, and not kept anywhere.
    holders_step.get_by_label("Who holds an authenticator app").fill(SECRET)
    holders_step.get_by_role("button", name="Record").click()
    expect(refused(page)).to_have_text("Ann Filer, Who holds an authenticator app: " + SECRET_MESSAGE)
    expect(holders_step.locator(".visually-hidden").first).to_have_text("Not done:")
    expect(holders_step.get_by_label("Who holds an authenticator app")).to_have_value("")
    assert "JBSWY3DPEHPK3PXP" not in page.content()
    assert "holders" not in mfa_steps(ann)
    assert not StepChange.objects.filter(campaign=MFA.slug, step="holders").exists()

    # Names are taken, tidied, and shown in the checklist and the history.
    holders_step.get_by_label("Who holds an authenticator app").fill("Ann Filer ;  Pat Paralegal")
    holders_step.get_by_label("Note").fill("Pat files for Ann")
    holders_step.get_by_role("button", name="Record").click()
    expect(said(page)).to_have_text("Recorded: PACER MFA, Who holds an authenticator app (Ann Filer; Pat Paralegal).")
    expect(holders_step).to_contain_text("Who holds an authenticator app: Ann Filer; Pat Paralegal")
    latest = history.get_by_role("listitem").first
    expect(latest).to_contain_text("PACER MFA: Who holds an authenticator app: — → Ann Filer; Pat Paralegal")
    expect(latest).to_contain_text("“Pat files for Ann”")
    # Enrollment is ready now; the attorney still cannot file until it is recorded.
    expect(enrolled_step.get_by_role("button", name="Record")).to_be_visible()
    expect(card.locator("[data-status]").first).to_have_text("Not enrolled: cannot file")
    assert mfa_steps(ann) == {
        "email_current": (datetime.date(2025, 6, 2), None),
        "holders": (REAL_DATE, "Ann Filer; Pat Paralegal"),
    }


def test_the_export_button_downloads_the_tables_rows_safely(page: Page, site, clerk, sign_in_as):
    ready = filer("Ready Ada", email="ada@firm.example", bar_number="NY1")
    record(clerk, ready, "email_current", on=datetime.date(2025, 6, 2))
    record(clerk, ready, "holders", value="Ready Ada")
    record(clerk, ready, "enrolled", on=datetime.date(2025, 6, 3))
    filer("=HYPERLINK(1)", email="formula@firm.example", bar_number="NY2")  # looks like a formula
    sign_in_as("compliance", "mfa-compliance")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Campaigns", exact=True).click()
    page.get_by_role("link", name="PACER MFA").click()
    page.get_by_role("link", name="All attorneys").click()
    expect(page.get_by_label("Select Ready Ada")).to_have_count(0)  # compliance reads, never records

    name, rows = download(page, page.get_by_test_id("export-csv"))
    assert name == "firmlink-campaign-2026-12-03.csv"
    header, *lines = rows
    assert header == [
        "attorney_name",
        "attorney_email",
        "bar_number",
        "status",
        "cannot_file",
        "deadline",
        "email_current_on",
        "holders_on",
        "holders",
        "enrolled_on",
        "backup_codes_on",
        "backup_codes",
        "vendor_on",
        "vendor",
        "holder_left_on",
        "holder_left",
        "holders_reviewed_on",
        "last_change_at",
        "last_change_by",
    ]
    by_name = {line[0]: dict(zip(header, line, strict=True)) for line in lines}
    assert set(by_name) == {"'=HYPERLINK(1)", "Ready Ada"}  # neutralised: a spreadsheet shows it as text
    formula, ada = by_name["'=HYPERLINK(1)"], by_name["Ready Ada"]
    assert (formula["status"], formula["cannot_file"], formula["deadline"]) == ("blocked", "yes", "2025-12-31")
    assert formula["enrolled_on"] == formula["last_change_at"] == ""
    assert (ada["status"], ada["cannot_file"], ada["bar_number"]) == ("needs_backup_place", "no", "NY1")
    assert (ada["email_current_on"], ada["holders"], ada["enrolled_on"]) == ("2025-06-02", "Ready Ada", "2025-06-03")
    assert ada["last_change_at"].startswith("2026-12-03T")

    # Filtered to those who cannot file: the button carries the filter.
    page.get_by_label("Cannot file now").check()
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_test_id("matching-count")).to_have_text("1 matching")
    _, rows = download(page, page.get_by_test_id("export-excel"))
    assert rows[0][0] == "\ufeffattorney_name" and [r[0] for r in rows[1:]] == ["'=HYPERLINK(1)"]
    logs = ExportLog.objects.filter(kind=ExportLog.Kind.CAMPAIGN).order_by("pk")
    assert [log.rows for log in logs] == [2, 1]


def test_a_password_typed_in_the_bulk_note_is_refused_and_not_given_back(page: Page, site, sign_in_as):
    """A refused bulk form comes back with its choices for another try, but never with a refused password
    (it is not kept in the session either)."""
    ann = filer("Ann Filer")
    sign_in_as("staff", "mfa-typist")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Campaigns", exact=True).click()
    page.get_by_role("link", name="PACER MFA").click()
    page.get_by_role("link", name="All attorneys").click()
    page.get_by_label("Select Ann Filer").check()
    page.get_by_label("Record for the selected attorneys").select_option(label="Who holds an authenticator app")
    page.get_by_label(re.compile(r"^Value")).fill("Ann Filer")
    page.get_by_label("Note", exact=True).fill("PACER password: Hunter2Secret!")
    page.get_by_role("button", name="Record for selected").click()
    expect(refused(page)).to_contain_text("This looks like it contains a password")
    assert mfa_steps(ann) == {}
    expect(page.get_by_label("Select Ann Filer")).to_be_checked()  # the choices are kept for another try...
    expect(page.get_by_label("Note", exact=True)).to_have_value("")  # ...but not the password
    assert "Hunter2Secret" not in page.content()


def test_an_attorney_leaving_gets_a_checklist_across_her_courts(page: Page, site):
    """From the attorney's page to the departure checklist; one court's item recorded by clicking."""
    ann = filer("Ann Filer")
    CourtLinkFactory(attorney=ann, court=CourtFactory(court_id="zzleave", name="Court of Leaving"))
    clerk_user = UserFactory(username="departure-clerk", role="staff")
    sign_in(page, site, clerk_user.username)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Attorneys", exact=True).click()
    page.get_by_role("link", name="Ann Filer").first.click()
    page.get_by_test_id("departure-link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ann Filer leaves the firm")
    expect(page.get_by_test_id("departure-progress")).to_have_text("0 of 7 done")
    card = page.locator("#departure-zzleave")
    card.locator("[data-step=open_cases]").get_by_label("Open cases: notices of change or withdrawal").select_option(
        "filed"
    )
    card.locator("[data-step=open_cases]").get_by_role("button", name="Record").click()
    expect(said(page)).to_contain_text("Recorded “Open cases: notices of change or withdrawal” in zzleave.")
    expect(page.get_by_test_id("departure-progress")).to_have_text("1 of 7 done")
    expect(page.get_by_test_id("departure-history-list")).to_contain_text("zzleave · open_cases")
