"""The roster import with the campaigns' columns: attorneys, pairs and campaign steps, all or nothing.

attorneys.roster reads and applies attorneys and pairs; this layer adds each campaign step that
names a ``roster_column`` (e.g. PACER MFA's ``mfa_enrolled_on``, ``authenticator_holders``):
the cell is cleaned by the step's own rule (campaigns.values), what each step needs is checked in
the campaign's order against what the attorney already has plus what the file gives (a file may
give the email confirmation and the enrollment on one row), and everything is written in one
transaction. A problem anywhere refuses the whole file, with ``row N, column: what``.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from attorneys.models import CourtLink
from attorneys.roster import COLUMNS as BASE_COLUMNS
from attorneys.roster import Plan, RosterError, apply, decode, parse, plan
from attorneys.roster.planning import attorneys_by_email
from attorneys.roster.reading import Problems
from core import clock
from core.audit import Actor
from core.campaigns import Campaign, StepDef, StepKind
from courts.models import Court

from . import registry, subjects, values
from .models import Progress
from .services import _shown, progress_record_planned, unchanged

DATE_FORMATS = ("%Y-%m-%d", "%m/%d/%Y")


def columns() -> dict[str, tuple[Campaign, StepDef]]:
    """Every campaign step a roster may give, by column name (per attorney: on the attorney's first
    row; per attorney and court: on the row of that court)."""
    return {
        step.roster_column: (campaign, step)
        for campaign in registry.progress_campaigns()
        for step in campaign.steps
        if step.roster_column
    }


def all_columns() -> tuple[str, ...]:
    return (*BASE_COLUMNS, *columns())


def parse_day(text: str) -> datetime.date:
    for pattern in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text.strip(), pattern).date()
        except ValueError:
            continue
    raise ValidationError(f"{text!r} is not a date (write it 2025-06-01)")


def _cleaner(step: StepDef, today: datetime.date):
    def clean(text: str):
        if step.kind in (StepKind.DATE, StepKind.EVENT):
            return values.clean_date(parse_day(text), earliest=None, today=today)
        if step.kind == StepKind.NAMES:
            return values.clean_names(text, max_items=step.max_items)
        if step.kind == StepKind.PLACE:
            return values.clean_place(text)
        return values.clean_choice(text, step.choices)

    return clean


def _items(row, today: datetime.date, campaigns=None):
    """(campaign, step, done_on, value) the row gives, in each campaign's step order."""
    given = []
    for campaign in registry.attorney_campaigns() if campaigns is None else campaigns:
        for step in campaign.steps:
            if step.roster_column and step.roster_column in row.extra:
                cell = row.extra[step.roster_column]
                if step.kind == StepKind.DATE:
                    given.append((campaign, step, cell, None))
                else:
                    given.append((campaign, step, today, cell))
    return given


def plan_steps(rows, today: datetime.date) -> tuple[dict[str, list[tuple]], list[tuple]]:
    """Per campaign, ``(email, step key, done_on, value)`` to record; the plan's ``campaign_changes``
    rows; or RosterError listing every step whose prerequisite the file and the records lack."""
    firsts = {}
    for row in rows:
        firsts.setdefault(row.email, row)
    with_steps = {email: row for email, row in firsts.items() if row.extra}
    existing = attorneys_by_email(with_steps)
    progress = {}
    ids = [a.pk for a in existing.values()]
    for start in range(0, len(ids), 1000):
        for item in Progress.objects.filter(attorney_id__in=ids[start : start + 1000], court=None):
            progress[(item.campaign, item.attorney_id, item.step)] = item
    dates = {campaign.slug: subjects.dates(campaign) for campaign in registry.attorney_campaigns()}
    problems = Problems()
    writes: dict[str, list[tuple]] = {}
    changes: list[tuple] = []
    for email, row in with_steps.items():
        attorney = existing.get(email)
        states = {}
        for campaign, step, done_on, value in _items(row, today):
            when = dates[campaign.slug]
            if campaign.slug not in states:
                held_rows = [
                    held
                    for s in campaign.steps
                    if attorney is not None and (held := progress.get((campaign.slug, attorney.pk, s.key)))
                ]
                states[campaign.slug] = subjects.state_from(campaign, held_rows, when=when, in_scope=True)
            state = states[campaign.slug]
            where = f"row {row.number}, {step.roster_column}"
            if not step.needs.holds(state, today):
                problems.add(
                    f"{where}: “{step.label}” needs {step.needs_text} first (in the file or on the attorney's page)"
                )
                continue
            earliest = getattr(when, step.earliest) if step.earliest else None
            if step.kind == StepKind.DATE and earliest and done_on < earliest:
                problems.add(
                    f"{where}: {done_on.isoformat()} is before {earliest.isoformat()}, when it became possible"
                )
                continue
            held = progress.get((campaign.slug, attorney.pk, step.key)) if attorney else None
            if held is not None and unchanged(step, held, on=None, done_on=done_on, value=value):
                continue  # already so
            if held is not None and step.kind != StepKind.DATE:
                done_on = today
            setattr(state, subjects.on(step.key), done_on)
            if step.kind != StepKind.DATE:
                setattr(state, subjects.value(step.key), value)
            writes.setdefault(campaign.slug, []).append((email, step.key, done_on, value))
            old = _shown(step, held.done_on, held.value) if held else ""
            changes.append((email, f"{campaign.name}: {step.label}", old, _shown(step, done_on, value)))
    plan_pair_steps(rows, today, problems=problems, writes=writes, changes=changes)
    problems.raise_if_any()
    return writes, changes


def plan_pair_steps(rows, today: datetime.date, *, problems: Problems, writes: dict, changes: list) -> None:
    """The columns of campaigns per attorney and court, from the row of each court: ``writes`` gets
    ``(email, step key, done_on, value, court_id)``; a step whose prerequisite is missing, or a court
    where the row gives no e-filing account, is a problem of that row."""
    campaigns = registry.pair_campaigns()
    with_steps = [row for row in rows if row.extra and _items(row, today, campaigns)]
    if not with_steps:
        return
    existing = attorneys_by_email({row.email for row in with_steps})
    courts = dict(Court.objects.filter(court_id__in={row.court_id for row in with_steps}).values_list("court_id", "pk"))
    progress = {}
    ids = [a.pk for a in existing.values()]
    for start in range(0, len(ids), 1000):
        rows_held = Progress.objects.filter(attorney_id__in=ids[start : start + 1000], court__isnull=False)
        for item in rows_held:
            progress[(item.campaign, item.attorney_id, item.court_id, item.step)] = item
    links = {
        (a, c): e
        for a, c, e in CourtLink.objects.filter(
            attorney__in=existing.values(), court_id__in=courts.values()
        ).values_list("attorney_id", "court_id", "efiling_account")
    }
    dates = {campaign.slug: subjects.dates(campaign) for campaign in campaigns}
    for row in with_steps:
        attorney = existing.get(row.email)
        court_pk = courts.get(row.court_id)
        has_account = row.pair.get("efiling_account")
        if has_account is None:
            has_account = links.get((attorney.pk, court_pk), True) if attorney and court_pk else True
        states = {}
        for campaign, step, done_on, value in _items(row, today, campaigns):
            where = f"row {row.number}, {step.roster_column}"
            if not has_account:
                problems.add(f"{where}: no e-filing account in {row.court_id} on this row")
                continue
            if campaign.listed_courts_only and campaign.fact(row.court_id) is None:
                problems.add(f"{where}: {campaign.name} is not about {row.court_id}")
                continue
            when = dates[campaign.slug]
            if campaign.slug not in states:
                held_rows = [
                    held
                    for s in campaign.steps
                    if attorney is not None and (held := progress.get((campaign.slug, attorney.pk, court_pk, s.key)))
                ]
                states[campaign.slug] = subjects.state_from(campaign, held_rows, when=when, in_scope=True)
            state = states[campaign.slug]
            if not step.needs.holds(state, today):
                problems.add(
                    f"{where}: “{step.label}” needs {step.needs_text} first (in the file or on the attorney's page)"
                )
                continue
            held = progress.get((campaign.slug, attorney.pk, court_pk, step.key)) if attorney else None
            if held is not None and unchanged(step, held, on=None, done_on=done_on, value=value):
                continue
            setattr(state, subjects.on(step.key), done_on)
            writes.setdefault(campaign.slug, []).append((row.email, step.key, done_on, value, row.court_id))
            old = _shown(step, held.done_on, held.value) if held else ""
            changes.append(
                (row.email, f"{campaign.name} in {row.court_id}: {step.label}", old, _shown(step, done_on, value))
            )


def preview(data: bytes) -> Plan:
    """Read, check and plan a roster file with its campaign columns; nothing is written."""
    today = clock.today()
    extra = {column: _cleaner(step, today) for column, (_, step) in columns().items()}
    per_pair = frozenset(column for column, (campaign, _) in columns().items() if campaign.per_court)
    rows = parse(decode(data), extra=extra, per_pair=per_pair)
    planned = plan(rows)
    planned.campaign_writes, planned.campaign_changes = plan_steps(rows, today)
    return planned


def roster_import(data: bytes, *, filename: str, actor: Actor, dry_run: bool = False) -> Plan:
    """Read, check, plan and (unless ``dry_run``) apply a roster file. RosterError lists every problem."""
    planned = preview(data)
    if not dry_run:
        apply_with_steps(planned, actor=actor, filename=filename)
    return planned


def apply_with_steps(planned: Plan, *, actor: Actor, filename: str) -> Plan:
    """Attorneys and pairs (attorneys.roster.apply), then the campaign steps, in one transaction."""
    with transaction.atomic():
        apply(planned, actor=actor, filename=filename)
        writes = planned.campaign_writes
        emails = {email for items in writes.values() for email, *_ in items}
        ids = {email: attorney.pk for email, attorney in attorneys_by_email(emails).items()}
        for campaign in registry.attorney_campaigns():
            items = [(ids[email], key, done_on, value) for email, key, done_on, value in writes.get(campaign.slug, [])]
            progress_record_planned(campaign=campaign, items=items, actor=actor, note=f"roster import {filename}")
        pair_writes = [item for campaign in registry.pair_campaigns() for item in writes.get(campaign.slug, [])]
        courts = dict(Court.objects.filter(court_id__in={i[4] for i in pair_writes}).values_list("court_id", "pk"))
        for campaign in registry.pair_campaigns():
            items = [
                (ids[email], key, done_on, value, courts[court_id])
                for email, key, done_on, value, court_id in writes.get(campaign.slug, [])
            ]
            progress_record_planned(campaign=campaign, items=items, actor=actor, note=f"roster import {filename}")
    return planned


__all__ = ["RosterError", "all_columns", "apply_with_steps", "columns", "preview", "roster_import"]
