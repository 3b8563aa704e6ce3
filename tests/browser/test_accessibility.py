"""Every page of the dashboard: zero axe-core violations, and no sideways scrolling on a phone.

axe-core comes from the npm registry, pinned in package.json / package-lock.json; `make test` installs it
into node_modules (`npm ci`). Each page is checked at a phone's 390 x 844 (the page may not be wider than
the window: a wide table scrolls inside its own `.table-responsive` box) and at the desktop size, with
axe-core's default rules (WCAG 2.x A and AA, and its best practices). All problems of all pages are
gathered and reported together, readably, before the test fails.
"""

import datetime
import inspect
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import Page, expect

from attorneys import tokens
from attorneys.choices import Step
from attorneys.models import Attorney, ExportLog, StepChange
from tasks.models import Reminder, ReminderRun, ReminderStatus
from tests.browser.conftest import CI, PASSWORD, VIEWPORT, sign_in
from tests.browser.test_screenshots import most_varied_blocked_attorney
from tests.dates import AS_OF
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
AXE_PATH = "/__browser-tests__/axe.min.js"  # answered by the test (Page.route), never by the server
PHONE = {"width": 390, "height": 844}
VIEWPORTS = {"phone 390x844": PHONE, f"desktop {VIEWPORT['width']}x{VIEWPORT['height']}": VIEWPORT}
# axe-core's defaults already run these; the test fails if a future version stopped doing so.
REQUIRED_TAGS = {"wcag2a", "wcag2aa", "wcag21a", "wcag21aa"}
# axe-core leaves text in the colour of its background (1:1) "incomplete", as it might be hidden on purpose:
# here such text is a violation too (visually hidden text uses .visually-hidden, never the background colour).
RUN_AXE = """async () => {
  const results = await axe.run(document, {resultTypes: ["violations", "incomplete"]});
  const tags = new Set();
  for (const rule of [...results.passes, ...results.violations, ...results.incomplete, ...results.inapplicable]) {
    rule.tags.forEach((tag) => tags.add(tag));
  }
  const invisible = results.incomplete
    .filter((rule) => rule.id === "color-contrast")
    .map((rule) => ({
      ...rule,
      id: "color-contrast (text in its background's colour)",
      nodes: rule.nodes.filter((n) => n.any.some((check) => /1:1 contrast ratio/.test(check.message))),
    }))
    .filter((rule) => rule.nodes.length);
  return {
    version: axe.version,
    tags: [...tags],
    violations: [...results.violations, ...invisible].map((v) => ({
      id: v.id,
      impact: v.impact || "serious",
      help: v.help,
      helpUrl: v.helpUrl,
      nodes: v.nodes.map((n) => ({
        target: n.target.join(" "),
        html: n.html,
        summary: n.failureSummary || n.any.map((check) => check.message).join("; "),
      })),
    })),
  };
}"""

# The page's width against the window's, and the elements that stick out (outside a box that scrolls by itself).
MEASURE_WIDTH = """() => {
  const width = window.innerWidth;
  // Whether a box that clips or scrolls holds the element (an absolutely positioned element escapes the
  // boxes between it and its containing block).
  const scrolls = (el) => {
    let position = getComputedStyle(el).position;
    for (let p = el.parentElement; p; p = p.parentElement) {
      if (position === "fixed") return false;
      const style = getComputedStyle(p);
      if (position === "absolute" && style.position === "static") continue;
      if (["auto", "scroll", "hidden", "clip"].includes(style.overflowX)) return true;
      position = style.position;
    }
    return false;
  };
  const wide = [];
  const scrollWidth = document.documentElement.scrollWidth;
  if (scrollWidth <= width) return {scrollWidth, innerWidth: width, wide};
  for (const el of document.body.querySelectorAll("*")) {
    const box = el.getBoundingClientRect();
    if (box.width && box.right > width + 0.5 && !scrolls(el)) {
      const id = el.id ? "#" + el.id : "";
      const classes = el.classList.length ? "." + [...el.classList].join(".") : "";
      const testid = el.dataset.testid ? `[data-testid=${el.dataset.testid}]` : "";
      wide.push(`${el.tagName.toLowerCase()}${id}${classes}${testid}: right edge at ${Math.round(box.right)} px`);
    }
  }
  return {scrollWidth, innerWidth: width, wide: wide.slice(0, 8)};
}"""


@dataclass
class Visit:
    name: str
    path: str
    status: int = 200
    posted: bool = False


@pytest.fixture(autouse=True)
def axe_installed():
    if not AXE.exists():
        message = f"{AXE} is missing: install axe-core from npm ('make node_modules', or 'npm ci')"
        if CI:
            pytest.fail(f"CI=true but {message}", pytrace=False)
        pytest.skip(message)


class Checker:
    """Loads pages at each viewport, runs axe-core and measures the width; gathers every problem."""

    def __init__(self, page: Page, site):
        self.page, self.site = page, site
        self.problems: list[str] = []
        self.checked: list[str] = []
        self.widths: dict[str, int] = {}
        # The pages' Content-Security-Policy allows scripts from the site only (no inline script, which is what
        # add_script_tag(path=...) would insert): axe-core is served as if from the live server itself.
        self.axe_url = site(AXE_PATH)
        page.route(self.axe_url, lambda route: route.fulfill(path=AXE, content_type="text/javascript"))

    def check(self, visit: Visit, viewports=VIEWPORTS):
        for viewport_name, size in viewports.items():
            self.page.set_viewport_size(size)
            response = self.page.goto(self.site(visit.path))
            assert response is not None and response.status == visit.status, (
                f"{visit.name} ({visit.path}): HTTP {response and response.status}, expected {visit.status}"
            )
            self.check_loaded(visit, viewport_name, size)

    def check_posted(self, visit: Visit, post: Callable[[Page], None], viewports=VIEWPORTS):
        """A page as a posted form leaves it: ``post`` fills and sends the form of ``visit.path``."""
        for viewport_name, size in viewports.items():
            self.page.set_viewport_size(size)
            self.page.goto(self.site(visit.path))
            post(self.page)
            self.check_loaded(visit, viewport_name, size)

    def check_loaded(self, visit: Visit, viewport_name: str, size: dict):
        where = f"{visit.name} ({visit.path}{', posted' if visit.posted else ''}) at {viewport_name}"
        self.checked.append(where)
        self.page.evaluate("document.fonts.ready.then(() => true)")
        width = self.page.evaluate(MEASURE_WIDTH)
        self.widths[where] = width["scrollWidth"]
        if width["scrollWidth"] > width["innerWidth"]:
            lines = "\n".join(f"      {line}" for line in width["wide"])
            self.problems.append(
                f"{where}: scrolls sideways, the page is {width['scrollWidth']} px wide in a "
                f"{width['innerWidth']} px window; sticking out:\n{lines}"
            )
        self.page.add_script_tag(url=self.axe_url)
        result = self.page.evaluate(RUN_AXE)
        missing = REQUIRED_TAGS - set(result["tags"])
        assert not missing, f"axe-core {result['version']} no longer runs the rules tagged {sorted(missing)}"
        for violation in result["violations"]:
            nodes = "\n".join(
                f"      - {node['target']}\n        {node['html'][:200]}\n        "
                + node["summary"].replace("\n", "\n        ")
                for node in violation["nodes"][:6]
            )
            more = f"\n      ... and {len(violation['nodes']) - 6} more" if len(violation["nodes"]) > 6 else ""
            self.problems.append(
                f"{where}: [{violation['impact']}] {violation['id']}: {violation['help']} "
                f"({len(violation['nodes'])} element{'s' if len(violation['nodes']) != 1 else ''}, "
                f"{violation['helpUrl']})\n{nodes}{more}"
            )

    def assert_clean(self):
        report = "\n\n".join(self.problems)
        assert not self.problems, (
            f"{len(self.problems)} problem(s) on {len(self.checked)} page checks "
            f"(axe-core violations and sideways scrolling):\n\n{report}"
        )


@pytest.fixture
def demo():
    """The demo firm (60 attorneys on the real courts, as of 2021-06-14), its administrator able to sign in,
    and an attorney with a login of their own: the one who cannot file somewhere, with the most statuses."""
    call_command("seed_demo", verbosity=0)
    admin = get_user_model().objects.get(username="admin")
    admin.set_password(PASSWORD)
    admin.save(update_fields=["password"])
    paralegal = get_user_model().objects.get(username="paralegal")
    paralegal.set_password(PASSWORD)
    paralegal.save(update_fields=["password"])
    pk, _name = most_varied_blocked_attorney()
    attorney = Attorney.objects.get(pk=pk)
    attorney.user = UserFactory(username="own-attorney", first_name="", last_name="")
    attorney.save(update_fields=["user"])
    # The states the demo does not reach by itself: a reminder run with a failed and a sent reminder,
    # an export that did not complete.
    blocked = attorney.links.cannot_file().select_related("court").first()
    ReminderRun.objects.create(run_on=AS_OF, sent=1, failed=1)
    for status, occasion in ((ReminderStatus.FAILED, "after-3"), (ReminderStatus.SENT, "go-live")):
        Reminder.objects.create(
            link=blocked,
            attorney=attorney,
            occasion=occasion,
            kind="after",
            days=3,
            due_on=AS_OF,
            go_live=blocked.court.live_since,
            status=status,
            last_error="550 5.1.1 mailbox unavailable" if status == ReminderStatus.FAILED else "",
            sent_at=datetime.datetime(2021, 6, 14, 12, 0, tzinfo=datetime.UTC)
            if status == ReminderStatus.SENT
            else None,
        )
    ExportLog.objects.create(
        actor="Alex Admin", kind=ExportLog.Kind.HISTORY, channel="command", filters={"court": ["canb"]}, as_of=AS_OF
    )
    return attorney


def self_service_token(attorney: Attorney) -> str:
    """The attorney's signed link token (``tokens.make`` takes the attorney, or in older code its id)."""
    takes_attorney = "attorney" in inspect.signature(tokens.make).parameters
    return tokens.make(attorney if takes_attorney else attorney.pk)


def correctable_entry() -> StepChange:
    """A recorded link (dated, and with the note that linking cannot be undone) nobody changed since."""
    for change in StepChange.objects.filter(step=Step.LINKED, corrects__isnull=True).order_by("-changed_at"):
        if not change.corrections.exists():
            return change
    raise AssertionError("the demo firm has no recorded link to correct")


def test_every_page_has_no_axe_violations_and_no_sideways_scrolling(page: Page, site, demo):
    checker = Checker(page, site)
    attorney = demo
    court_id = attorney.links.order_by("court__court_id").values_list("court__court_id", flat=True).first()
    login_pk = get_user_model().objects.get(username="paralegal").pk

    # Signed out: the login page, an expired or broken signed link, and the attorney's own signed link.
    checker.check(Visit("login page", "/accounts/login/"))
    checker.check(Visit("self-service page", reverse("self-service", args=[self_service_token(attorney)])))
    checker.check(Visit("invalid signed link", reverse("self-service", args=["not-a-token"]), status=403))

    def wrong_password(page: Page):
        page.locator("#id_username").fill("nobody-here")  # not the administrator: no lockout to meet later
        page.locator("#id_password").fill("not the password")
        page.get_by_role("button", name="Sign in").click()
        expect(page.get_by_role("alert")).to_be_visible()

    checker.check_posted(Visit("login page, refused", "/accounts/login/", posted=True), wrong_password)

    def locked_out(page: Page):
        for _ in range(settings.AXES_FAILURE_LIMIT):  # until locked out (at once, the second time round)
            if page.get_by_test_id("locked-out").count():
                break
            page.locator("#id_username").fill("locked-out-user")
            page.locator("#id_password").fill("not the password")
            page.get_by_role("button", name="Sign in").click()
        expect(page.get_by_test_id("locked-out")).to_be_visible()

    checker.check_posted(Visit("sign-in locked", "/accounts/login/", posted=True), locked_out)

    # The administrator: every firm page.
    sign_in(page, site, "admin")
    page.request.get(site("/links/?_export=csv"))  # an entry for the exports log
    for name, path in (
        ("overview", "/"),
        ("attorney-court pairs", "/links/"),
        ("attorney-court pairs, cannot file, sorted", "/links/?cannot_file=on&sort=go_live"),
        ("attorneys", "/attorneys/"),
        ("attorney page (administrator)", f"/attorneys/{attorney.pk}/"),
        ("courts", "/courts/"),
        ("courts, a middle page", "/courts/?per_page=25&page=4"),
        ("court page (administrator)", f"/courts/{court_id}/"),
        ("history", "/history/"),
        ("verification queue", "/verify/"),
        ("logins", "/logins/"),
        ("login form", f"/logins/{login_pk}/"),
        ("new login form", "/logins/new/"),
        ("add an attorney", "/attorneys/new/"),
        ("edit an attorney", f"/attorneys/{attorney.pk}/edit/"),
        ("correct an entry", f"/history/{correctable_entry().pk}/correct/"),
        ("search results", f"/search/?q={attorney.name.split()[-1]}"),
        ("search without results", "/search/?q=zzzzzz"),
        ("roster import", "/roster/import/"),
        ("exports log", "/exports/"),
        ("change your password", "/accounts/password/"),
        ("campaigns", "/campaigns/"),
        ("PACER MFA overview", "/campaigns/pacer_mfa/"),
        ("PACER MFA attorneys", "/campaigns/pacer_mfa/attorneys/"),
        ("PACER MFA dates and scope", "/campaigns/pacer_mfa/settings/"),
        ("bar renewals overview", "/campaigns/bar_renewal/"),
        ("bar renewals pairs", "/campaigns/bar_renewal/attorneys/"),
        ("notice routing overview", "/campaigns/notice_routing/"),
        ("notice routing pairs", "/campaigns/notice_routing/attorneys/"),
        ("ACMS overview", "/campaigns/acms/"),
        ("filing agents pairs", "/campaigns/filing_agents/attorneys/"),
        ("staff", "/staff/"),
        ("ACMS pairs", "/campaigns/acms/attorneys/"),
        ("leaving the firm", f"/attorneys/{attorney.pk}/departure/"),
    ):
        checker.check(Visit(name, path))
    checker.check(Visit("not found", "/no-such-page/", status=404))

    # Pages as a posted form leaves them: refused forms with their errors, a go-live correction's impact, a preview.
    def save_empty(page: Page):
        page.get_by_role("button", name="Save").click()
        expect(page.locator(".invalid-feedback").first).to_be_visible()

    def clear_name(page: Page):
        page.locator("#id_name").fill("")
        save_empty(page)

    def correct_go_live(page: Page):
        page.get_by_label("NextGen go-live").fill("2021-07-01")
        page.get_by_label("Where the corrected date comes from").fill("Postponed, clerk's call")
        page.get_by_role("button", name="Save the corrected date").click()
        expect(page.get_by_test_id("go-live-impact")).to_be_visible()

    checker.check_posted(Visit("add an attorney, refused", "/attorneys/new/", posted=True), save_empty)
    checker.check_posted(Visit("edit an attorney, refused", f"/attorneys/{attorney.pk}/edit/", posted=True), clear_name)
    checker.check_posted(Visit("go-live correction, its impact", f"/courts/{court_id}/", posted=True), correct_go_live)
    page.goto(site("/roster/import/"))
    page.locator("#id_file").set_input_files(
        files=[
            {
                "name": "roster.csv",
                "mimeType": "text/csv",
                "buffer": b"attorney_name,attorney_email,court_id\nRosa Roster,rosa.roster@demo-firm.example,canb\n",
            }
        ]
    )
    page.get_by_role("button", name="Upload and preview").click()
    expect(page).to_have_url(re.compile(r"/roster/import/\d+/$"))
    checker.check(Visit("roster preview", page.url.removeprefix(site(""))))
    checker.check(Visit("roster import, with recent uploads", "/roster/import/"))

    # Staff: the attorney page with its step forms, a court page without the administrator's correction form.
    page.context.clear_cookies()
    sign_in(page, site, "paralegal")
    checker.check(Visit("attorney page (staff)", f"/attorneys/{attorney.pk}/"))
    checker.check(Visit("court page (staff)", f"/courts/{court_id}/"))
    checker.check(Visit("not allowed", "/logins/", status=403))

    # The attorney themself: their own checklist.
    page.context.clear_cookies()
    sign_in(page, site, "own-attorney")
    expect(page).to_have_url(site(f"/attorneys/{attorney.pk}/"))
    checker.check(Visit("attorney page (the attorney)", f"/attorneys/{attorney.pk}/"))

    print("\npage widths at checks:\n" + json.dumps(checker.widths, indent=1))
    checker.assert_clean()
