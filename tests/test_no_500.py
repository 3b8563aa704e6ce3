"""Property: whatever is posted to a form or put in a query string, Firmlink answers below 500.

Every form is found the way a user finds it: each page is fetched and its <form>s read (action,
method, field names and the values they offer). Hypothesis then sends each form and each query
string arbitrary values (control characters, NUL, huge, negative, dates out of range, lists)
mixed with the values the page offers, so that deeper paths are reached too. The Django test
client raises any exception a view lets through, so a failure shows its traceback.

Runs with the suite's settings profile (tests/conftest.py): a fixed seed in CI, so the suite
stays deterministic; ``HYPOTHESIS_PROFILE=explore`` looks much further.
"""

import datetime
from html.parser import HTMLParser
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from attorneys import tokens
from attorneys.choices import Step
from attorneys.models import RosterImport, StepChange
from attorneys.services.steps import step_record
from core.audit import Actor
from tests.factories import AttorneyFactory, CourtFactory, CourtLinkFactory, UserFactory

pytestmark = pytest.mark.django_db

SKIPPED_FIELDS = {"csrfmiddlewaretoken"}


class Forms(HTMLParser):
    """The forms of a page: (action, method, {field name: [values offered]})."""

    def __init__(self, page_url: str):
        super().__init__()
        self.page_url = page_url
        self.forms: list[tuple[str, str, dict[str, list[str]]]] = []
        self._fields: dict[str, list[str]] | None = None
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._fields = {}
            action = attrs.get("action") or self.page_url
            self.forms.append((action, (attrs.get("method") or "get").lower(), self._fields))
        elif self._fields is None or not attrs.get("name") or attrs["name"] in SKIPPED_FIELDS:
            if tag == "option" and self._select and self._fields is not None:
                self._fields[self._select].append(attrs.get("value", ""))
            return
        elif tag in ("input", "textarea", "button"):
            self._fields.setdefault(attrs["name"], []).append(attrs.get("value", ""))
        elif tag == "select":
            self._select = attrs["name"]
            self._fields.setdefault(attrs["name"], [])

    def handle_endtag(self, tag):
        if tag == "form":
            self._fields = None
        elif tag == "select":
            self._select = None


@pytest.fixture
def firm(pinned_date):
    admin = UserFactory(username="root-admin", role="administrator")
    live = CourtFactory(court_id="zzlive", nextgen_go_live=datetime.date(2021, 2, 16))
    later = CourtFactory(court_id="zzlater", nextgen_go_live=datetime.date(2021, 7, 6))
    attorney = AttorneyFactory(name="Ann Example", email="ann@firm.example", user=UserFactory(username="ann"))
    link = CourtLinkFactory(attorney=attorney, court=live)
    CourtLinkFactory(attorney=attorney, court=later)
    CourtLinkFactory(court=live)
    step_record(step=Step.CMECF_LOGIN_KNOWN, actor=Actor.attorney_self(attorney), link_id=link.pk, value=True)
    change = StepChange.objects.get(step=Step.CMECF_LOGIN_KNOWN)
    preview = RosterImport.objects.create(
        uploaded_by=admin, filename="r.csv", content=b"attorney_name,attorney_email,court_id\nB,b@f.example,zzlive\n"
    )
    return {"admin": admin, "attorney": attorney, "link": link, "change": change, "preview": preview}


def pages(firm) -> list[str]:
    from django.urls import reverse

    attorney, preview = firm["attorney"], firm["preview"]
    return [
        reverse("overview"),
        reverse("link-list"),
        reverse("attorney-list"),
        reverse("attorney-new"),
        reverse("attorney-detail", args=[attorney.pk]),
        reverse("attorney-edit", args=[attorney.pk]),
        reverse("login-list"),
        reverse("login-new"),
        reverse("login-edit", args=[attorney.user_id]),
        reverse("history"),
        reverse("history-correct", args=[firm["change"].pk]),
        reverse("verify"),
        reverse("search") + "?q=ann",
        reverse("roster-upload"),
        reverse("roster-preview", args=[preview.pk]),
        reverse("export-log"),
        reverse("court-list"),
        reverse("court-detail", args=["zzlive"]),
        reverse("court-go-live", args=["zzlive"]),
        reverse("self-service", args=[tokens.make(attorney)]),
        reverse("password_change"),
        reverse("campaign-list"),
        reverse("campaign-overview", args=["pacer_mfa"]),
        reverse("campaign-attorneys", args=["pacer_mfa"]),
        reverse("campaign-settings", args=["pacer_mfa"]),
        reverse("attorney-departure", args=[attorney.pk]),
    ]


def discovered_forms(client, firm) -> list[tuple[str, str, dict[str, list[str]]]]:
    found = {}
    for url in pages(firm):
        response = client.get(url)
        assert response.status_code < 500, url
        if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
            continue
        parser = Forms(url)
        parser.feed(response.content.decode())
        for action, method, fields in parser.forms:
            key = (action.split("#")[0], method, tuple(sorted(fields)))
            if fields and "logout" not in action:
                found.setdefault(key, (action.split("#")[0], method, fields))
    return list(found.values())


# Values a person, a spreadsheet or an attacker might send.
NASTY = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=300),
    st.sampled_from(
        [
            "",
            "\x00",
            "a\x00b",
            "\r\n",
            "\x1b[31m",
            "9999-12-31",
            "0001-01-01",
            "2021-02-30",
            "-1",
            "0",
            "99999999999999999999999",
            "1e309",
            "NaN",
            "yes",
            "no",
            "on",
            "all",
            '=HYPERLINK("http://x")',
            "'; DROP TABLE attorneys_attorney; --",
            "<script>alert(1)</script>",
            "../../etc/passwd",
            "https://evil.example/",
            "//evil.example",
            "x" * 5000,
            "my PACER password is Winter2021!",
        ]
    ),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.dates().map(datetime.date.isoformat),
)


def values_for(offered: list[str]):
    """A field's value: one it offers, or anything; sometimes several (checkbox lists)."""
    one = st.one_of(st.sampled_from(offered), NASTY) if offered else NASTY
    return st.one_of(one, st.lists(one, min_size=2, max_size=4))


def payload(fields: dict[str, list[str]]):
    return st.fixed_dictionaries({}, optional={name: values_for(offered) for name, offered in fields.items()})


QUERY_NAMES = ["q", "sort", "page", "per_page", "_export", "excel", "status", "court", "cannot_file", "step", "kind"]


@pytest.mark.parametrize("role", ["administrator", "staff", "compliance", "attorney"])
@settings(
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    deadline=None,
)
@given(data=st.data())
def test_no_form_answers_500(client, firm, role, data):
    user = firm["attorney"].user if role == "attorney" else UserFactory(username=f"{role}-x", role=role)
    client.force_login(user)
    forms = firm.get(f"forms-{role}") or firm.setdefault(f"forms-{role}", discovered_forms(client, firm))
    assert forms, "no form found on any page"
    action, method, fields = data.draw(st.sampled_from(forms), label="form")
    values = data.draw(payload(fields), label=f"{method.upper()} {action}")
    response = client.post(action, values) if method == "post" else client.get(action, values)
    assert response.status_code < 500


@pytest.mark.parametrize("role", ["administrator", "attorney"])
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow], deadline=None)
@given(data=st.data())
def test_no_query_string_answers_500(client, firm, role, data):
    user = firm["attorney"].user if role == "attorney" else UserFactory(username=f"{role}-q", role=role)
    client.force_login(user)
    page = data.draw(st.sampled_from(pages(firm)), label="page")
    names = data.draw(st.lists(st.one_of(st.sampled_from(QUERY_NAMES), st.text(max_size=10)), max_size=4))
    query = [(name, data.draw(NASTY, label=name)) for name in names]
    response = client.get(page.split("?")[0] + "?" + urlencode(query))
    assert response.status_code < 500
