"""Counts over the whole firm, computed once per data version and reused until something changes.

``attorneys.DataVersion`` grows at the commit of every transaction that changed pairs, attorneys
or courts (a PostgreSQL trigger). ``cached(key, compute)`` reads the version, reuses what was
computed under it (Django's cache), else computes, reads the version again, and keeps the result
only if the version did not move meanwhile: whatever it keeps reflects exactly the data of that
version (a change committed before the computation raised the version first; one committed
during it raises it before the second read). "Today" is part of every key (statuses change with
the date). Off where there is no trigger (SQLite) or ``FIRMLINK_SUMMARY_CACHE`` is false (the test
settings: a test's changes never commit).
"""

from django.conf import settings
from django.core.cache import cache
from django.db import connection

PREFIX = "firmlink:v1:"


def data_version() -> int | None:
    if connection.vendor != "postgresql" or not getattr(settings, "FIRMLINK_SUMMARY_CACHE", True):
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT version FROM attorneys_dataversion WHERE id = 1")
        row = cursor.fetchone()
    return row[0] if row else None


def cached(key: str, compute, *, version: int | None = None):
    """``compute()``, or what it gave under the current data version (``version``: already read for
    this request, so that a page reading several counts asks for it once)."""
    version = data_version() if version is None else version
    if version is None:
        return compute()
    full_key = f"{PREFIX}{key}:{version}"
    found = cache.get(full_key)
    if found is not None:
        return found
    value = compute()
    if data_version() == version:
        cache.set(full_key, value, timeout=settings.FIRMLINK_SUMMARY_CACHE_SECONDS)
    return value
