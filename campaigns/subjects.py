"""The subjects of a campaign, with their status: derived here and nowhere else.

A campaign per attorney has attorneys as subjects; one per attorney and court has the firm's
pairs (attorneys.CourtLink) with an e-filing account, in the campaign's courts or in every court;
each pair reads its own progress rows (those with its court) and its court's facts: the date
(the definition's, or the firm's correction in ``CourtDate``) and whether the campaign knows
the court at all (``court_known``).

SQL: ``subjects(campaign, today)`` annotates attorneys with each step's date and value (one
LEFT JOIN per step on its progress row, by the ``progress_step_idx`` index), the campaign's dates, whether the attorney
is in scope, then ``status`` (the campaign's rules as a CASE) and ``blocked``. Filters, counts,
tables, exports and reminders all read these annotations.

Python: ``state(campaign, attorney, today)`` gathers the same names for one attorney in memory,
and ``status_of`` applies the same rules to it. Tests generate data and check the two agree.
"""

import dataclasses
import datetime
from types import SimpleNamespace

from django.db import models
from django.db.models import BooleanField, Case, Exists, F, FilteredRelation, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce

from attorneys.models import Attorney, CourtLink
from core import rules
from core.campaigns import Campaign, StepKind

from .models import CampaignSettings, CourtDate, Progress


@dataclasses.dataclass(frozen=True)
class Dates:
    deadline: datetime.date | None
    starts_on: datetime.date | None
    scope: str
    reminders_on: bool
    message: str


def dates(campaign: Campaign, *, settings_rows: dict | None = None) -> Dates:
    """The campaign's dates and scope: the firm's settings where it set them, else the definition's.
    ``settings_rows`` (from ``all_settings``) saves the query when a page shows every campaign."""
    if settings_rows is None:
        row = CampaignSettings.objects.filter(campaign=campaign.slug).first()
    else:
        row = settings_rows.get(campaign.slug)
    return Dates(
        deadline=(row and row.deadline) or campaign.deadline,
        starts_on=(row and row.starts_on) or campaign.starts_on,
        scope=row.scope if row else CampaignSettings.Scope.FILERS,
        reminders_on=row.reminders_on if row else True,
        message=row.message if row else "",
    )


def all_settings() -> dict:
    """Every campaign's settings row by slug (one query)."""
    return {row.campaign: row for row in CampaignSettings.objects.all()}


def on(step: str) -> str:
    return f"p_{step}_on"


def value(step: str) -> str:
    return f"p_{step}_value"


def not_done_since(event: str, follow_up: str) -> rules.Condition:
    """The step ``event`` is recorded and ``follow_up`` has not been recorded since (never, or
    before it): someone left and what their leaving calls for is still to do."""
    return rules.All(
        rules.IsSet(on(event)),
        rules.Any(rules.Not(rules.IsSet(on(follow_up))), rules.Later(on(event), on(follow_up))),
    )


def _joined(step: str) -> str:
    return f"progress_{step}"


def relations(campaign: Campaign) -> dict:
    """One LEFT JOIN per step on the step's own progress row (at most one: a unique constraint), so
    that every rule reads plain columns: PostgreSQL computes each once per attorney, where a
    correlated subquery would run again for every rule that names the step."""
    if campaign.per_court:
        return {
            _joined(step.key): FilteredRelation(
                "attorney__progress",
                condition=Q(
                    attorney__progress__campaign=campaign.slug,
                    attorney__progress__court=F("court"),
                    attorney__progress__step=step.key,
                ),
            )
            for step in campaign.steps
        }
    return {
        _joined(step.key): FilteredRelation(
            "progress", condition=Q(progress__campaign=campaign.slug, progress__court=None, progress__step=step.key)
        )
        for step in campaign.steps
    }


def _court_date_sql(campaign: Campaign):
    corrected = CourtDate.objects.filter(campaign=campaign.slug, court=OuterRef("court")).values("date")[:1]
    defined = [When(court__court_id=fact.court, then=Value(fact.date)) for fact in campaign.court_facts if fact.date]
    default = Case(*defined, default=None, output_field=models.DateField()) if defined else Value(None)
    return Coalesce(Subquery(corrected, output_field=models.DateField()), default, output_field=models.DateField())


def _pair_annotations(campaign: Campaign, when: Dates) -> dict:
    known = [fact.court for fact in campaign.court_facts]
    return {
        "court_date": _court_date_sql(campaign),
        "court_known": Case(
            When(court__court_id__in=known, then=Value(True)), default=Value(False), output_field=BooleanField()
        ),
        "in_scope": Value(True, output_field=BooleanField()),
    }


def annotations(campaign: Campaign, when: Dates) -> dict:
    found = {}
    for step in campaign.steps:
        found[on(step.key)] = F(f"{_joined(step.key)}__done_on")
        if step.kind != StepKind.DATE:
            found[value(step.key)] = F(f"{_joined(step.key)}__value")
    found["starts_on"] = Value(when.starts_on, output_field=models.DateField())
    if campaign.per_court:
        return {**found, **_pair_annotations(campaign, when)}
    found["deadline"] = Value(when.deadline, output_field=models.DateField())
    found["in_scope"] = (
        Value(True, output_field=BooleanField())
        if when.scope == CampaignSettings.Scope.ALL
        else Exists(CourtLink.objects.filter(attorney=OuterRef("pk"), efiling_account=True))
    )
    return found


def annotated(campaign: Campaign, queryset, when: Dates):
    """``queryset`` (attorneys, or pairs for a campaign per attorney and court) annotated with the
    campaign's values: the names the rules read."""
    queryset = queryset.annotate(**relations(campaign)).annotate(**annotations(campaign, when))
    if campaign.per_court:
        # Each pair's own date: its court's (a cutover) or one computed from its steps (a renewal due).
        deadline = (
            F(campaign.subject_date) if campaign.subject_date else Value(when.deadline, output_field=models.DateField())
        )
        queryset = queryset.annotate(deadline=deadline)
    return queryset


def pairs(campaign: Campaign):
    """The pairs a campaign per attorney and court is about: active attorneys' e-filing accounts, in
    the campaign's courts when it lists them only."""
    found = CourtLink.objects.filter(attorney__is_active=True, efiling_account=True)
    if campaign.listed_courts_only:
        found = found.filter(court__court_id__in=[f.court for f in campaign.court_facts if f.in_directory])
    return found


def subjects(campaign: Campaign, today: datetime.date, *, when: Dates | None = None):
    """Every active attorney (or pair), annotated with the campaign's values, ``status`` and ``blocked``."""
    when = when or dates(campaign)
    base = pairs(campaign) if campaign.per_court else Attorney.objects.filter(is_active=True)
    return (
        annotated(campaign, base, when)
        .annotate(status=rules.case(campaign.rules, today, default=campaign.default_status))
        .annotate(
            blocked=Case(
                When(Q(status__in=campaign.blocking), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
        )
    )


def state_from(campaign: Campaign, rows, *, when: Dates, in_scope: bool) -> SimpleNamespace:
    """The names of ``annotations`` in memory, from an attorney's ``Progress`` rows of the campaign."""
    found = {on(step.key): None for step in campaign.steps}
    found.update({value(step.key): None for step in campaign.steps if step.kind != StepKind.DATE})
    for row in rows:
        if on(row.step) in found:
            found[on(row.step)] = row.done_on
        if value(row.step) in found:
            found[value(row.step)] = row.value
    return SimpleNamespace(**found, deadline=when.deadline, starts_on=when.starts_on, in_scope=in_scope)


def court_date(campaign: Campaign, court) -> datetime.date | None:
    """The campaign's date in one court: the firm's correction, else the definition's."""
    corrected = CourtDate.objects.filter(campaign=campaign.slug, court=court).values_list("date", flat=True).first()
    if corrected is not None:
        return corrected
    fact = campaign.fact(court.court_id)
    return fact.date if fact else None


def pair_state_from(campaign: Campaign, rows, *, when: Dates, court, court_day) -> SimpleNamespace:
    """The names of ``annotations`` for one pair in memory, from its ``Progress`` rows (with its court)."""
    found = state_from(campaign, rows, when=when, in_scope=True)
    found.court_date = court_day
    found.court_known = campaign.fact(court.court_id) is not None
    found.deadline = getattr(found, campaign.subject_date) if campaign.subject_date else when.deadline
    return found


def pair_state(campaign: Campaign, attorney, court, *, when: Dates | None = None) -> SimpleNamespace:
    """The same names as ``annotations``, for one pair in memory (two queries)."""
    when = when or dates(campaign)
    rows = Progress.objects.filter(campaign=campaign.slug, attorney=attorney, court=court)
    return pair_state_from(campaign, rows, when=when, court=court, court_day=court_date(campaign, court))


def state(campaign: Campaign, attorney, *, when: Dates | None = None, court=None) -> SimpleNamespace:
    """The same names as ``annotations``, for one attorney (or, with ``court``, one pair) in memory."""
    if campaign.per_court:
        return pair_state(campaign, attorney, court, when=when)
    when = when or dates(campaign)
    in_scope = (
        when.scope == CampaignSettings.Scope.ALL
        or CourtLink.objects.filter(attorney=attorney, efiling_account=True).exists()
    )
    rows = Progress.objects.filter(campaign=campaign.slug, attorney=attorney, court=None)
    return state_from(campaign, rows, when=when, in_scope=in_scope)


def status_of(campaign: Campaign, subject, today: datetime.date) -> str:
    """Python form of the ``status`` annotation, for a ``state`` (or an annotated row)."""
    return rules.first(campaign.rules, subject, today, default=campaign.default_status)


@dataclasses.dataclass
class ChecklistStep:
    step: object  # core.campaigns.StepDef
    done_on: datetime.date | None
    value: str | None
    applies: bool
    ready: bool  # what it needs holds: it can be recorded now

    @property
    def done(self) -> bool:
        return self.done_on is not None or bool(self.value)


def checklist(campaign: Campaign, subject, today: datetime.date) -> list[ChecklistStep]:
    """The steps in order, for one subject (a ``state`` or an annotated row): done, applicable, ready."""
    return [
        ChecklistStep(
            step=step,
            done_on=getattr(subject, on(step.key)),
            value=getattr(subject, value(step.key), None),
            applies=step.applies.holds(subject, today),
            ready=step.needs.holds(subject, today),
        )
        for step in campaign.steps
    ]
