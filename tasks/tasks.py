"""Celery tasks: thin wrappers that take ids and call the reminder services."""

import logging

from celery import Task, shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import InterfaceError, OperationalError

from core import clock

from .services import digest, runs, sending

log = logging.getLogger(__name__)


@shared_task(ignore_result=True)
def dispatch_reminders():
    """Hourly (beat): start the day's run at the firm's reminder hour, resume what is left."""
    result = runs.dispatch(
        enqueue_batch=lambda ids, run_id: send_reminder_batch.delay(ids, run_id),
        enqueue_digest=lambda run_id: send_escalation_digest.delay(run_id),
    )
    log.info(
        "dispatch: run %s (%s), %d batch(es) queued",
        result.run.run_on if result.run else "-",
        "new" if result.created else "resume",
        len(result.batches),
    )


class SendTask(Task):
    """After the last retry (or an unexpected error) the rows show as failed, with why, never lost;
    transient failures are tried again by the hourly dispatch for the rest of the day."""

    def on_failure(self, exc, task_id, args, kwargs, einfo):
        attorney_ids = args[0] if args else kwargs.get("attorney_ids", [])
        run_id = args[1] if len(args) > 1 else kwargs.get("run_id")
        sending.reminders_give_up(
            attorney_ids=attorney_ids, claim=claim_of(task_id), error=str(exc), transient=isinstance(exc, RETRIED)
        )
        runs.runs_refresh([run_id])


def claim_of(task_id: str) -> str:
    # The claim is the task id: a task retried or redelivered after its worker died takes its rows back.
    return f"task-{task_id}"


# Retried with backoff: SMTP and connection errors, the database gone, the soft time limit.
RETRIED = (sending.TransientSendError, SoftTimeLimitExceeded, OperationalError, InterfaceError)
# Sending tasks: acknowledged after they ran (a killed worker's task is redelivered), retried
# with exponential backoff on transient errors only, a bounded number of times.
SENDING = {
    "bind": True,
    "ignore_result": True,
    "acks_late": True,
    "autoretry_for": RETRIED,
    "retry_backoff": settings.FIRMLINK_SEND_RETRY_BACKOFF,
    "retry_backoff_max": settings.FIRMLINK_SEND_RETRY_BACKOFF_MAX,
    "retry_jitter": True,
    "max_retries": settings.FIRMLINK_SEND_MAX_RETRIES,
}


@shared_task(base=SendTask, **SENDING)
def send_reminder_batch(self, attorney_ids, run_id=None):
    result = sending.reminders_send_batch(attorney_ids=attorney_ids, claim=claim_of(self.request.id))
    runs.runs_refresh({run_id, *result.runs})
    if result.transient:
        raise sending.TransientSendError("; ".join(result.transient))


class DigestTask(Task):
    def on_failure(self, exc, task_id, args, kwargs, einfo):
        digest.escalation_digest_give_up(
            today=clock.today(), claim=claim_of(task_id), error=str(exc), transient=isinstance(exc, RETRIED)
        )
        runs.runs_refresh([args[0] if args else kwargs.get("run_id")])


@shared_task(base=DigestTask, **SENDING)
def send_escalation_digest(self, run_id=None):
    digest.escalation_digest_send(today=clock.today(), claim=claim_of(self.request.id))
    runs.runs_refresh([run_id])
