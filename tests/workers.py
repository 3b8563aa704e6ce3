"""Real Celery workers for tests: in a thread (start_worker) or as a process we can SIGKILL."""

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.db import connection

from firmlink.celery import app

ROOT = Path(__file__).resolve().parent.parent


def purge_queue():
    with app.connection_for_write() as conn:
        with contextlib.suppress(Exception):
            conn.default_channel.queue_purge(settings.CELERY_TASK_DEFAULT_QUEUE)
        # also forget unacknowledged messages left by a killed worker of an earlier test
        client = getattr(conn.default_channel, "client", None)
        if client is not None:
            client.delete("unacked", "unacked_index", "unacked_mutex")


@contextlib.contextmanager
def thread_worker():
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=15, loglevel="WARNING"):
        yield


class ProcessWorker:
    """``celery worker`` in its own process, on the test database and broker."""

    def __init__(self, extra_env: dict, name: str = "w1", pool: str = "solo"):
        db = connection.settings_dict
        database_url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "firmlink.settings.test",
            "DATABASE_URL": database_url,
            **{k: str(v) for k, v in extra_env.items()},
        }
        self.name = name
        self.pool = pool
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "firmlink",
                "worker",
                f"--pool={self.pool}",
                "--concurrency=1",
                "--loglevel=INFO",
                "-n",
                f"{self.name}@%h",
                "-Q",
                settings.CELERY_TASK_DEFAULT_QUEUE,
                "--without-heartbeat",
                "--without-gossip",
                "--without-mingle",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        return self

    def kill(self):
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(10)

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)

    def output(self) -> str:
        if self.process and self.process.poll() is not None and self.process.stdout:
            return self.process.stdout.read()
        return ""


def wait_until_workers_answer(count: int, timeout: float = 60):
    """Wait until ``count`` workers answer a ping on the broker (they are consuming)."""
    wait_for(lambda: len(app.control.ping(timeout=0.5)) >= count, timeout=timeout, message=f"{count} workers")


def wait_for(condition, timeout: float = 60, interval: float = 0.2, message: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {message}")
