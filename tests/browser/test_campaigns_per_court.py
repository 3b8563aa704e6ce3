"""Campaigns per attorney and court in the browser, on the real date (2026-12-03): from the campaigns list
to an ACMS court's blocked pair, recording that attorney's steps in that court; an administrator
correcting a court's cutover; a bar renewal recorded on the attorney's page, due date computed."""

import datetime

import pytest
from django.test import override_settings
from playwright.sync_api import Page, expect

from campaigns.models import CourtDate, Progress
from courts.models import Court
from tests.factories import AttorneyFactory, CourtLinkFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REAL_DATE = datetime.date(2026, 12, 3)


@pytest.fixture(autouse=True)
def as_of():
    with override_settings(FIRMLINK_AS_OF=REAL_DATE):
        yield REAL_DATE


def pair(court_id: str, name: str):
    attorney = AttorneyFactory(name=name)
    return CourtLinkFactory(attorney=attorney, court=Court.objects.get(court_id=court_id))


def said(page: Page):
    return page.locator('main [aria-live="polite"]').get_by_role("status")


def test_an_acms_pair_that_cannot_file_is_found_and_its_steps_recorded(page: Page, site, sign_in_as):
    pair("ca9", "Nina Ninth")
    pair("nysd", "Dora District")  # not an ACMS court: not in the campaign
    sign_in_as("staff", "acms-clerk")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Campaigns").click()
    page.get_by_role("link", name="Appellate ACMS").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Appellate ACMS")
    expect(page.locator("#blocked-title")).to_have_text("Cannot file now: 1 of 1 in scope")
    courts = page.get_by_test_id("campaign-courts")
    expect(courts).to_contain_text("2023-10-01")
    expect(courts).to_contain_text("2021-05-01: New immigration petitions for review filed in ACMS")
    expect(courts).to_contain_text("cavc")
    page.get_by_test_id("campaign-blocked").get_by_role("link", name="Nina Ninth").click()

    block = page.locator("#campaign-acms-ca9")
    expect(block).to_contain_text("Not registered: cannot file new cases")
    registered = block.locator('[data-step="acms_registered"]')
    expect(registered).to_contain_text("Needs the upgraded PACER account first.")
    upgraded = block.locator('[data-step="pacer_upgraded"]')
    upgraded.get_by_label("Date").fill("2023-08-01")
    upgraded.get_by_role("button", name="Record").click()
    expect(said(page)).to_have_text("Recorded: Appellate ACMS, PACER account upgraded (NextGen) (2023-08-01).")
    registered.get_by_label("Date").fill("2023-09-15")
    registered.get_by_role("button", name="Record").click()
    expect(block.locator("[data-status]").first).to_have_text("First login and test")
    expect(page.get_by_test_id("history")).to_contain_text("Appellate ACMS: Registered to file in this court")
    assert Progress.objects.filter(campaign="acms", court__court_id="ca9").count() == 2


def test_an_administrator_corrects_a_court_cutover(page: Page, site, sign_in_as):
    pair("ca2", "Sam Second")
    sign_in_as("administrator", "acms-admin")
    page.goto(site("/campaigns/acms/"))
    row = page.get_by_test_id("campaign-courts").locator("tr").filter(has_text="ca2")
    row.get_by_text("correct").click()
    row.get_by_label("New date for ca2").fill("2023-06-01")
    row.get_by_label("Why").fill("The clerk's notice of April 2023")
    row.get_by_role("button", name="Save date").click()
    expect(said(page)).to_have_text("Appellate ACMS in ca2: 2023-06-01 (in the history).")
    expect(page.get_by_test_id("campaign-courts").locator("tr").filter(has_text="ca2")).to_contain_text(
        "corrected by the firm"
    )
    assert CourtDate.objects.get(campaign="acms", court__court_id="ca2").date == datetime.date(2023, 6, 1)


def test_a_bar_renewal_is_recorded_on_the_attorneys_page_and_the_due_date_follows(page: Page, site, sign_in_as):
    link = pair("txsd", "Tex Southern")
    pair("nysd", "Tex Southern 2")
    sign_in_as("staff", "renewal-clerk")
    page.goto(site(f"/attorneys/{link.attorney_id}/"))
    block = page.locator("#campaign-bar_renewal-txsd")
    expect(block).to_contain_text("Every 5 years from admission")
    expect(block.locator("[data-status]").first).to_have_text("Admission date needed")
    admitted = block.locator('[data-step="admitted"]')
    admitted.get_by_label("Date").fill("2021-12-20")
    admitted.get_by_role("button", name="Record").click()
    block = page.locator("#campaign-bar_renewal-txsd")
    expect(block.locator("[data-status]").first).to_have_text("Renew now")
    expect(block).to_contain_text("Renewal deadline 2026-12-20")
    expect(block.locator('[data-step="due"]')).to_contain_text("2026-12-20")
    expect(block.locator('[data-step="due"]').get_by_role("button", name="Record")).to_have_count(0)
    # The campaign's table shows the pair, filtered by court.
    page.goto(site("/campaigns/bar_renewal/attorneys/?court=txsd"))
    table = page.get_by_test_id("campaign-table")
    expect(table.locator("tbody tr")).to_have_count(1)
    expect(table).to_contain_text("2026-12-20")
