"""The daily run: started once per firm-local date, planned, handed to workers in batches."""

import dataclasses
import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F

from core import clock

from ..models import ReminderRun
from .planning import attorneys_with_work, chunks, reminders_plan
from .sending import BatchResult


def run_start(today: datetime.date) -> tuple[ReminderRun, bool]:
    try:
        with transaction.atomic():
            return ReminderRun.objects.get_or_create(run_on=today)
    except IntegrityError:  # another scheduler created it at the same moment
        return ReminderRun.objects.get(run_on=today), False


def run_batch_done(run_id: int | None, result: BatchResult | None = None, *, failed: int = 0) -> None:
    if run_id is None:
        return
    result = result or BatchResult()
    ReminderRun.objects.filter(pk=run_id).update(
        batches_done=F("batches_done") + 1,
        sent=F("sent") + result.sent,
        skipped=F("skipped") + result.skipped,
        failed=F("failed") + result.failed + failed,
    )
    ReminderRun.objects.filter(pk=run_id, finished_at=None, batches_done__gte=F("batches_total")).update(
        finished_at=clock.now()
    )


@dataclasses.dataclass
class DispatchResult:
    run: ReminderRun | None
    created: bool
    batches: list[list[int]]


def dispatch(*, enqueue_batch, enqueue_digest) -> DispatchResult:
    """What the hourly beat task does. Starts today's run once the firm's reminder hour has
    come; otherwise (or once started) only resumes rows left pending or abandoned."""
    now = clock.now()
    today = now.date()
    run, created = None, False
    with transaction.atomic():
        if now.hour >= settings.FIRMLINK_REMINDER_HOUR:
            run, created = run_start(today)
        if created:
            plan = reminders_plan(today=today, run=run)
            batches = chunks(plan.attorney_ids, settings.FIRMLINK_REMINDER_BATCH_SIZE)
            run.planned = plan.created
            run.batches_total = len(batches) + 1  # + the administrators' digest
            run.save(update_fields=["planned", "batches_total"])
            run_id = run.pk
            for batch in batches:
                transaction.on_commit(lambda batch=batch: enqueue_batch(batch, run_id))
            transaction.on_commit(lambda: enqueue_digest(run_id))
        else:
            batches = chunks(attorneys_with_work(now), settings.FIRMLINK_REMINDER_BATCH_SIZE)
            for batch in batches:
                transaction.on_commit(lambda batch=batch: enqueue_batch(batch, None))
    return DispatchResult(run=run, created=created, batches=batches)
