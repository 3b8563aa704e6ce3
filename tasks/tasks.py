"""Celery tasks: thin wrappers that take ids and call the reminder services."""

import logging

from celery import Task, shared_task
from django.conf import settings

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
    """After the last retry (or an unexpected error) the rows show as failed, never lost."""

    def on_failure(self, exc, task_id, args, kwargs, einfo):
        attorney_ids = args[0] if args else kwargs.get("attorney_ids", [])
        run_id = args[1] if len(args) > 1 else kwargs.get("run_id")
        failed = sending.reminders_give_up(attorney_ids=attorney_ids, error=str(exc))
        runs.run_batch_done(run_id, failed=failed)


# Sending tasks: acknowledged after they ran (a killed worker's task is redelivered), retried
# with exponential backoff on transient SMTP errors only, a bounded number of times.
SENDING = {
    "bind": True,
    "ignore_result": True,
    "acks_late": True,
    "autoretry_for": (sending.TransientSendError,),
    "retry_backoff": settings.FIRMLINK_SEND_RETRY_BACKOFF,
    "retry_backoff_max": 3600,
    "retry_jitter": True,
    "max_retries": settings.FIRMLINK_SEND_MAX_RETRIES,
}


@shared_task(base=SendTask, **SENDING)
def send_reminder_batch(self, attorney_ids, run_id=None):
    # The claim is the task id: a task redelivered after its worker died takes its rows back.
    result = sending.reminders_send_batch(attorney_ids=attorney_ids, claim=f"task-{self.request.id}")
    if result.transient:
        raise sending.TransientSendError("; ".join(result.transient))
    runs.run_batch_done(run_id, result)


class DigestTask(Task):
    def on_failure(self, exc, task_id, args, kwargs, einfo):
        digest.escalation_digest_give_up(today=clock.today(), error=str(exc))
        runs.run_batch_done(args[0] if args else kwargs.get("run_id"))


@shared_task(base=DigestTask, **SENDING)
def send_escalation_digest(self, run_id=None):
    digest.escalation_digest_send(today=clock.today(), claim=f"task-{self.request.id}")
    runs.run_batch_done(run_id)
