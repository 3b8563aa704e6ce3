"""Browser tests: Playwright (sync API) driving Debian's Chromium against pytest-django's live server.

Run them with a database of their own so they do not meet another test run::

    eval "$(.venv/bin/python scripts/detect_services.py)"
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/firmlink_browser \
        DJANGO_SETTINGS_MODULE=firmlink.settings.test .venv/bin/pytest tests/browser -q
"""

import os
import re
from pathlib import Path

import pytest
from django.test import override_settings
from playwright.sync_api import Page, expect, sync_playwright

from tests.dates import AS_OF
from tests.factories import UserFactory

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
PASSWORD = "correct horse battery staple"  # UserFactory's password
VIEWPORT = {"width": 1400, "height": 900}

# Playwright's default of 30 s per action hides a hung page for too long; pages here answer in well under a second.
expect.set_options(timeout=10_000)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's Chromium (``playwright install`` cannot download browsers on our machines)."""
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing: install Debian's chromium ('make chromium')"
        if CI:
            pytest.fail(f"CI=true but {message}", pytrace=False)
        pytest.skip(message)
    return {**browser_type_launch_args, "executable_path": str(CHROMIUM), "args": CHROMIUM_ARGS}


# Playwright's sync API runs an asyncio event loop in the main thread for as long as it is started. pytest-playwright
# keeps it for the whole session, so every later test (pytest-django runs the non-database tests, such as the
# deploy check of tests/test_settings.py, after the transactional ones) would run beside a "running" loop and
# inherit DJANGO_ALLOW_ASYNC_UNSAFE, in its process and in the subprocesses it starts. The fixtures that hold
# Playwright are therefore scoped to this package: started for the first browser test, stopped after the last.


@pytest.fixture(scope="package")
def playwright(_pw_api_request_contexts):
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    # Django refuses ORM calls from a thread with a running event loop unless told this is deliberate: the tests
    # (and pytest-django's flushes between them) do call the ORM in the main thread while Playwright's loop runs.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    pw = sync_playwright().start()
    if _pw_api_request_contexts:
        _pw_api_request_contexts.instrument(pw)
    try:
        yield pw
    finally:
        pw.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="package")
def browser_type(playwright, browser_name):
    return getattr(playwright, browser_name)


@pytest.fixture(scope="package")
def launch_browser(browser_type_launch_args, browser_type):
    def launch(**kwargs):
        return browser_type.launch(**{**browser_type_launch_args, **kwargs})

    return launch


@pytest.fixture(scope="package")
def browser(launch_browser):
    browser = launch_browser()
    yield browser
    browser.close()


@pytest.fixture(scope="package")
def browser_context_args(pytestconfig, playwright, device, base_url, _pw_artifacts_folder):
    args = {"viewport": VIEWPORT, "locale": "en-US", "timezone_id": "America/New_York"}
    if device:
        args.update(playwright.devices[device])
    if base_url:
        args["base_url"] = base_url
    if pytestconfig.getoption("--video") in ("on", "retain-on-failure"):
        args["record_video_dir"] = _pw_artifacts_folder.name
    return args


@pytest.fixture(autouse=True)
def as_of():
    """The firm lives on 2021-06-14. Settings are read per request, so the live server sees it too."""
    with override_settings(FIRMLINK_AS_OF=AS_OF):
        yield AS_OF


@pytest.fixture
def page(page: Page):
    """Playwright's page, failing the test on any uncaught script error in the pages it visited, and on any
    Content-Security-Policy violation (an inline script or style the policy blocked: a page that lost part of
    itself without saying so)."""
    errors, blocked = [], []
    page.on("pageerror", lambda error: errors.append(error))
    page.on(
        "console",
        lambda message: (
            blocked.append(f"{page.url}: {message.text}")
            if message.type == "error" and "Content Security Policy" in message.text
            else None
        ),
    )
    page.set_default_timeout(10_000)
    page.set_default_navigation_timeout(15_000)
    yield page
    assert not errors, f"script errors in the page: {errors}"
    assert not blocked, "the Content-Security-Policy blocked:\n" + "\n".join(blocked)


@pytest.fixture
def site(live_server):
    """Absolute addresses on the live server."""

    def url(path: str) -> str:
        return live_server.url + path

    return url


def sign_in(page: Page, site, username: str, password: str = PASSWORD):
    """Through the real login form, as a user would."""
    page.goto(site("/accounts/login/"))
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))


@pytest.fixture
def sign_in_as(page, site):
    """Create a user with a firm role and sign in as them; returns the user."""

    def login(role: str, username: str | None = None):
        user = UserFactory(username=username or f"{role}-browser", role=role)
        sign_in(page, site, user.username)
        return user

    return login
