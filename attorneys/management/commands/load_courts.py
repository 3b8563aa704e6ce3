from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from attorneys.services.court_facts import court_directory_load
from core.audit import Actor
from courts import directory


class Command(BaseCommand):
    help = (
        "Update courts from a directory CSV (the shipped directory by default). Accepts the "
        "directory's columns or any subset with court_id (e.g. court_id,nextgen_go_live). "
        "Unknown court ids and bad values refuse the whole file; courts are never deleted."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "file",
            nargs="?",
            help="A directory CSV (default: the directory Firmlink ships, with its dates and bounds).",
        )
        parser.add_argument(
            "--overwrite-corrections",
            action="store_true",
            help="Also replace go-live dates that an administrator corrected by hand.",
        )
        parser.add_argument("--dry-run", action="store_true", help="Report what would change; write nothing.")

    def handle(self, *args, file, overwrite_corrections, dry_run, **options):
        path = Path(file) if file else directory.DIRECTORY_FILE
        text = None
        if file:
            try:
                text = path.read_text(encoding="utf-8-sig")
            except OSError as exc:
                raise CommandError(f"{path}: {exc.strerror}") from exc
            except UnicodeDecodeError as exc:
                raise CommandError(f"{path}: not a UTF-8 text file (byte {exc.start})") from exc
        try:
            result = court_directory_load(
                text=text,
                filename=path.name,
                actor=Actor.system(f"load_courts {path.name}"),
                overwrite_corrections=overwrite_corrections,
                dry_run=dry_run,
            )
        except directory.DirectoryError as exc:
            raise CommandError(f"{path}: nothing was written.\n" + "\n".join(exc.errors)) from exc
        for court_id, changes in sorted(result.updated.items()):
            described = ", ".join(f"{field} {old!s} -> {new!s}" for field, (old, new) in changes.items())
            self.stdout.write(f"{court_id}: {described}")
        for court_id in result.kept_corrections:
            self.stdout.write(f"{court_id}: kept the go-live date an administrator corrected")
        verb = "would update" if dry_run else "updated"
        self.stdout.write(self.style.SUCCESS(f"{len(result.updated)} courts {verb}, {result.unchanged} unchanged."))
