"""Whole-firm counts reused until the data changes: the data version and the cache built on it,
against real PostgreSQL commits (transactional tests: a change counts only once it commits)."""

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import override_settings
from django.urls import reverse

from attorneys import versioning
from attorneys.models import Attorney, CourtLink
from tests.factories import AttorneyFactory, CourtFactory, CourtLinkFactory, UserFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("postgres")]


@pytest.fixture(autouse=True)
def caching():
    from attorneys.models import DataVersion

    DataVersion.objects.update_or_create(pk=1, defaults={"version": 1})  # a transactional test empties it
    cache.clear()
    with override_settings(FIRMLINK_SUMMARY_CACHE=True):
        yield
    cache.clear()


def test_each_committed_change_of_pairs_attorneys_or_courts_raises_the_version_once():
    start = versioning.data_version()
    with transaction.atomic():
        attorney = AttorneyFactory()
        court = CourtFactory()
        for _ in range(3):
            CourtLinkFactory(attorney=attorney, court=CourtFactory())
        assert versioning.data_version() == start  # not committed yet: nobody sees a new version
    assert versioning.data_version() == start + 1  # one transaction, one step
    CourtLink.objects.filter(attorney=attorney).update(cmecf_login_known=True)
    assert versioning.data_version() == start + 2
    Attorney.objects.filter(pk=attorney.pk).update(is_active=False)
    court.delete()
    assert versioning.data_version() == start + 4
    with transaction.atomic():
        CourtLinkFactory(attorney=attorney, court=CourtFactory())
        transaction.set_rollback(True)
    assert versioning.data_version() == start + 4  # rolled back: nothing changed


def test_a_count_is_reused_until_a_change_commits():
    calls = []

    def compute():
        calls.append(1)
        return CourtLink.objects.count()

    assert versioning.cached("test-count", compute) == 0
    assert versioning.cached("test-count", compute) == 0
    assert len(calls) == 1
    CourtLinkFactory()
    assert versioning.cached("test-count", compute) == 1
    assert len(calls) == 2


def test_the_overview_and_tables_show_a_committed_change_at_once(client):
    client.force_login(UserFactory(username="boss-v", role="administrator"))
    court = CourtFactory(court_id="zzv1b")
    CourtLinkFactory(court=court, attorney=AttorneyFactory(name="Ann Version"))
    overview = client.get(reverse("overview"))
    assert overview.context["total"] == 1
    assert client.get(reverse("link-list")).context["matching"] == 1
    CourtLinkFactory(court=court, attorney=AttorneyFactory(name="Bo Version"))
    overview = client.get(reverse("overview"))
    assert overview.context["total"] == 2
    assert client.get(reverse("link-list")).context["matching"] == 2
    assert client.get(reverse("link-list") + "?q=Bo").context["matching"] == 1
    courts = client.get(reverse("court-list") + "?q=zzv1b").content.decode()
    assert "zzv1b" in courts


def test_cached_table_rows_and_overview_blocks_show_each_committed_change(client):
    """The rows of /links/, /attorneys/ and /courts/ and the overview's blocks are kept per data
    version (``table_rows``, ``{% versioned %}``): asked again they are the same, and a rename, a
    new pair or a recorded step shows at once, on every page."""
    import datetime

    from attorneys.choices import PacerAccount, Step
    from attorneys.services.steps import step_record
    from core import clock
    from core.audit import Actor

    boss = UserFactory(username="boss-rows-v", role="administrator")
    client.force_login(boss)
    court = CourtFactory(court_id="zzv2b", nextgen_go_live=clock.today() - datetime.timedelta(days=30))
    link = CourtLinkFactory(court=court, attorney=AttorneyFactory(name="Cy Before", pacer_account=PacerAccount.LEGACY))
    pages = [reverse("link-list"), reverse("attorney-list"), reverse("overview")]
    for _ in range(2):  # the second time from the cache
        for page in pages:
            assert "Cy Before" in client.get(page).content.decode(), page
    assert 'data-testid="cannot-file-table"' in client.get(reverse("overview")).content.decode()
    Attorney.objects.filter(pk=link.attorney_id).update(name="Cy After")
    for page in pages:
        body = client.get(page).content.decode()
        assert "Cy After" in body and "Cy Before" not in body, page
    step_record(step=Step.CMECF_LOGIN_KNOWN, actor=Actor.for_user(boss), link_id=link.pk, value=True, note="checked v2")
    assert "checked v2" in client.get(reverse("overview")).content.decode()  # the latest changes
    CourtLinkFactory(court=court, attorney=AttorneyFactory(name="Di New"))
    assert "Di New" in client.get(reverse("link-list")).content.decode()
    assert ">2<" in client.get(reverse("court-list") + "?q=zzv2b").content.decode()  # its e-filers


def test_a_page_view_reads_the_data_version_once(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(UserFactory(username="boss-once", role="administrator"))
    CourtLinkFactory()
    for page in (reverse("overview"), reverse("link-list"), reverse("court-list"), reverse("attorney-list")):
        assert client.get(page).status_code == 200  # computes each part, checking the version before keeping it
        with CaptureQueriesContext(connection) as queries:
            assert client.get(page).status_code == 200  # every part from the cache
        reads = [q for q in queries.captured_queries if "attorneys_dataversion" in q["sql"]]
        assert len(reads) == 1, page
    assert versioning._page.get() is None  # nothing left behind after the view
