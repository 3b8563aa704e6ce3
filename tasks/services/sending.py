"""Sending: one email per attorney, each under a claim the worker holds while it sends.

For every few attorneys of a batch (``CLAIM_CHUNK``), just before their messages: claim all of
each attorney's due rows or none (the attorney's row is the lock, so two workers never split one
attorney's courts over two emails; a live claim of another worker is left alone) and load them;
then for each attorney render, send, and mark sent only the rows this claim still holds. A claim
is a lease: a worker that goes quiet for FIRMLINK_SEND_LEASE_SECONDS loses its rows to the next one.

Failures: a transient one (connection refused or reset, timeout, DNS, 4xx, the soft time
limit, the database gone) puts the unsent rows back to pending; when it is about the
connection or the database, the batch stops at once and the task retries it with backoff. A
permanent one (5xx) marks that attorney's rows failed. A message the server accepted is
recorded sent, never failed: if the database is gone at that moment, recording is retried for
FIRMLINK_SEND_RECORD_PATIENCE seconds. When the task's retries are spent, its rows show as
failed with the reason and are tried again by the hourly dispatch until the end of the day
(FIRMLINK_SEND_RETRY_GRACE_MINUTES to shorten that).
"""

import contextlib
import dataclasses
import datetime
import logging
import signal
import smtplib
import threading
import time
import uuid
from collections import defaultdict

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.mail import get_connection
from django.db import DatabaseError, InterfaceError, OperationalError, transaction
from django.db import connection as database
from django.db.models import F, Q

from attorneys.campaign import SLUG as NEXTGEN
from attorneys.models import Attorney, CourtLink
from attorneys.status import is_not_ready, link_status
from campaigns import registry, subjects
from core import clock
from courts.models import Court

from .. import emails
from ..models import REMIND_WORD, Reminder, ReminderStatus
from ..occasions import current_occasion
from .planning import campaign_occasion, claimable, is_due, pair_occasion, reminder_schedule

log = logging.getLogger(__name__)


class TransientSendError(Exception):
    """Sending failed in a way worth retrying (server busy or unreachable, time limit, database gone)."""


class DatabaseUnavailable(TransientSendError):
    """The database cannot be reached: the batch stops before sending anything else."""


def is_transient(exc: BaseException) -> bool:
    if isinstance(exc, SoftTimeLimitExceeded):
        return True
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(400 <= code < 500 for code, _ in exc.recipients.values())
    if isinstance(exc, smtplib.SMTPServerDisconnected):
        return True
    if isinstance(exc, smtplib.SMTPResponseException):
        return 400 <= exc.smtp_code < 500
    # ConnectionRefusedError, ConnectionResetError, TimeoutError, socket.gaierror (DNS): all OSError.
    return isinstance(exc, OSError) and not isinstance(exc, smtplib.SMTPException)


def _stops_the_batch(exc: BaseException) -> bool:
    """The server cannot be reached at all (unlike a 4xx for one message): trying the next attorney
    now would only fail the same way."""
    if isinstance(exc, SoftTimeLimitExceeded | smtplib.SMTPServerDisconnected | smtplib.SMTPConnectError):
        return True
    return isinstance(exc, OSError) and not isinstance(exc, smtplib.SMTPException)


@dataclasses.dataclass
class BatchResult:
    sent: int = 0
    skipped: int = 0
    failed: int = 0
    transient: list[str] = dataclasses.field(default_factory=list)
    messages: list = dataclasses.field(default_factory=list)  # (attorney, subject, reminders) sent
    runs: set = dataclasses.field(default_factory=set)  # ids of the runs whose rows this batch touched


# Attorneys claimed, and their rows loaded, together: a few queries for this many emails. Their
# rows stay claimed while the ones before them are sent, well within the lease (a batch's time
# limit is below it).
CLAIM_CHUNK = 25


def _claim_attorneys(attorney_ids: list[int], claim: str, now: datetime.datetime) -> dict[int, list[int]]:
    """For each of these attorneys, all of their claimable rows, claimed (lease renewed), or none
    when another claimer is at that attorney now; in one transaction, four queries."""
    stale = now - datetime.timedelta(seconds=settings.FIRMLINK_SEND_LEASE_SECONDS)
    claimed: dict[int, list[int]] = defaultdict(list)
    with transaction.atomic():
        # Another claimer holds an attorney for the moment of its claim: skipped.
        locked = list(
            Attorney.objects.select_for_update(skip_locked=True)
            .filter(pk__in=attorney_ids)
            .values_list("pk", flat=True)
        )
        if not locked:
            return {}
        rows = Reminder.objects.filter(attorney_id__in=locked)
        # Another worker holds a live claim on some of an attorney's rows: all or none.
        busy = set(
            rows.filter(status=ReminderStatus.SENDING, claimed_at__gte=stale)
            .exclude(claim=claim)
            .values_list("attorney_id", flat=True)
        )
        free = [pk for pk in locked if pk not in busy]
        for pk, attorney_id in (
            Reminder.objects.filter(attorney_id__in=free).filter(claimable(claim, now)).values_list("pk", "attorney_id")
        ):
            claimed[attorney_id].append(pk)
        if claimed:
            Reminder.objects.filter(pk__in=[pk for pks in claimed.values() for pk in pks]).update(
                status=ReminderStatus.SENDING, claim=claim, claimed_at=now, attempts=F("attempts") + 1, retry_until=None
            )
    return dict(claimed)


def _claim_attorney(attorney_id: int, claim: str, now: datetime.datetime) -> list[int]:
    """All of one attorney's claimable rows, claimed (lease renewed), or none when another claimer
    is at this attorney now."""
    return _claim_attorneys([attorney_id], claim, now).get(attorney_id, [])


def _mine(pks: list[int], claim: str):
    return Reminder.objects.filter(pk__in=pks, status=ReminderStatus.SENDING, claim=claim)


def reminders_split_due(reminders: list[Reminder], today: datetime.date):
    """Split claimed rows into those still due and those superseded or no longer due."""
    schedule = reminder_schedule()
    due, stale = [], []
    for reminder in reminders:
        if reminder.campaign != NEXTGEN:
            still_due = _campaign_still_due(reminder, today)
        else:
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


def _campaign_still_due(reminder: Reminder, today: datetime.date) -> bool:
    """A campaign per attorney: today's occasion is still this one and the attorney's status is reminded on it."""
    campaign = registry.get(reminder.campaign)
    if campaign is None or not reminder.attorney.is_active:
        return False
    if campaign.per_court:
        link = reminder.link
        if not (link.efiling_account and reminder.campaign_state.in_scope):
            return False
        occasion = pair_occasion(campaign, reminder.campaign_state.deadline, today)
    else:
        occasion = campaign_occasion(campaign, reminder.campaign_dates, today)
    return (
        occasion is not None
        and occasion.key == reminder.occasion
        and reminder.campaign_status in campaign.reminded(REMIND_WORD[occasion.kind])
    )


def reminders_load(ids: list[int], today: datetime.date) -> dict[int, list[Reminder]]:
    """Claimed rows with their subjects, grouped per attorney: pairs with their status (four queries,
    each attorney and court read once), and for a campaign per attorney the attorney's state and
    status in it (a few queries)."""
    reminders = list(Reminder.objects.filter(pk__in=ids).order_by("attorney_id", "go_live", "pk"))
    # Each attorney and court once, shared by all of their rows (four queries in all).
    attorneys = Attorney.objects.in_bulk({r.attorney_id for r in reminders})
    links = CourtLink.objects.in_bulk([r.link_id for r in reminders if r.link_id])
    courts = Court.objects.in_bulk({link.court_id for link in links.values()})
    for reminder in reminders:
        reminder.attorney = attorneys[reminder.attorney_id]
    # The status of each pair in Python (``link_status``, the rules' Python form, tested to agree with
    # the SQL annotation): building the status expression into every batch's SQL cost more than the rest.
    for link in links.values():
        link.attorney, link.court = attorneys[link.attorney_id], courts[link.court_id]
        link.status = link_status(link, today)
    grouped: dict[int, list[Reminder]] = defaultdict(list)
    for reminder in reminders:
        if reminder.link_id:
            reminder.link = links[reminder.link_id]
        if reminder.campaign != NEXTGEN:
            campaign = registry.get(reminder.campaign)
            if campaign is not None:
                court = reminder.link.court if reminder.link_id else None
                reminder.campaign_dates = subjects.dates(campaign)
                reminder.campaign_state = subjects.state(
                    campaign, reminder.attorney, when=reminder.campaign_dates, court=court
                )
                reminder.campaign_status = subjects.status_of(campaign, reminder.campaign_state, today)
        grouped[reminder.attorney_id].append(reminder)
    return grouped


def _database(operation):
    """Run one database step of the batch; a lost database stops the batch (the task retries)."""
    try:
        return operation()
    except (OperationalError, InterfaceError) as exc:
        with contextlib.suppress(DatabaseError):
            database.close()  # the next attempt opens a new connection
        raise DatabaseUnavailable(f"database unavailable: {exc}".strip()) from exc


def _record_sent(pks: list[int], claim: str, message_id: str) -> int:
    """The server accepted the message: record it, patiently (a database restart takes seconds)."""
    deadline = time.monotonic() + settings.FIRMLINK_SEND_RECORD_PATIENCE
    while True:
        try:
            return _mine(pks, claim).update(
                status=ReminderStatus.SENT, sent_at=clock.now(), claim="", last_error="", message_id=message_id
            )
        except (OperationalError, InterfaceError) as exc:
            with contextlib.suppress(DatabaseError):
                database.close()
            if time.monotonic() > deadline:
                log.error("sent but could not record it (rows %s stay claimed): %s", pks, exc)
                raise DatabaseUnavailable(f"database unavailable after sending: {exc}") from exc
            log.warning("sent; the database is unavailable, recording it again shortly: %s", exc)
            time.sleep(0.5)


@contextlib.contextmanager
def soft_limit_deferred():
    """Hold Celery's soft time limit (SIGUSR1 in a prefork worker) until the block ends: a message
    the server may have accepted is never abandoned half-way, so it is recorded, not sent again."""
    can_block = hasattr(signal, "pthread_sigmask") and threading.current_thread() is threading.main_thread()
    if can_block:
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGUSR1})
    try:
        yield
    finally:
        if can_block:
            signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGUSR1})


def _close_quietly(connection):
    with contextlib.suppress(Exception):
        connection.close()  # in an unknown state after an error: the next message opens a new one


def reminders_send_batch(*, attorney_ids: list[int], claim: str, connection=None) -> BatchResult:
    """Send each attorney of the batch one email covering all their due courts.

    Transient failures put the rows back to pending: those about the connection, the database or
    the time limit raise TransientSendError at once (the caller retries the batch; what was sent
    stays sent); a 4xx for one message is listed in ``transient`` and the batch goes on. Permanent
    failures mark that attorney's rows failed with the error.
    """
    result = BatchResult()
    connection = connection or get_connection()
    try:
        replies = _database(emails.reply_to)
        for start in range(0, len(attorney_ids), CLAIM_CHUNK):
            _send_chunk(attorney_ids[start : start + CLAIM_CHUNK], claim, connection, result, replies)
    except SoftTimeLimitExceeded as exc:  # between two attorneys: nothing of theirs is held
        raise TransientSendError("soft time limit reached") from exc
    finally:
        _close_quietly(connection)
    return result


def _send_chunk(attorney_ids: list[int], claim: str, connection, result: BatchResult, replies: list[str]):
    """Claim these attorneys' rows and load them together, then send to each in turn. Whatever stops
    the chunk early (the connection, the database, the time limit) puts the rows of the attorneys
    not reached yet back to pending (or, when the database is gone, leaves them to this claim's
    retry, which takes them back at once)."""
    now = clock.now()
    today = now.date()
    claimed = _database(lambda: _claim_attorneys(attorney_ids, claim, now))
    if not claimed:
        return
    waiting = dict(claimed)
    try:
        grouped = _database(lambda: reminders_load([pk for ids in claimed.values() for pk in ids], today))
        for attorney_id in attorney_ids:
            ids = waiting.pop(attorney_id, None)
            if ids:
                _send_to_attorney(attorney_id, ids, grouped.get(attorney_id, []), claim, connection, result, replies)
    finally:
        if waiting:
            with contextlib.suppress(DatabaseError):
                _mine([pk for ids in waiting.values() for pk in ids], claim).update(
                    status=ReminderStatus.PENDING,
                    claim="",
                    attempts=F("attempts") - 1,  # not tried: no attempt
                )


def _send_to_attorney(
    attorney_id: int, ids: list[int], reminders: list[Reminder], claim: str, connection, result, replies
):
    today = clock.today()
    pks, accepted = ids, False
    try:
        result.runs.update(r.run_id for r in reminders if r.run_id)
        due, stale = reminders_split_due(reminders, today)
        if stale:
            _database(
                lambda: _mine([r.pk for r in stale], claim).update(
                    status=ReminderStatus.SKIPPED, claim="", last_error=""
                )
            )
            result.skipped += len(stale)
        if not due:
            return
        pks = [r.pk for r in due]
        attorney = due[0].attorney
        message = emails.reminder_message(
            attorney=attorney, reminders=due, today=today, connection=connection, replies=replies
        )
        connection.open()  # no-op when open; kept open across the batch's messages
        # Never stop between the SMTP conversation and recording what the server accepted.
        with soft_limit_deferred():
            message.send()
            accepted = True
            if _record_sent(pks, claim, message.extra_headers.get("Message-ID", "")) < len(pks):
                log.warning("attorney %s: sent, but another worker had taken over some of its rows", attorney_id)
            result.sent += len(due)
            result.messages.append((attorney, message.subject, due))
    except DatabaseUnavailable:
        raise
    except Exception as exc:  # classified: retried or failed, never lost
        if accepted:  # the soft time limit, held during the send, lands once it was recorded
            raise TransientSendError("soft time limit reached") from exc
        _close_quietly(connection)
        error = f"{type(exc).__name__}: {exc}"[:2000]
        log.warning("reminder email to attorney %s not sent: %s", attorney_id, error)
        if not is_transient(exc):
            result.failed += _database(
                lambda: _mine(pks, claim).update(status=ReminderStatus.FAILED, claim="", last_error=error)
            )
            return
        # Back to pending: every row this claim holds for the attorney, whatever step failed.
        _database(lambda: _mine(ids, claim).update(status=ReminderStatus.PENDING, claim="", last_error=error))
        if _stops_the_batch(exc):
            raise TransientSendError(error) from exc
        result.transient.append(f"attorney {attorney_id}: {error}")


def retry_until(now: datetime.datetime) -> datetime.datetime:
    """How long rows whose retries are spent are tried again by the hourly dispatch."""
    grace = settings.FIRMLINK_SEND_RETRY_GRACE_MINUTES
    if grace is not None:
        return now + datetime.timedelta(minutes=grace)
    tomorrow = datetime.datetime.combine(now.date() + datetime.timedelta(days=1), datetime.time(), tzinfo=now.tzinfo)
    return tomorrow  # the end of the firm's day


def reminders_give_up(*, attorney_ids: list[int], claim: str, error: str, transient: bool = True) -> int:
    """The task's retries are spent: what is still pending or held by this claim shows as failed,
    with why; transient failures are tried again by the hourly dispatch until ``retry_until``."""
    now = clock.now()
    until = retry_until(now) if transient else None
    note = f" (tried again at the next hourly run until {until:%Y-%m-%d %H:%M})" if until else ""
    return (
        Reminder.objects.filter(attorney_id__in=attorney_ids)
        .filter(Q(status=ReminderStatus.PENDING) | Q(status=ReminderStatus.SENDING, claim=claim))
        .update(
            status=ReminderStatus.FAILED,
            claim="",
            retry_until=until,
            last_error=f"Gave up after retries{note}: {error}"[:2000],
        )
    )


def reminders_retry_failed(*, attorney_id: int | None = None) -> int:
    """Put failed rows back to pending (an administrator fixed the mail server, say)."""
    rows = Reminder.objects.filter(status=ReminderStatus.FAILED)
    if attorney_id:
        rows = rows.filter(attorney_id=attorney_id)
    return rows.update(status=ReminderStatus.PENDING, claim="", retry_until=None)


def new_claim(prefix: str = "run") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:20]}"
