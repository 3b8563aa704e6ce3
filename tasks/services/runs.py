"""The daily run: started once per firm-local date, planned, handed to workers in batches, and
counted from its rows (so that every path a batch takes is counted once)."""

import dataclasses
import datetime
from collections.abc import Iterable

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Q

from core import clock

from ..models import EscalationDigest, Reminder, ReminderRun, ReminderStatus
from .planning import attorneys_with_work, chunks, reminders_plan

OPEN = (ReminderStatus.PENDING, ReminderStatus.SENDING)


def run_start(today: datetime.date) -> tuple[ReminderRun, bool]:
    try:
        with transaction.atomic():
            return ReminderRun.objects.get_or_create(run_on=today)
    except IntegrityError:  # another scheduler created it at the same moment
        return ReminderRun.objects.get(run_on=today), False


def run_refresh(run_id: int) -> ReminderRun | None:
    """Count the run's rows; close it when none is pending or being sent and its digest is done
    (reopen it when one is, e.g. a failed row tried again later the same day)."""
    counts = dict(Reminder.objects.filter(run_id=run_id).order_by().values_list("status").annotate(n=Count("pk")))
    now = clock.now()
    run = ReminderRun.objects.filter(pk=run_id).first()
    if run is None:
        return None
    pending = sum(counts.get(status, 0) for status in OPEN)
    digest_open = EscalationDigest.objects.filter(run_on=run.run_on, status__in=OPEN).exists()
    done = not pending and not digest_open
    ReminderRun.objects.filter(pk=run_id).update(
        sent=counts.get(ReminderStatus.SENT, 0),
        failed=counts.get(ReminderStatus.FAILED, 0),
        skipped=counts.get(ReminderStatus.SKIPPED, 0),
        pending=pending,
        counted_at=now,
    )
    if done:
        ReminderRun.objects.filter(pk=run_id, finished_at=None).update(finished_at=now)
    else:
        ReminderRun.objects.filter(pk=run_id).exclude(finished_at=None).update(finished_at=None)
    run.refresh_from_db()
    return run


def runs_refresh(run_ids: Iterable[int | None]) -> None:
    for run_id in sorted({run_id for run_id in run_ids if run_id}):
        run_refresh(run_id)


@dataclasses.dataclass
class DispatchResult:
    run: ReminderRun | None
    created: bool
    batches: list[list[int]]
    digest: bool = False


def dispatch(*, enqueue_batch, enqueue_digest) -> DispatchResult:
    """What the hourly beat task does. Starts today's run once the firm's reminder hour has
    come; otherwise (or once started) resumes what is left: rows pending, abandoned by a quiet
    worker or failed after spent retries while the day's grace lasts, and the digest likewise."""
    now = clock.now()
    today = now.date()
    run, created, digest = None, False, False
    with transaction.atomic():
        if now.hour >= settings.FIRMLINK_REMINDER_HOUR:
            run, created = run_start(today)
        if created:
            plan = reminders_plan(today=today, run=run)
            batches = chunks(plan.attorney_ids, settings.FIRMLINK_REMINDER_BATCH_SIZE)
            run.planned = plan.created
            run.batches_total = len(batches) + 1  # + the administrators' digest
            run.save(update_fields=["planned", "batches_total"])
            run_id, digest = run.pk, True
            for batch in batches:
                transaction.on_commit(lambda batch=batch: enqueue_batch(batch, run_id))
        else:
            batches = chunks(attorneys_with_work(now), settings.FIRMLINK_REMINDER_BATCH_SIZE)
            run_id = run.pk if run else None
            for batch in batches:
                transaction.on_commit(lambda batch=batch: enqueue_batch(batch, run_id))
            digest = run is not None and digest_left(today, now)
        if digest:
            transaction.on_commit(lambda: enqueue_digest(run_id))
    runs_refresh(ReminderRun.objects.filter(finished_at=None).values_list("pk", flat=True))
    return DispatchResult(run=run, created=created, batches=batches, digest=digest)


def digest_left(today: datetime.date, now: datetime.datetime) -> bool:
    """Today's digest not sent yet: pending, abandoned, or failed while the day's grace lasts."""
    stale = now - datetime.timedelta(seconds=settings.FIRMLINK_SEND_LEASE_SECONDS)
    return (
        EscalationDigest.objects.filter(run_on=today)
        .filter(
            Q(status=ReminderStatus.PENDING)
            | Q(status=ReminderStatus.SENDING, claimed_at__lt=stale)
            | Q(status=ReminderStatus.FAILED, retry_until__gt=now)
        )
        .exists()
        or not EscalationDigest.objects.filter(run_on=today).exists()
    )
