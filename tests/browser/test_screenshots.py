"""The demo firm in a real browser; with FIRMLINK_SCREENSHOTS=1 it also refreshes the README screenshots.

FIRMLINK_SCREENSHOTS=1 DATABASE_URL=... .venv/bin/pytest tests/browser/test_screenshots.py
"""

import datetime
import os
import re
from collections import defaultdict
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import override_settings
from playwright.sync_api import Page, expect

from attorneys.models import CourtLink
from tests.browser.conftest import PASSWORD, VIEWPORT, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
WRITE = os.environ.get("FIRMLINK_SCREENSHOTS", "") == "1"


def most_varied_blocked_attorney() -> tuple[int, str]:
    """(pk, name) of the active attorney who cannot file somewhere and whose courts show the most statuses."""
    links = CourtLink.objects.filter(attorney__is_active=True)
    statuses = defaultdict(set)
    for pk, status in links.with_status().values_list("attorney_id", "status"):
        statuses[pk].add(status)
    blocked = dict(links.cannot_file().values_list("attorney_id", "attorney__name"))
    pk = min(blocked, key=lambda pk: (-len(statuses[pk]), blocked[pk], pk))
    return pk, blocked[pk]


def shoot(page: Page, name: str):
    if WRITE:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=SCREENSHOTS / name, full_page=True, animations="disabled")


# As `make run` shows the demo: no firm name configured (the test settings set one).
@override_settings(FIRMLINK_FIRM_NAME="")
def test_demo_firm_overview_and_an_attorney_who_cannot_file(page: Page, site):
    call_command("seed_demo", verbosity=0)  # 60 attorneys on the real courts, as of 2021-06-14
    admin = get_user_model().objects.get(username="admin")
    admin.set_password(PASSWORD)
    admin.save(update_fields=["password"])
    page.set_viewport_size(VIEWPORT)

    sign_in(page, site, "admin")
    expect(page.get_by_role("heading", level=1)).to_have_text("Who cannot file where, and what is coming")
    cannot_file = page.get_by_test_id("cannot-file-table").locator("tbody tr")
    expect(cannot_file.first).to_be_visible()
    assert int(page.get_by_test_id("cannot-file-total").inner_text()) > 0
    expect(page.get_by_test_id("upcoming-table")).to_be_visible()
    expect(page.get_by_test_id("recent-changes").get_by_role("listitem")).not_to_have_count(0)
    shoot(page, "overview.png")

    # An attorney who cannot file in a live court, with the most varied checklist, reached from that table.
    pk, name = most_varied_blocked_attorney()
    page.get_by_test_id("cannot-file-table").get_by_role("link", name=name, exact=True).and_(
        page.locator(f"[href^='/attorneys/{pk}/']")
    ).first.click()
    expect(page).to_have_url(re.compile(rf"/attorneys/{pk}/#court-"))
    expect(page.get_by_role("heading", level=1)).to_have_text(name)
    expect(page.get_by_test_id("cannot-file-alert")).to_be_visible()
    expect(page.locator("[data-testid=court-card].border-danger").first).to_be_visible()
    expect(page.get_by_test_id("history").get_by_role("listitem")).not_to_have_count(0)
    page.evaluate("window.scrollTo(0, 0)")
    shoot(page, "attorney.png")


# `make run FIRMLINK_AS_OF=`: the demo firm on the real date, in its second campaign.
@override_settings(FIRMLINK_FIRM_NAME="", FIRMLINK_AS_OF=datetime.date(2026, 12, 3))
def test_on_the_real_date_the_mfa_campaign_names_who_cannot_file(page: Page, site):
    call_command("seed_demo", verbosity=0)
    admin = get_user_model().objects.get(username="admin")
    admin.set_password(PASSWORD)
    admin.save(update_fields=["password"])
    page.set_viewport_size(VIEWPORT)

    sign_in(page, site, "admin")
    page.get_by_role("link", name="Campaigns").click()
    page.get_by_test_id("campaign-list").get_by_role("link", name="PACER MFA").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("PACER MFA")
    expect(page.get_by_test_id("campaign-dates")).to_contain_text("2025-12-31")
    blocked = page.get_by_test_id("campaign-blocked").get_by_role("link")
    expect(blocked.first).to_be_visible()
    shoot(page, "campaign-mfa.png")
    name = blocked.first.inner_text()
    blocked.first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(name)
    card = page.locator("#campaign-pacer_mfa")
    expect(card).to_contain_text("Not enrolled: cannot file")
