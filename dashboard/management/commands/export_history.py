import datetime

from django.core.management.base import BaseCommand

from attorneys.models import ExportLog
from dashboard import exports


class Command(BaseCommand):
    help = "Export the step history (every change, who, when, old -> new, note) as CSV, streamed."
    # An export reads and writes a file, often from cron: the whole project's system checks (0.4 s of
    # a 200,000-pair export's 2.3 s) are for the commands that deploy and serve (migrate, runserver).
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--out", help="File to write (default: standard output).")
        parser.add_argument("--since", type=datetime.date.fromisoformat, help="Only changes on or after this date.")
        parser.add_argument("--excel", action="store_true", help="Start with a UTF-8 BOM for Excel.")

    def handle(self, *args, out, since, excel, **options):
        log = exports.start_log(
            kind=ExportLog.Kind.HISTORY,
            channel="command",
            actor_label="export_history",
            filters={"since": since.isoformat() if since else None},
        )
        lines = exports.audited(
            exports.csv_lines(exports.HISTORY_HEADER, exports.history_rows(since=since), excel=excel), log
        )
        exports.write_lines(lines, out)
