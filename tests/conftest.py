import os

import pytest
from django.db import connection
from django.test import override_settings
from hypothesis import settings as hypothesis_settings

from core.audit import Actor
from tests.dates import AS_OF

# Property tests: a fixed seed and a moderate number of examples in the suite (deterministic, a
# few seconds each); HYPOTHESIS_PROFILE=explore searches much further, e.g. before a release.
hypothesis_settings.register_profile("suite", max_examples=40, derandomize=True, database=None, print_blob=True)
hypothesis_settings.register_profile("explore", max_examples=1500, print_blob=True)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "suite"))

SERVICES = set(filter(None, os.environ.get("FIRMLINK_TEST_SERVICES", "").split(",")))
CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def pytest_collection_modifyitems(config, items):
    for item in items:
        if item.get_closest_marker("redis") and "redis" not in SERVICES:
            if CI:
                raise pytest.UsageError("CI=true but no Redis: run the suite through 'make test'.")
            item.add_marker(pytest.mark.skip(reason="no Redis reachable (see 'make test' output)"))


@pytest.fixture(autouse=True)
def _shipped_data(request):
    """Give transactional tests back what the migrations ship (the court directory, the role groups).

    A transactional test ends by emptying every table. pytest-django runs the other database tests
    first, so only transactional tests need this; it costs nothing when the data is there.
    """
    marker = request.node.get_closest_marker("django_db")
    if not marker or not marker.kwargs.get("transaction"):
        return
    request.getfixturevalue("transactional_db")
    from django.contrib.auth.models import Group

    from core.roles import FIRM_ROLES
    from courts import directory
    from courts.models import Court

    for role in FIRM_ROLES:
        Group.objects.get_or_create(name=role.value)
    if Court.objects.count() < 204:
        directory.apply_court_rows(Court, directory.shipped_rows(), create=True)


@pytest.fixture
def postgres(db):
    """Skip outside PostgreSQL (never in CI, where PostgreSQL is required)."""
    if connection.vendor != "postgresql":
        if CI:
            pytest.fail("CI=true but the tests do not run on PostgreSQL")
        pytest.skip("needs PostgreSQL")


@pytest.fixture
def pinned_date():
    """The installation runs as of 2021-06-14 (FIRMLINK_AS_OF), in the middle of the transition."""
    with override_settings(FIRMLINK_AS_OF=AS_OF):
        yield AS_OF


@pytest.fixture
def staff_user(db):
    from tests.factories import UserFactory

    return UserFactory(username="paralegal-test", role="staff")


@pytest.fixture
def actor(staff_user):
    return Actor.for_user(staff_user)
