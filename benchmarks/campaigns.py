"""The campaign pages at size: the demo firm on the real date, PACER MFA's pages and export, timed.

    .venv/bin/python -m benchmarks.campaigns [--attorneys 2000] [--as-of 2026-12-03] [--keep-db]

Seeds the demo firm (``seed_demo --attorneys N``: its pairs and its PACER MFA progress) into the
benchmark's own database, then requests each page as a signed-in administrator through Django's
test client, in process (server time, no network): median and worst of 5 requests after one
warm-up, the number of queries, and for the export its rows and bytes. For scale, one plain
``GROUP BY`` over the MFA progress rows is timed in the same run. Numbers to read, never
asserted by the test suite.
"""

import argparse
import datetime
import statistics
import time

from benchmarks import common

PAGES = (
    ("campaign list", "campaign-list", ()),
    ("MFA overview", "campaign-overview", ("pacer_mfa",)),
    ("MFA attorneys", "campaign-attorneys", ("pacer_mfa",)),
    ("MFA attorneys, blocked", "campaign-attorneys", ("pacer_mfa",), "?blocked=on"),
    ("attorney page", "attorney-detail", None),
    ("MFA export (CSV)", "campaign-attorneys", ("pacer_mfa",), "?_export=csv"),
)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--attorneys", type=int, default=2000)
    parser.add_argument("--as-of", default="2026-12-03")
    parser.add_argument("--repeat", type=int, default=5)
    common.add_isolation_arguments(parser)
    parser.set_defaults(db_name="firmlink_bench_campaigns")
    args = parser.parse_args()
    common.isolate(args, FIRMLINK_AS_OF=args.as_of, ALLOWED_HOSTS="testserver")
    common.create_database(args.db_name)
    try:
        common.setup_django()
        run(args)
    finally:
        if not args.keep_db:
            common.drop_database(args.db_name)


def run(args):
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from attorneys.models import Attorney

    call_command("collectstatic", interactive=False, verbosity=0)  # DEBUG off: hashed static names, as deployed
    started = time.perf_counter()
    call_command("seed_demo", attorneys=args.attorneys, verbosity=0)
    seeded = time.perf_counter() - started
    common.vacuum_analyze("campaigns_progress", "attorneys_attorney", "attorneys_courtlink")
    admin = get_user_model().objects.get(username="admin")
    client = Client()
    client.force_login(admin)
    attorney = Attorney.objects.order_by("pk").first()

    with connection.cursor() as cursor:
        times = []
        for _ in range(args.repeat):
            t = time.perf_counter()
            cursor.execute("SELECT step, count(*) FROM campaigns_progress WHERE campaign = 'pacer_mfa' GROUP BY step")
            cursor.fetchall()
            times.append(time.perf_counter() - t)
        plain = statistics.median(times)

    rows = []
    for name, url_name, url_args, *query in PAGES:
        url = reverse(url_name, args=url_args if url_args is not None else [attorney.pk]) + (query[0] if query else "")
        samples, queries, size = [], 0, 0
        for index in range(args.repeat + 1):
            with CaptureQueriesContext(connection) as captured:
                t = time.perf_counter()
                response = client.get(url)
                body = b"".join(response.streaming_content) if response.streaming else response.content
                elapsed = time.perf_counter() - t
            assert response.status_code == 200, (url, response.status_code)
            if index:  # the first is a warm-up
                samples.append(elapsed)
            queries, size = len(captured), len(body)
        lines = body.count(b"\n") - 1 if "export" in name else ""
        rows.append([name, statistics.median(samples) * 1000, max(samples) * 1000, queries, lines, size])
    attorneys = Attorney.objects.count()
    progress = connection.cursor()
    progress.execute("SELECT count(*) FROM campaigns_progress")
    (progress_rows,) = progress.fetchone()
    common.say(
        f"demo firm: {attorneys:,} attorneys, {progress_rows:,} MFA progress rows, as of {args.as_of}, "
        f"seeded in {seeded:.1f} s; plain GROUP BY over the progress rows: {plain * 1000:.1f} ms"
    )
    common.say(common.table(["page", "median ms", "worst ms", "queries", "rows", "bytes"], rows))
    common.say(f"measured {datetime.datetime.now():%Y-%m-%d %H:%M}, load {common.loadavg()}")


if __name__ == "__main__":
    main()
