"""The daily reminder run of a large firm, end to end, through real Celery workers and SMTP.

    .venv/bin/python -m benchmarks.reminders [--attorneys 10000] [--courts 10] [--workers 1,2,4]

Builds ``attorneys x courts`` pairs (bulk_create) on the benchmark's own database, with the
chosen courts going live on the as-of date, so that every pair has a due "go-live" occasion
and every attorney gets exactly one email. Then:

1. times ``tasks.services.planning.reminders_plan`` alone, in a transaction that is rolled back;
2. for each worker count K: empties the reminder tables, purges the queue, starts an SMTP sink
   (aiosmtpd, another process, counts only) and K ``celery worker --pool=solo`` processes,
   enqueues ``tasks.tasks.dispatch_reminders`` and times until the day's ``ReminderRun`` has
   ``finished_at``; checks that each attorney got exactly one email and every row is 'sent'.

See benchmarks/README.md.
"""

import argparse
import contextlib
import datetime
import os
import signal
import subprocess
import sys
import time

from benchmarks import common
from benchmarks.common import say, table

BULK = 5000


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--attorneys", type=int, default=10_000)
    parser.add_argument("--courts", type=int, default=10, help="Courts per attorney (all going live on --as-of).")
    parser.add_argument("--workers", default="1,2,4", help="Worker counts to run, comma separated.")
    parser.add_argument("--batch-size", type=int, default=100, help="FIRMLINK_REMINDER_BATCH_SIZE for the runs.")
    parser.add_argument("--extra-batch-size", type=int, help="One more run with this batch size ...")
    parser.add_argument("--extra-workers", type=int, default=2, help="... and this many workers.")
    parser.add_argument("--as-of", type=datetime.date.fromisoformat, default=datetime.date(2021, 7, 6))
    parser.add_argument("--plan-repeats", type=int, default=2, help="Rolled-back reminders_plan timings.")
    parser.add_argument("--repeats", type=int, default=1, help="Runs per worker count (interleaved: 1,2,4,1,2,4).")
    parser.add_argument("--timeout", type=float, default=1800, help="Give up on one run after this many seconds.")
    parser.add_argument(
        "--digest",
        action="store_true",
        help="Also time the administrators' digest with every pair overdue (in this process, rolled back).",
    )
    common.add_isolation_arguments(parser)
    args = parser.parse_args(argv)
    args.worker_counts = [int(k) for k in args.workers.split(",") if k.strip()]
    return args


# ------------------------------------------------------------------------------------ data


def build_firm(*, attorneys: int, courts: int, as_of: datetime.date) -> list[str]:
    """The firm: courts whose go-live is ``as_of``, e-filers with upgraded PACER accounts, none linked."""
    from django.contrib.auth import get_user_model

    from attorneys.choices import PacerAccount
    from attorneys.models import Attorney, CourtLink
    from courts.models import Court

    # Courts with no announced date get ``as_of`` as their go-live (in this database only), so that
    # the real dated courts keep theirs.
    chosen = list(Court.objects.filter(nextgen_go_live__isnull=True).order_by("court_id")[:courts])
    if len(chosen) < courts:
        raise SystemExit(f"only {len(chosen)} courts without a go-live date; ask for fewer --courts")
    Court.objects.filter(pk__in=[c.pk for c in chosen]).update(nextgen_go_live=as_of)
    # An administrator with an email, so the digest is a real candidate (nobody is overdue: skipped).
    get_user_model().objects.create_superuser("bench-admin", "admin@bench.example", None)
    people = Attorney.objects.bulk_create(
        (
            Attorney(
                name=f"Attorney {i:06d}",
                email=f"attorney{i:06d}@firm.example",
                bar_number=f"BAR{i:06d}",
                pacer_username=f"pacer{i:06d}",
                pacer_account=PacerAccount.UPGRADED,
                pacer_individual=True,
            )
            for i in range(attorneys)
        ),
        batch_size=BULK,
    )
    CourtLink.objects.bulk_create(
        (CourtLink(attorney=a, court=c, cmecf_login_known=(a.pk + c.pk) % 2 == 0) for a in people for c in chosen),
        batch_size=BULK,
    )
    common.vacuum_analyze("attorneys_attorney", "attorneys_courtlink", "courts_court")
    return [c.court_id for c in chosen]


def time_plan(*, as_of: datetime.date, repeats: int) -> list[dict]:
    """``reminders_plan`` alone, each time in a transaction rolled back afterwards.

    Django creates foreign keys DEFERRABLE INITIALLY DEFERRED: their checks run at COMMIT, which
    a rolled-back transaction never reaches. So each repeat is timed twice: as is (no foreign-key
    checks), and after ``SET CONSTRAINTS ALL IMMEDIATE`` (checks included, as a real commit pays).
    """
    from django.db import connection, transaction

    from tasks.services.planning import reminders_plan

    timings = []
    for repeat in range(repeats):
        for mode in ("rolled back", "rolled back, FK checks immediate"):
            with transaction.atomic():
                if mode.endswith("immediate"):
                    with connection.cursor() as cursor:
                        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                started = time.perf_counter()
                result = reminders_plan(today=as_of)
                seconds = time.perf_counter() - started
                transaction.set_rollback(True)
            timings.append(
                {
                    "repeat": repeat + 1,
                    "mode": mode,
                    "seconds": seconds,
                    "created": result.created,
                    "attorneys": len(result.attorney_ids),
                }
            )
    return timings


def time_digest(*, as_of: datetime.date, court_ids: list[str]) -> dict:
    """The administrators' digest when every pair is overdue, in this process, rolled back.

    The chosen courts' go-live moves back FIRMLINK_ESCALATE_AFTER_DAYS, so that every pair is on
    the digest; ``escalation_digest_send`` then runs with Django's in-memory email backend.
    """
    from django.conf import settings
    from django.core import mail
    from django.core.mail import get_connection
    from django.db import transaction

    from courts.models import Court
    from tasks.services.digest import escalation_digest_send

    shifted = as_of - datetime.timedelta(days=settings.FIRMLINK_ESCALATE_AFTER_DAYS)
    with transaction.atomic():
        Court.objects.filter(court_id__in=court_ids).update(nextgen_go_live=shifted)
        connection = get_connection("django.core.mail.backends.locmem.EmailBackend")
        mail.outbox = []
        common.reset_own_peak_rss()
        before = common.process_rss_mb(os.getpid())
        started, cpu = time.perf_counter(), time.process_time()
        digest = escalation_digest_send(today=as_of, claim="benchmark", connection=connection)
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        peak = common.process_peak_rss_mb(os.getpid())
        size = len(mail.outbox[0].message().as_bytes()) if mail.outbox else 0
        transaction.set_rollback(True)
    return {
        "pairs": digest.pairs,
        "status": digest.status,
        "seconds": seconds,
        "cpu": cpu,
        "bytes": size,
        "rss_before": before,
        "rss_peak": peak,
    }


# --------------------------------------------------------------------------------- workers


def purge_queue(queue: str) -> None:
    from firmlink.celery import app

    with app.connection_for_write() as conn:
        with contextlib.suppress(Exception):
            conn.default_channel.queue_purge(queue)
        client = getattr(conn.default_channel, "client", None)
        if client is not None:  # unacknowledged messages of a killed worker (our Redis db only)
            client.delete("unacked", "unacked_index", "unacked_mutex")


def forget_queue(queue: str) -> None:
    """Remove what this benchmark left in its Redis database."""
    from firmlink.celery import app

    purge_queue(queue)
    with app.connection_for_write() as conn:
        client = getattr(conn.default_channel, "client", None)
        if client is not None:
            # The queue's keys, and kombu's binding tables (the whole Redis database is the benchmark's).
            for pattern in (f"*{queue}*", "_kombu.binding*"):
                for key in client.scan_iter(match=pattern):
                    client.delete(key)


class Worker:
    def __init__(self, *, index: int, label: str, env: dict, queue: str):
        self.log_path = common.WORK_DIR / f"worker-{label}-{index}.log"
        self.command = [
            common.PYTHON,
            "-m",
            "celery",
            "-A",
            "firmlink",
            "worker",
            "--pool=solo",
            "--loglevel=INFO",
            "-n",
            f"bench{index}-{label}@%h",
            "-Q",
            queue,
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ]
        self.env = env
        self.process = None
        self.max_rss_mb = 0.0

    def start(self):
        self._log = open(self.log_path, "w")  # noqa: SIM115 (closed in stop)
        self.process = subprocess.Popen(
            self.command, env=self.env, cwd=common.ROOT, stdout=self._log, stderr=subprocess.STDOUT
        )
        return self

    def ready(self) -> bool:
        if self.process.poll() is not None:
            raise RuntimeError(f"worker exited ({self.process.returncode}):\n{self.tail()}")
        return " ready." in self.log_path.read_text(errors="replace")

    def cpu_seconds(self) -> float:
        return common.process_cpu_seconds(self.process.pid)

    def stop(self):
        """Warm shutdown (SIGTERM), after reading the worker's own peak RSS (VmHWM)."""
        if self.process is None or self.process.returncode is not None:
            return
        self.max_rss_mb = common.process_peak_rss_mb(self.process.pid)
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(10)
        self._log.close()

    def tail(self, lines: int = 30) -> str:
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])


def wait_until(condition, *, timeout: float, what: str, interval: float = 0.05):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(interval)
    raise TimeoutError(f"timed out after {timeout:.0f}s waiting for {what}")


# ------------------------------------------------------------------------------------- run


def run_once(*, args, env: dict, workers: int, batch_size: int, attorneys: int, pairs: int) -> dict:
    from django.db.models import Count, Max, Min

    from tasks.models import Reminder, ReminderRun
    from tasks.tasks import dispatch_reminders

    common.truncate("tasks_reminder", "tasks_reminderrun", "tasks_escalationdigest")
    common.vacuum_analyze("tasks_reminder")
    purge_queue(args.queue)
    label = f"k{workers}-b{batch_size}"
    result = {"workers": workers, "batch": batch_size, "load_before": common.loadavg()}
    with common.SMTPSink() as sink:
        worker_env = {
            **env,
            "FIRMLINK_AS_OF": args.as_of.isoformat(),
            "FIRMLINK_REMINDER_HOUR": "0",
            "FIRMLINK_REMINDER_BATCH_SIZE": str(batch_size),
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(sink.port),
            "EMAIL_USE_TLS": "false",
        }
        pool = [Worker(index=i, label=label, env=worker_env, queue=args.queue).start() for i in range(workers)]
        try:
            wait_until(lambda: all(w.ready() for w in pool), timeout=120, what="the workers to be ready")
            cpu = common.SystemCPU()
            pg_cpu = common.PostgresCPU(args.db_name)
            cpu_before = [w.cpu_seconds() for w in pool]
            sink_cpu_before = sink.cpu_seconds()
            runs = ReminderRun.objects.filter(run_on=args.as_of)

            started = time.perf_counter()
            dispatch_reminders.delay()
            dispatched = None
            while True:  # poll every 50 ms: the run committed (dispatch done), then finished
                pg_cpu.sample()
                row = runs.values_list("id", "finished_at").first()
                now = time.perf_counter()
                if dispatched is None and row is not None:
                    dispatched = now
                if row is not None and row[1] is not None:
                    finished = now
                    break
                if now - started > args.timeout:
                    raise TimeoutError(f"the run did not finish within {args.timeout:.0f} s")
                time.sleep(0.05)

            result["busy_cores"] = cpu.busy_cores()
            result["worker_cpu"] = sum(w.cpu_seconds() - b for w, b in zip(pool, cpu_before, strict=True))
            result["sink_cpu"] = sink.cpu_seconds() - sink_cpu_before
            result["pg_cpu"] = pg_cpu.seconds()
        except Exception:
            for worker in pool:
                say(f"--- {worker.log_path}\n{worker.tail()}")
            raise
        finally:
            for worker in pool:
                worker.stop()
        result.update(
            wall=finished - started,
            dispatch=dispatched - started,
            send=finished - dispatched,
            messages=sink.messages,
            deliveries=sink.deliveries,
            recipients=sink.distinct_recipients,
            mail_bytes=sink.bytes,
            worker_rss=max(w.max_rss_mb for w in pool),
        )
    run = ReminderRun.objects.get(run_on=args.as_of)
    by_status = dict(Reminder.objects.values_list("status").annotate(n=Count("id")).order_by())
    stamps = Reminder.objects.aggregate(first_claim=Min("claimed_at"), last_sent=Max("sent_at"), tries=Max("attempts"))
    result.update(
        planned=run.planned,
        run_sent=run.sent,
        run_failed=run.failed,
        run_skipped=run.skipped,
        batches=run.batches_total,
        by_status=by_status,
        max_attempts=stamps["tries"],
        # The firm's clock (date pinned, real time of day) stamped these: consistent with each other.
        db_dispatch=(stamps["first_claim"] - run.started_at).total_seconds(),
        db_send=(stamps["last_sent"] - stamps["first_claim"]).total_seconds(),
        db_total=(run.finished_at - run.started_at).total_seconds(),
    )
    problems = []
    if not (sink.messages == sink.deliveries == sink.distinct_recipients == attorneys):
        problems.append(
            f"SMTP: {sink.messages} messages, {sink.deliveries} deliveries, {sink.distinct_recipients} distinct "
            f"recipients for {attorneys} attorneys"
        )
    if by_status != {"sent": pairs}:
        problems.append(f"Reminder rows by status {by_status}, expected {{'sent': {pairs}}}")
    if (run.planned, run.sent, run.failed, run.skipped) != (pairs, pairs, 0, 0):
        problems.append(f"run planned/sent/failed/skipped = {run.planned}/{run.sent}/{run.failed}/{run.skipped}")
    result["problems"] = problems
    return result


def report(args, results: list[dict], pairs: int) -> None:
    cores = os.cpu_count() or 1
    say(
        table(
            [
                "K",
                "batch",
                "wall s",
                "dispatch s",
                "send s",
                "emails/s",
                "reminders/s",
                "emails/s (send)",
                "busy cores",
                "worker CPU s",
                "PG CPU s",
                "sink CPU s",
                "rest of machine CPU s",
                "worker RSS MB",
                "load before",
                "check",
            ],
            [
                [
                    r["workers"],
                    r["batch"],
                    r["wall"],
                    r["dispatch"],
                    r["send"],
                    args.attorneys / r["wall"],
                    pairs / r["wall"],
                    args.attorneys / r["send"],
                    r["busy_cores"],
                    r["worker_cpu"],
                    r["pg_cpu"],
                    r["sink_cpu"],
                    r["busy_cores"] * r["wall"] - r["worker_cpu"] - r["pg_cpu"] - r["sink_cpu"],
                    r["worker_rss"],
                    r["load_before"],
                    "OK" if not r["problems"] else "FAIL",
                ]
                for r in results
            ],
            title=f"\nDaily run, {args.attorneys:,} attorneys x {args.courts} courts ({pairs:,} reminders), every run",
        )
    )
    say(
        "wall = enqueue of dispatch_reminders -> ReminderRun.finished_at seen (polled every 50 ms); dispatch = "
        "enqueue -> the run committed\n(planning, on one worker); send = the rest. emails/s, reminders/s per wall "
        "second; '(send)' per second of the sending phase.\nbusy cores: machine-wide CPU use (everything running "
        f"on the machine) out of {cores}. worker/PG/sink CPU: our workers, the PostgreSQL backends of our database\n"
        "(sampled, a lower bound) and the SMTP sink during the run; rest of machine = busy cores x wall - those "
        "(Redis, kernel, this script, other users)."
    )
    by_setting: dict[tuple, list[dict]] = {}
    for r in results:
        by_setting.setdefault((r["workers"], r["batch"]), []).append(r)
    base = by_setting.get((1, args.batch_size))
    best_base_wall = min(r["wall"] for r in base) if base else None
    best_base_send = min(r["send"] for r in base) if base else None
    rows = []
    for (workers, batch), runs in by_setting.items():
        wall, send = min(r["wall"] for r in runs), min(r["send"] for r in runs)
        ours = sum(r["worker_cpu"] + r["pg_cpu"] + r["sink_cpu"] for r in runs) / len(runs)
        rows.append(
            [
                workers,
                batch,
                len(runs),
                wall,
                send,
                args.attorneys / wall,
                pairs / wall,
                f"{best_base_wall / wall:.2f}x" if base else "-",
                f"{best_base_send / send:.2f}x" if base else "-",
                ours / args.attorneys * 1000,
                cores / (ours / args.attorneys),
            ]
        )
    say(
        table(
            [
                "K",
                "batch",
                "runs",
                "best wall s",
                "best send s",
                "emails/s",
                "reminders/s",
                "scaling (wall)",
                "scaling (send)",
                "our CPU ms/email",
                f"emails/s if {cores} cores were ours",
            ],
            rows,
            title="\nSummary (best of the runs of each setting); scaling = best time at K=1 / best time at K",
        )
    )
    say(
        table(
            ["K", "batch", "run started->first claim s", "first claim->last sent s", "run started->finished s"],
            [[r["workers"], r["batch"], r["db_dispatch"], r["db_send"], r["db_total"]] for r in results],
            title="\nThe same runs by the database's own timestamps (ReminderRun.started_at, claimed_at, sent_at)",
        )
    )


def main(argv=None) -> int:
    args = parse_args(argv)
    script_started = time.perf_counter()
    env = common.isolate(args, FIRMLINK_AS_OF=args.as_of.isoformat(), FIRMLINK_REMINDER_HOUR=0)
    pairs = args.attorneys * args.courts
    say(
        f"reminders benchmark: {args.attorneys:,} attorneys x {args.courts} courts = {pairs:,} pairs, as of "
        f"{args.as_of}, workers {args.worker_counts}, batch size {args.batch_size}"
    )
    say(f"machine: {os.cpu_count()} CPUs, load average {common.loadavg()}; database {args.db_name}, ")
    say(f"broker {args.redis_url} queue {args.queue}; Python {sys.version.split()[0]}")
    common.create_database(args.db_name)
    failed = False
    try:
        migrate_seconds = common.setup_django()
        say(f"migrate (204 courts): {migrate_seconds:.1f} s")
        started = time.perf_counter()
        court_ids = build_firm(attorneys=args.attorneys, courts=args.courts, as_of=args.as_of)
        say(f"built the firm (bulk_create + VACUUM ANALYZE): {time.perf_counter() - started:.1f} s; courts {court_ids}")

        timings = time_plan(as_of=args.as_of, repeats=args.plan_repeats)
        say(
            table(
                ["#", "transaction", "seconds", "reminders created", "reminders/s", "attorneys with work"],
                [
                    [t["repeat"], t["mode"], t["seconds"], t["created"], t["created"] / t["seconds"], t["attorneys"]]
                    for t in timings
                ],
                title="\nPlanning alone: tasks.services.planning.reminders_plan(today=as_of) in the benchmark process",
            )
        )

        if args.digest:
            digest = time_digest(as_of=args.as_of, court_ids=court_ids)
            say(
                table(
                    [
                        "pairs on the digest",
                        "status",
                        "seconds",
                        "CPU s",
                        "message MiB",
                        "RSS before MB",
                        "peak RSS MB",
                    ],
                    [
                        [
                            digest["pairs"],
                            digest["status"],
                            digest["seconds"],
                            digest["cpu"],
                            digest["bytes"] / 2**20,
                            digest["rss_before"],
                            digest["rss_peak"],
                        ]
                    ],
                    title="\nAdministrators' digest, every pair overdue: tasks.services.digest.escalation_digest_send "
                    "(in-memory email backend, rolled back)",
                )
            )

        plan = [(k, args.batch_size) for _ in range(args.repeats) for k in args.worker_counts]
        if args.extra_batch_size:
            plan.append((args.extra_workers, args.extra_batch_size))
        results = []
        for workers, batch_size in plan:
            say(f"\nrun: K={workers} worker(s), batch size {batch_size} (load average {common.loadavg()}) ...")
            result = run_once(
                args=args, env=env, workers=workers, batch_size=batch_size, attorneys=args.attorneys, pairs=pairs
            )
            results.append(result)
            say(
                f"  wall {result['wall']:.1f} s (dispatch {result['dispatch']:.1f} s + sending {result['send']:.1f} s);"
                f" {result['messages']:,} emails, avg {result['mail_bytes'] / max(result['messages'], 1) / 1024:.1f}"
                f" KiB; rows {result['by_status']}; batches {result['batches']}; max attempts "
                f"{result['max_attempts']}; "
                + ("OK" if not result["problems"] else "PROBLEMS: " + "; ".join(result["problems"]))
            )
            failed = failed or bool(result["problems"])
        if results:
            report(args, results, pairs)
    finally:
        with contextlib.suppress(Exception):
            forget_queue(args.queue)
        if args.keep_db:
            say(f"kept database {args.db_name}")
        else:
            common.drop_database(args.db_name)
            say(f"dropped database {args.db_name}")
        say(f"total benchmark time: {time.perf_counter() - script_started:.0f} s")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
