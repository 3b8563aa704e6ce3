import os

import pytest
from django.db import connection

from attorneys.services import Actor

SERVICES = set(filter(None, os.environ.get("FIRMLINK_TEST_SERVICES", "").split(",")))
CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def pytest_collection_modifyitems(config, items):
    for item in items:
        if item.get_closest_marker("redis") and "redis" not in SERVICES:
            if CI:
                raise pytest.UsageError("CI=true but no Redis: run the suite through 'make test'.")
            item.add_marker(pytest.mark.skip(reason="no Redis reachable (see 'make test' output)"))


@pytest.fixture
def postgres(db):
    """Skip outside PostgreSQL (never in CI, where PostgreSQL is required)."""
    if connection.vendor != "postgresql":
        if CI:
            pytest.fail("CI=true but the tests do not run on PostgreSQL")
        pytest.skip("needs PostgreSQL")


@pytest.fixture
def staff_user(db):
    from tests.factories import UserFactory

    return UserFactory(username="paralegal-test", role="staff")


@pytest.fixture
def actor(staff_user):
    return Actor.for_user(staff_user)
