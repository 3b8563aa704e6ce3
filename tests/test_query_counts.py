"""Every page runs a bounded number of queries, whatever the size of the firm."""

from collections import Counter

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from attorneys.models import CourtLink
from tests.factories import UserFactory
from tests.population import TODAY, populate

pytestmark = pytest.mark.django_db

# Pinned limits per page (session, user, groups and the page's own reads).
LIMITS = {
    "overview": 14,
    "link-list": 8,
    "link-list-filtered": 8,
    "link-export": 10,  # and the export's time zone set and put back, inside a savepoint here
    "attorney-list": 5,
    # 8, the campaigns' settings, per campaign per attorney (PACER MFA) its progress and scope, and one per
    # campaign per attorney and court (bar renewals, notice routing, filing agents, ACMS): its pairs
    "attorney-detail": 16,
    "court-list": 7,  # the per-court counts: one grouped query (or, cached, the data version)
    "court-detail": 8,
    "attorney-export": 6,
    "court-export": 7,
    "history": 7,
    "history-export": 6,
    "verify": 7,
    "search": 6,
    "campaign-list": 11,  # NextGen's counts, the settings, one count per other campaign (4)
    "campaign-overview": 9,
    "campaign-attorneys": 7,
    "campaign-export": 7,  # and the campaign's settings
    # A campaign per attorney and court (notice routing: every pair of the firm is a subject)
    "pair-campaign-overview": 10,
    "pair-campaign-attorneys": 7,
    "pair-campaign-export": 7,
}
EXPORTS = {
    "link-export",
    "attorney-export",
    "court-export",
    "history-export",
    "campaign-export",
    "pair-campaign-export",
}


def urls(links):
    attorney = links[0].attorney_id
    court = links[-1].court.court_id
    return {
        "overview": reverse("overview"),
        "link-list": reverse("link-list") + "?per_page=250",
        "link-list-filtered": reverse("link-list") + "?cannot_file=on&court_type=bankruptcy&q=attorney&sort=-status",
        "link-export": reverse("link-list") + "?_export=csv",
        "attorney-list": reverse("attorney-list") + "?per_page=250&sort=progress",
        "attorney-detail": reverse("attorney-detail", args=[attorney]),
        "court-list": reverse("court-list") + "?per_page=250&firm_courts=on",
        "court-detail": reverse("court-detail", args=[court]),
        "attorney-export": reverse("attorney-list") + "?_export=csv",
        "court-export": reverse("court-list") + "?_export=csv&firm_courts=on",
        "history": reverse("history") + "?per_page=250&step=court_added",
        "history-export": reverse("history") + "?_export=csv",
        "verify": reverse("verify") + "?per_page=250",
        "search": reverse("search") + "?q=attorney",
        "campaign-list": reverse("campaign-list"),
        "campaign-overview": reverse("campaign-overview", args=["pacer_mfa"]),
        "campaign-attorneys": reverse("campaign-attorneys", args=["pacer_mfa"]) + "?per_page=250&status=blocked",
        "campaign-export": reverse("campaign-attorneys", args=["pacer_mfa"]) + "?_export=csv",
        "pair-campaign-overview": reverse("campaign-overview", args=["notice_routing"]),
        "pair-campaign-attorneys": reverse("campaign-attorneys", args=["notice_routing"]) + "?per_page=250",
        "pair-campaign-export": reverse("campaign-attorneys", args=["notice_routing"]) + "?_export=csv",
    }


@pytest.mark.parametrize(("attorneys", "courts"), [(3, 2), (40, 12)], ids=["small", "large"])
@pytest.mark.parametrize("page_name", list(LIMITS))
def test_queries_do_not_grow_with_the_firm(client, django_assert_max_num_queries, attorneys, courts, page_name):
    links = populate(attorneys=attorneys, courts=courts)
    client.force_login(UserFactory(username="staff-q", role="staff"))
    url = urls(links)[page_name]
    filing_pairs = CourtLink.objects.filter(efiling_account=True, attorney__is_active=True).count()
    with override_settings(FIRMLINK_AS_OF=TODAY), django_assert_max_num_queries(LIMITS[page_name]):
        response = client.get(url)
        if page_name in EXPORTS:
            lines = b"".join(response.streaming_content).count(b"\r\n")
            expected = {
                "link-export": attorneys * courts,
                "attorney-export": attorneys,
                "court-export": courts,
                "campaign-export": attorneys,
                "pair-campaign-export": filing_pairs,
            }
            assert lines == expected.get(page_name, attorneys * courts) + 1
    assert response.status_code == 200


@pytest.mark.parametrize("page_name", [name for name in LIMITS if name not in EXPORTS])
def test_no_page_runs_the_same_query_twice(client, page_name):
    """Counting the matching rows once (the paginator's count is the page's "N matching"), and no
    other query repeated."""
    links = populate(attorneys=3, courts=2)
    client.force_login(UserFactory(username="staff-q", role="staff"))
    with override_settings(FIRMLINK_AS_OF=TODAY), CaptureQueriesContext(connection) as captured:
        assert client.get(urls(links)[page_name]).status_code == 200
    repeated = [sql for sql, n in Counter(q["sql"] for q in captured.captured_queries).items() if n > 1]
    assert not repeated, repeated


@pytest.mark.parametrize("listed", [1, 3, 20])
def test_the_overview_grouped_pass_agrees_with_the_status_annotation(listed):
    """One grouped query feeds every card and list of the overview: its counts are the ``status``
    annotation's, its "cannot file" total is ``cannot_file()``'s, and the first pairs it lists are
    the first of ``cannot_file()`` in go-live order, whatever the number listed."""
    from dashboard import selectors

    populate(attorneys=12, courts=6)
    links = CourtLink.objects.with_status(TODAY).with_live_since().filter(attorney__is_active=True)
    summary = selectors.overview(links, TODAY, listed=listed)
    assert summary.counts == selectors.status_counts(links)
    blocked = links.cannot_file(TODAY).order_by("live_since", "attorney__name", "pk")
    assert summary.cannot_file_total == blocked.count() > listed
    first = blocked.filter(court__in=summary.blocked_courts)[:listed]
    assert list(first) == list(blocked[:listed])
    assert sum(p.blocked for p in summary.progress) == summary.cannot_file_total
