import contextlib
import datetime

from django.core.management.base import BaseCommand, CommandError

from attorneys.models import CourtLink, ExportLog
from attorneys.status import LinkStatus
from core import clock
from courts.models import Court
from dashboard import exports


class Command(BaseCommand):
    help = "Export every attorney-court pair (filtered by court and status) as CSV, streamed."
    # An export reads and writes a file, often from cron: the whole project's system checks (0.4 s of
    # a 200,000-pair export's 2.3 s) are for the commands that deploy and serve (migrate, runserver).
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--out", help="File to write (default: standard output).")
        parser.add_argument("--court", action="append", default=[], help="Court id; repeat for several.")
        parser.add_argument(
            "--status",
            action="append",
            default=[],
            choices=LinkStatus.values,
            metavar="STATUS",
            help=f"One of {', '.join(LinkStatus.values)}; repeat for several.",
        )
        parser.add_argument("--as-of", type=datetime.date.fromisoformat, help="Status as of this date.")
        parser.add_argument("--excel", action="store_true", help="Start with a UTF-8 BOM for Excel.")

    def handle(self, *args, out, court, status, as_of, excel, **options):
        unknown = set(court) - set(Court.objects.filter(court_id__in=court).values_list("court_id", flat=True))
        if unknown:
            raise CommandError(f"unknown court id(s): {', '.join(sorted(unknown))}")
        with clock.pinned(as_of) if as_of else contextlib.nullcontext():
            today = clock.today()
            links = CourtLink.objects.all()
            if court:
                links = links.filter(court__court_id__in=court)
            if status:
                links = links.with_status(today).filter(status__in=status)
            log = exports.start_log(
                kind=ExportLog.Kind.COMPLIANCE,
                channel="command",
                actor_label="export_compliance",
                filters={"court": court, "status": status},
                today=today,
            )
            lines = exports.audited(
                exports.csv_lines(exports.COMPLIANCE_HEADER, exports.compliance_rows(links, today), excel=excel), log
            )
            exports.write_lines(lines, out)
