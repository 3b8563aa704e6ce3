"""Writes on courts: go-live corrections, directory loads and feed refreshes, each in the history.

They live beside the attorneys because the history does: a court's go-live date decides
every pair's status there, so its changes are read with the steps of those pairs.
"""

import collections
import dataclasses
import datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from core import clock
from core.audit import Actor
from core.exceptions import StepRefused
from courts import directory
from courts.feed import Feed, FeedCourt
from courts.models import DIRECTORY_CORRECTED, Court, GoLiveSourceKind

from ..choices import Step
from ..models import CourtLink, StepChange
from ..status import BLOCKING, blocks_filing, court_is_live, link_status
from .history import history_add, history_add_many, history_row


@dataclasses.dataclass
class GoLiveImpact:
    """What a new go-live date would change for the firm, before it is saved."""

    court: Court
    go_live: datetime.date | None
    changes: collections.Counter  # (old status, new status) -> pairs
    leave_cannot_file: list  # pairs that would no longer count as unable to file
    join_cannot_file: list
    access_before: list  # pairs with a link or registration dated before the new date

    @property
    def change_list(self) -> list[tuple[tuple[str, str], int]]:
        """((old status, new status), pairs), most pairs first (a template cannot index a Counter)."""
        return self.changes.most_common()

    @property
    def pairs_changing(self) -> int:
        return sum(self.changes.values())

    @property
    def needs_confirmation(self) -> bool:
        return bool(self.changes or self.access_before)


def go_live_impact(*, court_id: str, go_live: datetime.date | None, today: datetime.date) -> GoLiveImpact:
    """Every pair of the court, its status now and with the new date (one query)."""
    court = Court.objects.get(court_id=court_id)
    changes, leave, join, before = collections.Counter(), [], [], []
    links = CourtLink.objects.filter(court=court, attorney__is_active=True).select_related("attorney", "court")
    for link in links.order_by("attorney__name", "pk"):
        now = link_status(link, today)
        link.court.nextgen_go_live = go_live
        then = link_status(link, today)
        link.court.nextgen_go_live = court.nextgen_go_live
        if now != then:
            changes[(now, then)] += 1
        was = blocks_filing(now, court, today)
        will = then in BLOCKING and court_is_live(go_live, court.live_by, today)
        if was and not will:
            leave.append(link)
        if will and not was:
            join.append(link)
        access = link.linked_on or link.registered_on
        if access and go_live and access < go_live:
            before.append(link)
    return GoLiveImpact(court, go_live, changes, leave, join, before)


def court_set_go_live(
    *,
    court_id: str,
    go_live: datetime.date | None,
    actor: Actor,
    note: str,
    source_url: str = "",
    confirmed: bool = False,
) -> bool:
    """An administrator corrects a court's go-live date. Returns False when nothing changed.

    A change that moves pairs to another status, or leaves links dated before the new go-live,
    needs ``confirmed`` (the page shows ``go_live_impact`` first): a court with recorded links
    cannot silently move into the future."""
    if not note.strip():
        raise StepRefused("Say where the corrected date comes from (a court notice, a phone call...).")
    with transaction.atomic():
        court = Court.objects.select_for_update().get(court_id=court_id)
        if court.nextgen_go_live == go_live:
            return False
        if not confirmed:
            impact = go_live_impact(court_id=court_id, go_live=go_live, today=clock.today())
            if impact.needs_confirmation:
                raise StepRefused(
                    f"This date changes {impact.pairs_changing} pair(s) and leaves {len(impact.access_before)} "
                    "link(s) dated before it: confirm it on the court's page, after reading the impact."
                )
        old = court.nextgen_go_live
        court.nextgen_go_live = go_live
        court.go_live_source_kind = GoLiveSourceKind.ADMINISTRATOR
        court.go_live_source_url = source_url
        court.go_live_source_note = f"Corrected by {actor.label}: {note.strip()}"
        court.save(
            update_fields=[
                "nextgen_go_live",
                "go_live_source_kind",
                "go_live_source_url",
                "go_live_source_note",
                "updated_at",
            ]
        )
        history_add(actor=actor, step=Step.GO_LIVE, old=old, new=go_live, note=note.strip(), court=court)
    return True


# Court fields whose changes are written to the history, as which step (the rest is provenance).
STEP_OF_COURT_FIELD = {
    "nextgen_go_live": Step.GO_LIVE,
    "live_by": Step.LIVE_BY,
    **dict.fromkeys(
        (
            "name",
            "court_type",
            "state",
            "ecf_url",
            "web_url",
            "help_desk_phone",
            "help_desk_email",
            "directory_software_version",
            "notes",
        ),
        Step.COURT_DETAIL,
    ),
}
DIRECTORY_FIELDS = tuple(field for field, step in STEP_OF_COURT_FIELD.items() if step == Step.COURT_DETAIL)


def court_history(*, actor: Actor, court: Court, changes: dict, note: str) -> list[StepChange]:
    """History rows for ``changes`` ({field: (old, new)}) of a court; provenance fields are not steps."""
    rows = []
    for field, (old, new) in changes.items():
        step = STEP_OF_COURT_FIELD.get(field)
        if step is None:
            continue
        label = "" if step != Step.COURT_DETAIL else f"{Court._meta.get_field(field).verbose_name}; "
        rows.append(history_row(actor=actor, step=step, old=old, new=new, note=f"{label}{note}", court=court))
    return history_add_many(rows)


def court_add(*, court: Court, actor: Actor, note: str) -> Court:
    """A court added by hand (the Django admin), with its history row."""
    with transaction.atomic():
        court.save()
        history_add(actor=actor, step=Step.COURT_CREATED, old=None, new=court.name, note=note, court=court)
    return court


def court_directory_correct(*, court_id: str, actor: Actor, values: dict, note: str = "admin") -> dict:
    """An administrator corrects a court's directory facts (name, addresses...): in the history, and
    kept from then on when the directory is refreshed from PACER's feed. Returns what changed."""
    unknown = set(values) - set(DIRECTORY_FIELDS)
    if unknown:
        raise ValueError(f"not a directory fact: {', '.join(sorted(unknown))}")
    with transaction.atomic():
        court = Court.objects.select_for_update().get(court_id=court_id)
        changes = {field: (getattr(court, field), new) for field, new in values.items() if getattr(court, field) != new}
        if not changes:
            return {}
        for field, (_old, new) in changes.items():
            setattr(court, field, new)
        court.directory_source = DIRECTORY_CORRECTED
        court.save(update_fields=[*changes, "directory_source", "updated_at"])
        court_history(actor=actor, court=court, changes=changes, note=note)
    return changes


def court_directory_load(
    *,
    text: str | None,
    filename: str,
    actor: Actor,
    overwrite_corrections: bool = False,
    dry_run: bool = False,
) -> directory.ApplyResult:
    """Update courts from a directory CSV (``text``; None: the directory Firmlink ships), all or
    nothing. Unknown court ids are refused; every change of a court's facts is in the history."""
    if text is None:
        rows = directory.shipped_rows()
    else:
        rows = directory.parse_court_csv(text, known_ids=Court.objects.values_list("court_id", flat=True))
    with transaction.atomic():
        result = directory.apply_court_rows(
            Court, rows, overwrite_corrections=overwrite_corrections, source_label=f"Date from {filename}"
        )
        courts = Court.objects.in_bulk(list(result.updated), field_name="court_id")
        for court_id, changes in result.updated.items():
            court_history(actor=actor, court=courts[court_id], changes=changes, note=f"load_courts {filename}")
        if dry_run:
            transaction.set_rollback(True)
    return result


@dataclasses.dataclass
class RefreshResult:
    feed_date: datetime.date
    created: list[str] = dataclasses.field(default_factory=list)
    updated: dict[str, dict] = dataclasses.field(default_factory=dict)  # court_id -> {field: (old, new)}
    unchanged: int = 0
    kept_corrections: list[str] = dataclasses.field(default_factory=list)  # directory facts set by hand
    newer_facts: list[str] = dataclasses.field(default_factory=list)  # directory facts newer than the feed
    not_in_feed: list[str] = dataclasses.field(default_factory=list)
    skipped: list[tuple[str, str]] = dataclasses.field(default_factory=list)
    warnings: list[str] = dataclasses.field(default_factory=list)

    @property
    def bounds(self) -> int:
        return sum(1 for changes in self.updated.values() if "live_by" in changes)


def courts_refresh_from_feed(*, feed: Feed, filename: str, actor: Actor, dry_run: bool = False) -> RefreshResult:
    """Apply a downloaded copy of PACER's Court CM/ECF Lookup feed, all or nothing.

    Names, addresses, help-desk phones and software versions are taken when the feed is at
    least as new as the court's directory facts, and never over an administrator's correction.
    A NextGen software version sets or tightens the court's on-NextGen-by bound to the feed's
    date. New courts are added; none is ever deleted; go-live dates are never touched (the feed
    has none). Every change is in the history.
    """
    result = RefreshResult(feed_date=feed.updated, skipped=list(feed.skipped))
    source = f"PACER Court CM/ECF Lookup feed of {feed.updated.isoformat()} ({filename})"
    note = f"refresh_courts {filename} (feed of {feed.updated.isoformat()})"
    with transaction.atomic():
        existing = {court.court_id: court for court in Court.objects.select_for_update()}
        for entry in feed.courts:
            court = existing.get(entry.court_id)
            if court is None:
                _create_from_feed(entry, feed, source, actor, note, result)
                continue
            changes = _directory_changes(court, entry, feed, result)
            if entry.on_nextgen and (court.live_by is None or feed.updated < court.live_by):
                changes["live_by"] = (court.live_by, feed.updated)
                court.live_by_source, court.live_by_note = (
                    source,
                    f"bound(feed): software_version: {entry.software_version}",
                )
            _check_against_feed(court, entry, feed, result)
            as_of_moved = changes.pop("directory_as_of", None) is not None  # provenance, not a step
            if as_of_moved:
                court.directory_as_of = feed.updated
            for field, (_old, new) in changes.items():
                setattr(court, field, new)
            if changes or as_of_moved:
                court.save()
            if changes:
                result.updated[entry.court_id] = changes
                court_history(actor=actor, court=court, changes=changes, note=note)
            else:
                result.unchanged += 1
        result.not_in_feed = sorted(set(existing) - {entry.court_id for entry in feed.courts})
        if dry_run:
            transaction.set_rollback(True)
    return result


def _directory_changes(court: Court, entry: FeedCourt, feed: Feed, result: RefreshResult) -> dict:
    """What the feed would change of a court's name, addresses and version (empty cells change nothing)."""
    if court.directory_source == DIRECTORY_CORRECTED:
        result.kept_corrections.append(court.court_id)
        return {}
    if court.directory_as_of and feed.updated < court.directory_as_of:
        result.newer_facts.append(court.court_id)
        return {}
    values = {
        "name": entry.name,
        "court_type": entry.court_type,
        "ecf_url": entry.ecf_url,
        "web_url": entry.web_url,
        "help_desk_phone": entry.help_desk_phone,
        "directory_software_version": entry.software_version,
        "directory_as_of": feed.updated,
    }
    return {
        field: (getattr(court, field), new) for field, new in values.items() if new and getattr(court, field) != new
    }


def _check_against_feed(court: Court, entry: FeedCourt, feed: Feed, result: RefreshResult):
    day = feed.updated.isoformat()
    if entry.on_nextgen and court.nextgen_go_live and court.nextgen_go_live > feed.updated:
        result.warnings.append(
            f"{court.court_id}: the feed of {day} lists {entry.software_version!r} (NextGen), but its go-live date "
            f"is {court.nextgen_go_live.isoformat()}: check the date"
        )
    if not entry.on_nextgen and court_is_live(court.nextgen_go_live, court.live_by, feed.updated):
        result.warnings.append(
            f"{court.court_id}: the feed of {day} lists {entry.software_version or 'no version'!r}, not NextGen, "
            f"but Firmlink has it live by then: check its go-live date"
        )


def _create_from_feed(entry: FeedCourt, feed: Feed, source: str, actor: Actor, note: str, result: RefreshResult):
    court = Court(
        court_id=entry.court_id,
        name=entry.name,
        court_type=entry.court_type,
        state=entry.state,
        ecf_url=entry.ecf_url,
        web_url=entry.web_url,
        help_desk_phone=entry.help_desk_phone,
        directory_software_version=entry.software_version,
        directory_source="pacer-cmecf-lookup",
        directory_as_of=feed.updated,
    )
    if entry.on_nextgen:
        court.live_by, court.live_by_source = feed.updated, source
        court.live_by_note = f"bound(feed): software_version: {entry.software_version}"
    try:
        court.full_clean()
    except ValidationError as exc:
        problems = "; ".join(f"{field}: {' '.join(messages)}" for field, messages in exc.message_dict.items())
        result.skipped.append((f"{entry.pacer_code} ({entry.name})", f"not a valid court: {problems}"))
        return
    court.save()
    result.created.append(entry.court_id)
    history_add(actor=actor, step=Step.COURT_CREATED, old=None, new=court.name, note=note, court=court)
    if court.live_by:
        history_add(actor=actor, step=Step.LIVE_BY, old=None, new=court.live_by, note=note, court=court)
