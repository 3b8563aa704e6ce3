"""Planning: the occasions due today, written as reminder rows (unique per campaign, subject and occasion).

NextGen linking per pair (each court its own cutover date); then each campaign per attorney
(one firm-wide deadline: the same occasion for everyone, reminded to the statuses its
definition names for that kind of occasion); then each other campaign per attorney and court
(each pair counted from its own date: a court's cutover, a renewal's due date).
"""

import dataclasses
import datetime
import itertools

from django.conf import settings
from django.db.models import BooleanField as BooleanOutput
from django.db.models import Case, Q, Value, When

from attorneys.models import CourtLink
from attorneys.status import BLOCKING, NOT_READY, LinkStatus
from campaigns import registry, subjects
from core import clock
from core.campaigns import Campaign

from ..models import REMIND_WORD, OccasionKind, Reminder, ReminderRun, ReminderStatus
from ..occasions import current_occasion

PLAN_CHUNK = 5000
NOT_DUE = (LinkStatus.NOT_APPLICABLE, LinkStatus.LINKED, LinkStatus.COMPLETE)


def reminder_schedule():
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


@dataclasses.dataclass
class PlanResult:
    created: int
    attorney_ids: list[int]


def reminders_plan(*, today: datetime.date, run: ReminderRun | None = None) -> PlanResult:
    """Create the rows of the occasions due today. Idempotent (unique per pair and occasion)."""
    schedule = reminder_schedule()
    horizon = today + datetime.timedelta(days=max(schedule["days_before"], default=0))
    candidates = (
        CourtLink.objects.with_status(today)
        .with_live_since()
        .filter(efiling_account=True, attorney__is_active=True, live_since__lte=horizon)
        .exclude(status__in=NOT_DUE)
        .annotate(not_ready=Case(When(NOT_READY, then=Value(True)), default=Value(False), output_field=BooleanOutput()))
        .order_by("pk")
        .values_list(
            "pk", "attorney_id", "court__nextgen_go_live", "court__live_by", "live_since", "status", "not_ready"
        )
    )
    before = Reminder.objects.count()

    def rows():
        for pk, attorney_id, go_live, live_by, live_since, status, not_ready in candidates.iterator(
            chunk_size=PLAN_CHUNK
        ):
            occasion = current_occasion(go_live, live_by, today, **schedule)
            if occasion is not None and is_due(occasion.kind, status, not_ready):
                yield _row(occasion, link_id=pk, attorney_id=attorney_id, go_live=live_since, run=run)

    _insert(rows())
    for campaign in registry.attorney_campaigns():
        campaign_plan(campaign, today=today, run=run)
    for campaign in registry.pair_campaigns():
        pair_campaign_plan(campaign, today=today, run=run)
    created = Reminder.objects.count() - before
    return PlanResult(created=created, attorney_ids=attorneys_with_work())


def _row(occasion, **fields) -> Reminder:
    """A reminder row for today's ``occasion`` (its key, kind, days and due date) and a subject."""
    return Reminder(occasion=occasion.key, kind=occasion.kind, days=occasion.days, due_on=occasion.due_on, **fields)


def _insert(rows) -> None:
    """Write reminder rows in chunks; a row already there (same campaign, subject, occasion) is skipped."""
    rows = iter(rows)
    while chunk := list(itertools.islice(rows, PLAN_CHUNK)):
        Reminder.objects.bulk_create(chunk, ignore_conflicts=True)


def campaign_occasion(campaign: Campaign, when: subjects.Dates, today: datetime.date):
    """Today's occasion of a campaign with a firm-wide deadline (the same for every attorney)."""
    if when.deadline is None or not when.reminders_on:
        return None
    schedule = campaign.schedule
    return current_occasion(
        when.deadline, None, today, days_before=list(schedule.days_before), every_after=schedule.every_after
    )


def campaign_plan(campaign: Campaign, *, today: datetime.date, run: ReminderRun | None = None) -> int:
    """The rows of a campaign per attorney due today: the attorneys whose status is reminded on
    today's occasion (before the deadline, on the day, every N days after while blocked)."""
    when = subjects.dates(campaign)
    occasion = campaign_occasion(campaign, when, today)
    if occasion is None:
        return 0
    due = campaign.reminded(REMIND_WORD[occasion.kind])
    attorney_ids = (
        subjects.subjects(campaign, today, when=when).filter(status__in=due).order_by("pk").values_list("pk", flat=True)
    )
    before = Reminder.objects.filter(campaign=campaign.slug).count()
    _insert(
        _row(occasion, campaign=campaign.slug, attorney_id=attorney_id, go_live=when.deadline, run=run)
        for attorney_id in attorney_ids.iterator(chunk_size=PLAN_CHUNK)
    )
    return Reminder.objects.filter(campaign=campaign.slug).count() - before


def pair_occasion(campaign: Campaign, day: datetime.date | None, today: datetime.date):
    """Today's occasion for one pair of a campaign per attorney and court, counted from its own date."""
    schedule = campaign.schedule
    return current_occasion(day, None, today, days_before=list(schedule.days_before), every_after=schedule.every_after)


def pair_campaign_plan(campaign: Campaign, *, today: datetime.date, run: ReminderRun | None = None) -> int:
    """The rows of a campaign per attorney and court due today: each pair counted from its own date
    (its court's cutover, its renewal's due date), reminded when its status is named for that
    kind of occasion. Unique per pair, date and occasion: the next cycle's occasions come again."""
    when = subjects.dates(campaign)
    if not when.reminders_on:
        return 0
    reminded = {word: campaign.reminded(word) for word in REMIND_WORD.values()}
    horizon = today + datetime.timedelta(days=max(campaign.schedule.days_before, default=0))
    candidates = (
        subjects.subjects(campaign, today, when=when)
        .filter(deadline__lte=horizon, status__in={s for statuses in reminded.values() for s in statuses})
        .order_by("pk")
        .values_list("pk", "attorney_id", "deadline", "status")
    )
    before = Reminder.objects.filter(campaign=campaign.slug).count()

    def rows():
        for pk, attorney_id, day, status in candidates.iterator(chunk_size=PLAN_CHUNK):
            occasion = pair_occasion(campaign, day, today)
            if occasion is not None and status in reminded[REMIND_WORD[occasion.kind]]:
                yield _row(occasion, campaign=campaign.slug, link_id=pk, attorney_id=attorney_id, go_live=day, run=run)

    _insert(rows())
    return Reminder.objects.filter(campaign=campaign.slug).count() - before


def claimable(claim: str, now: datetime.datetime) -> Q:
    """Rows a claimer may take: pending, its own (a redelivered task), abandoned by a worker that
    went quiet, or failed after spent retries while the day's grace lasts."""
    stale = now - datetime.timedelta(seconds=settings.FIRMLINK_SEND_LEASE_SECONDS)
    return (
        Q(status=ReminderStatus.PENDING)
        | Q(status=ReminderStatus.SENDING, claim=claim)
        | Q(status=ReminderStatus.SENDING, claimed_at__lt=stale)
        | Q(status=ReminderStatus.FAILED, retry_until__gt=now)
    )


def attorneys_with_work(now: datetime.datetime | None = None) -> list[int]:
    """Attorneys with rows to send: pending, abandoned by a worker that went quiet, or failed after
    spent retries while the day's grace lasts."""
    return list(
        Reminder.objects.filter(claimable("", now or clock.now()))
        .order_by("attorney_id")
        .values_list("attorney_id", flat=True)
        .distinct()
    )


def chunks(ids: list[int], size: int) -> list[list[int]]:
    return [ids[i : i + size] for i in range(0, len(ids), size)]
