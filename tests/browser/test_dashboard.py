"""What each role sees and does in the dashboard, in a real browser against the live server."""

import datetime
import re

import pytest
from playwright.sync_api import Page, expect

from attorneys.choices import PacerAccount, Step
from attorneys.models import CourtLink, StepChange
from courts.models import Court
from tests.browser.conftest import sign_in
from tests.factories import AttorneyFactory, CourtLinkFactory, UserFactory
from tests.payloads import link_step

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def court(court_id: str) -> Court:
    """A court of the real directory the migrations load (canb went live 2021-02-16, ilnb 2021-05-24,
    azb goes live 2021-06-28, nysb has been live since 2018)."""
    return Court.objects.get(court_id=court_id)


@pytest.fixture
def firm():
    """Seven pairs on real courts. Cannot file now: James and Nora in canb, Mary and Peter in ilnb."""
    james = AttorneyFactory(name="James C Alison", email="james@firm.example", user=UserFactory(username="james"))
    mary = AttorneyFactory(name="Mary Major", email="mary@firm.example")
    peter = AttorneyFactory(name="Peter Quill", email="peter@firm.example", pacer_account=PacerAccount.LEGACY)
    nora = AttorneyFactory(name="Nora Newman", email="nora@firm.example")
    canb, ilnb, azb, nysb = (court(c) for c in ("canb", "ilnb", "azb", "nysb"))
    done = datetime.date(2021, 3, 1)
    return {
        "james": james,
        "mary": mary,
        "james_canb": CourtLinkFactory(attorney=james, court=canb),  # ready to link
        "james_azb": CourtLinkFactory(attorney=james, court=azb, cmecf_login_known=True),  # awaiting go-live
        "mary_canb": CourtLinkFactory(attorney=mary, court=canb, linked_on=done, menus_confirmed_on=done),
        "mary_ilnb": CourtLinkFactory(attorney=mary, court=ilnb),  # ready to link
        "peter_ilnb": CourtLinkFactory(attorney=peter, court=ilnb),  # needs a PACER upgrade
        "nora_canb": CourtLinkFactory(attorney=nora, court=canb, new_to_court=True),  # needs registration
        "nora_nysb": CourtLinkFactory(attorney=nora, court=nysb, efiling_account=False),  # not applicable
    }


def expect_pairs(page: Page, expected: set[tuple[str, str]]):
    """The pairs table shows exactly these (attorney, court) rows: the two links of each row."""
    rows = page.get_by_test_id("links-table").locator("tbody tr")
    expect(rows).to_have_count(len(expected))
    assert {tuple(row.get_by_role("link").all_inner_texts()) for row in rows.all()} == expected


def court_card(page: Page, court_id: str):
    """An attorney page's card for one court: a region named after its heading."""
    return page.get_by_role("region", name=re.compile(rf"\({court_id}\)$"))


def count(page: Page, status: str) -> int:
    return int(page.get_by_test_id(f"count-{status}").inner_text())


@pytest.mark.parametrize("role", ["administrator", "staff", "compliance"])
def test_firm_roles_land_on_the_overview(page: Page, site, sign_in_as, firm, role):
    sign_in_as(role)
    expect(page).to_have_url(site("/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Who cannot file where, and what is coming")
    expect(page.get_by_test_id("as-of-banner")).to_contain_text("Monday 14 June 2021")
    expect(page.get_by_role("navigation", name="Main")).to_contain_text(f"· {role}")
    expect(page.get_by_test_id("cannot-file-total")).to_have_text("4")
    cannot_file = page.get_by_test_id("cannot-file-table").locator("tbody tr")
    expect(cannot_file).to_have_count(4)
    # Longest overdue first: canb went live 2021-02-16, 118 days before 2021-06-14.
    expect(cannot_file.first).to_contain_text("118")
    expect(page.get_by_test_id("count-ready_to_link")).to_have_text("2")
    expect(page.get_by_test_id("count-complete")).to_have_text("1")
    expect(page.get_by_test_id("upcoming-table")).to_contain_text("Arizona Bankruptcy Court")


def test_an_attorney_lands_on_their_own_checklist_and_is_refused_the_firm_pages(page: Page, site, firm):
    sign_in(page, site, "james")
    expect(page).to_have_url(site(f"/attorneys/{firm['james'].pk}/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("James C Alison")
    expect(page.get_by_role("link", name="My checklist")).to_have_attribute("aria-current", "page")
    expect(page.get_by_role("link", name="Attorney-court pairs")).to_have_count(0)
    expect(page.get_by_test_id("cannot-file-alert")).to_contain_text("Cannot e-file now in: canb.")
    expect(page.get_by_test_id("court-card")).to_have_count(2)
    # An attorney reads the checklist but records nothing.
    expect(page.get_by_role("button", name="Record the link")).to_have_count(0)

    response = page.goto(site("/links/"))
    assert response.status == 403
    response = page.goto(site(f"/attorneys/{firm['mary'].pk}/"))
    assert response.status == 404


def test_links_filter_cannot_file_now_and_by_court(page: Page, site, sign_in_as, firm):
    sign_in_as("compliance")
    page.get_by_role("link", name="Attorney-court pairs").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Attorney-court pairs")
    expect(page.get_by_test_id("matching-count")).to_have_text("7 matching")

    page.get_by_label("Cannot file now", exact=True).check()
    page.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(r"cannot_file=on"))
    expect(page.get_by_test_id("matching-count")).to_have_text("4 matching")
    expect(page.get_by_label("Cannot file now", exact=True)).to_be_checked()
    expect_pairs(
        page,
        {("James C Alison", "canb"), ("Mary Major", "ilnb"), ("Peter Quill", "ilnb"), ("Nora Newman", "canb")},
    )
    table = page.get_by_test_id("links-table")
    expect(table).not_to_contain_text("azb")  # awaiting go-live: can still file on the old system
    expect(table).not_to_contain_text("nysb")  # PACER access only
    expect(table.get_by_text("Complete", exact=True)).to_have_count(0)

    page.get_by_label("Court", exact=True).select_option("canb")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_test_id("matching-count")).to_have_text("2 matching")
    expect_pairs(page, {("James C Alison", "canb"), ("Nora Newman", "canb")})

    # The court alone, without "Cannot file now": Mary's completed pair shows again.
    page.get_by_label("Cannot file now", exact=True).uncheck()
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_test_id("matching-count")).to_have_text("3 matching")
    expect_pairs(page, {("James C Alison", "canb"), ("Nora Newman", "canb"), ("Mary Major", "canb")})


def test_staff_record_a_link_and_every_page_reflects_it(page: Page, site, sign_in_as, firm):
    user = sign_in_as("staff")
    expect(page.get_by_test_id("count-ready_to_link")).to_have_text("2")
    ready, linked = count(page, "ready_to_link"), count(page, "linked")

    # From the overview's "Cannot file now" table to James's canb card.
    page.get_by_test_id("cannot-file-table").get_by_role("row").filter(has_text="James C Alison").get_by_role(
        "link", name="James C Alison"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("James C Alison")
    card = court_card(page, "canb")
    expect(card.locator(".status-badge")).to_have_text("Ready to link: cannot e-file")
    expect(card.get_by_label("Date")).to_have_value("2021-06-14")

    card.get_by_label("Name shown for CM/ECF").fill("James C Alison")
    card.get_by_label("Name shown for PACER").fill("James Alison")
    card.get_by_label(re.compile("I understand linking cannot be undone")).check()
    card.get_by_role("button", name="Record the link").click()

    expect(page.get_by_text("Recorded: Accounts linked in canb")).to_be_visible()
    expect(page).to_have_url(re.compile(r"#court-canb$"))
    card = court_card(page, "canb")
    expect(card.locator(".status-badge")).to_have_text("Linked, menus not confirmed")
    expect(card).to_contain_text("CM/ECF “James C Alison”, PACER “James Alison”")
    expect(card.get_by_test_id("names-mismatch")).to_have_count(0)
    expect(card.get_by_role("button", name="Record the link")).to_have_count(0)
    expect(card.get_by_role("button", name="Record menus visible")).to_be_visible()
    newest = page.get_by_test_id("history").get_by_role("listitem").first
    expect(newest).to_contain_text("canb · Accounts linked: — → 2021-06-14")
    expect(newest).to_contain_text(user.get_full_name())
    expect(page.get_by_test_id("cannot-file-alert")).to_have_count(0)

    page.get_by_role("link", name="Overview").click()
    expect(page.get_by_test_id("count-ready_to_link")).to_have_text(str(ready - 1))
    expect(page.get_by_test_id("count-linked")).to_have_text(str(linked + 1))
    expect(page.get_by_test_id("cannot-file-total")).to_have_text("3")
    expect(page.get_by_test_id("recent-changes").get_by_role("listitem").first).to_contain_text(
        "James C Alison in canb — Accounts linked"
    )

    page.goto(site("/courts/canb/"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("California Northern Bankruptcy Court")
    expect(page.get_by_test_id("go-live")).to_have_text("2021-02-16 (live)")
    expect(page.get_by_test_id("court-count-linked")).to_have_text("1")
    expect(page.get_by_test_id("court-count-ready_to_link")).to_have_count(0)
    expect(page.get_by_test_id("court-count-needs_registration")).to_have_text("1")
    row = page.get_by_test_id("court-attorneys-table").get_by_role("row").filter(has_text="James C Alison")
    expect(row).to_contain_text("Linked, menus not confirmed")
    expect(row).to_contain_text("2021-06-14")


def test_a_name_mismatch_is_recorded_and_highlighted(page: Page, site, sign_in_as, firm):
    sign_in_as("staff")
    page.goto(site(f"/attorneys/{firm['james'].pk}/"))
    card = court_card(page, "canb")
    card.get_by_label("Name shown for CM/ECF").fill("James C Alison")
    card.get_by_label("Name shown for PACER").fill("Jim Allison")
    card.get_by_label(re.compile("I understand linking cannot be undone")).check()
    card.get_by_role("button", name="Record the link").click()

    expect(page.get_by_text("Recorded: Accounts linked in canb")).to_be_visible()
    expect(page.get_by_text(re.compile("The names shown differ beyond a middle initial"))).to_be_visible()
    card = court_card(page, "canb")
    expect(card.locator(".status-badge")).to_have_text("Linked, menus not confirmed")
    mismatch = card.get_by_test_id("names-mismatch")
    expect(mismatch).to_be_visible()
    expect(mismatch).to_contain_text("differ beyond a middle initial")
    expect(card).to_contain_text("PACER “Jim Allison”")
    assert CourtLink.objects.get(pk=firm["james_canb"].pk).pacer_name_shown == "Jim Allison"


def test_compliance_sees_no_step_forms_and_a_direct_post_is_refused(page: Page, site, sign_in_as, firm):
    sign_in_as("compliance")
    james, link = firm["james"], firm["james_canb"]
    page.goto(site(f"/attorneys/{james.pk}/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("James C Alison")
    expect(court_card(page, "canb").locator(".status-badge")).to_have_text("Ready to link: cannot e-file")
    expect(page.locator("form.step-form")).to_have_count(0)
    for button in ("Record the link", "Record PACER account", "Mark as done", "Change to no"):
        expect(page.get_by_role("button", name=button)).to_have_count(0)

    # The page has no form to record with, but a hand-made POST with a valid CSRF token is refused too.
    token = page.locator("input[name=csrfmiddlewaretoken]").first.input_value()
    response = page.request.post(
        site(f"/attorneys/{james.pk}/record/"),
        form={
            "csrfmiddlewaretoken": token,
            **link_step(link, cmecf_name="James C Alison", pacer_name="James C Alison"),
        },
        headers={"Referer": site(f"/attorneys/{james.pk}/")},
        max_redirects=0,
    )
    assert response.status == 403
    assert "CSRF" not in response.text()  # refused for the role, not for a missing token
    response = page.request.post(
        site("/links/bulk/"),
        form={"csrfmiddlewaretoken": token, "action": "cmecf_login_known:yes", "links": str(link.pk)},
        max_redirects=0,
    )
    assert response.status == 403
    assert "CSRF" not in response.text()

    link.refresh_from_db()
    assert link.linked_on is None and not link.cmecf_login_known
    assert not StepChange.objects.filter(step__in=[Step.LINKED, Step.CMECF_LOGIN_KNOWN]).exists()
    page.reload()
    expect(court_card(page, "canb").locator(".status-badge")).to_have_text("Ready to link: cannot e-file")


def test_linking_before_go_live_is_refused_with_a_clear_message(page: Page, site, sign_in_as, firm):
    sign_in_as("staff")
    page.goto(site(f"/attorneys/{firm['james'].pk}/"))

    # azb goes live on 2021-06-28: no link form, the reason instead.
    card = court_card(page, "azb")
    expect(card.locator(".status-badge")).to_have_text("Awaiting go-live")
    expect(card.get_by_role("button", name="Record the link")).to_have_count(0)
    expect(card.get_by_label("Name shown for CM/ECF")).to_have_count(0)
    step = card.get_by_role("listitem").filter(has_text="CM/ECF account linked to the PACER account")
    reason = step.get_by_test_id("blocked-reason")
    expect(reason).to_be_visible()
    expect(reason).to_have_text(
        "Not yet: Arizona Bankruptcy Court goes live on NextGen on 2021-06-28: linking is impossible before that day."
    )

    # canb is live, but a link dated before its go-live (2021-02-16) is refused, the form kept as typed.
    card = court_card(page, "canb")
    card.get_by_label("Date").fill("2021-02-01")
    card.get_by_label("Name shown for CM/ECF").fill("James C Alison")
    card.get_by_label("Name shown for PACER").fill("James Alison")
    card.get_by_label(re.compile("I understand linking cannot be undone")).check()
    card.get_by_role("button", name="Record the link").click()
    expect(page.get_by_role("alert").filter(has_text="goes live on NextGen on 2021-02-16")).to_have_text(
        "California Northern Bankruptcy Court goes live on NextGen on 2021-02-16: "
        "linking is impossible before that day (2021-02-01 given)."
    )
    card = court_card(page, "canb")
    expect(card.locator(".status-badge")).to_have_text("Ready to link: cannot e-file")
    expect(card.get_by_label("Name shown for PACER")).to_have_value("James Alison")
    assert CourtLink.objects.get(pk=firm["james_canb"].pk).linked_on is None
    assert not StepChange.objects.filter(step=Step.LINKED).exists()


def test_bulk_record_for_selected_pairs(page: Page, site, sign_in_as, firm):
    sign_in_as("staff")
    page.goto(site("/links/"))
    table = page.get_by_test_id("links-table")

    def row(attorney: str, court_id: str):
        return (
            table.get_by_role("row")
            .filter(has=page.get_by_role("link", name=attorney))
            .filter(has=page.get_by_role("link", name=court_id, exact=True))
        )

    expect(row("James C Alison", "canb")).to_contain_text("Ready to link")
    # "Select all" (a static script: the Content-Security-Policy runs no inline one) ticks every row, and back.
    select_all = page.get_by_label("Select all on this page")
    select_all.check()
    boxes = table.locator('input[name="links"]')
    assert boxes.count() > 2 and all(boxes.nth(i).is_checked() for i in range(boxes.count()))
    select_all.uncheck()
    assert not any(boxes.nth(i).is_checked() for i in range(boxes.count()))
    for attorney, court_id in (("James C Alison", "canb"), ("Mary Major", "ilnb")):
        row(attorney, court_id).get_by_role("checkbox").check()
    page.get_by_label("Record for the selected pairs").select_option(label="Old CM/ECF login known")
    page.get_by_role("button", name="Record for selected").click()

    expect(page.get_by_text("Recorded “Old CM/ECF login known” for 2 pair(s).")).to_be_visible()
    expect(page).to_have_url(site("/links/"))
    known = {link.pk for link in CourtLink.objects.filter(cmecf_login_known=True)}
    assert known == {firm["james_canb"].pk, firm["mary_ilnb"].pk, firm["james_azb"].pk}
    changes = StepChange.objects.filter(step=Step.CMECF_LOGIN_KNOWN)
    assert {change.link_id for change in changes} == {firm["james_canb"].pk, firm["mary_ilnb"].pk}

    page.get_by_role("link", name="James C Alison").first.click()
    expect(page.get_by_test_id("history").get_by_role("listitem").first).to_contain_text("Old CM/ECF login known")


# Known problems: these fail until the app is fixed (strict, so a fix shows up as XPASS and the mark must go).


def test_the_pacer_account_select_is_labelled(page: Page, site, sign_in_as, firm):
    sign_in_as("staff")
    page.goto(site(f"/attorneys/{firm['james'].pk}/"))
    select = page.get_by_label("PACER account", exact=True)
    expect(select).to_have_count(1)
    select.select_option(label="Legacy PACER account")
    page.get_by_role("button", name="Record PACER account").click()
    expect(page.get_by_text("Recorded: PACER account (upgraded → legacy).")).to_be_visible()


def test_an_attorney_page_has_no_links_an_attorney_may_not_follow(page: Page, site, firm):
    sign_in(page, site, "james")
    card = court_card(page, "canb")
    expect(card.get_by_role("heading", name=re.compile("California Northern Bankruptcy Court"))).to_be_visible()
    expect(page.locator("a[href^='/courts/']")).to_have_count(0)
    expect(page.locator("a[href^='/links/']")).to_have_count(0)
