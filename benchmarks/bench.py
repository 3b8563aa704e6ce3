"""``make bench``: the largest firm's figures, each beside its ceiling measured in the same run.

    .venv/bin/python -m benchmarks.bench [--attorneys 20000] [--courts 10] [--as-of 2026-12-03]
        [--clients 20] [--duration 20] [--emails 10000] [--skip-load] [--skip-reminders] [--keep-db]

Builds the firm once in its own database (``firmlink_bench_large``: 20,000 attorneys x 10 real
courts = 200,000 pairs in every status, a history row per pair and per attorney, a sent reminder
on every 20th pair; ``benchmarks.csv_io.build_pairs``), then prints:

1. pages, server time in process (Django's test client, signed in as an administrator; median of
   5 after a warm-up), their query count and SQL time, and whether a query repeats (a count taken
   twice); the ceiling: one plain ``GROUP BY`` over the pairs, timed the same way. Whole-firm counts
   are reused until the data changes (``attorneys.versioning``): each page is also timed right after
   a change (the data version raised before every request), when they are computed again;
2. the compliance export (``export_compliance --out``, a child process under GNU time: wall and
   peak RSS; and ``/links/?_export=csv`` from the test client, read to the end) against
   PostgreSQL's ``COPY`` of a minimal join of the pairs with their derived status (a child
   process); each the median of 3;
3. load: gunicorn with 2 workers on 127.0.0.1 and ``wrk`` (20 connections, each a signed-in
   session, for ``--duration`` seconds per page): requests/s, p50/p95/p99, errors;
4. the daily reminder run of ``--emails`` emails on one Celery worker (``benchmarks.reminders``,
   its own firm in the same database: courts going live on 2021-07-06) against a bare ``smtplib``
   loop sending as many messages of the same size to the same kind of local SMTP server.

Every ratio is printed with its target; the script never fails on a ratio (numbers to read), only
on a broken measurement (wrong row counts, errors under load).
"""

import argparse
import datetime
import json
import os
import shutil
import signal
import smtplib
import socket
import statistics
import subprocess
import time
from pathlib import Path

from benchmarks import common, csv_io
from benchmarks.common import say

REPEAT = 5
WRK_SCRIPT = Path(__file__).with_name("wrk_report.lua")


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--attorneys", type=int, default=20000)
    parser.add_argument("--courts", type=int, default=10)
    parser.add_argument("--as-of", default="2026-12-03", type=datetime.date.fromisoformat)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--duration", type=int, default=20)
    parser.add_argument("--emails", type=int, default=10000)
    parser.add_argument("--reminder-courts", type=int, default=10)
    parser.add_argument("--skip-load", action="store_true")
    parser.add_argument("--skip-reminders", action="store_true")
    parser.add_argument("--timeout", type=float, default=1800)
    common.add_isolation_arguments(parser)
    parser.set_defaults(db_name="firmlink_bench_large")
    return parser.parse_args(argv)


def median_ms(action, repeat: int = REPEAT) -> float:
    action()  # warm-up
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


# ----------------------------------------------------------------------------------------- pages

PAGES = (
    ("overview", "/"),
    ("/links/", "/links/"),
    ("/courts/", "/courts/"),
    ("/attorneys/", "/attorneys/"),
)


def plain_aggregate_ms() -> float:
    from django.db import connection

    def run():
        with connection.cursor() as cursor:
            cursor.execute("SELECT court_id, efiling_account, count(*) FROM attorneys_courtlink GROUP BY 1, 2")
            cursor.fetchall()

    return median_ms(run)


def bench_pages(admin) -> list[dict]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.force_login(admin)
    results = []
    for name, path in PAGES:

        def get(path=path):
            response = client.get(path)
            if response.status_code != 200:
                raise SystemExit(f"{path}: HTTP {response.status_code}")
            return response

        server = median_ms(get)

        def cold(path=path):
            # A change committed just before: what the first view after a write costs.
            with connection.cursor() as cursor:
                cursor.execute("UPDATE attorneys_dataversion SET version = version + 1 WHERE id = 1")
            return get(path)

        cold_ms = median_ms(cold)
        with CaptureQueriesContext(connection) as captured:
            get()
        sql = [q["sql"] for q in captured.captured_queries]
        repeated = len(sql) - len(set(sql))
        counts = sum(1 for s in sql if "COUNT(" in s.upper())
        sql_ms = sum(float(q["time"]) for q in captured.captured_queries) * 1000
        results.append(
            {
                "page": name,
                "ms": server,
                "cold_ms": cold_ms,
                "queries": len(sql),
                "sql_ms": sql_ms,
                "repeated": repeated,
                "counts": counts,
            }
        )
    return results


# ---------------------------------------------------------------------------------------- export


def minimal_status_sql(today: datetime.date) -> str:
    """COPY's ceiling: the pairs joined to their attorney and court, with the derived status only."""
    import psycopg
    from django.db import connection

    from attorneys.models import CourtLink

    queryset = CourtLink.objects.with_status(today).values_list(
        "attorney__name", "attorney__email", "court__court_id", "status"
    )
    sql, params = queryset.query.sql_with_params()
    with connection.cursor():
        pass
    return psycopg.ClientCursor(connection.connection).mogrify(sql, params)


def bench_export(args, env: dict, pairs: int, admin, repeat: int = 3) -> dict:
    """The export from the command and from a started server, and ``COPY``'s ceiling: each the
    median of ``repeat`` runs, interleaved (command, ``COPY``, command, ...), so that a slow moment
    of the shared machine weighs on neither side alone."""
    out = common.WORK_DIR / "bench-export.csv"
    manage = [common.PYTHON, "manage.py", "export_compliance", "--out", str(out)]
    sql_file = common.WORK_DIR / "bench-copy.sql"
    sql_file.write_text(minimal_status_sql(args.as_of))
    copy_out = common.WORK_DIR / "bench-copy.csv"
    copy_child = [
        common.PYTHON,
        "-m",
        "benchmarks.csv_io",
        "--copy-child",
        str(sql_file),
        str(copy_out),
        "--db-name",
        args.db_name,
    ]
    exported, copied_runs = [], []
    for _ in range(repeat):
        exported.append(common.run_measured(manage, env=env))
        copied_runs.append(common.run_measured(copy_child, env=env, stdout=subprocess.DEVNULL))
    rows = sum(1 for _ in out.open(encoding="utf-8")) - 1
    copied = sum(1 for _ in copy_out.open(encoding="utf-8")) - 1
    if rows != pairs or copied != pairs:
        raise SystemExit(f"export wrote {rows} rows, COPY {copied}, for {pairs} pairs")
    served = served_export_seconds(admin, rows, repeat=repeat)
    return {
        "export_s": _median(run.seconds for run in exported),
        "export_rss": max(run.max_rss_mb for run in exported),
        "copy_s": _median(run.seconds for run in copied_runs),
        "rows": rows,
        "served_s": served,
    }


def _median(values) -> float:
    values = sorted(values)
    return values[len(values) // 2]


def served_export_seconds(admin, rows: int, repeat: int = 3) -> float:
    """The export as a running server gives it (the dashboard's CSV button on /links/, Django
    already started): the median wall time of the whole streamed response, read to the end."""
    from django.test import Client

    client = Client()
    client.force_login(admin)
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        response = client.get("/links/?_export=csv")
        lines = sum(chunk.count(b"\n") for chunk in response.streaming_content)
        timings.append(time.perf_counter() - started)
        if response.status_code != 200 or lines - 1 != rows:
            raise SystemExit(f"served export: HTTP {response.status_code}, {lines - 1} rows of {rows}")
    return sorted(timings)[len(timings) // 2]


# ------------------------------------------------------------------------------------------ load


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if not found:
        raise SystemExit("wrk is not installed: run `make wrk` (apt-get install wrk)")
    return found


def bench_load(args, env: dict, admin) -> list[dict]:
    from django.conf import settings
    from django.test import Client

    wrk = ensure_wrk()
    client = Client()
    client.force_login(admin)
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    port = free_port()
    log = (common.WORK_DIR / "gunicorn.log").open("w")
    server = subprocess.Popen(
        [
            str(Path(common.PYTHON).with_name("gunicorn")),
            "firmlink.wsgi",
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{port}",
            "--timeout",
            "60",
            "--access-logfile",
            "/dev/null",
        ],
        env={**env, "FIRMLINK_AS_OF": args.as_of.isoformat(), "ALLOWED_HOSTS": "127.0.0.1"},
        cwd=common.ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    results = []
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise SystemExit("gunicorn did not start: see /tmp/firmlink-bench/gunicorn.log") from None
                time.sleep(0.2)
        for name, path in (("/links/", "/links/"), ("overview", "/")):
            url = f"http://127.0.0.1:{port}{path}"
            # Warm both workers (connections, caches) before measuring.
            subprocess.run([wrk, "-t2", "-c4", "-d3s", "-H", f"Cookie: {cookie}", url], capture_output=True, check=True)
            done = subprocess.run(
                [
                    wrk,
                    "-t2",
                    f"-c{args.clients}",
                    f"-d{args.duration}s",
                    "--timeout",
                    "5s",
                    "-s",
                    str(WRK_SCRIPT),
                    "-H",
                    f"Cookie: {cookie}",
                    url,
                ],
                capture_output=True,
                text=True,
                check=True,
            )
            report = json.loads(done.stdout.strip().splitlines()[-1])
            report["page"] = name
            results.append(report)
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()
    return results


# ------------------------------------------------------------------------------------- reminders


def bare_smtp_loop(emails: int, size: int) -> float:
    """The ceiling: ``emails`` messages of ``size`` bytes sent with smtplib over one connection."""
    body = ("x" * 76 + "\r\n") * max(size // 78, 1)
    with common.SMTPSink() as sink:
        started = time.perf_counter()
        with smtplib.SMTP("127.0.0.1", sink.port) as smtp:
            for i in range(emails):
                to = f"attorney{i:06d}@firm.example"
                message = (
                    f"From: firmlink@firm.example\r\nTo: {to}\r\nSubject: Action needed {i}\r\n"
                    "Content-Type: text/plain; charset=utf-8\r\n\r\n" + body
                )
                smtp.sendmail("firmlink@firm.example", [to], message.encode())
        elapsed = time.perf_counter() - started
        if sink.messages != emails:
            raise SystemExit(f"bare loop: the sink counted {sink.messages} of {emails}")
    return elapsed


def bench_reminders(args, env: dict) -> dict:
    from benchmarks import reminders

    as_of = datetime.date(2021, 7, 6)
    csv_io.reset_roster()
    from django.contrib.auth import get_user_model

    get_user_model().objects.filter(username="bench-admin").delete()
    reminders.build_firm(attorneys=args.emails, courts=args.reminder_courts, as_of=as_of)
    run_args = argparse.Namespace(queue=args.queue, as_of=as_of, timeout=args.timeout, db_name=args.db_name)
    pairs = args.emails * args.reminder_courts
    run = reminders.run_once(args=run_args, env=env, workers=1, batch_size=100, attorneys=args.emails, pairs=pairs)
    if run["problems"]:
        raise SystemExit("reminder run: " + "; ".join(run["problems"]))
    size = run["mail_bytes"] // max(run["messages"], 1)
    bare = bare_smtp_loop(args.emails, size)
    return {
        "run_s": run["wall"],
        "send_s": run["send"],
        "bare_s": bare,
        "size": size,
        "cpu_ms": run["worker_cpu"] * 1000 / max(run["messages"], 1),
        "messages": run["messages"],
    }


# ---------------------------------------------------------------------------------------- report


def ratio(value: float, ceiling: float) -> str:
    return f"{value / ceiling:.1f}x" if ceiling else "-"


def main(argv=None) -> int:
    args = parse_args(argv)
    env = common.isolate(args, FIRMLINK_AS_OF=args.as_of.isoformat(), ALLOWED_HOSTS="testserver,127.0.0.1")
    common.create_database(args.db_name)
    try:
        common.setup_django()
        return run(args, env)
    finally:
        if not args.keep_db:
            common.drop_database(args.db_name)


def run(args, env: dict) -> int:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)  # DEBUG off: hashed static names, as deployed
    pairs = args.attorneys * args.courts
    say(f"Building the firm: {args.attorneys:,} attorneys x {args.courts} courts = {pairs:,} pairs ...")
    started = time.perf_counter()
    csv_io.build_pairs(pairs, courts_per=args.courts)
    say(f"  built in {time.perf_counter() - started:.0f} s")
    admin = get_user_model().objects.create_user("bench-page-admin", "pages@bench.example", None)
    admin.groups.add(Group.objects.get(name="administrator"))

    rows = []
    aggregate = plain_aggregate_ms()
    pages = bench_pages(admin)
    for page in pages:
        target = "<= 3x" if page["page"] == "overview" else "<= 100 ms"
        rows.append(
            [
                f"{page['page']} (server)",
                f"{page['ms']:.0f} ms",
                f"{aggregate:.0f} ms plain GROUP BY",
                ratio(page["ms"], aggregate),
                target,
                f"{page['queries']} queries, {page['sql_ms']:.0f} ms SQL, {page['repeated']} repeated; "
                f"right after a change {page['cold_ms']:.0f} ms ({ratio(page['cold_ms'], aggregate)})",
            ]
        )
    say("Export ...")
    export = bench_export(args, env, pairs, admin)
    rows.append(
        [
            f"compliance export, {export['rows']:,} rows",
            f"{export['export_s']:.2f} s",
            f"{export['copy_s']:.2f} s COPY",
            ratio(export["export_s"], export["copy_s"]),
            "<= 2x",
            f"manage.py export_compliance, Django's start-up included, median of 3; peak RSS "
            f"{export['export_rss']:.0f} MB",
        ]
    )
    rows.append(
        [
            "compliance export, served",
            f"{export['served_s']:.2f} s",
            f"{export['copy_s']:.2f} s COPY",
            ratio(export["served_s"], export["copy_s"]),
            "<= 2x",
            "/links/?_export=csv streamed to the end by a started server (test client), median of 3",
        ]
    )
    if not args.skip_load:
        say(f"Load: gunicorn 2 workers, wrk {args.clients} connections, {args.duration} s per page ...")
        for report in bench_load(args, env, admin):
            errors = report["errors"]
            target = ">= 40 rps" if report["page"] == "/links/" else ">= 20 rps"
            rows.append(
                [
                    f"{report['page']} under load",
                    f"{report['rps']:.1f} rps",
                    f"p50 {report['p50_ms']:.0f} ms",
                    f"p95 {report['p95_ms']:.0f} ms",
                    f"{target}, p95 < 1 s",
                    f"{report['requests']} requests, {errors} errors (non-2xx/3xx {report['status_errors']}, "
                    f"timeouts {report['timeouts']})",
                ]
            )
    if not args.skip_reminders:
        say(f"Reminder run: {args.emails:,} emails on one worker, then a bare smtplib loop ...")
        reminders_result = bench_reminders(args, env)
        rows.append(
            [
                f"reminder run, {reminders_result['messages']:,} emails, 1 worker",
                f"{reminders_result['run_s']:.1f} s",
                f"{reminders_result['bare_s']:.1f} s bare smtplib",
                ratio(reminders_result["run_s"], reminders_result["bare_s"]),
                "<= 2x",
                f"{reminders_result['cpu_ms']:.1f} ms worker CPU/email, {reminders_result['size']:,} B/email, "
                f"sending phase {reminders_result['send_s']:.1f} s",
            ]
        )
    say(
        common.table(
            ["figure", "measured", "ceiling (same run)", "ratio", "target", "detail"],
            rows,
            title=f"\nmake bench, {datetime.date.today()}, {os.cpu_count()} cores, load {common.loadavg()}",
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
