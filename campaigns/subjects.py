"""The subjects of a campaign per attorney, with their status: derived here and nowhere else.

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
from django.db.models import BooleanField, Case, Exists, F, FilteredRelation, OuterRef, Q, Value, When

from attorneys.models import Attorney, CourtLink
from core import rules
from core.campaigns import Campaign, StepKind

from .models import CampaignSettings, Progress


@dataclasses.dataclass(frozen=True)
class Dates:
    deadline: datetime.date | None
    starts_on: datetime.date | None
    scope: str
    reminders_on: bool
    message: str


def dates(campaign: Campaign) -> Dates:
    """The campaign's dates and scope: the firm's settings where it set them, else the definition's."""
    row = CampaignSettings.objects.filter(campaign=campaign.slug).first()
    return Dates(
        deadline=(row and row.deadline) or campaign.deadline,
        starts_on=(row and row.starts_on) or campaign.starts_on,
        scope=row.scope if row else CampaignSettings.Scope.FILERS,
        reminders_on=row.reminders_on if row else True,
        message=row.message if row else "",
    )


def on(step: str) -> str:
    return f"p_{step}_on"


def value(step: str) -> str:
    return f"p_{step}_value"


def _joined(step: str) -> str:
    return f"progress_{step}"


def relations(campaign: Campaign) -> dict:
    """One LEFT JOIN per step on the step's own progress row (at most one: a unique constraint), so
    that every rule reads plain columns: PostgreSQL computes each once per attorney, where a
    correlated subquery would run again for every rule that names the step."""
    return {
        _joined(step.key): FilteredRelation(
            "progress", condition=Q(progress__campaign=campaign.slug, progress__court=None, progress__step=step.key)
        )
        for step in campaign.steps
    }


def annotations(campaign: Campaign, when: Dates) -> dict:
    found = {}
    for step in campaign.steps:
        found[on(step.key)] = F(f"{_joined(step.key)}__done_on")
        if step.kind != StepKind.DATE:
            found[value(step.key)] = F(f"{_joined(step.key)}__value")
    found["deadline"] = Value(when.deadline, output_field=models.DateField())
    found["starts_on"] = Value(when.starts_on, output_field=models.DateField())
    found["in_scope"] = (
        Value(True, output_field=BooleanField())
        if when.scope == CampaignSettings.Scope.ALL
        else Exists(CourtLink.objects.filter(attorney=OuterRef("pk"), efiling_account=True))
    )
    return found


def annotated(campaign: Campaign, attorneys, when: Dates):
    """``attorneys`` (a queryset) annotated with the campaign's values: the names the rules read."""
    return attorneys.annotate(**relations(campaign)).annotate(**annotations(campaign, when))


def subjects(campaign: Campaign, today: datetime.date, *, when: Dates | None = None):
    """Every active attorney, annotated with the campaign's values, ``status`` and ``blocked``."""
    when = when or dates(campaign)
    return (
        annotated(campaign, Attorney.objects.filter(is_active=True), when)
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


def state(campaign: Campaign, attorney, *, when: Dates | None = None) -> SimpleNamespace:
    """The same names as ``annotations``, for one attorney in memory (two queries)."""
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
