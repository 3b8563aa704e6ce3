"""Reads shaped for the pages, with row-level permission applied here, never in templates."""

import dataclasses
import datetime
from collections import Counter

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Subquery, Value
from django.db.models.functions import Coalesce

from attorneys.choices import Step
from attorneys.models import Attorney, CourtLink, StepChange
from attorneys.services.steps import awaiting_verification
from attorneys.status import BLOCKING, NOT_READY, LinkStatus, court_is_live, live_since_expression
from core import clock
from core.roles import Role, role_of, sees_whole_firm
from courts.models import Court
from tasks.models import Reminder


def links_visible_to(user):
    """The pairs a user may see: the whole firm for firm roles, their own for an attorney."""
    links = CourtLink.objects.all()
    if sees_whole_firm(user):
        return links
    if role_of(user) == Role.ATTORNEY:
        return links.filter(attorney__user=user)
    return links.none()


def attorneys_visible_to(user):
    attorneys = Attorney.objects.all()
    if sees_whole_firm(user):
        return attorneys
    if role_of(user) == Role.ATTORNEY:
        return attorneys.filter(user=user)
    return attorneys.none()


def link_list(*, user, today: datetime.date | None = None):
    return (
        links_visible_to(user)
        .with_status(today or clock.today())
        .with_live_since()
        .select_related("attorney", "court")
        .order_by("attorney__name", "court__court_id", "pk")
    )


def status_counts(links) -> dict[str, int]:
    """Counts per status for an annotated queryset, every status present, in one query."""
    counts = dict.fromkeys(LinkStatus.values, 0)
    for row in links.order_by().values("status").annotate(n=Count("pk")):
        counts[row["status"]] = row["n"]
    return counts


@dataclasses.dataclass
class CourtProgress:
    court: dict
    counts: Counter

    @property
    def applicable(self) -> int:
        return sum(n for status, n in self.counts.items() if status != LinkStatus.NOT_APPLICABLE)

    @property
    def complete(self) -> int:
        return self.counts[LinkStatus.COMPLETE]

    @property
    def blocked(self) -> int:
        return sum(self.counts[status] for status in BLOCKING) if self.live else 0

    @property
    def live(self) -> bool:
        return self.court["live"]

    @property
    def segments(self) -> list[tuple[str, int]]:
        """(status, count) in order of precedence, e-filers only (for the stacked bar)."""
        return [(s, self.counts[s]) for s in LinkStatus.values if self.counts[s] and s != LinkStatus.NOT_APPLICABLE]


def court_progress(links, today: datetime.date) -> list[CourtProgress]:
    """Per court, how many pairs are in each status (one grouped query, pivoted here)."""
    by_court: dict[int, CourtProgress] = {}
    rows = (
        links.order_by()
        .values("court_id", "court__court_id", "court__name", "court__nextgen_go_live", "court__live_by", "status")
        .annotate(n=Count("pk"))
    )
    for row in rows:
        go_live, live_by = row["court__nextgen_go_live"], row["court__live_by"]
        progress = by_court.setdefault(
            row["court_id"],
            CourtProgress(
                court={
                    "court_id": row["court__court_id"],
                    "name": row["court__name"],
                    "go_live": go_live,
                    "live_by": live_by,
                    "live": court_is_live(go_live, live_by, today),
                },
                counts=Counter(),
            ),
        )
        progress.counts[row["status"]] += row["n"]
    return sorted(by_court.values(), key=lambda p: (-p.blocked, -p.applicable, p.court["court_id"]))


def upcoming_cutovers(links, today: datetime.date, days: int = 90) -> list[dict]:
    """Courts going live in the next ``days`` where the firm has e-filers, with how many are not ready."""
    horizon = today + datetime.timedelta(days=days)
    return list(
        links.filter(efiling_account=True, court__nextgen_go_live__gt=today, court__nextgen_go_live__lte=horizon)
        .order_by("court__nextgen_go_live", "court__court_id")
        .values("court__court_id", "court__name", "court__nextgen_go_live")
        .annotate(efilers=Count("pk"), not_ready=Count("pk", filter=NOT_READY))
    )


def readiness_over_time(links, today: datetime.date, days: int = 180, step: int = 7) -> list[dict]:
    """For each week: pairs in live courts without access yet, and pairs with access.

    Built from two grouped queries (go-live dates and access dates), not from every row. A
    court known only by an on-NextGen-by bound counts as live from the bound.
    PACER states of the past are not kept, so "without access" counts every e-filer in a
    live court who had not linked or registered by that day.
    """
    efilers = links.filter(efiling_account=True).annotate(live_since=live_since_expression()).exclude(live_since=None)
    live_on = Counter(
        {row["live_since"]: row["n"] for row in efilers.order_by().values("live_since").annotate(n=Count("pk"))}
    )
    access = Counter()
    for row in (
        efilers.exclude(linked_on=None, registered_on=None)
        .annotate(access_on=Coalesce("linked_on", "registered_on"))
        .order_by()
        .values("access_on")
        .annotate(n=Count("pk"))
    ):
        access[row["access_on"]] += row["n"]
    points = []
    start = today - datetime.timedelta(days=days)
    for offset in range(0, days + 1, step):
        day = start + datetime.timedelta(days=offset)
        live = sum(n for date, n in live_on.items() if date <= day)
        linked = sum(n for date, n in access.items() if date <= day)
        points.append({"day": day, "live": live, "with_access": linked, "without_access": live - linked})
    return points


def recent_changes(user, limit: int = 12):
    changes = StepChange.objects.select_related("attorney", "court", "link__court")
    if not sees_whole_firm(user):
        changes = changes.filter(attorney__user=user)
    return changes.order_by("-changed_at", "-id")[:limit]


def count_per(links, outer: str):
    """How many of ``links`` belong to the outer row, as a correlated subquery: ``outer`` is
    the CourtLink field pointing at it ("attorney" or "court"). Sortable in SQL."""
    return Coalesce(
        Subquery(
            links.filter(**{outer: OuterRef("pk")}).order_by().values(outer).annotate(c=Count("pk")).values("c")[:1],
            output_field=IntegerField(),
        ),
        Value(0),
    )


def attorney_list(*, user, today: datetime.date | None = None):
    """Attorneys with their progress: courts to do, done, and where they cannot file now."""
    today = today or clock.today()
    efilers = CourtLink.objects.with_status(today).filter(efiling_account=True)
    return attorneys_visible_to(user).annotate(
        courts=count_per(efilers, "attorney"),
        done=count_per(efilers.filter(status=LinkStatus.COMPLETE), "attorney"),
        blocked=count_per(CourtLink.objects.cannot_file(today), "attorney"),
    )


def attorney_detail(*, user, attorney_id: int, today: datetime.date | None = None):
    """One attorney, their pairs (status annotated, courts joined) and their whole history."""
    today = today or clock.today()
    links = (
        CourtLink.objects.with_status(today)
        .select_related("court", "linked_recorded_by")
        .order_by("court__nextgen_go_live", "court__court_id")
    )
    history = (
        StepChange.objects.select_related("court", "changed_by", "verification__verified_by")
        .annotate(corrected_by=Subquery(StepChange.objects.filter(corrects=OuterRef("pk")).values("pk")[:1]))
        .order_by("-changed_at", "-id")
    )
    reminders = Reminder.objects.select_related("link__court").order_by("-due_on", "-id")
    return (
        attorneys_visible_to(user)
        .select_related("user")
        .prefetch_related(
            Prefetch("links", queryset=links),
            Prefetch("history", queryset=history),
            Prefetch("reminders", queryset=reminders),
        )
        .get(pk=attorney_id)
    )


def court_list(*, today=None):
    """Every court with the firm's active e-filers there, how many cannot file, and how many are done."""
    today = today or clock.today()
    links = CourtLink.objects.with_status(today).filter(attorney__is_active=True)
    return Court.objects.annotate(
        live_since_date=live_since_expression(via=""),
        efilers=count_per(links.filter(efiling_account=True), "court"),
        blocked=count_per(links.cannot_file(today), "court"),
        complete=count_per(links.filter(status=LinkStatus.COMPLETE), "court"),
    )


def court_detail(*, court_id: str, today=None):
    today = today or clock.today()
    court = Court.objects.get(court_id=court_id)
    links = (
        CourtLink.objects.with_status(today)
        .filter(court=court)
        .select_related("attorney", "court")
        .order_by("status_rank", "attorney__name", "pk")
    )
    history = StepChange.objects.filter(court=court, link=None).select_related("changed_by").order_by("-changed_at")
    return court, links, status_counts(links.filter(attorney__is_active=True)), history


def history_list():
    """Every history entry, newest first, with who corrected it (one query per page)."""
    return (
        StepChange.objects.select_related("attorney", "court", "verification")
        .annotate(corrected_by=Subquery(StepChange.objects.filter(corrects=OuterRef("pk")).values("pk")[:1]))
        .order_by("-changed_at", "-id")
    )


def verification_queue():
    """What waits for a person's check (an attorney's own confirmation, names that differ)."""
    return awaiting_verification().select_related("attorney", "court", "link").order_by("changed_at", "id")


def unverified_links(links) -> int:
    """Of these pairs, how many count a link that waits for a check (self-reported, names differ)."""
    return awaiting_verification().filter(step=Step.LINKED, link__in=links.values("pk")).count()
