"""Reads shaped for the pages, with row-level permission applied here, never in templates."""

import dataclasses
import datetime
import json
from collections import Counter

from django.db import connection
from django.db.models import BooleanField, Case, Count, IntegerField, OuterRef, Prefetch, Q, Subquery, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce

from attorneys import versioning
from attorneys.choices import Step
from attorneys.models import Attorney, CourtLink, StepChange
from attorneys.services.steps import awaiting_verification
from attorneys.status import (
    BLOCKING,
    NOT_READY,
    LinkStatus,
    cannot_file_condition,
    court_is_live,
    live_since_expression,
)
from core import clock
from core.dbsettings import statement_settings
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


CHART_DAYS, CHART_STEP = 180, 7
GROUPING_WORK_MEM = "32MB"  # the overview's grouped count, for a hash table of its groups


@dataclasses.dataclass
class Overview:
    """Everything the overview counts, from one grouped pass over the pairs (see ``overview``)."""

    counts: dict  # status -> pairs
    cannot_file_total: int
    progress: list  # CourtProgress, most blocked first
    upcoming: list  # courts going live in the next 90 days: e-filers, not ready
    points: list  # readiness over time, weekly
    blocked_courts: list  # court pks, in go-live order, holding the first pairs that cannot file

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def _week_of(day_field: str, start: datetime.date, weeks: int) -> Case:
    """The first weekly point of the chart on or after the day (0 = at the start or before it; ``weeks + 1``
    = after the last point; -1 = no day): the chart's cumulative counts come from the same grouped pass."""
    return Case(
        When(**{f"{day_field}__isnull": True}, then=Value(-1)),
        *(
            When(**{f"{day_field}__lte": start + datetime.timedelta(days=CHART_STEP * k)}, then=Value(k))
            for k in range(weeks + 1)
        ),
        default=Value(weeks + 1),
        output_field=IntegerField(),
    )


def overview(links, today: datetime.date, *, upcoming_days: int = 90, listed: int = 50) -> Overview:
    """The overview's counts in one grouped query over the pairs (their ``status`` annotation, the one
    derivation), pivoted here with the courts' own dates (one small query): the status cards, "cannot
    file" (a blocking status in a live court, as ``cannot_file_condition``), the per-court bars, the
    cutovers ahead and the weekly readiness chart."""
    start = today - datetime.timedelta(days=CHART_DAYS)
    weeks = CHART_DAYS // CHART_STEP
    grouped = (
        links.order_by()
        .alias(access_on=Coalesce("linked_on", "registered_on"))
        .annotate(
            not_ready=Case(When(NOT_READY, then=Value(True)), default=Value(False), output_field=BooleanField()),
            access_week=_week_of("access_on", start, weeks),
        )
        .values("court_id", "status", "efiling_account", "not_ready", "access_week")
        .annotate(n=Count("pk"))
    )
    # PostgreSQL cannot tell how few groups there are (a few per court): with room for a hash
    # table of them it counts in one pass instead of sorting every pair (~2x faster at 200,000).
    with statement_settings(work_mem=GROUPING_WORK_MEM):
        rows = list(grouped)
    courts = {
        court["pk"]: court
        for court in Court.objects.filter(pk__in={row["court_id"] for row in rows}).values(
            "pk", "court_id", "name", "nextgen_go_live", "live_by"
        )
    }
    counts = dict.fromkeys(LinkStatus.values, 0)
    per_court: dict[int, CourtProgress] = {}
    upcoming: dict[int, dict] = {}
    live_on: Counter = Counter()
    access: Counter = Counter()
    blocked_in: Counter = Counter()
    horizon = today + datetime.timedelta(days=upcoming_days)
    for row in rows:
        court = courts[row["court_id"]]
        go_live, live_by = court["nextgen_go_live"], court["live_by"]
        live = court_is_live(go_live, live_by, today)
        n, status = row["n"], row["status"]
        counts[status] += n
        progress = per_court.setdefault(
            court["pk"],
            CourtProgress(
                court={
                    "court_id": court["court_id"],
                    "name": court["name"],
                    "go_live": go_live,
                    "live_by": live_by,
                    "live": live,
                },
                counts=Counter(),
            ),
        )
        progress.counts[status] += n
        if live and status in BLOCKING:
            blocked_in[court["pk"]] += n
        if not row["efiling_account"]:
            continue
        if go_live is not None and today < go_live <= horizon:
            entry = upcoming.setdefault(
                court["pk"],
                {
                    "court__court_id": court["court_id"],
                    "court__name": court["name"],
                    "court__nextgen_go_live": go_live,
                    "efilers": 0,
                    "not_ready": 0,
                },
            )
            entry["efilers"] += n
            entry["not_ready"] += n if row["not_ready"] else 0
        since = go_live or live_by
        if since is not None:
            live_on[since] += n
            if row["access_week"] >= 0:
                access[row["access_week"]] += n
    points = []
    for k in range(weeks + 1):
        day = start + datetime.timedelta(days=CHART_STEP * k)
        live = sum(n for date, n in live_on.items() if date <= day)
        linked = sum(n for week, n in access.items() if week <= k)
        points.append({"day": day, "live": live, "with_access": linked, "without_access": live - linked})
    # The first ``listed`` pairs that cannot file, by go-live: the courts that hold them (ties included).
    order = sorted(blocked_in, key=lambda pk: (courts[pk]["nextgen_go_live"] or courts[pk]["live_by"], pk))
    chosen, covered, last = [], 0, None
    for pk in order:
        since = courts[pk]["nextgen_go_live"] or courts[pk]["live_by"]
        if covered >= listed and since != last:
            break
        chosen.append(pk)
        covered += blocked_in[pk]
        last = since
    return Overview(
        counts=counts,
        cannot_file_total=sum(blocked_in.values()),
        progress=sorted(per_court.values(), key=lambda p: (-p.blocked, -p.applicable, p.court["court_id"])),
        upcoming=sorted(upcoming.values(), key=lambda u: (u["court__nextgen_go_live"], u["court__court_id"])),
        points=points,
        blocked_courts=chosen,
    )


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


def court_counts(today: datetime.date) -> dict[int, dict[str, int]]:
    """Per court (pk): the firm's active e-filers there, how many cannot file, how many are done;
    one grouped query, computed once per data version (``attorneys.versioning``)."""

    def compute():
        links = CourtLink.objects.with_status(today).filter(attorney__is_active=True)
        rows = (
            links.order_by()
            .values("court_id")
            .annotate(
                efilers=Count("pk", filter=Q(efiling_account=True)),
                blocked=Count("pk", filter=cannot_file_condition(today)),
                complete=Count("pk", filter=Q(status=LinkStatus.COMPLETE)),
            )
        )
        return {row.pop("court_id"): row for row in rows}

    return versioning.cached(f"court-counts:{today}", compute)


def _constant_per_court(counts: dict, field: str):
    """A court's count as a value of its row (sortable and filterable in SQL), from ``court_counts``:
    read from one JSON parameter ({court pk: count}), whatever the number of courts."""
    values = json.dumps({str(pk): row[field] for pk, row in counts.items() if row[field]})
    court = f'"{Court._meta.db_table}"."id"'
    if connection.vendor == "postgresql":
        sql = f"COALESCE((%s::jsonb ->> {court}::text)::integer, 0)"
    else:  # SQLite (``make run``)
        sql = f"""COALESCE(json_extract(%s, '$."' || {court} || '"'), 0)"""
    return RawSQL(sql, [values], output_field=IntegerField())


def court_list(*, today=None):
    """Every court with the firm's active e-filers there, how many cannot file, and how many are done."""
    today = today or clock.today()
    counts = court_counts(today)
    return Court.objects.annotate(
        live_since_date=live_since_expression(via=""),
        efilers=_constant_per_court(counts, "efilers"),
        blocked=_constant_per_court(counts, "blocked"),
        complete=_constant_per_court(counts, "complete"),
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
