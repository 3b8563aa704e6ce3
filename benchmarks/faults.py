"""The daily reminder run under real faults, at a firm's scale: what the attorneys received.

    .venv/bin/python -m benchmarks.faults [--attorneys 2000] [--courts 5] [--workers 2] [--outage 30]

The same firm as benchmarks/reminders.py (``attorneys x courts`` pairs, every attorney due one
email), real ``celery worker`` processes on the benchmark's own Redis database and queue, real
PostgreSQL, and a real SMTP server (aiosmtpd, tests/smtp.py) in this script's process that the
script takes away and brings back. Each scenario starts from no reminder rows (planned anew by
its first dispatch), an empty queue and fresh workers:

1. baseline: no fault;
2. smtp-down: the SMTP server is down for the first ``--outage`` seconds of the run, then up;
3. smtp-dies: the server goes away in the middle of a message after a third of the emails, and
   is back ``--outage`` seconds later;
4. slow-smtp: 0.3 s per message, a 20-second claim lease, 4 workers, dispatch every 2 s, on
   200 of the attorneys (``--slow-*``);
5. worker-kill: one worker SIGKILLed after a third of the emails, restarted ``--restart-after``
   seconds later;
6. db-loss: while a message is in the SMTP conversation after a third of the emails, every
   connection of the workers to the benchmark database is terminated (``pg_terminate_backend``).

The hourly beat is not running: the script enqueues ``dispatch_reminders`` every ``--tick``
seconds during each scenario, which starts the run and then resumes whatever is left, as the
beat would. A scenario is over when the day's ``ReminderRun`` is finished and no row is pending,
being sent or failed (or after ``--timeout`` seconds); the workers then keep running for
``--settle`` seconds, so that a late duplicate would still be counted. Numbers are printed,
nothing is asserted. See benchmarks/README.md.
"""

import argparse
import collections
import contextlib
import dataclasses
import datetime
import email.utils
import os
import re
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

from benchmarks import common
from benchmarks.common import say, table
from benchmarks.reminders import Worker, build_firm, forget_queue, purge_queue, wait_until
from tests.smtp import SMTPServer

SCENARIOS = ["baseline", "smtp-down", "smtp-dies", "slow-smtp", "worker-kill", "db-loss"]


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--attorneys", type=int, default=2000)
    parser.add_argument("--courts", type=int, default=5, help="Courts per attorney (all going live on --as-of).")
    parser.add_argument("--workers", type=int, default=2, help="Worker processes (except slow-smtp).")
    parser.add_argument(
        "--scenarios", default=",".join(SCENARIOS), help="Comma separated, among: " + ", ".join(SCENARIOS)
    )
    parser.add_argument(
        "--outage", type=float, default=30, help="Seconds the SMTP server stays down (smtp-down, -dies)."
    )
    parser.add_argument("--restart-after", type=float, default=5, help="worker-kill: seconds before the restart.")
    parser.add_argument("--tick", type=float, default=5, help="Seconds between two dispatch_reminders enqueued.")
    parser.add_argument("--timeout", type=float, default=600, help="Give up on a scenario after this many seconds.")
    parser.add_argument("--settle", type=float, default=5, help="Seconds the workers keep running after the run.")
    parser.add_argument("--batch-size", type=int, default=100, help="FIRMLINK_REMINDER_BATCH_SIZE.")
    parser.add_argument("--retry-backoff", type=int, default=2, help="FIRMLINK_SEND_RETRY_BACKOFF (seconds).")
    parser.add_argument("--retry-backoff-max", type=int, default=10, help="FIRMLINK_SEND_RETRY_BACKOFF_MAX.")
    parser.add_argument("--max-retries", type=int, default=50, help="FIRMLINK_SEND_MAX_RETRIES.")
    parser.add_argument(
        "--visibility-timeout",
        type=int,
        default=120,
        help="CELERY_VISIBILITY_TIMEOUT: a killed worker's task comes back after this (plus Redis' restore sweep).",
    )
    parser.add_argument("--email-timeout", type=int, default=10, help="EMAIL_TIMEOUT of the workers.")
    parser.add_argument("--slow-attorneys", type=int, default=200, help="slow-smtp: attorneys of the firm taking part.")
    parser.add_argument("--slow-workers", type=int, default=4)
    parser.add_argument("--slow-delay", type=float, default=0.3, help="slow-smtp: seconds per message at the server.")
    parser.add_argument("--slow-lease", type=int, default=20, help="slow-smtp: FIRMLINK_SEND_LEASE_SECONDS.")
    parser.add_argument("--slow-tick", type=float, default=2, help="slow-smtp: seconds between two dispatches.")
    parser.add_argument("--as-of", type=datetime.date.fromisoformat, default=datetime.date(2021, 7, 6))
    common.add_isolation_arguments(parser)
    args = parser.parse_args(argv)
    args.scenario_keys = [key.strip() for key in args.scenarios.split(",") if key.strip()]
    unknown = set(args.scenario_keys) - set(SCENARIOS)
    if unknown:
        parser.error(f"unknown scenario(s) {sorted(unknown)}; choose among {SCENARIOS}")
    return args


# ------------------------------------------------------------------------------ scenarios


class Fault:
    """What the fault thread of one scenario sees: the SMTP server, the workers, the clock."""

    def __init__(self, *, smtp: SMTPServer, pool: list[Worker], expected: int, spawn_worker: Callable, db_name: str):
        self.smtp = smtp
        self.pool = pool
        self.expected = expected
        self.spawn_worker = spawn_worker
        self.db_name = db_name
        self.stop = threading.Event()
        self.done = threading.Event()
        self.t0 = 0.0
        self.started: float | None = None  # perf_counter when the fault began / ended
        self.ended: float | None = None
        self.notes: list[str] = []
        self.script_pids: list[int] = []  # this script's own database backends (never terminated)
        self.victim: Worker | None = None
        self.victim_cpu = 0.0

    def query(self, sql: str, params=None):
        """One row, on a connection of this thread's own (psycopg, autocommit)."""
        import psycopg

        with psycopg.connect(
            host=common.PG_HOST, port=common.PG_PORT, user=common.PG_USER, dbname=self.db_name, autocommit=True
        ) as conn:
            return conn.execute(sql, params).fetchone()

    def note(self, text: str) -> None:
        self.notes.append(f"t={time.perf_counter() - self.t0:6.1f}s {text}")

    def sleep(self, seconds: float) -> bool:
        return not self.stop.wait(max(seconds, 0))

    def wait_for(self, condition, interval: float = 0.05) -> bool:
        while not self.stop.is_set():
            if condition():
                return True
            time.sleep(interval)
        return False

    def received(self) -> int:
        return len(self.smtp.mailbox.messages)

    def third(self) -> int:
        return max(self.expected // 3, 1)


def no_fault(fault: Fault) -> None:
    fault.started = fault.ended = fault.t0


def slow_server(fault: Fault) -> None:
    fault.started = fault.t0  # the whole run; there is no end to recover from


def smtp_down_at_start(fault: Fault, outage: float) -> None:
    fault.started = fault.t0
    if fault.sleep(fault.t0 + outage - time.perf_counter()):
        fault.smtp.up()
        fault.ended = time.perf_counter()
        fault.note(f"SMTP server up ({fault.received()} messages so far)")


def smtp_dies_mid_run(fault: Fault, outage: float) -> None:
    mailbox = fault.smtp.mailbox
    mailbox.hold_after = fault.third()  # the next message hangs in its SMTP conversation...
    if not fault.wait_for(mailbox.holding.is_set):
        return
    mailbox.reject_held = True
    threading.Thread(target=fault.smtp.down, daemon=True).start()  # ...when the server goes away
    if not fault.wait_for(lambda: fault.smtp.controller is None):
        return
    mailbox.release.set()
    fault.started = time.perf_counter()
    fault.note(f"SMTP server stopped in the middle of a message, {fault.received()} messages received")
    if fault.sleep(outage):
        mailbox.hold_after = None
        fault.smtp.up()
        fault.ended = time.perf_counter()
        fault.note(f"SMTP server up again ({fault.received()} messages so far)")


def kill_a_worker(fault: Fault, restart_after: float) -> None:
    if not fault.wait_for(lambda: fault.received() >= fault.third()):
        return
    victim = next((w for w in fault.pool if busy(w)), fault.pool[0])  # one in the middle of a batch
    fault.victim_cpu = victim.cpu_seconds()
    victim.process.kill()  # SIGKILL: no warm shutdown, no acknowledgement, rows left as they are
    victim.process.wait(10)
    fault.started = time.perf_counter()
    fault.victim = victim
    held = fault.query("SELECT count(*), count(DISTINCT attorney_id) FROM tasks_reminder WHERE status = 'sending'")
    fault.note(
        f"SIGKILL worker {victim.log_path.name} (pid {victim.process.pid}), {fault.received()} messages received; "
        f"just after, {held[0]} rows of {held[1]} attorney(s) being sent (the victim's claim and the others')"
    )
    if fault.sleep(restart_after):
        worker = fault.spawn_worker()
        fault.ended = time.perf_counter()
        fault.note(f"restarted it as {worker.log_path.name} ({fault.received()} messages so far)")


def lose_the_database(fault: Fault) -> None:
    mailbox = fault.smtp.mailbox
    mailbox.hold_after = fault.third()  # a message is in flight while the connections go away
    if not fault.wait_for(mailbox.holding.is_set):
        return
    terminated = fault.query(
        "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) FROM pg_stat_activity"
        " WHERE datname = current_database() AND pid <> pg_backend_pid() AND NOT (pid = ANY(%s))"
        " AND backend_type = 'client backend'",
        [fault.script_pids],
    )[0]
    fault.started = time.perf_counter()
    mailbox.hold_after = None
    mailbox.release.set()  # the server accepts the held message(s): they must be recorded, not resent
    fault.ended = time.perf_counter()
    fault.note(f"pg_terminate_backend: {terminated} worker connection(s), {fault.received()} messages received")


@dataclasses.dataclass
class Scenario:
    key: str
    title: str
    fault: Callable[[Fault], None]
    workers: int
    tick: float
    attorneys: int | None = None  # None: the whole firm
    smtp_up: bool = True
    smtp_delay: float = 0.0
    env: dict = dataclasses.field(default_factory=dict)
    recovery_from: str = "end"  # "end" of the fault, "start" of the run, or "" (no end)


def scenarios(args) -> list[Scenario]:
    slow_visibility = max(args.visibility_timeout, int(4 * args.batch_size * args.slow_delay))
    every = {
        "baseline": Scenario("baseline", "no fault", no_fault, args.workers, args.tick, recovery_from="start"),
        "smtp-down": Scenario(
            "smtp-down",
            f"SMTP down for the first {args.outage:.0f} s",
            lambda f: smtp_down_at_start(f, args.outage),
            args.workers,
            args.tick,
            smtp_up=False,
        ),
        "smtp-dies": Scenario(
            "smtp-dies",
            f"SMTP dies mid-message after 1/3, back {args.outage:.0f} s later",
            lambda f: smtp_dies_mid_run(f, args.outage),
            args.workers,
            args.tick,
        ),
        "slow-smtp": Scenario(
            "slow-smtp",
            f"SMTP {args.slow_delay} s/message, lease {args.slow_lease} s, {args.slow_workers} workers, "
            f"dispatch every {args.slow_tick:g} s, {args.slow_attorneys} attorneys",
            slow_server,
            args.slow_workers,
            args.slow_tick,
            attorneys=args.slow_attorneys,
            smtp_delay=args.slow_delay,
            env={"FIRMLINK_SEND_LEASE_SECONDS": args.slow_lease, "CELERY_VISIBILITY_TIMEOUT": slow_visibility},
            recovery_from="",
        ),
        "worker-kill": Scenario(
            "worker-kill",
            f"a worker SIGKILLed after 1/3, restarted {args.restart_after:g} s later",
            lambda f: kill_a_worker(f, args.restart_after),
            args.workers,
            args.tick,
        ),
        "db-loss": Scenario(
            "db-loss",
            "workers' database connections terminated mid-message after 1/3",
            lose_the_database,
            args.workers,
            args.tick,
        ),
    }
    return [every[key] for key in args.scenario_keys]


# ------------------------------------------------------------------------------------ run


def worker_env(args, env: dict, smtp: SMTPServer, scenario: Scenario) -> dict:
    return {
        **env,
        "FIRMLINK_AS_OF": args.as_of.isoformat(),
        "FIRMLINK_REMINDER_HOUR": "0",
        "FIRMLINK_REMINDER_BATCH_SIZE": str(args.batch_size),
        "FIRMLINK_SEND_RETRY_BACKOFF": str(args.retry_backoff),
        "FIRMLINK_SEND_RETRY_BACKOFF_MAX": str(args.retry_backoff_max),
        "FIRMLINK_SEND_MAX_RETRIES": str(args.max_retries),
        "CELERY_VISIBILITY_TIMEOUT": str(args.visibility_timeout),
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp.port),
        "EMAIL_USE_TLS": "false",
        "EMAIL_TIMEOUT": str(args.email_timeout),
        **{key: str(value) for key, value in scenario.env.items()},
    }


def only_attorneys(count: int | None) -> list[str]:
    """Make the first ``count`` attorneys of the firm active (all when None); their emails."""
    from attorneys.models import Attorney

    everyone = Attorney.objects.order_by("pk")
    Attorney.objects.update(is_active=True)
    if count is not None:
        cutoff = everyone.values_list("pk", flat=True)[count - 1]
        Attorney.objects.filter(pk__gt=cutoff).update(is_active=False)
    return [address.lower() for address in everyone.filter(is_active=True).values_list("email", flat=True)]


def own_backends() -> list[int]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return [cursor.fetchone()[0]]


def run_state(as_of: datetime.date):
    """(finished, rows pending/sending/failed); None when the database did not answer."""
    from django.db import DatabaseError, connection

    from tasks.models import Reminder, ReminderRun, ReminderStatus

    try:
        finished = ReminderRun.objects.filter(run_on=as_of).values_list("finished_at", flat=True).first()
        if finished is None:
            return False, None
        open_rows = Reminder.objects.filter(
            status__in=[ReminderStatus.PENDING, ReminderStatus.SENDING, ReminderStatus.FAILED]
        ).count()
        return True, open_rows
    except DatabaseError:
        with contextlib.suppress(DatabaseError):
            connection.close()
        return None


def enqueue_dispatch() -> bool:
    from tasks.tasks import dispatch_reminders

    try:
        dispatch_reminders.delay()
        return True
    except Exception as exc:  # a broker hiccup: the next tick tries again
        say(f"  (dispatch not enqueued: {exc})")
        return False


def run_scenario(args, env: dict, scenario: Scenario, *, all_attorneys: int) -> dict:
    from django.db.models import Count, Max

    from tasks.models import Reminder, ReminderRun

    common.truncate("tasks_reminder", "tasks_reminderrun", "tasks_escalationdigest")
    purge_queue(args.queue)
    emails = only_attorneys(scenario.attorneys if scenario.attorneys and scenario.attorneys < all_attorneys else None)
    expected = len(emails)
    result = {"scenario": scenario, "expected": expected, "timed_out": False, "load_before": common.loadavg()}
    with SMTPServer(started=scenario.smtp_up) as smtp:
        smtp.mailbox.delay = scenario.smtp_delay
        child_env = worker_env(args, env, smtp, scenario)
        pool: list[Worker] = []

        def spawn_worker() -> Worker:
            worker = Worker(index=len(pool), label=scenario.key, env=child_env, queue=args.queue).start()
            pool.append(worker)
            return worker

        for _ in range(scenario.workers):
            spawn_worker()
        fault = Fault(smtp=smtp, pool=pool, expected=expected, spawn_worker=spawn_worker, db_name=args.db_name)
        thread = threading.Thread(target=run_fault, args=(scenario.fault, fault), daemon=True)
        done_at = first_finished = last_email = None
        ticks = 0
        try:
            wait_until(lambda: all(w.ready() for w in pool), timeout=120, what="the workers to be ready")
            fault.script_pids = own_backends()
            cpu = common.SystemCPU()
            own_cpu = time.process_time()
            workers_cpu = {id(w): w.cpu_seconds() for w in pool}
            fault.t0 = started = time.perf_counter()
            seen = 0
            ticks += enqueue_dispatch()
            next_tick = started + scenario.tick
            thread.start()
            while True:
                now = time.perf_counter()
                if now - started > args.timeout:
                    result["timed_out"] = True
                    break
                if now >= next_tick:
                    ticks += enqueue_dispatch()
                    next_tick += scenario.tick
                if len(smtp.mailbox.messages) != seen:
                    seen, last_email = len(smtp.mailbox.messages), now
                state = run_state(args.as_of)
                if state is not None and state[0]:
                    if first_finished is None:
                        first_finished = (now, state[1])
                    if state[1] == 0 and fault.done.is_set():
                        done_at = now
                        break
                time.sleep(0.2)
            fault.stop.set()
            time.sleep(args.settle)
            result["busy_cores"] = cpu.busy_cores()
            result["script_cpu"] = time.process_time() - own_cpu
            result["worker_cpu"] = fault.victim_cpu + sum(w.cpu_seconds() - workers_cpu.get(id(w), 0.0) for w in pool)
        finally:
            fault.stop.set()
            thread.join(30)
            for worker in pool:
                worker.stop()
                with contextlib.suppress(Exception):
                    worker._log.close()
        messages = list(smtp.mailbox.messages)

    received = collections.Counter(email.utils.parseaddr(str(m["To"]))[1].lower() for m in messages)
    wanted = set(emails)
    delivered = sum(1 for address in wanted if received[address])
    by_status = dict(Reminder.objects.values_list("status").annotate(n=Count("id")).order_by())
    recorded = {
        address.lower()
        for address in Reminder.objects.filter(status="sent").values_list("attorney__email", flat=True).distinct()
    }
    run = ReminderRun.objects.filter(run_on=args.as_of).first()
    end = done_at if done_at is not None else started + args.timeout
    if scenario.recovery_from == "start":
        recovery = end - started
    elif scenario.recovery_from == "end" and fault.ended is not None:
        recovery = end - fault.ended
    else:
        recovery = None
    result.update(
        messages=len(messages),
        delivered=delivered,
        duplicates=sum(n - 1 for address, n in received.items() if address in wanted and n > 1),
        duplicated_attorneys=sorted(address for address in wanted if received[address] > 1),
        not_attorneys=sum(n for address, n in received.items() if address not in wanted),
        lost=expected - delivered,
        recorded_not_received=sorted(recorded - set(received)),
        by_status=by_status,
        stuck=sum(by_status.get(status, 0) for status in ("pending", "sending", "failed")),
        max_attempts=Reminder.objects.aggregate(m=Max("attempts"))["m"],
        run=run,
        recovery=recovery,
        total=end - started,
        ticks=ticks,
        first_finished=(first_finished[0] - started, first_finished[1]) if first_finished else None,
        notes=fault.notes,
        last_email=None if last_email is None else last_email - started,
        redelivered=redelivery(fault.victim, pool) if fault.victim else [],
        logs=read_logs(pool),
        workers=len(pool),
    )
    return result


def run_fault(action, fault: Fault) -> None:
    try:
        action(fault)
    except Exception as exc:  # reported, and the scenario still ends (by the run or the timeout)
        fault.note(f"the fault itself failed: {type(exc).__name__}: {exc}")
    finally:
        fault.done.set()


# ---------------------------------------------------------------------------- worker logs

TASK_LINE = re.compile(r"Task (?P<name>[\w.]+)\[(?P<id>[0-9a-f-]+)\] (?P<what>succeeded in|retry:|raised)")
LOG_PATTERNS = {
    "not sent": "not sent:",
    "db unavailable, recording again": "the database is unavailable, recording it again",
    "sent, could not record": "could not record it",
    "another worker took over": "another worker had taken over",
    "task retries": "] retry:",
    "task raised": "] raised",
    "worker lost": "WorkerLostError",
    "errors": " ERROR",
    "tracebacks": "Traceback",
}


def read_logs(pool: list[Worker]) -> dict:
    counts = collections.Counter()
    examples: dict[str, list[str]] = collections.defaultdict(list)
    finished = collections.Counter()  # (task id) -> executions that ran to the end (succeeded or raised)
    for worker in pool:
        text = Path(worker.log_path).read_text(errors="replace")
        for line in text.splitlines():
            for label, needle in LOG_PATTERNS.items():
                if needle in line:
                    counts[label] += 1
                    if len(examples[label]) < 3:
                        examples[label].append(f"{worker.log_path.name}: {line.strip()[:300]}")
            match = TASK_LINE.search(line)
            if match and match["what"] != "retry:" and match["name"].endswith("send_reminder_batch"):
                finished[match["id"]] += 1
    counts["batch tasks run to the end twice"] = sum(1 for n in finished.values() if n > 1)
    return {"counts": counts, "examples": examples, "logs": [str(w.log_path) for w in pool]}


LOG_TIME = re.compile(r"^\[(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}):")


def _task_events(path: Path):
    """(time, task id, 'received' | 'retry:' | 'succeeded in' | 'raised') of the send_reminder_batch tasks."""
    for line in path.read_text(errors="replace").splitlines():
        if "send_reminder_batch[" not in line:
            continue
        stamp = LOG_TIME.match(line)
        task = re.search(r"send_reminder_batch\[([0-9a-f-]+)\] (received|retry:|succeeded in|raised)", line)
        if stamp and task:
            yield datetime.datetime.strptime(stamp[1], "%Y-%m-%d %H:%M:%S,%f"), task[1], task[2]


def busy(worker: Worker) -> bool:
    """The worker's last send_reminder_batch event is its receipt: it is running that batch (or holding it)."""
    last = None
    for _stamp, _task_id, what in _task_events(worker.log_path):
        last = what
    return last == "received"


def redelivery(victim: Worker, pool: list[Worker]) -> list[tuple[str, float | None]]:
    """The batches the killed worker had taken and not finished, and how long after it took each
    one another worker received it again (Redis visibility timeout + its restore sweep)."""
    taken: dict[str, datetime.datetime] = {}
    for stamp, task_id, what in _task_events(victim.log_path):
        if what == "received":
            taken[task_id] = stamp
        else:
            taken.pop(task_id, None)
    back = []
    for task_id, stamp in taken.items():
        again = [
            later
            for worker in pool
            if worker is not victim
            for later, other_id, what in _task_events(worker.log_path)
            if other_id == task_id and what == "received" and later > stamp
        ]
        back.append((task_id, (min(again) - stamp).total_seconds() if again else None))
    return back


# --------------------------------------------------------------------------------- report


def verdict(r: dict) -> str:
    problems = []
    if r["timed_out"]:
        problems.append("TIMEOUT")
    for key in ("duplicates", "lost", "stuck"):
        if r[key]:
            problems.append(key)
    return ", ".join(problems) or "ok"


def describe(r: dict) -> None:
    run = r["run"]
    say(
        f"  {r['messages']:,} messages for {r['expected']:,} attorneys: delivered {r['delivered']:,}, duplicates "
        f"{r['duplicates']}, lost {r['lost']}; rows {r['by_status']}; max attempts {r['max_attempts']}; "
        f"{r['ticks']} dispatches; {r['workers']} worker process(es)"
    )
    if run is not None:
        say(
            f"  run: planned {run.planned:,}, sent {run.sent:,}, failed {run.failed}, skipped {run.skipped}, "
            f"pending {run.pending}, finished_at {'set' if run.finished_at else 'NOT set'}"
        )
    if r["first_finished"] and r["first_finished"][1]:
        say(
            f"  note: the run was first marked finished at {r['first_finished'][0]:.1f} s with "
            f"{r['first_finished'][1]} row(s) still failed/pending"
        )
    for note in r["notes"]:
        say(f"  {note}")
    for task_id, seconds in r["redelivered"]:
        when = "never received again" if seconds is None else f"received again {seconds:.1f} s after the victim took it"
        say(f"  the killed worker's batch task {task_id}: {when}")
    if r["last_email"] is not None:
        say(f"  last new email accepted at t={r['last_email']:.1f} s")
    if "worker_cpu" in r:
        say(
            f"  CPU: workers {r['worker_cpu']:.1f} s, this script (SMTP server, polls) {r['script_cpu']:.1f} s; "
            f"machine busy {r['busy_cores']:.2f} of {os.cpu_count()} cores"
        )
    if r["timed_out"]:
        say(f"  TIMEOUT: the run was not over within {r['total']:.0f} s")
    if r["duplicated_attorneys"]:
        say(f"  duplicated: {', '.join(r['duplicated_attorneys'][:10])}{' ...' if r['duplicates'] > 10 else ''}")
    if r["recorded_not_received"]:
        say(
            f"  recorded sent but never received: {len(r['recorded_not_received'])}, e.g. "
            f"{', '.join(r['recorded_not_received'][:5])}"
        )
    if r["not_attorneys"]:
        say(f"  {r['not_attorneys']} message(s) to other addresses (the administrators' digest)")
    counts = r["logs"]["counts"]
    say("  worker logs: " + (", ".join(f"{label} {n}" for label, n in counts.items() if n) or "nothing notable"))
    for label in ("sent, could not record", "another worker took over", "worker lost", "errors", "task raised"):
        for line in r["logs"]["examples"].get(label, []):
            say(f"    {line}")


def report(args, results: list[dict]) -> None:
    rows = []
    for r in results:
        recovery = "-" if r["recovery"] is None else r["recovery"]
        total = r["total"]
        if r["timed_out"]:
            recovery = f">{recovery:.0f} (timeout)" if isinstance(recovery, float) else "timeout"
            total = f">{total:.0f} (timeout)"
        rows.append(
            [
                r["scenario"].key,
                r["expected"],
                r["delivered"],
                r["duplicates"],
                r["lost"],
                r["stuck"],
                recovery,
                total,
                "-" if r["last_email"] is None else r["last_email"],
                r["max_attempts"] or 0,
                r["logs"]["counts"]["batch tasks run to the end twice"],
                verdict(r),
            ]
        )
    say(
        table(
            [
                "scenario",
                "expected",
                "delivered",
                "duplicates",
                "lost",
                "stuck",
                "recovery s",
                "total s",
                "last email s",
                "max attempts",
                "tasks run twice",
                "result",
            ],
            rows,
            title=f"\nFaults, {args.attorneys:,} attorneys x {args.courts} courts "
            f"(slow-smtp: {args.slow_attorneys} attorneys)",
        )
    )
    say(
        "expected: attorneys due an email; delivered: distinct attorneys the SMTP server accepted >= 1 message for;\n"
        "duplicates: messages beyond the first per attorney; lost: expected - delivered; stuck: rows pending, sending\n"
        "or failed at the end; recovery: from the fault's end (SMTP back up, worker restarted, connections\n"
        "terminated; the run's start for baseline) to the run finished with no such row; total: from the first\n"
        "dispatch to then; last email: from the first dispatch to the last new message the server accepted;\n"
        "max attempts: Reminder.attempts; tasks run twice: send_reminder_batch task ids that ran to the end in\n"
        "two executions (a Redis redelivery)."
    )


def main(argv=None) -> int:
    args = parse_args(argv)
    script_started = time.perf_counter()
    env = common.isolate(args, FIRMLINK_AS_OF=args.as_of.isoformat(), FIRMLINK_REMINDER_HOUR=0)
    pairs = args.attorneys * args.courts
    say(
        f"faults benchmark: {args.attorneys:,} attorneys x {args.courts} courts = {pairs:,} reminders, as of "
        f"{args.as_of}; {args.workers} workers; scenarios {args.scenario_keys}"
    )
    say(
        f"workers: batch {args.batch_size}, retry backoff {args.retry_backoff} s (max {args.retry_backoff_max} s, "
        f"{args.max_retries} retries), visibility timeout {args.visibility_timeout} s, EMAIL_TIMEOUT "
        f"{args.email_timeout} s; dispatch every {args.tick:g} s; outage {args.outage:g} s; timeout {args.timeout:g} s"
    )
    say(f"machine: {os.cpu_count()} CPUs, load average {common.loadavg()}; database {args.db_name}, ")
    say(f"broker {args.redis_url} queue {args.queue}; Python {sys.version.split()[0]}")
    common.create_database(args.db_name)
    results = []
    try:
        migrate_seconds = common.setup_django()
        say(f"migrate (204 courts): {migrate_seconds:.1f} s")
        started = time.perf_counter()
        court_ids = build_firm(attorneys=args.attorneys, courts=args.courts, as_of=args.as_of)
        say(f"built the firm: {time.perf_counter() - started:.1f} s; courts {court_ids}")
        for scenario in scenarios(args):
            say(f"\n[{scenario.key}] {scenario.title} (load average {common.loadavg()}) ...")
            result = run_scenario(args, env, scenario, all_attorneys=args.attorneys)
            results.append(result)
            describe(result)
            say(
                f"  -> {verdict(result)}; total {result['total']:.1f} s"
                + ("" if result["recovery"] is None else f", recovery {result['recovery']:.1f} s")
            )
        if results:
            report(args, results)
    finally:
        with contextlib.suppress(Exception):
            forget_queue(args.queue)
        if args.keep_db:
            say(f"kept database {args.db_name}")
        else:
            common.drop_database(args.db_name)
            say(f"dropped database {args.db_name}")
        say(f"total benchmark time: {time.perf_counter() - script_started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
