"""Writes on courts: go-live corrections and directory loads, each recorded in the history.

They live beside the attorneys because the history does: a court's go-live date decides
every pair's status there, so its changes are read with the steps of those pairs.
"""

import datetime

from django.db import transaction

from core.audit import Actor
from core.exceptions import StepRefused
from courts import directory
from courts.models import Court, GoLiveSourceKind

from ..choices import Step
from .history import history_add


def court_set_go_live(
    *, court_id: str, go_live: datetime.date | None, actor: Actor, note: str, source_url: str = ""
) -> bool:
    """An administrator corrects a court's go-live date. Returns False when nothing changed."""
    if not note.strip():
        raise StepRefused("Say where the corrected date comes from (a court notice, a phone call...).")
    with transaction.atomic():
        court = Court.objects.select_for_update().get(court_id=court_id)
        if court.nextgen_go_live == go_live:
            return False
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


def court_directory_load(
    *, text: str, filename: str, actor: Actor, overwrite_corrections: bool = False, dry_run: bool = False
) -> directory.ApplyResult:
    """Update courts from a directory CSV, all or nothing. Unknown court ids are refused."""
    known = Court.objects.values_list("court_id", flat=True)
    rows = directory.parse_court_csv(text, known_ids=known)
    with transaction.atomic():
        result = directory.apply_court_rows(
            Court, rows, overwrite_corrections=overwrite_corrections, source_label=f"Date from {filename}"
        )
        courts = Court.objects.in_bulk(list(result.updated), field_name="court_id")
        for court_id, changes in result.updated.items():
            if "nextgen_go_live" in changes:
                old, new = changes["nextgen_go_live"]
                history_add(
                    actor=actor,
                    step=Step.GO_LIVE,
                    old=old,
                    new=new,
                    note=f"load_courts {filename}",
                    court=courts[court_id],
                )
        if dry_run:
            transaction.set_rollback(True)
    return result
