"""Sending: claim an attorney's due rows, send them one email, mark them sent; retry or fail."""

import dataclasses
import datetime
import logging
import smtplib
import uuid
from collections import defaultdict

from django.conf import settings
from django.core.mail import get_connection
from django.db import transaction
from django.db.models import F, Q

from attorneys.models import CourtLink
from attorneys.status import is_not_ready
from core import clock

from .. import emails
from ..models import Reminder, ReminderStatus
from ..occasions import current_occasion
from .planning import is_due, reminder_schedule

log = logging.getLogger(__name__)


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
    schedule = reminder_schedule()
    due, stale = [], []
    for reminder in reminders:
        link = reminder.link
        occasion = current_occasion(link.court.nextgen_go_live, link.court.live_by, today, **schedule)
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


def new_claim(prefix: str = "run") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:20]}"
