"""Shared plumbing for the benchmark scripts: an isolated database, Redis and queue, child
processes measured with GNU time (their own peak RSS and CPU time), an SMTP sink that only
counts, and plain-text tables.

Nothing here is imported by the application. Django is configured by ``isolate()`` +
``setup_django()``, always on the benchmark's own database (default ``firmlink_bench``), Redis
database (default 13) and Celery queue (default ``firmlink-bench``), whatever the caller's
environment says, so a benchmark never touches the databases the tests or a developer use.
"""

import argparse
import contextlib
import dataclasses
import multiprocessing
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
WORK_DIR = Path("/tmp/firmlink-bench")
PG_HOST, PG_PORT, PG_USER = "127.0.0.1", 5432, "postgres"
CLK_TCK = os.sysconf("SC_CLK_TCK")
# Production-like Django: DEBUG off (Celery warns that DEBUG leaks memory in workers), so a
# secret key is needed; it only signs the links inside the benchmark's own emails.
BENCH_SECRET_KEY = "benchmark-only-key-not-a-secret-0123456789-abcdefghijklmnopqrstuvwxyz"


def add_isolation_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db-name", default="firmlink_bench", help="PostgreSQL database to create and drop.")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/13", help="Celery broker (own Redis db).")
    parser.add_argument("--queue", default="firmlink-bench", help="Celery queue name.")
    parser.add_argument("--keep-db", action="store_true", help="Do not drop the database at the end.")


def database_url(name: str) -> str:
    return f"postgres://{PG_USER}@{PG_HOST}:{PG_PORT}/{name}"


def isolate(args, **extra) -> dict:
    """Point this process (and the environment handed to children) at the benchmark's own services."""
    if not args.db_name.startswith("firmlink_bench"):
        raise SystemExit(f"refusing to use database {args.db_name!r}: benchmark databases start with firmlink_bench")
    env = {
        "DJANGO_SETTINGS_MODULE": "firmlink.settings.local",
        "DEBUG": "false",
        "SECRET_KEY": BENCH_SECRET_KEY,
        "DATABASE_URL": database_url(args.db_name),
        "CELERY_BROKER_URL": args.redis_url,
        "CELERY_TASK_DEFAULT_QUEUE": args.queue,
        "LOG_LEVEL": "WARNING",
        **{key: str(value) for key, value in extra.items()},
    }
    os.environ.update(env)
    WORK_DIR.mkdir(parents=True, exist_ok=True)
    return {**os.environ}


def _admin_connection():
    import psycopg

    return psycopg.connect(host=PG_HOST, port=PG_PORT, user=PG_USER, dbname="postgres", autocommit=True)


def create_database(name: str) -> None:
    from psycopg import sql

    with _admin_connection() as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def drop_database(name: str) -> None:
    from psycopg import sql

    with contextlib.suppress(Exception):
        from django.db import connections

        connections.close_all()
    with _admin_connection() as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def setup_django(*, migrate: bool = True) -> float:
    """``django.setup()`` and ``migrate`` (which loads the 204 real courts); returns the migrate time."""
    import django

    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    django.setup()
    if not migrate:
        return 0.0
    from django.core.management import call_command

    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    return time.perf_counter() - started


def truncate(*tables: str) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")


def vacuum_analyze(*tables: str) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"VACUUM ANALYZE {table}")


# ------------------------------------------------------------------------- measured children


@dataclasses.dataclass
class ChildResult:
    returncode: int
    seconds: float
    max_rss_mb: float  # the child's own peak resident set, as GNU time reports it (%M)
    user_cpu: float
    system_cpu: float


TIME = "/usr/bin/time"


def run_measured(command: list[str], *, env: dict, stdout=None, stderr=None, cwd: Path = ROOT) -> ChildResult:
    """Run a child to completion under GNU time; wall time from spawn to exit, and its own rusage.

    Why not ``os.wait4`` or ``getrusage(RUSAGE_CHILDREN)`` here: Linux carries a process's peak
    RSS across fork and exec (the forked copy of the parent counts, and with vfork the parent's
    own high-water mark does), so a child started directly by this script, which holds Django and
    the benchmark data, reports at least this script's size. /usr/bin/time is a small C program
    that forks the command itself, so the peak it reports is the command's own.
    """
    report = WORK_DIR / f"time-{os.getpid()}.txt"
    started = time.perf_counter()
    process = subprocess.Popen(
        [TIME, "-f", "TIME %e %M %U %S", "-o", str(report), *command],
        env=env,
        cwd=cwd,
        stdout=stdout,
        stderr=stderr,
    )
    process.wait()
    seconds = time.perf_counter() - started
    line = next(line for line in report.read_text().splitlines() if line.startswith("TIME "))
    _elapsed, max_rss_kb, user, system = line.split()[1:]
    return ChildResult(
        returncode=process.returncode,
        seconds=seconds,
        max_rss_mb=int(max_rss_kb) / 1024,
        user_cpu=float(user),
        system_cpu=float(system),
    )


def process_rss_mb(pid: int, field: str = "VmRSS") -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def reset_own_peak_rss() -> None:
    """Reset this process's VmHWM to its current RSS (Linux: write 5 to /proc/self/clear_refs)."""
    Path("/proc/self/clear_refs").write_text("5")


def process_peak_rss_mb(pid: int) -> float:
    """VmHWM of a running process: its peak RSS since its last exec (a fresh address space)."""
    return process_rss_mb(pid, "VmHWM")


def process_cpu_seconds(pid: int) -> float:
    """User + system CPU time of a running process (from /proc), 0 if it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / CLK_TCK


class SystemCPU:
    """Machine-wide CPU use between two points (everything on the machine, not only us)."""

    @staticmethod
    def sample() -> tuple[int, int]:
        values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
        idle = values[3] + values[4]  # idle + iowait
        return sum(values), idle

    def __init__(self):
        self.start = self.sample()

    def busy_cores(self) -> float:
        total, idle = self.sample()
        dtotal, didle = total - self.start[0], idle - self.start[1]
        return 0.0 if dtotal <= 0 else (dtotal - didle) / dtotal * (os.cpu_count() or 1)


class PostgresCPU:
    """CPU time of the PostgreSQL backends serving one database, sampled from /proc.

    Call ``sample()`` often: a backend's CPU is counted up to its last sample, so what a
    backend spends after it (at most one sampling interval before it exits) is missed. A lower
    bound, close when sampled every few tens of milliseconds.
    """

    def __init__(self, db_name: str):
        self.db_name = db_name
        self.baseline: dict[int, float] = {}
        self.latest: dict[int, float] = {}
        self.baseline = dict(self._read())

    def _read(self):
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("SELECT pid FROM pg_stat_activity WHERE datname = %s", [self.db_name])
            pids = [row[0] for row in cursor.fetchall()]
        return [(pid, process_cpu_seconds(pid)) for pid in pids]

    def sample(self) -> None:
        for pid, seconds in self._read():
            self.latest[pid] = max(seconds, self.latest.get(pid, 0.0))

    def seconds(self) -> float:
        return sum(max(value - self.baseline.get(pid, 0.0), 0.0) for pid, value in self.latest.items())


def loadavg() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


# ------------------------------------------------------------------------------- SMTP sink


def _sink_main(port: int, counters, ready) -> None:
    """Child process: aiosmtpd on 127.0.0.1 that counts messages, bytes and distinct recipients."""
    from aiosmtpd.controller import Controller

    recipients: set[str] = set()

    class Counter:
        async def handle_DATA(self, server, session, envelope):
            counters[0] += 1
            counters[1] += len(envelope.content)
            counters[2] += len(envelope.rcpt_tos)
            recipients.update(address.lower() for address in envelope.rcpt_tos)
            counters[3] = len(recipients)
            return "250 OK"

    # Block the signals first (the server thread inherits the mask), then wait for them.
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM, signal.SIGINT})
    controller = Controller(Counter(), hostname="127.0.0.1", port=port)
    controller.start()
    ready.set()
    signal.sigwait({signal.SIGTERM, signal.SIGINT})
    controller.stop()


class SMTPSink:
    """A real SMTP server in its own process; keeps counts, never the messages."""

    def __init__(self, port: int | None = None):
        import socket

        if port is None:
            with socket.socket() as sock:
                sock.bind(("127.0.0.1", 0))
                port = sock.getsockname()[1]
        self.port = port
        context = multiprocessing.get_context("spawn")
        self.counters = context.Array("q", 4, lock=False)
        self.ready = context.Event()
        self.process = context.Process(target=_sink_main, args=(port, self.counters, self.ready), daemon=True)

    def __enter__(self):
        self.process.start()
        if not self.ready.wait(30):
            raise RuntimeError("the SMTP sink did not start")
        return self

    def __exit__(self, *exc):
        if self.process.is_alive():
            os.kill(self.process.pid, signal.SIGTERM)
        self.process.join(10)

    @property
    def messages(self) -> int:
        return self.counters[0]

    @property
    def bytes(self) -> int:
        return self.counters[1]

    @property
    def deliveries(self) -> int:
        return self.counters[2]

    @property
    def distinct_recipients(self) -> int:
        return self.counters[3]

    def cpu_seconds(self) -> float:
        return process_cpu_seconds(self.process.pid)


# ----------------------------------------------------------------------------------- output


def table(headers: list[str], rows: list[list], title: str = "") -> str:
    cells = [[str(h) for h in headers]] + [[_cell(v) for v in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    lines = [title] if title else []
    for index, row in enumerate(cells):
        lines.append("  ".join(value.rjust(widths[i]) for i, value in enumerate(row)))
        if index == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _cell(value) -> str:
    if isinstance(value, float):
        if value >= 1000:
            return f"{value:,.0f}"
        if value >= 100:
            return f"{value:.1f}"
        return f"{value:.2f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def say(*parts) -> None:
    print(*parts, flush=True)
