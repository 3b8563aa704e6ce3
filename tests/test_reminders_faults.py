"""Reminders under real faults: real Celery workers on Redis, a real SMTP server, real PostgreSQL.

Each test takes something away in the middle of a run (the mail server, the database, a worker,
time) and checks what the attorneys received: exactly one email each, and no row left pending,
being sent or failed for a message the server accepted.
"""

import collections
import datetime
import threading
import time

import pytest
from django.db import connection
from django.test import override_settings

from tasks.models import Reminder, ReminderRun, ReminderStatus
from tasks.tasks import dispatch_reminders
from tests.factories import AttorneyFactory, CourtFactory, CourtLinkFactory
from tests.smtp import SMTPServer
from tests.workers import ProcessWorker, purge_queue, thread_worker, wait_for, wait_until_workers_answer

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]
GO_LIVE = datetime.date(2021, 7, 6)


def make_firm(n: int, courts: int = 2) -> list[str]:
    """``n`` attorneys, each with an e-filing account in ``courts`` courts going live today."""
    court_rows = [CourtFactory(court_id=f"zzf{i}", nextgen_go_live=GO_LIVE) for i in range(courts)]
    attorneys = [AttorneyFactory(email=f"a{i:03d}@firm.example", name=f"Attorney {i:03d}") for i in range(n)]
    for attorney in attorneys:
        for court in court_rows:
            CourtLinkFactory(attorney=attorney, court=court)
    return sorted(a.email for a in attorneys)


def fresh(queryset):
    connection.close()  # see the workers' commits with a fresh connection
    return queryset


def run_finished() -> bool:
    run = fresh(ReminderRun.objects).filter(run_on=GO_LIVE).first()
    return run is not None and run.finished_at is not None


def assert_exactly_once(smtp, emails):
    counts = collections.Counter(smtp.mailbox.recipients())
    assert sorted(counts) == emails
    assert set(counts.values()) == {1}, {to: n for to, n in counts.items() if n > 1}
    statuses = collections.Counter(fresh(Reminder.objects).values_list("status", flat=True))
    assert statuses == {ReminderStatus.SENT: len(emails) * 2}, statuses  # nothing pending, held or failed
    run = ReminderRun.objects.get(run_on=GO_LIVE)
    assert (run.sent, run.failed, run.pending) == (len(emails) * 2, 0, 0)
    assert run.finished_at is not None


def worker_env(smtp, **extra):
    return {
        "FIRMLINK_AS_OF": GO_LIVE.isoformat(),
        "FIRMLINK_REMINDER_HOUR": 0,
        "FIRMLINK_TEST_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": smtp.port,
        "EMAIL_TIMEOUT": 10,
        **extra,
    }


@pytest.fixture
def go_live_day():
    purge_queue()
    with override_settings(FIRMLINK_AS_OF=GO_LIVE, FIRMLINK_REMINDER_HOUR=0):
        yield


def test_a_mail_server_down_when_the_run_starts_loses_nothing_once_it_is_back(go_live_day):
    emails = make_firm(6)
    with SMTPServer(started=False) as smtp, override_settings(**smtp.settings()), thread_worker():
        dispatch_reminders.delay()
        # Connection refused: the batch stops, its rows go back to pending, the task retries.
        wait_for(
            lambda: fresh(Reminder.objects).filter(status=ReminderStatus.PENDING, attempts__gte=1).exists(),
            message="a refused attempt",
        )
        assert not fresh(Reminder.objects).filter(status=ReminderStatus.FAILED).exists()
        assert "Connection refused" in Reminder.objects.exclude(last_error="").first().last_error
        time.sleep(2)
        smtp.up()
        wait_for(run_finished, timeout=90, message="the run to finish once the server is back")
        assert_exactly_once(smtp, emails)


def test_a_mail_server_that_dies_mid_conversation_and_comes_back(go_live_day):
    emails = make_firm(8)
    with SMTPServer() as smtp, override_settings(**smtp.settings()), thread_worker():
        smtp.mailbox.hold_after = 3  # the fourth message hangs in the SMTP conversation...
        dispatch_reminders.delay()
        wait_for(smtp.mailbox.holding.is_set, message="the fourth message in flight")
        smtp.mailbox.reject_held = True
        threading.Thread(target=smtp.down).start()  # ...when the server goes away
        wait_for(lambda: smtp.controller is None, message="the server to be down")
        smtp.mailbox.release.set()
        wait_for(
            lambda: not fresh(Reminder.objects).filter(status=ReminderStatus.SENDING).exists(),
            message="the batch to hand its rows back",
        )
        assert not Reminder.objects.filter(status=ReminderStatus.FAILED).exists()
        smtp.mailbox.hold_after = None
        smtp.up()
        wait_for(run_finished, timeout=90, message="the run to finish after the outage")
        assert_exactly_once(smtp, emails)


def test_a_slow_server_a_short_lease_and_several_workers_send_nothing_twice(postgres, go_live_day):
    emails = make_firm(24)
    with SMTPServer() as smtp, override_settings(**smtp.settings()):
        smtp.mailbox.delay = 0.25  # a batch of 8 takes 2 s: longer than the 1-second lease
        env = worker_env(smtp, FIRMLINK_REMINDER_BATCH_SIZE=8, FIRMLINK_SEND_LEASE_SECONDS=1)
        workers = [ProcessWorker(env, name=f"w{i}").start() for i in range(3)]
        try:
            wait_until_workers_answer(3)
            with override_settings(FIRMLINK_SEND_LEASE_SECONDS=1):
                dispatch_reminders.delay()
                # Hourly ticks coming fast: every stale or pending row is handed out again, to any worker.
                deadline = time.monotonic() + 90
                while not run_finished() and time.monotonic() < deadline:
                    dispatch_reminders.delay()
                    time.sleep(0.5)
        finally:
            for worker in workers:
                worker.stop()
        assert_exactly_once(smtp, emails)
        assert sum("succeeded" in worker.output() for worker in workers) >= 2, "the workers shared the run"


def test_the_database_connection_lost_mid_batch_sends_nothing_twice(postgres, go_live_day):
    emails = make_firm(6)
    with SMTPServer() as smtp, override_settings(**smtp.settings()):
        smtp.mailbox.hold_after = 2  # the third message is in flight when the database goes away
        worker = ProcessWorker(worker_env(smtp), name="db-loss").start()
        try:
            dispatch_reminders.delay()
            wait_for(smtp.mailbox.holding.is_set, timeout=60, message="the third message in flight")
            with connection.cursor() as cursor:  # every connection of the worker, as a restart would do
                cursor.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    " WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
            smtp.mailbox.hold_after = None
            smtp.mailbox.release.set()  # the server accepts it: the worker must record it, not resend it
            wait_for(run_finished, timeout=90, message="the run to finish after the database came back")
        finally:
            worker.stop()
        output = worker.output()
        assert "the database is unavailable, recording it again shortly" in output, output[-3000:]
        assert_exactly_once(smtp, emails)


def test_the_soft_time_limit_stops_a_batch_and_the_retries_finish_it(postgres, go_live_day):
    emails = make_firm(6)
    with SMTPServer() as smtp, override_settings(**smtp.settings()):
        smtp.mailbox.delay = 0.6  # 6 messages: 3.6 s, with a 2-second soft limit per task
        env = worker_env(smtp, FIRMLINK_TEST_SOFT_TIME_LIMIT=2)
        worker = ProcessWorker(env, name="timed", pool="prefork").start()  # time limits need prefork
        try:
            wait_until_workers_answer(1)
            dispatch_reminders.delay()
            wait_for(run_finished, timeout=120, message="the retries to finish the batch")
        finally:
            worker.stop()
        output = worker.output()
        assert "soft time limit" in output.lower(), output[-2000:]
        assert_exactly_once(smtp, emails)


def test_two_claims_racing_for_an_attorney_never_split_their_courts(postgres, go_live_day):
    """Two workers claiming the same attorney at the same instant, many times: one takes every
    row of that attorney, the other none."""
    from django.db import close_old_connections

    from core import clock
    from tasks.services import planning, sending

    make_firm(30, courts=3)
    planning.reminders_plan(today=GO_LIVE)
    outcomes = []
    for attorney_id in Reminder.objects.order_by().values_list("attorney_id", flat=True).distinct():
        barrier = threading.Barrier(2)
        taken = {}

        def claim(name, attorney_id=attorney_id, barrier=barrier, taken=taken):
            with override_settings(FIRMLINK_AS_OF=GO_LIVE):
                barrier.wait()
                taken[name] = len(sending._claim_attorney(attorney_id, name, clock.now()))
            close_old_connections()
            connection.close()

        threads = [threading.Thread(target=claim, args=(name,)) for name in ("a", "b")]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        outcomes.append(tuple(sorted(taken.values())))
    assert set(outcomes) == {(0, 3)}, collections.Counter(outcomes)
