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

import contextvars
import hashlib

from django.conf import settings
from django.core.cache import cache
from django.db import connection

PREFIX = "firmlink:v1:"


# A page view (GET or HEAD: it writes nothing the version follows) reads the version once, the
# first time something asks for it (``PageVersionMiddleware``); elsewhere each call reads it.
_page: contextvars.ContextVar[dict | None] = contextvars.ContextVar("firmlink_page_version", default=None)


def data_version(*, fresh: bool = False) -> int | None:
    """The current data version (None: no caching here); within a page view, the one it read first
    (``fresh``: read it again whatever)."""
    if connection.vendor != "postgresql" or not getattr(settings, "FIRMLINK_SUMMARY_CACHE", True):
        return None
    page = None if fresh else _page.get()
    if page is not None and "version" in page:
        return page["version"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT version FROM attorneys_dataversion WHERE id = 1")
        row = cursor.fetchone()
    version = row[0] if row else None
    if page is not None:
        page["version"] = version
    return version


class PageVersionMiddleware:
    """Each GET or HEAD request reads the data version once, however many cached parts it shows: a
    version read later in the same view could only be newer, and what was kept under the earlier one
    never shows less than that version's data (``cached`` checks before it keeps anything)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        token = _page.set({})
        try:
            return self.get_response(request)
        finally:
            _page.reset(token)


def key(prefix: str, *parts) -> str:
    """A cache key for ``cached`` from any values (a person, a day, an address): short and safe."""
    return f"{prefix}:{hashlib.sha256(repr(parts).encode()).hexdigest()[:32]}"


def cached(key: str, compute):
    """``compute()``, or what it gave under the current data version."""
    version = data_version()
    if version is None:
        return compute()
    full_key = f"{PREFIX}{key}:{version}"
    found = cache.get(full_key)
    if found is not None:
        return found
    value = compute()
    if data_version(fresh=True) == version:  # nothing committed meanwhile: the value is that version's
        cache.set(full_key, value, timeout=settings.FIRMLINK_SUMMARY_CACHE_SECONDS)
    return value
