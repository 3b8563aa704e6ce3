"""The administrators' daily digest of pairs still blocked well after go-live, sent once a day."""

import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Q

from attorneys.models import CourtLink
from campaigns import registry, subjects
from core import clock
from core.roles import administrator_emails

from .. import emails
from ..models import EscalationDigest, ReminderStatus
from .sending import TransientSendError, is_transient, retry_until


def overdue_pairs(today: datetime.date):
    """Pairs that still cannot file FIRMLINK_ESCALATE_AFTER_DAYS or more after go-live (or after the
    court's on-NextGen-by bound, when its go-live date is not known)."""
    cutoff = today - datetime.timedelta(days=settings.FIRMLINK_ESCALATE_AFTER_DAYS)
    return (
        CourtLink.objects.cannot_file(today)
        .with_live_since()
        .filter(attorney__is_active=True, live_since__lte=cutoff)
        .select_related("attorney", "court")
        .order_by("live_since", "attorney__name", "pk")
    )


def campaign_sections(today: datetime.date) -> list[dict]:
    """Each campaign per attorney whose deadline passed at least its ``escalate_after`` days ago:
    how many attorneys in it cannot file, and the first of them by name (bounded)."""
    sections = []
    for campaign in registry.attorney_campaigns():
        when = subjects.dates(campaign)
        after = campaign.schedule.escalate_after
        if after is None or when.deadline is None or today < when.deadline + datetime.timedelta(days=after):
            continue
        blocked = subjects.subjects(campaign, today, when=when).filter(status__in=campaign.blocking)
        total = blocked.count()
        if total:
            listed = list(blocked.order_by("name", "pk")[: settings.FIRMLINK_DIGEST_MAX_LISTED])
            sections.append(
                {
                    "campaign": campaign,
                    "deadline": when.deadline,
                    "days_since": (today - when.deadline).days,
                    "total": total,
                    "listed": listed,
                    "more": total - len(listed),
                }
            )
    for campaign in registry.pair_campaigns():
        sections.extend(_pair_section(campaign, today))
    return sections


def _pair_section(campaign, today: datetime.date) -> list[dict]:
    """A campaign per attorney and court: the pairs that cannot file whose own date (cutover, renewal
    due) passed at least ``escalate_after`` days ago, the longest overdue first (bounded)."""
    after = campaign.schedule.escalate_after
    if after is None:
        return []
    when = subjects.dates(campaign)
    blocked = subjects.subjects(campaign, today, when=when).filter(
        status__in=campaign.blocking, deadline__lte=today - datetime.timedelta(days=after)
    )
    total = blocked.count()
    if not total:
        return []
    listed = list(
        blocked.select_related("attorney", "court").order_by("deadline", "attorney__name", "pk")[
            : settings.FIRMLINK_DIGEST_MAX_LISTED
        ]
    )
    return [{"campaign": campaign, "deadline": None, "total": total, "listed": listed, "more": total - len(listed)}]


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
                | Q(status=ReminderStatus.FAILED, retry_until__gt=now)
            )
            .first()
        )
        if digest is None:
            digest = EscalationDigest.objects.get(run_on=today)
            digest.sent_now = False
            return digest
        overdue = overdue_pairs(today)
        total = overdue.count()
        sections = campaign_sections(today)
        everyone = total + sum(section["total"] for section in sections)
        recipients = administrator_emails()
        if not everyone or not recipients:
            digest.status = ReminderStatus.SKIPPED
            digest.pairs = everyone
            digest.last_error = "No administrator has an email address." if everyone else "Nobody is overdue."
            digest.save()
            digest.sent_now = False
            return digest
        digest.status, digest.claim, digest.claimed_at, digest.retry_until = ReminderStatus.SENDING, claim, now, None
        digest.attempts += 1
        digest.pairs, digest.recipients = everyone, ", ".join(recipients)
        digest.save()
    # A bounded message however many are overdue: counts per court, then the longest overdue.
    per_court = list(
        overdue.order_by("live_since", "court__court_id")
        .values("court__court_id", "court__name", "court__nextgen_go_live", "court__live_by", "live_since")
        .annotate(n=Count("pk"))
    )
    message = emails.digest_message(
        listed=list(overdue[: settings.FIRMLINK_DIGEST_MAX_LISTED]),
        total=total,
        per_court=per_court,
        campaigns=sections,
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


def escalation_digest_give_up(*, today: datetime.date, claim: str, error: str, transient: bool = True) -> int:
    """Retries are spent: the digest shows as failed, and is tried again by the hourly dispatch
    until the end of the day when the failure was transient."""
    until = retry_until(clock.now()) if transient else None
    return (
        EscalationDigest.objects.filter(run_on=today)
        .filter(Q(status=ReminderStatus.PENDING) | Q(status=ReminderStatus.SENDING, claim=claim))
        .update(
            status=ReminderStatus.FAILED,
            claim="",
            retry_until=until,
            last_error=f"Gave up after retries: {error}"[:2000],
        )
    )
