from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from attorneys.services.court_facts import courts_refresh_from_feed
from core.audit import Actor
from courts.feed import FeedError, read_feed


class Command(BaseCommand):
    help = (
        "Refresh the court directory from a downloaded copy of PACER's Court CM/ECF Lookup feed "
        "(https://pacer.uscourts.gov/file-case/court-cmecf-lookup/data.json): names, addresses and "
        "software versions when the feed is newer than what Firmlink has, an on-NextGen-by bound for "
        "every court the feed lists on NextGen, new courts added. Never deletes; keeps what an "
        "administrator corrected; every change is in the history. Exit status 2, nothing written, "
        "when the file is not the feed."
    )

    def add_arguments(self, parser):
        parser.add_argument("feed", help="The feed's JSON file (data.json).")
        parser.add_argument("--dry-run", action="store_true", help="Report what would change; write nothing.")

    def handle(self, *args, feed, dry_run, **options):
        path = Path(feed)
        try:
            snapshot = read_feed(path.read_bytes())
        except OSError as exc:
            raise CommandError(f"{path}: {exc.strerror}; nothing was written.", returncode=2) from exc
        except FeedError as exc:
            raise CommandError(f"{path}: {exc}; nothing was written.", returncode=2) from exc
        result = courts_refresh_from_feed(
            feed=snapshot, filename=path.name, actor=Actor.system(f"refresh_courts {path.name}"), dry_run=dry_run
        )
        day = snapshot.updated.isoformat()
        self.stdout.write(f"PACER feed of {day}: {len(snapshot.courts)} courts, {len(result.skipped)} entries skipped.")
        for label, why in result.skipped:
            self.stdout.write(f"  skipped {label}: {why}")
        for court_id in result.created:
            self.stdout.write(f"{court_id}: added to the directory")
        for court_id, changes in sorted(result.updated.items()):
            described = ", ".join(f"{field} {old or '—'} -> {new}" for field, (old, new) in changes.items())
            self.stdout.write(f"{court_id}: {described}")
        if result.newer_facts:
            self.stdout.write(
                f"Names, addresses and versions kept for {len(result.newer_facts)} court(s) whose directory facts "
                f"are newer than this feed."
            )
        if result.kept_corrections:
            self.stdout.write(
                f"Directory facts an administrator corrected, kept: {', '.join(sorted(result.kept_corrections))}."
            )
        if result.not_in_feed:
            self.stdout.write(f"Not in this feed (kept, never deleted): {', '.join(result.not_in_feed)}.")
        for warning in result.warnings:
            self.stderr.write(f"check: {warning}")
        verb = "would be" if dry_run else "were"
        self.stdout.write(
            self.style.SUCCESS(
                f"{'Dry run, nothing written. ' if dry_run else ''}{len(result.updated)} court(s) {verb} updated "
                f"({result.bounds} on-NextGen-by bound(s) set or tightened), {len(result.created)} added, "
                f"{result.unchanged} unchanged."
            )
        )
