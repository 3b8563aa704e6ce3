"""CSV in and out: the roster import, and the compliance export's speed and memory.

    .venv/bin/python -m benchmarks.csv_io [--import-attorneys 2000] [--import-courts 5]
                                          [--sizes 1000,10000,50000,200000]

(a) Import: a roster CSV (attorneys x real court ids, every optional column filled) through
    ``manage.py import_roster`` in a subprocess: dry run and import on an empty roster, then the
    same file again (nothing changes) and its dry run.
(b) Export: for each size, attorneys x courts pairs with one history row per pair (and one per
    attorney) and a sent reminder on every 20th pair, all by bulk_create; then
    ``manage.py export_compliance --out FILE`` in a subprocess, and beside it PostgreSQL's own
    ``COPY (<the export's exact SQL>) TO STDOUT WITH CSV`` through psycopg in a subprocess, the
    ceiling. Wall time, rows/s and each child's own peak RSS (GNU time).

See benchmarks/README.md.
"""

import argparse
import csv
import datetime
import itertools
import subprocess
import sys
import time
from pathlib import Path

from benchmarks import common
from benchmarks.common import say, table

AS_OF = datetime.date(2021, 6, 14)
BULK = 5000
EXPORT_COURTS = 10  # courts per attorney in the export data


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--import-attorneys", type=int, default=2000)
    parser.add_argument("--import-courts", type=int, default=5, help="Court ids per attorney in the roster.")
    parser.add_argument("--sizes", default="1000,10000,50000,200000", help="Export sizes (pairs), comma separated.")
    parser.add_argument("--repeats", type=int, default=1, help="Measure each export this many times.")
    parser.add_argument("--history-per-pair", type=int, default=1, help="History rows per pair (default 1).")
    parser.add_argument("--skip-import", action="store_true")
    parser.add_argument("--skip-export", action="store_true")
    parser.add_argument("--explain", action="store_true", help="Print EXPLAIN ANALYZE of the largest export.")
    parser.add_argument("--copy-child", nargs=2, metavar=("SQL_FILE", "OUT_FILE"), help=argparse.SUPPRESS)
    common.add_isolation_arguments(parser)
    args = parser.parse_args(argv)
    args.size_list = [int(s) for s in args.sizes.split(",") if s.strip()]
    return args


def manage(*arguments: str) -> list[str]:
    return [common.PYTHON, str(common.ROOT / "manage.py"), *arguments]


def reset_roster() -> None:
    """An empty firm; the court directory stays."""
    common.truncate(
        "attorneys_verification",
        "attorneys_stepchange",
        "tasks_reminder",
        "tasks_reminderrun",
        "tasks_escalationdigest",
        "attorneys_courtlink",
        "attorneys_attorney",
        "attorneys_exportlog",
        "attorneys_rosterimport",
    )


# ------------------------------------------------------------------------------------ import


def write_roster(path: Path, *, attorneys: int, courts: int) -> int:
    from courts.models import Court

    court_ids = list(Court.objects.order_by("court_id").values_list("court_id", flat=True))
    accounts = itertools.cycle(["upgraded", "upgraded", "upgraded", "legacy", "none"])
    rows = 0
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            [
                "attorney_name",
                "attorney_email",
                "court_id",
                "efiling_account",
                "new_to_court",
                "bar_number",
                "pacer_username",
                "pacer_account",
                "pacer_individual",
            ]
        )
        for i, account in zip(range(attorneys), accounts, strict=False):
            for j in range(courts):
                court_id = court_ids[(i * courts + j) % len(court_ids)]
                writer.writerow(
                    [
                        f"Attorney {i:06d} Example",
                        f"Attorney.{i:06d}@Firm.example",  # matched whatever the letter case
                        court_id.upper() if j == 0 else court_id,  # court ids too
                        "no" if (i + j) % 9 == 0 else "yes",
                        "yes" if (i + j) % 7 == 0 else "no",
                        f"NY-{i:06d}",
                        f"pacer{i:06d}",
                        account,
                        "no" if i % 11 == 0 else "yes",
                    ]
                )
                rows += 1
    return rows


def roster_counts() -> tuple[int, int, int]:
    from attorneys.models import Attorney, CourtLink, StepChange

    return Attorney.objects.count(), CourtLink.objects.count(), StepChange.objects.count()


def bench_import(args, env: dict) -> list[list]:
    path = common.WORK_DIR / "roster.csv"
    reset_roster()
    rows = write_roster(path, attorneys=args.import_attorneys, courts=args.import_courts)
    say(
        f"\n(a) import: {path} ({path.stat().st_size / 1024:.0f} KiB), {rows:,} rows, "
        f"{args.import_attorneys:,} attorneys"
    )
    baseline = common.run_measured(
        manage("shell", "-c", "pass"), env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    results = []
    steps = [
        ("dry run, empty roster", ["--dry-run"]),
        ("import, empty roster", []),
        ("import again, no changes", []),
        ("dry run, no changes", ["--dry-run"]),
    ]
    for label, flags in steps:
        out = common.WORK_DIR / "import-output.txt"
        with open(out, "wb") as handle:
            result = common.run_measured(
                manage("import_roster", str(path), *flags), env=env, stdout=handle, stderr=handle
            )
        lines = out.read_text(errors="replace").splitlines()
        if result.returncode != 0:
            raise SystemExit(f"import_roster {flags} failed ({result.returncode}):\n" + "\n".join(lines[-20:]))
        attorneys, links, history = roster_counts()
        results.append(
            [
                label,
                result.seconds,
                rows / result.seconds,
                result.seconds - baseline.seconds,
                rows / max(result.seconds - baseline.seconds, 1e-9),
                result.user_cpu + result.system_cpu,
                result.max_rss_mb,
                len(lines),
                f"{attorneys:,}/{links:,}/{history:,}",
                lines[-1][:90] if lines else "",
            ]
        )
    expected = (args.import_attorneys, rows, args.import_attorneys + rows)
    if roster_counts() != expected:
        raise SystemExit(f"after the imports: attorneys/pairs/history {roster_counts()}, expected {expected}")
    say(
        table(
            [
                "step",
                "wall s",
                "rows/s",
                "minus startup s",
                "rows/s (minus startup)",
                "CPU s",
                "peak RSS MB",
                "output lines",
                "attorneys/pairs/history after",
                "last line",
            ],
            results,
            title=f"Roster import: manage.py import_roster FILE, {rows:,} rows (Django startup alone, "
            f"'manage.py shell -c pass': {baseline.seconds:.2f} s, {baseline.max_rss_mb:.0f} MB)",
        )
    )
    return results


# ------------------------------------------------------------------------------------ export


def build_pairs(pairs: int, *, courts_per: int = EXPORT_COURTS, depth: int = 1) -> None:
    """``pairs`` attorney-court pairs in every status, with history and a few sent reminders."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from attorneys.choices import PacerAccount, Step
    from attorneys.models import Attorney, CourtLink, StepChange
    from core.audit import StepSource
    from courts.models import Court
    from tasks.models import Reminder, ReminderStatus

    reset_roster()
    user_model = get_user_model()
    staff = user_model.objects.filter(username="bench-staff").first() or user_model.objects.create_user(
        "bench-staff", "staff@bench.example", None
    )
    courts = list(Court.objects.order_by("court_id"))
    pacer = [(PacerAccount.UPGRADED, True)] * 5 + [
        (PacerAccount.LEGACY, True),
        (PacerAccount.NONE, True),
        (PacerAccount.UPGRADED, False),
    ]
    start = timezone.make_aware(datetime.datetime(2021, 1, 4, 9, 0))
    attorneys_total = -(-pairs // courts_per)
    made = 0
    for first in range(0, attorneys_total, 1000):
        people = Attorney.objects.bulk_create(
            Attorney(
                name=f"Attorney {i:06d}",
                email=f"attorney{i:06d}@firm.example",
                bar_number=f"NY-{i:06d}",
                pacer_username=f"pacer{i:06d}",
                pacer_account=pacer[i % len(pacer)][0],
                pacer_individual=pacer[i % len(pacer)][1],
            )
            for i in range(first, min(first + 1000, attorneys_total))
        )
        links = []
        for index, attorney in enumerate(people, start=first):
            for j in range(courts_per):
                if made + len(links) >= pairs:
                    break
                court = courts[(index * courts_per + j) % len(courts)]
                variant = (index * courts_per + j) % 7
                live = court.nextgen_go_live is not None and court.nextgen_go_live <= AS_OF
                linked = live and variant in (3, 4) and attorney.pacer_account == PacerAccount.UPGRADED
                links.append(
                    CourtLink(
                        attorney=attorney,
                        court=court,
                        efiling_account=variant != 0,
                        new_to_court=variant == 5,
                        cmecf_login_known=variant % 2 == 0,
                        linked_on=court.nextgen_go_live if linked else None,
                        linked_recorded_by=staff if linked else None,
                        linked_recorded_at=start if linked else None,
                        cmecf_name_shown=attorney.name if linked else "",
                        pacer_name_shown=attorney.name if linked else "",
                        menus_confirmed_on=court.nextgen_go_live if linked and variant == 4 else None,
                        registered_on=court.nextgen_go_live if live and variant == 5 and index % 2 else None,
                    )
                )
        links = CourtLink.objects.bulk_create(links, batch_size=BULK)
        # One attorney-level row per attorney and ``depth`` rows per pair (1 by default: "court added";
        # deeper histories add "old CM/ECF login known" changes, later in time).
        history = [
            StepChange(
                changed_at=start,
                actor="roster import bench.csv",
                source=StepSource.IMPORT,
                attorney=attorney,
                step=Step.ATTORNEY_ADDED,
                new_value=attorney.email,
            )
            for attorney in people
        ]
        history += [
            StepChange(
                changed_at=start + datetime.timedelta(days=step, minutes=1 + (made + n) % 50_000),
                actor="Paula Legal (staff)",
                source=StepSource.STAFF,
                attorney_id=link.attorney_id,
                court_id=link.court_id,
                link=link,
                step=Step.COURT_ADDED if step == 0 else Step.CMECF_LOGIN_KNOWN,
                old_value="" if step == 0 else ("no" if step % 2 else "yes"),
                new_value=("e-filing account" if link.efiling_account else "PACER access only")
                if step == 0
                else ("yes" if step % 2 else "no"),
            )
            for n, link in enumerate(links)
            for step in range(depth)
        ]
        StepChange.objects.bulk_create(history, batch_size=BULK)
        Reminder.objects.bulk_create(
            (
                Reminder(
                    link=link,
                    attorney_id=link.attorney_id,
                    occasion="go-live",
                    kind="go_live",
                    days=0,
                    due_on=link.court.nextgen_go_live,
                    go_live=link.court.nextgen_go_live,
                    status=ReminderStatus.SENT,
                    sent_at=start + datetime.timedelta(days=1),
                )
                for n, link in enumerate(links)
                if (made + n) % 20 == 0 and link.court.nextgen_go_live
            ),
            batch_size=BULK,
        )
        made += len(links)
    common.vacuum_analyze("attorneys_attorney", "attorneys_courtlink", "attorneys_stepchange", "tasks_reminder")


def export_sql() -> str:
    """The exact statement ``export_compliance`` copies out (``compliance_sql``), parameters inlined."""
    import psycopg
    from django.db import connection

    from attorneys.models import CourtLink
    from core import clock
    from dashboard import exports

    sql, params = exports.compliance_sql(CourtLink.objects.all(), clock.today())
    with connection.cursor():
        pass
    return psycopg.ClientCursor(connection.connection).mogrify(sql, params)


def copy_child(sql_file: str, out_file: str, db_name: str) -> int:
    """Child process: COPY (sql) TO STDOUT WITH CSV through psycopg, into a file."""
    import psycopg

    sql = Path(sql_file).read_text()
    rows = 0
    with (
        psycopg.connect(host=common.PG_HOST, port=common.PG_PORT, user=common.PG_USER, dbname=db_name) as conn,
        conn.cursor() as cursor,
        open(out_file, "wb") as out,
    ):
        with cursor.copy(f"COPY ({sql}) TO STDOUT WITH (FORMAT csv, HEADER)") as copy:
            for data in copy:
                out.write(data)
        rows = cursor.rowcount
    print(rows)
    return 0


def explain(sql: str) -> tuple[float, str]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
        lines = [row[0] for row in cursor.fetchall()]
    seconds = next(float(line.split()[2]) for line in lines if line.startswith("Execution Time")) / 1000
    return seconds, "\n".join(lines)


def bench_export(args, env: dict) -> list[list]:
    from attorneys.models import ExportLog

    say(
        f"\n(b) export: sizes {args.size_list} (attorneys x {EXPORT_COURTS} courts), as of {AS_OF}; "
        f"{args.history_per_pair} history row(s) per pair + 1 per attorney; a sent reminder on every 20th pair"
    )
    rows_out = []
    plans = {}
    for size in [0, *args.size_list]:
        started = time.perf_counter()
        build_pairs(size, depth=args.history_per_pair)
        build_seconds = time.perf_counter() - started
        sql = export_sql()
        sql_file = common.WORK_DIR / "export.sql"
        sql_file.write_text(sql)
        exec_seconds, plans[size] = explain(sql)
        for repeat in range(args.repeats):
            out = common.WORK_DIR / "export.csv"
            export = common.run_measured(manage("export_compliance", "--out", str(out)), env=env)
            if export.returncode != 0:
                raise SystemExit(f"export_compliance failed ({export.returncode})")
            log = ExportLog.objects.order_by("-id").first()
            export_bytes = out.stat().st_size
            copy_out = common.WORK_DIR / "copy.csv"
            count_file = common.WORK_DIR / "copy-count.txt"
            with open(count_file, "w") as handle:
                copy = common.run_measured(
                    [
                        common.PYTHON,
                        "-m",
                        "benchmarks.csv_io",
                        "--db-name",
                        args.db_name,
                        "--copy-child",
                        str(sql_file),
                        str(copy_out),
                    ],
                    env=env,
                    stdout=handle,
                )
            if copy.returncode != 0:
                raise SystemExit(f"COPY child failed ({copy.returncode})")
            copy_rows = int(count_file.read_text().split()[-1])
            if log.rows != size or copy_rows != size:
                raise SystemExit(f"size {size}: export wrote {log.rows} rows, COPY {copy_rows}")
            label = f"{size:,}" + (" (baseline)" if size == 0 else "") + (f" #{repeat + 1}" if args.repeats > 1 else "")
            rows_out.append(
                [
                    label,
                    build_seconds if repeat == 0 else "",
                    exec_seconds,
                    export.seconds,
                    size / export.seconds,
                    export.user_cpu + export.system_cpu,
                    export.max_rss_mb,
                    export_bytes / 2**20,
                    copy.seconds,
                    size / copy.seconds,
                    copy.max_rss_mb,
                    copy_out.stat().st_size / 2**20,
                    export.seconds / copy.seconds,
                ]
            )
            say(f"  {label}: export {export.seconds:.2f} s {export.max_rss_mb:.1f} MB; COPY {copy.seconds:.2f} s")
    say(
        table(
            [
                "pairs",
                "build s",
                "EXPLAIN ANALYZE s",
                "export s",
                "export rows/s",
                "export CPU s",
                "export peak RSS MB",
                "export MiB",
                "COPY s",
                "COPY rows/s",
                "COPY peak RSS MB",
                "COPY MiB",
                "export/COPY",
            ],
            rows_out,
            title="\nCompliance export: manage.py export_compliance --out FILE vs COPY (same SQL) TO STDOUT WITH CSV",
        )
    )
    say(
        "export s / COPY s: wall time of the child process, start to exit (Python + Django start-up included; the "
        "0-pair row is that baseline).\npeak RSS: the child's own maximum resident set, from /usr/bin/time (%M). "
        "EXPLAIN ANALYZE s: the query alone in PostgreSQL, no rows sent."
    )
    if args.explain and args.size_list:
        largest = max(args.size_list)
        say(f"\nEXPLAIN (ANALYZE, BUFFERS) of the export query at {largest:,} pairs:\n{plans[largest]}")
    return rows_out


def main(argv=None) -> int:
    args = parse_args(argv)
    if args.copy_child:
        return copy_child(*args.copy_child, args.db_name)
    script_started = time.perf_counter()
    env = common.isolate(args, FIRMLINK_AS_OF=AS_OF.isoformat())
    say(f"csv_io benchmark: database {args.db_name}; {common.ROOT}; load average {common.loadavg()}")
    common.create_database(args.db_name)
    try:
        say(f"migrate (204 courts): {common.setup_django():.1f} s")
        if not args.skip_import:
            bench_import(args, env)
        if not args.skip_export:
            bench_export(args, env)
    finally:
        if args.keep_db:
            say(f"kept database {args.db_name}")
        else:
            common.drop_database(args.db_name)
            say(f"dropped database {args.db_name}")
        say(f"total benchmark time: {time.perf_counter() - script_started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
