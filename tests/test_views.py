"""The dashboard pages, per role: what each one sees and may do."""

import datetime

import pytest
from django.urls import reverse

from attorneys.choices import Step
from attorneys.models import CourtLink, StepChange
from courts.models import Court
from tests.dates import AS_OF
from tests.factories import AttorneyFactory, CourtFactory, CourtLinkFactory, UserFactory
from tests.payloads import link_step, toggle_step

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def as_of(pinned_date):
    return pinned_date


@pytest.fixture
def firm():
    """One pair that cannot file, one awaiting go-live, one complete; and an attorney login."""
    live = CourtFactory(court_id="zzlive", nextgen_go_live=datetime.date(2021, 2, 16))
    later = CourtFactory(court_id="zzlater", nextgen_go_live=datetime.date(2021, 7, 6))
    james = AttorneyFactory(name="James C Alison", email="james@firm.example", user=UserFactory(username="james"))
    mary = AttorneyFactory(name="Mary Major", email="mary@firm.example")
    return {
        "blocked": CourtLinkFactory(attorney=james, court=live),
        "later": CourtLinkFactory(attorney=james, court=later),
        "done": CourtLinkFactory(
            attorney=mary, court=live, linked_on=datetime.date(2021, 3, 1), menus_confirmed_on=datetime.date(2021, 3, 1)
        ),
        "james": james,
        "mary": mary,
    }


def login(client, role):
    user = UserFactory(username=f"{role}-user", role=role)
    client.force_login(user)
    return user


PAGES = ["overview", "link-list", "attorney-list", "court-list"]


@pytest.mark.parametrize("name", [*PAGES, "attorney-detail", "court-detail"])
def test_every_page_needs_login(client, firm, name):
    args = {"attorney-detail": [firm["james"].pk], "court-detail": ["zzlive"]}.get(name, [])
    response = client.get(reverse(name, args=args))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("role", ["administrator", "staff", "compliance"])
def test_firm_roles_see_every_page(client, firm, role):
    login(client, role)
    for name in PAGES:
        assert client.get(reverse(name)).status_code == 200, name
    assert client.get(reverse("attorney-detail", args=[firm["mary"].pk])).status_code == 200
    assert client.get(reverse("court-detail", args=["zzlive"])).status_code == 200


def test_an_attorney_sees_only_their_own_checklist(client, firm):
    client.force_login(firm["james"].user)
    response = client.get(reverse("overview"))
    assert response.status_code == 302
    assert response["Location"] == reverse("attorney-detail", args=[firm["james"].pk])
    page = client.get(response["Location"]).content.decode()
    assert "James C Alison" in page and "zzlive" in page
    assert client.get(reverse("attorney-detail", args=[firm["mary"].pk])).status_code == 404
    for name in ("link-list", "attorney-list", "court-list"):
        assert client.get(reverse(name)).status_code == 403
    assert client.get(reverse("court-detail", args=["zzlive"])).status_code == 403
    assert client.get(reverse("link-list") + "?_export=csv").status_code == 403


def test_a_user_without_a_role_is_refused(client, firm):
    client.force_login(UserFactory(username="nobody"))
    assert client.get(reverse("overview")).status_code == 403
    assert client.get(reverse("link-list")).status_code == 403


def test_overview_counts_and_cannot_file(client, firm):
    login(client, "compliance")
    response = client.get(reverse("overview"))
    context = response.context
    counts = dict(context["status_cards"])
    assert counts["ready_to_link"] == 1 and counts["awaiting_go_live"] == 1 and counts["complete"] == 1
    assert [link.pk for link in context["cannot_file"]] == [firm["blocked"].pk]
    assert context["cannot_file_total"] == 1
    page = response.content.decode()
    assert "118" in page  # days since go-live: 2021-02-16 -> 2021-06-14
    assert [row["court__court_id"] for row in context["upcoming"]] == ["zzlater"]
    assert context["upcoming"][0]["not_ready"] == 1  # old CM/ECF login not known


def test_links_filters(client, firm):
    login(client, "staff")
    url = reverse("link-list")

    def pks(query):
        response = client.get(url + query)
        assert response.status_code == 200
        return {row.record.pk for row in response.context["table"].paginated_rows}

    assert pks("?cannot_file=on") == {firm["blocked"].pk}
    assert pks("?status=complete") == {firm["done"].pk}
    assert pks("?status=complete&status=awaiting_go_live") == {firm["done"].pk, firm["later"].pk}
    assert pks("?court=zzlater") == {firm["later"].pk}
    assert pks("?q=MARY@") == {firm["done"].pk}
    assert pks("?go_live_after=2021-07-01&go_live_before=2021-07-31") == {firm["later"].pk}
    assert pks("?court_type=appellate") == set()
    assert pks("?court=nosuchcourt") == set()  # strict: an invalid filter shows nothing, with the error


def test_links_sort_and_page_size(client, firm):
    login(client, "staff")
    response = client.get(reverse("link-list") + "?sort=-go_live&per_page=25")
    rows = [row.record.court.court_id for row in response.context["table"].paginated_rows]
    assert rows[0] == "zzlater"
    assert response.context["table"].paginator.per_page == 25
    response = client.get(reverse("link-list") + "?sort=status&per_page=100000")
    assert response.context["table"].paginator.per_page == 50  # unknown sizes fall back


def test_recording_a_link_on_the_attorney_page(client, firm):
    user = login(client, "staff")
    link = firm["blocked"]
    response = client.post(
        reverse("attorney-record", args=[firm["james"].pk]),
        link_step(link, cmecf_name="James C Alison", pacer_name="James Alison", note="call"),
    )
    assert response.status_code == 302
    link.refresh_from_db()
    assert link.linked_on == AS_OF and link.linked_recorded_by == user
    page = client.get(response["Location"]).content.decode()
    assert "Recorded: Accounts linked in zzlive" in page
    assert "names-mismatch" not in page
    assert StepChange.objects.filter(link=link, step=Step.LINKED, changed_by=user).count() == 1


def test_the_link_form_requires_the_irreversibility_confirmation(client, firm):
    login(client, "staff")
    response = client.post(
        reverse("attorney-record", args=[firm["james"].pk]),
        link_step(firm["blocked"], cmecf_name="James C Alison", pacer_name="James Alison", irreversible=False),
    )
    assert response.status_code == 400
    assert "linking cannot be undone" in response.content.decode()
    assert CourtLink.objects.get(pk=firm["blocked"].pk).linked_on is None


def test_a_name_mismatch_is_recorded_and_highlighted(client, firm):
    login(client, "staff")
    response = client.post(
        reverse("attorney-record", args=[firm["james"].pk]),
        link_step(firm["blocked"], cmecf_name="James C Alison", pacer_name="Jim Allison"),
        follow=True,
    )
    page = response.content.decode()
    assert "differ beyond a middle initial" in page
    assert 'data-testid="names-mismatch"' in page
    assert CourtLink.objects.get(pk=firm["blocked"].pk).linked_on == AS_OF


def test_linking_before_go_live_is_refused_with_a_clear_message(client, firm):
    login(client, "staff")
    response = client.post(
        reverse("attorney-record", args=[firm["james"].pk]),
        link_step(firm["later"], cmecf_name="J", pacer_name="J"),
    )
    assert response.status_code == 400
    assert "goes live on NextGen on 2021-07-06" in response.content.decode()
    assert not StepChange.objects.filter(step=Step.LINKED).exists()


def test_linking_with_a_legacy_account_is_refused(client, firm):
    login(client, "staff")
    firm["james"].pacer_account = "legacy"
    firm["james"].save()
    response = client.post(
        reverse("attorney-record", args=[firm["james"].pk]),
        link_step(firm["blocked"], cmecf_name="J", pacer_name="J"),
    )
    assert response.status_code == 400
    assert "legacy account: it must be upgraded before linking" in response.content.decode()


def test_a_pair_of_another_attorney_cannot_be_recorded_through_this_page(client, firm):
    login(client, "staff")
    response = client.post(
        reverse("attorney-record", args=[firm["mary"].pk]),
        toggle_step("cmecf_login_known", firm["blocked"]),
    )
    assert response.status_code == 404
    assert not CourtLink.objects.get(pk=firm["blocked"].pk).cmecf_login_known


@pytest.mark.parametrize("role", ["compliance", None])
def test_compliance_and_attorneys_cannot_record(client, firm, role):
    if role:
        login(client, role)
    else:
        client.force_login(firm["james"].user)
    response = client.post(
        reverse("attorney-record", args=[firm["james"].pk]),
        toggle_step("cmecf_login_known", firm["blocked"]),
    )
    assert response.status_code == 403
    response = client.post(reverse("link-bulk"), {"action": "cmecf_login_known:yes", "links": [firm["blocked"].pk]})
    assert response.status_code == 403
    assert not StepChange.objects.exists()
    if role:
        page = client.get(reverse("attorney-detail", args=[firm["james"].pk])).content.decode()
        assert 'class="step-form' not in page  # no forms shown either


def test_pacer_upgrade_from_the_attorney_page(client, firm):
    login(client, "administrator")
    firm["mary"].pacer_account = "legacy"
    firm["mary"].save()
    response = client.post(
        reverse("attorney-record", args=[firm["mary"].pk]), {"step": "pacer_account", "value": "upgraded"}
    )
    assert response.status_code == 302
    firm["mary"].refresh_from_db()
    assert firm["mary"].pacer_account == "upgraded"


def test_bulk_records_every_selected_pair_in_one_go(client, firm):
    login(client, "staff")
    ids = [firm["blocked"].pk, firm["later"].pk]
    response = client.post(
        reverse("link-bulk"),
        {"action": "cmecf_login_known:yes", "links": ids, "note": "roll call", "next": "/links/?q=james"},
    )
    assert response.status_code == 302 and response["Location"] == "/links/?q=james"
    assert set(CourtLink.objects.filter(cmecf_login_known=True).values_list("pk", flat=True)) == set(ids)
    assert StepChange.objects.filter(step=Step.CMECF_LOGIN_KNOWN, note="roll call").count() == 2


def test_bulk_is_all_or_nothing(client, firm):
    login(client, "staff")
    response = client.post(
        reverse("link-bulk"),
        {"action": "filing_menus:", "on": "2021-06-14", "links": [firm["done"].pk, firm["blocked"].pk]},
        follow=True,
    )
    page = response.content.decode()
    assert "Nothing was recorded" in page and "record the link first" in page
    assert not StepChange.objects.exists()


def test_bulk_refuses_an_open_redirect(client, firm):
    login(client, "staff")
    response = client.post(
        reverse("link-bulk"),
        {"action": "cmecf_login_known:yes", "links": [firm["blocked"].pk], "next": "https://evil.example/"},
    )
    assert response["Location"] == reverse("link-list")


def test_administrator_corrects_a_go_live_date_with_history(client, firm):
    login(client, "administrator")
    form = {"go_live": "2021-06-01", "note": "Clerk's notice", "source_url": "https://ecf.example/notice"}
    response = client.post(reverse("court-go-live", args=["zzlater"]), form)
    # James would become ready to link (and unable to file): the impact first, nothing saved yet.
    assert response.status_code == 200
    assert "1 pair: Awaiting go-live → <strong>Ready to link: cannot e-file</strong>" in response.content.decode()
    assert Court.objects.get(court_id="zzlater").nextgen_go_live == datetime.date(2021, 7, 6)
    response = client.post(reverse("court-go-live", args=["zzlater"]), {**form, "confirm_for": "2021-06-01"})
    assert response.status_code == 302
    court = Court.objects.get(court_id="zzlater")
    assert court.nextgen_go_live == datetime.date(2021, 6, 1)
    change = StepChange.objects.get(court=court, step=Step.GO_LIVE)
    assert (change.old_value, change.new_value, change.note) == ("2021-07-06", "2021-06-01", "Clerk's notice")
    page = client.get(reverse("court-detail", args=["zzlater"])).content.decode()
    assert "Clerk&#x27;s notice" in page


@pytest.mark.parametrize("role", ["staff", "compliance"])
def test_only_administrators_correct_go_live(client, firm, role):
    login(client, role)
    response = client.post(reverse("court-go-live", args=["zzlater"]), {"go_live": "2021-06-01", "note": "x"})
    assert response.status_code == 403
    assert "Correct the go-live date" not in client.get(reverse("court-detail", args=["zzlater"])).content.decode()


def test_court_page_counts_and_attorneys(client, firm):
    login(client, "compliance")
    response = client.get(reverse("court-detail", args=["zzlive"]))
    assert dict(response.context["status_counts"])["ready_to_link"] == 1
    assert {row.record.pk for row in response.context["table"].paginated_rows} == {firm["blocked"].pk, firm["done"].pk}


def test_csrf_is_enforced(firm):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(UserFactory(username="csrf", role="staff"))
    response = client.post(
        reverse("attorney-record", args=[firm["james"].pk]),
        toggle_step("cmecf_login_known", firm["blocked"]),
    )
    assert response.status_code == 403


def test_moving_a_court_with_links_into_the_future_shows_the_impact_and_needs_confirmation(client, firm):
    login(client, "administrator")
    url = reverse("court-go-live", args=["zzlive"])
    form = {"go_live": "2021-07-01", "note": "The clerk says the go-live was postponed"}
    page = client.post(url, form).content.decode()
    assert 'data-testid="go-live-impact"' in page
    assert "would leave “cannot file now”" in page and "James C Alison" in page
    assert "recorded before that date" in page and "Mary Major (2021-03-01)" in page
    assert Court.objects.get(court_id="zzlive").nextgen_go_live == datetime.date(2021, 2, 16)
    # A confirmation holds for the date whose impact was shown, not another one.
    client.post(url, {**form, "go_live": "2021-08-01", "confirm_for": "2021-07-01"})
    assert Court.objects.get(court_id="zzlive").nextgen_go_live == datetime.date(2021, 2, 16)
    response = client.post(url, {**form, "confirm_for": "2021-07-01"})
    assert response.status_code == 302
    assert Court.objects.get(court_id="zzlive").nextgen_go_live == datetime.date(2021, 7, 1)


def test_a_go_live_change_nobody_is_affected_by_saves_at_once(client, firm):
    login(client, "administrator")
    response = client.post(reverse("court-go-live", args=["canb"]), {"go_live": "2021-02-17", "note": "notice"})
    assert response.status_code == 302
    assert Court.objects.get(court_id="canb").nextgen_go_live == datetime.date(2021, 2, 17)


def test_a_refused_bulk_run_comes_back_with_the_same_choices(client, firm):
    login(client, "staff")
    ids = [firm["done"].pk, firm["blocked"].pk]
    client.post(
        reverse("link-bulk"),
        {"action": "filing_menus:", "on": "2021-06-10", "note": "roll call", "links": ids, "next": "/links/"},
    )
    page = client.get(reverse("link-list")).content.decode()
    assert "record the link first" in page
    assert f'value="{firm["blocked"].pk}" aria-label="Select James C Alison in zzlive" checked' in page
    assert '<option value="filing_menus:" selected>' in page
    assert 'value="roll call"' in page and 'value="2021-06-10"' in page
    assert "pairs already in that state are skipped" in page
    # Shown once: the next visit is a fresh form.
    assert (
        " checked"
        not in client.get(reverse("link-list")).content.decode().split('id="bulk-form"')[1].split("</table>")[0]
    )


def test_bulk_on_every_pair_matching_the_filters_across_pages(client, firm):
    login(client, "staff")
    response = client.post(
        reverse("link-bulk"),
        {
            "action": "cmecf_login_known:yes",
            "select_all": "on",
            "filter_query": "q=james&per_page=25",
            "next": "/links/?q=james",
        },
        follow=True,
    )
    assert "for 2 pair(s)" in response.content.decode()
    assert set(CourtLink.objects.filter(cmecf_login_known=True).values_list("pk", flat=True)) == {
        firm["blocked"].pk,
        firm["later"].pk,
    }


@pytest.mark.parametrize("multiple", [False, True])
def test_the_fast_select_widgets_render_what_djangos_do(multiple):
    """The court and state filters are built in Python (204 options): the same select as Django's."""
    import re

    from django import forms

    from dashboard.widgets import FastSelect, FastSelectMultiple

    choices = [("a", "A & b"), ("c", "<C> court"), ("d", "D")]
    fast, slow = (FastSelectMultiple, forms.SelectMultiple) if multiple else (FastSelect, forms.Select)
    value = ["c", "d"] if multiple else "c"
    attrs = {"class": "form-select", "id": "id_court", "aria-describedby": "help"}
    ours = fast(choices=choices, attrs=attrs).render("court", value)
    django = slow(choices=choices, attrs=attrs).render("court", value)
    assert ours == re.sub(r">\s+<", "><", django.replace("\n", ""))
    # The filter form template picks how to render a field by its widget type: the same as Django's.
    assert fast.__name__ == slow.__name__


def test_table_rows_tag_writes_the_body_the_django_tables2_template_writes(rf):
    """The dashboard's tables build their body rows in Python (``table_rows``): the same <tbody> as
    django-tables2's Bootstrap template, cell for cell, for every kind of table, empty ones too."""
    import re

    from django_tables2 import RequestConfig

    from attorneys.models import Attorney
    from campaigns import registry, subjects
    from core import clock
    from courts.models import Court
    from dashboard import selectors, tables
    from tests.population import TODAY, populate

    def body(table, template):
        table.template_name = template
        html = table.as_html(request)
        found = re.search(r"<tbody.*?</tbody>", html, re.S).group(0)
        return re.sub(r">\s+<", "><", re.sub(r"\s+", " ", found)).replace("> ", ">").replace(" <", "<")

    populate(attorneys=5, courts=3)
    request = rf.get("/?sort=-status")
    request.user = UserFactory(username="boss-rows", role="administrator")
    with clock.pinned(TODAY):
        mfa, notices = registry.get("pacer_mfa"), registry.get("notice_routing")
        made = [
            lambda: tables.LinkTable(selectors.link_list(user=request.user, today=TODAY)),
            lambda: tables.AttorneyTable(selectors.attorney_list(user=request.user, today=TODAY)),
            lambda: tables.CourtTable(selectors.court_list(today=TODAY).filter(links__isnull=False).distinct()),
            lambda: tables.HistoryTable(selectors.history_list()),
            lambda: tables.CampaignTable(subjects.subjects(mfa, TODAY), campaign=mfa),
            lambda: tables.PairCampaignTable(
                subjects.subjects(notices, TODAY).select_related("attorney", "court"), campaign=notices
            ),
            lambda: tables.AttorneyTable(Attorney.objects.none()),
        ]
        for make in made:
            stock, ours = make(), make()
            RequestConfig(request).configure(stock)
            RequestConfig(request).configure(ours)
            assert body(ours, "includes/table.html") == body(stock, "django_tables2/bootstrap5.html")
    assert Court.objects.exists()
