"""Reminders: which occasions are due, and sending each one exactly once.

The flow of a daily run (``dispatch``): create the day's ``ReminderRun`` (unique per date, so
two schedulers make one run), plan the due occasions as ``Reminder`` rows (unique per pair
and occasion, so planning twice creates nothing new), then hand attorneys to workers in
batches. A batch claims its rows in a transaction (pending -> sending, SKIP LOCKED), sends
one email per attorney through one SMTP connection and marks the rows sent. Each row is
checked again at sending time: a pair linked since planning, or an occasion superseded by a
newer one (after an outage), is skipped, not sent.

The one window where a message can go out twice is between the SMTP server accepting it and
the database recording that it was sent (a worker killed in those microseconds): a retry
then sends it again. Everywhere else a failure leaves the row to be retried, never lost.
"""

import dataclasses
import datetime
import logging
import smtplib
import uuid
from collections import defaultdict

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import get_connection
from django.db import IntegrityError, transaction
from django.db.models import BooleanField as BooleanOutput
from django.db.models import Case, Count, F, Q, Value, When

from attorneys.models import CourtLink
from attorneys.status import BLOCKING, NOT_READY, LinkStatus, is_not_ready
from firmlink import clock

from . import emails
from .models import EscalationDigest, OccasionKind, Reminder, ReminderRun, ReminderStatus
from .occasions import current_occasion

log = logging.getLogger(__name__)

PLAN_CHUNK = 5000
NOT_DUE = (LinkStatus.NOT_APPLICABLE, LinkStatus.LINKED, LinkStatus.COMPLETE)


class TransientSendError(Exception):
    """Sending failed in a way worth retrying (server busy, connection lost)."""


def is_transient(exc: BaseException) -> bool:
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(400 <= code < 500 for code, _ in exc.recipients.values())
    if isinstance(exc, smtplib.SMTPServerDisconnected):
        return True
    if isinstance(exc, smtplib.SMTPResponseException):
        return 400 <= exc.smtp_code < 500
    return isinstance(exc, ConnectionError | TimeoutError | OSError) and not isinstance(exc, smtplib.SMTPException)


def _schedule():
    return {
        "days_before": settings.FIRMLINK_REMINDER_DAYS_BEFORE,
        "every_after": settings.FIRMLINK_REMINDER_EVERY_DAYS_AFTER,
    }


def is_due(kind: str, status: str, not_ready: bool) -> bool:
    """Who is reminded on each kind of occasion."""
    if kind == OccasionKind.BEFORE:
        return status not in NOT_DUE and not_ready
    if kind == OccasionKind.GO_LIVE:
        return status not in NOT_DUE
    return status in BLOCKING


# ---------------------------------------------------------------------------------- planning


@dataclasses.dataclass
class PlanResult:
    created: int
    attorney_ids: list[int]


def reminders_plan(*, today: datetime.date, run: ReminderRun | None = None) -> PlanResult:
    """Create the rows of the occasions due today. Idempotent (unique per pair and occasion)."""
    schedule = _schedule()
    horizon = today + datetime.timedelta(days=max(schedule["days_before"], default=0))
    candidates = (
        CourtLink.objects.with_status(today)
        .filter(efiling_account=True, attorney__is_active=True, court__nextgen_go_live__lte=horizon)
        .exclude(status__in=NOT_DUE)
        .annotate(not_ready=Case(When(NOT_READY, then=Value(True)), default=Value(False), output_field=BooleanOutput()))
        .order_by("pk")
        .values_list("pk", "attorney_id", "court__nextgen_go_live", "status", "not_ready")
    )
    before = Reminder.objects.count()
    batch: list[Reminder] = []
    for pk, attorney_id, go_live, status, not_ready in candidates.iterator(chunk_size=PLAN_CHUNK):
        occasion = current_occasion(go_live, today, **schedule)
        if occasion is None or not is_due(occasion.kind, status, not_ready):
            continue
        batch.append(
            Reminder(
                link_id=pk,
                attorney_id=attorney_id,
                occasion=occasion.key,
                kind=occasion.kind,
                days=occasion.days,
                due_on=occasion.due_on,
                go_live=go_live,
                run=run,
            )
        )
        if len(batch) >= PLAN_CHUNK:
            Reminder.objects.bulk_create(batch, ignore_conflicts=True)
            batch = []
    if batch:
        Reminder.objects.bulk_create(batch, ignore_conflicts=True)
    created = Reminder.objects.count() - before
    return PlanResult(created=created, attorney_ids=attorneys_with_work())


def attorneys_with_work(now: datetime.datetime | None = None) -> list[int]:
    """Attorneys with rows to send: pending, or claimed by a worker that has gone quiet."""
    stale = (now or clock.now()) - datetime.timedelta(seconds=settings.FIRMLINK_SEND_LEASE_SECONDS)
    return list(
        Reminder.objects.filter(
            Q(status=ReminderStatus.PENDING) | Q(status=ReminderStatus.SENDING, claimed_at__lt=stale)
        )
        .order_by("attorney_id")
        .values_list("attorney_id", flat=True)
        .distinct()
    )


def chunks(ids: list[int], size: int) -> list[list[int]]:
    return [ids[i : i + size] for i in range(0, len(ids), size)]


# ----------------------------------------------------------------------------------- sending


@dataclasses.dataclass
class BatchResult:
    sent: int = 0
    skipped: int = 0
    failed: int = 0
    transient: list[str] = dataclasses.field(default_factory=list)
    messages: list = dataclasses.field(default_factory=list)  # (attorney, subject, reminders) sent


def _claim(attorney_ids: list[int], claim: str, now: datetime.datetime) -> list[int]:
    """Take the rows of these attorneys for sending; rows another worker holds are skipped."""
    stale = now - datetime.timedelta(seconds=settings.FIRMLINK_SEND_LEASE_SECONDS)
    with transaction.atomic():
        ids = list(
            Reminder.objects.select_for_update(skip_locked=True)
            .filter(attorney_id__in=attorney_ids)
            .filter(
                Q(status=ReminderStatus.PENDING)
                | Q(status=ReminderStatus.SENDING, claim=claim)  # our own, after a redelivery
                | Q(status=ReminderStatus.SENDING, claimed_at__lt=stale)
            )
            .values_list("pk", flat=True)
        )
        Reminder.objects.filter(pk__in=ids).update(
            status=ReminderStatus.SENDING, claim=claim, claimed_at=now, attempts=F("attempts") + 1
        )
    return ids


def reminders_split_due(reminders: list[Reminder], today: datetime.date):
    """Split claimed rows into those still due and those superseded or no longer due."""
    schedule = _schedule()
    due, stale = [], []
    for reminder in reminders:
        link = reminder.link
        occasion = current_occasion(link.court.nextgen_go_live, today, **schedule)
        still_due = (
            occasion is not None
            and occasion.key == reminder.occasion
            and link.efiling_account
            and link.attorney.is_active
            and is_due(occasion.kind, link.status, is_not_ready(link))
        )
        (due if still_due else stale).append(reminder)
    return due, stale


def reminders_load(ids: list[int], today: datetime.date) -> dict[int, list[Reminder]]:
    """Claimed rows with their pairs (status annotated), grouped per attorney, in two queries."""
    reminders = list(Reminder.objects.filter(pk__in=ids).order_by("attorney_id", "go_live", "pk"))
    links = (
        CourtLink.objects.with_status(today).select_related("attorney", "court").in_bulk([r.link_id for r in reminders])
    )
    grouped: dict[int, list[Reminder]] = defaultdict(list)
    for reminder in reminders:
        reminder.link = links[reminder.link_id]
        grouped[reminder.attorney_id].append(reminder)
    return grouped


def reminders_send_batch(*, attorney_ids: list[int], claim: str, connection=None) -> BatchResult:
    """Send each attorney of the batch one email covering all their due courts.

    Transient failures put the rows back to pending and are listed in ``transient`` (the
    caller retries); permanent ones mark the rows failed with the error.
    """
    now = clock.now()
    today = now.date()
    result = BatchResult()
    ids = _claim(attorney_ids, claim, now)
    if not ids:
        return result
    grouped = reminders_load(ids, today)
    connection = connection or get_connection()
    with connection:
        for reminders in grouped.values():
            due, stale = reminders_split_due(reminders, today)
            if stale:
                Reminder.objects.filter(pk__in=[r.pk for r in stale]).update(
                    status=ReminderStatus.SKIPPED, claim="", last_error=""
                )
                result.skipped += len(stale)
            if not due:
                continue
            attorney = due[0].link.attorney
            message = emails.reminder_message(attorney=attorney, reminders=due, today=today, connection=connection)
            try:
                message.send()
            except Exception as exc:  # classified below: retried or failed, never lost
                error = f"{type(exc).__name__}: {exc}"[:2000]
                pks = [r.pk for r in due]
                if is_transient(exc):
                    Reminder.objects.filter(pk__in=pks).update(
                        status=ReminderStatus.PENDING, claim="", last_error=error
                    )
                    result.transient.append(f"{attorney.email}: {error}")
                else:
                    Reminder.objects.filter(pk__in=pks).update(status=ReminderStatus.FAILED, claim="", last_error=error)
                    result.failed += len(pks)
                log.warning("reminder email to attorney %s failed: %s", attorney.pk, error)
                continue
            Reminder.objects.filter(pk__in=[r.pk for r in due]).update(
                status=ReminderStatus.SENT,
                sent_at=clock.now(),
                claim="",
                last_error="",
                message_id=message.extra_headers.get("Message-ID", ""),
            )
            result.sent += len(due)
            result.messages.append((attorney, message.subject, due))
    return result


def reminders_give_up(*, attorney_ids: list[int], error: str) -> int:
    """Retries are spent: what is still pending or claimed for these attorneys shows as failed."""
    return Reminder.objects.filter(
        attorney_id__in=attorney_ids, status__in=[ReminderStatus.PENDING, ReminderStatus.SENDING]
    ).update(status=ReminderStatus.FAILED, claim="", last_error=f"Gave up after retries: {error}"[:2000])


def reminders_retry_failed(*, attorney_id: int | None = None) -> int:
    """Put failed rows back to pending (an administrator fixed the mail server, say)."""
    rows = Reminder.objects.filter(status=ReminderStatus.FAILED)
    if attorney_id:
        rows = rows.filter(attorney_id=attorney_id)
    return rows.update(status=ReminderStatus.PENDING, claim="")


# ------------------------------------------------------------------------------- escalation


def overdue_pairs(today: datetime.date):
    """Pairs that still cannot file FIRMLINK_ESCALATE_AFTER_DAYS or more after go-live."""
    cutoff = today - datetime.timedelta(days=settings.FIRMLINK_ESCALATE_AFTER_DAYS)
    return (
        CourtLink.objects.cannot_file(today)
        .filter(attorney__is_active=True, court__nextgen_go_live__lte=cutoff)
        .select_related("attorney", "court")
        .order_by("court__nextgen_go_live", "attorney__name", "pk")
    )


def administrator_emails() -> list[str]:
    User = get_user_model()
    admins = User.objects.filter(is_active=True).filter(Q(is_superuser=True) | Q(groups__name="administrator"))
    return sorted({email for email in admins.values_list("email", flat=True) if email})


def escalation_digest_send(*, today: datetime.date, claim: str, connection=None) -> EscalationDigest:
    """The administrators' daily digest, sent at most once a day. ``sent_now`` on the returned
    row tells whether this call sent it."""
    now = clock.now()
    stale = now - datetime.timedelta(seconds=settings.FIRMLINK_SEND_LEASE_SECONDS)
    try:
        with transaction.atomic():
            EscalationDigest.objects.get_or_create(run_on=today)
    except IntegrityError:
        pass
    with transaction.atomic():
        digest = (
            EscalationDigest.objects.select_for_update(skip_locked=True)
            .filter(run_on=today)
            .filter(
                Q(status=ReminderStatus.PENDING)
                | Q(status=ReminderStatus.SENDING, claim=claim)
                | Q(status=ReminderStatus.SENDING, claimed_at__lt=stale)
            )
            .first()
        )
        if digest is None:
            digest = EscalationDigest.objects.get(run_on=today)
            digest.sent_now = False
            return digest
        overdue = overdue_pairs(today)
        total = overdue.count()
        recipients = administrator_emails()
        if not total or not recipients:
            digest.status = ReminderStatus.SKIPPED
            digest.pairs = total
            digest.last_error = "No administrator has an email address." if total else "Nobody is overdue."
            digest.save()
            digest.sent_now = False
            return digest
        digest.status, digest.claim, digest.claimed_at = ReminderStatus.SENDING, claim, now
        digest.attempts += 1
        digest.pairs, digest.recipients = total, ", ".join(recipients)
        digest.save()
    # A bounded message however many are overdue: counts per court, then the longest overdue.
    per_court = list(
        overdue.order_by("court__nextgen_go_live", "court__court_id")
        .values("court__court_id", "court__name", "court__nextgen_go_live")
        .annotate(n=Count("pk"))
    )
    message = emails.digest_message(
        listed=list(overdue[: settings.FIRMLINK_DIGEST_MAX_LISTED]),
        total=total,
        per_court=per_court,
        recipients=recipients,
        today=today,
        connection=connection,
    )
    try:
        message.send()
    except Exception as exc:
        error = f"{type(exc).__name__}: {exc}"[:2000]
        status = ReminderStatus.PENDING if is_transient(exc) else ReminderStatus.FAILED
        EscalationDigest.objects.filter(pk=digest.pk).update(status=status, claim="", last_error=error)
        if status == ReminderStatus.PENDING:
            raise TransientSendError(error) from exc
        digest.refresh_from_db()
        digest.sent_now = False
        return digest
    EscalationDigest.objects.filter(pk=digest.pk).update(
        status=ReminderStatus.SENT, sent_at=clock.now(), claim="", last_error=""
    )
    digest.refresh_from_db()
    digest.sent_now = True
    return digest


def escalation_digest_give_up(*, today: datetime.date, error: str) -> int:
    return EscalationDigest.objects.filter(
        run_on=today, status__in=[ReminderStatus.PENDING, ReminderStatus.SENDING]
    ).update(status=ReminderStatus.FAILED, claim="", last_error=f"Gave up after retries: {error}"[:2000])


# ------------------------------------------------------------------------------------- runs


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


def new_claim(prefix: str = "run") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:20]}"
