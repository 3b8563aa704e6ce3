"""Exactly once, with real services: Celery workers on Redis, a real SMTP server, faults."""

import collections
import datetime

import pytest
from django.db import connection
from django.test import override_settings

from tasks.models import Reminder, ReminderRun, ReminderStatus
from tasks.tasks import dispatch_reminders, send_reminder_batch
from tests.factories import AttorneyFactory, CourtFactory, CourtLinkFactory
from tests.smtp import SMTPServer
from tests.workers import ProcessWorker, purge_queue, thread_worker, wait_for, wait_until_workers_answer

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]
GO_LIVE = datetime.date(2021, 7, 6)


def make_firm(n: int):
    court = CourtFactory(court_id="zzwrk", nextgen_go_live=GO_LIVE)
    attorneys = [AttorneyFactory(email=f"a{i:02d}@firm.example", name=f"Attorney {i:02d}") for i in range(n)]
    for attorney in attorneys:
        CourtLinkFactory(attorney=attorney, court=court)
    return sorted(a.email for a in attorneys)


def run_finished():
    connection.close()  # see the worker's commits with a fresh connection
    run = ReminderRun.objects.filter(run_on=GO_LIVE).first()
    return run is not None and run.finished_at is not None


@pytest.fixture
def smtp():
    with SMTPServer() as server:
        yield server


@pytest.fixture
def go_live_day(smtp):
    purge_queue()
    with override_settings(FIRMLINK_AS_OF=GO_LIVE, FIRMLINK_REMINDER_HOUR=0, **smtp.settings()):
        yield


def test_the_daily_job_through_a_worker_emails_each_attorney_once(go_live_day, smtp):
    emails = make_firm(5)
    with thread_worker():
        dispatch_reminders.delay()
        wait_for(run_finished, message="the run to finish")
        dispatch_reminders.delay()  # the next hourly tick: the run exists, nothing is left to send
        dispatch_reminders.delay()
        wait_for(lambda: not Reminder.objects.exclude(status=ReminderStatus.SENT).exists(), timeout=10)
    assert sorted(smtp.mailbox.recipients()) == emails
    run = ReminderRun.objects.get()
    assert (run.planned, run.sent, run.failed, run.pending, run.batches_total) == (5, 5, 0, 0, 2)
    assert run.finished_at is not None
    message = smtp.mailbox.messages[0]
    assert message["Subject"] == "zzwrk moved to NextGen CM/ECF today: link your account to keep e-filing"
    assert message.is_multipart() and {p.get_content_type() for p in message.iter_parts()} == {
        "text/plain",
        "text/html",
    }


def worker_env(smtp, **extra):
    return {
        "FIRMLINK_AS_OF": GO_LIVE.isoformat(),
        "FIRMLINK_REMINDER_HOUR": 0,
        "FIRMLINK_TEST_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": smtp.port,
        **extra,
    }


def test_two_workers_and_two_schedulers_send_nothing_twice(postgres, go_live_day, smtp):
    emails = make_firm(12)
    smtp.mailbox.delay = 0.05  # a slow server, so that the workers overlap
    env = worker_env(smtp, FIRMLINK_REMINDER_BATCH_SIZE=2)
    workers = [ProcessWorker(env, name=f"w{i}").start() for i in range(2)]
    try:
        wait_until_workers_answer(2)
        dispatch_reminders.delay()
        dispatch_reminders.delay()  # a second beat at the same moment
        wait_for(lambda: Reminder.objects.exists(), message="the plan")
        # a stray duplicate of a whole batch, as a retried or redelivered task would be
        send_reminder_batch.delay(list(Reminder.objects.values_list("attorney_id", flat=True)))
        wait_for(run_finished, message="the run to finish")
        wait_for(lambda: not Reminder.objects.exclude(status=ReminderStatus.SENT).exists(), timeout=30)
    finally:
        for worker in workers:
            worker.stop()
    counts = collections.Counter(smtp.mailbox.recipients())
    assert sorted(counts) == emails
    assert set(counts.values()) == {1}
    assert ReminderRun.objects.count() == 1
    outputs = [worker.output() for worker in workers]
    assert all("succeeded" in output for output in outputs), "both workers took part"


def test_smtp_refusing_the_first_attempts_still_delivers_once(go_live_day, smtp):
    emails = make_firm(3)
    smtp.mailbox.refuse_next = 2  # "451 try again later", twice
    with thread_worker():
        dispatch_reminders.delay()
        wait_for(run_finished, timeout=60, message="the run to finish after retries")
    assert smtp.mailbox.refused == 2
    assert sorted(smtp.mailbox.recipients()) == emails
    assert set(collections.Counter(smtp.mailbox.recipients()).values()) == {1}
    assert Reminder.objects.filter(status=ReminderStatus.SENT).count() == 3
    assert max(Reminder.objects.values_list("attempts", flat=True)) >= 2


def test_when_retries_are_spent_the_reminders_show_as_failed(go_live_day, smtp):
    make_firm(2)
    smtp.mailbox.refuse_next = 100
    with override_settings(FIRMLINK_SEND_MAX_RETRIES=1), thread_worker():
        send_reminder_batch.max_retries = 1
        try:
            dispatch_reminders.delay()
            wait_for(run_finished, timeout=60, message="the run to give up")
        finally:
            send_reminder_batch.max_retries = 5
    assert smtp.mailbox.messages == []
    failed = Reminder.objects.filter(status=ReminderStatus.FAILED)
    assert failed.count() == 2
    assert "Gave up after retries" in failed.first().last_error and "451" in failed.first().last_error
    assert ReminderRun.objects.get().failed == 2


def test_a_worker_killed_mid_batch_and_restarted_delivers_the_rest_once(postgres, go_live_day, smtp):
    emails = make_firm(6)
    smtp.mailbox.hold_after = 2  # the third message hangs in the SMTP conversation
    env = worker_env(smtp)
    worker = ProcessWorker(env, name="victim").start()
    try:
        dispatch_reminders.delay()
        wait_for(smtp.mailbox.holding.is_set, timeout=60, message="the third message to be in flight")
        worker.kill()  # SIGKILL: no cleanup, no acknowledgement
        smtp.mailbox.reject_held = True
        smtp.mailbox.release.set()
        assert len(smtp.mailbox.messages) == 2
        # Claims are taken for a few attorneys at a time (``CLAIM_CHUNK``), just before their messages:
        # the one in flight and the ones not reached yet stay held by the killed task's claim, which
        # its redelivery takes back at once (another claimer only after the lease).
        assert Reminder.objects.filter(status=ReminderStatus.SENDING).count() == 4
        assert not Reminder.objects.filter(status=ReminderStatus.PENDING).exists()
        smtp.mailbox.hold_after = None
        worker = ProcessWorker(env, name="survivor").start()
        wait_for(run_finished, timeout=90, message="the redelivered batch to finish")
    finally:
        worker.stop()
    counts = collections.Counter(smtp.mailbox.recipients())
    assert sorted(counts) == emails, worker.output()
    assert set(counts.values()) == {1}
    assert Reminder.objects.filter(status=ReminderStatus.SENT).count() == 6
