"""CSV exports: one implementation for the dashboard and the management commands.

Rows stream from a server-side cursor (``iterator(chunk_size=...)``) through ``csv.writer``
one line at a time: memory stays flat whatever the number of pairs, and the number of
queries is fixed. Every cell is neutralised against spreadsheet formulas (OWASP CSV
injection) and every export is recorded in ``ExportLog``.
"""

import csv
import datetime
from collections.abc import Iterable, Iterator

from django.db.models import CharField, OuterRef, Q, Subquery
from django.http import HttpResponseBadRequest, StreamingHttpResponse
from django.utils import timezone

from firmlink import clock
from tasks.selectors import last_reminder_sent_subquery

from .models import ExportLog, StepChange

COMPLIANCE_HEADER = (
    "attorney_name,attorney_email,bar_number,court_id,court_name,court_type,nextgen_go_live,status,pacer_account,"
    "pacer_individual,efiling_account,cmecf_login_known,linked_on,linked_recorded_by,cmecf_name_shown,"
    "pacer_name_shown,filing_menus_confirmed_on,last_reminder_sent_at,last_change_at,last_change_by"
).split(",")
HISTORY_HEADER = "changed_at,changed_by,attorney_email,court_id,step,old_value,new_value,note".split(",")
CHUNK = 2000
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"


def neutralise(value) -> str:
    """A cell a spreadsheet will show as text, never evaluate (OWASP: prefix with a quote)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value, clock.firm_zone()).isoformat(timespec="seconds")
    if isinstance(value, datetime.date):
        return value.isoformat()
    text = str(value)
    if text.startswith(FORMULA_START):
        return "'" + text
    return text


class _Line:
    """A file-like object whose write returns the line, for csv.writer."""

    def write(self, value):
        return value


def csv_lines(header: Iterable[str], rows: Iterable[Iterable], *, excel: bool = False) -> Iterator[str]:
    writer = csv.writer(_Line(), lineterminator="\r\n")
    first = writer.writerow(header)
    yield (BOM + first) if excel else first
    for row in rows:
        yield writer.writerow([neutralise(value) for value in row])


def _last_change(field: str):
    latest = StepChange.objects.filter(
        Q(link=OuterRef("pk")) | Q(attorney=OuterRef("attorney"), link=None, court=None)
    ).order_by("-changed_at", "-id")
    return Subquery(latest.values(field)[:1])


def compliance_rows(links, today: datetime.date):
    """Rows of the compliance export for a CourtLink queryset (filtered or not)."""
    queryset = (
        links.with_status(today)
        .annotate(
            last_reminder_sent_at=last_reminder_sent_subquery(),
            last_change_at=_last_change("changed_at"),
            last_change_by=Subquery(
                StepChange.objects.filter(
                    Q(link=OuterRef("pk")) | Q(attorney=OuterRef("attorney"), link=None, court=None)
                )
                .order_by("-changed_at", "-id")
                .values("actor")[:1],
                output_field=CharField(),
            ),
        )
        .order_by("attorney__name", "attorney__email", "court__court_id", "pk")
        .values_list(
            "attorney__name",
            "attorney__email",
            "attorney__bar_number",
            "court__court_id",
            "court__name",
            "court__court_type",
            "court__nextgen_go_live",
            "status",
            "attorney__pacer_account",
            "attorney__pacer_individual",
            "efiling_account",
            "cmecf_login_known",
            "linked_on",
            "linked_recorded_by__username",
            "cmecf_name_shown",
            "pacer_name_shown",
            "menus_confirmed_on",
            "last_reminder_sent_at",
            "last_change_at",
            "last_change_by",
        )
    )
    return queryset.iterator(chunk_size=CHUNK)


def history_rows(since: datetime.date | None = None):
    changes = StepChange.objects.order_by("changed_at", "id")
    if since:
        changes = changes.filter(changed_at__date__gte=since)
    return changes.values_list(
        "changed_at", "actor", "attorney__email", "court__court_id", "step", "old_value", "new_value", "note"
    ).iterator(chunk_size=CHUNK)


def audited(lines: Iterator[str], log: ExportLog) -> Iterator[str]:
    """Pass lines through; record the row count when the export completes."""
    count = -1  # the header is not a row
    for line in lines:
        count += 1
        yield line
    ExportLog.objects.filter(pk=log.pk).update(rows=max(count, 0), finished_at=clock.now())


def start_log(*, kind: str, channel: str, actor_label: str, user=None, filters=None, today=None) -> ExportLog:
    return ExportLog.objects.create(
        kind=kind, channel=channel, actor=actor_label, user=user, filters=filters or {}, as_of=today or clock.today()
    )


def filename(kind: str, today: datetime.date) -> str:
    return f"firmlink-{kind}-{today.isoformat()}.csv"


def links_export_response(request, view):
    """``/links/?_export=csv``: exactly the filtered rows of the dashboard table, streamed."""
    if request.GET.get("_export") != "csv":
        return HttpResponseBadRequest("Only CSV exports are offered (_export=csv).", content_type="text/plain")
    filterset = view.get_filterset(view.get_filterset_class())
    if not filterset.is_valid():
        errors = "; ".join(f"{field}: {' '.join(msgs)}" for field, msgs in filterset.errors.items())
        return HttpResponseBadRequest(f"Invalid filters: {errors}", content_type="text/plain")
    today = clock.today()
    excel = request.GET.get("excel") in ("1", "on", "true", "yes")
    filters = {
        key: request.GET.getlist(key)
        for key in request.GET
        if key not in ("_export", "excel", "page", "per_page", "sort")
    }
    from .services import Actor

    log = start_log(
        kind=ExportLog.Kind.COMPLIANCE,
        channel="dashboard",
        actor_label=Actor.for_user(request.user).label,
        user=request.user,
        filters=filters,
        today=today,
    )
    lines = csv_lines(COMPLIANCE_HEADER, compliance_rows(filterset.qs, today), excel=excel)
    response = StreamingHttpResponse(audited(lines, log), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename("compliance", today)}"'
    return response
