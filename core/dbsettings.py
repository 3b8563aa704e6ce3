"""PostgreSQL run-time settings for a few statements only."""

import contextlib

from django.db import connection, transaction


@contextlib.contextmanager
def statement_settings(**settings: str):
    """Run the block with these PostgreSQL settings (``work_mem="32MB"``, ``TimeZone=...``): set for
    the transaction (``set_config(..., true)``) and put back as they were when the block ends, so
    nothing after it, in the same transaction or not, runs with them. Elsewhere (SQLite) a no-op."""
    if connection.vendor != "postgresql" or not settings:
        yield
        return
    names = list(settings)
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT " + ", ".join(["current_setting(%s)"] * len(names) + ["set_config(%s, %s, true)"] * len(names)),
                [*names, *(part for name in names for part in (name, settings[name]))],
            )
            previous = cursor.fetchone()[: len(names)]
        yield  # an exception (or a generator closed early) rolls the block back, and its settings with it
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT " + ", ".join(["set_config(%s, %s, true)"] * len(names)),
                [part for name, value in zip(names, previous, strict=True) for part in (name, value)],
            )
