"""CSV exports: one implementation for the dashboard and the management commands.

Rows stream from a server-side cursor (``iterator(chunk_size=...)``) through ``csv.writer``
one line at a time, or, for the compliance export on PostgreSQL, from ``COPY ... (FORMAT csv)``
a chunk of lines at a time: memory stays flat whatever the number of pairs, and the number of
queries is fixed. Every cell is neutralised against spreadsheet formulas (OWASP CSV
injection) and every export is recorded in ``ExportLog``.
"""

import datetime
import sys
from collections.abc import Iterator

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Exists, OuterRef, Subquery
from django.db.models.expressions import RawSQL
from django.http import HttpResponseBadRequest, StreamingHttpResponse

from attorneys.choices import Step
from attorneys.models import Attorney, CourtLink, ExportLog, StepChange
from attorneys.services.steps import awaiting_verification
from core import clock
from core.audit import Actor
from core.csvsafe import FORMULA_START, PreparedLines, csv_lines
from core.dbsettings import statement_settings
from courts.models import Court
from tasks.models import Reminder, ReminderStatus
from tasks.selectors import last_reminder_sent_subquery

COMPLIANCE_HEADER = (
    "attorney_name,attorney_email,bar_number,court_id,court_name,court_type,nextgen_go_live,status,"
    "pacer_account,pacer_individual,efiling_account,cmecf_login_known,linked_on,linked_recorded_by,cmecf_name_shown,"
    "pacer_name_shown,filing_menus_confirmed_on,last_reminder_sent_at,last_change_at,last_change_by,nextgen_live_by,"
    "link_verification"
).split(",")
HISTORY_HEADER = (
    "changed_at,changed_by,attorney_email,court_id,step,old_value,new_value,note,entry_id,corrects_entry"
).split(",")
CHUNK = 2000
EXPORT_WORK_MEM = "128MB"  # the compliance export sorts its lines in memory (200,000 lines: ~70 MB)


def _latest(changes, field: str):
    """One column of the newest history row among ``changes`` (a top-1 read of an index)."""
    return Subquery(changes.order_by("-changed_at", "-id").values(field)[:1])


def _compliance_rows_orm(links, today: datetime.date):
    """``compliance_rows`` where the database has no ``DISTINCT ON`` (the embedded SQLite of ``make run``).

    The last change of a pair is the newer of its own newest history row and its attorney's
    newest PACER-level row: two index reads each (``stepchange_link_idx`` and the partial
    ``stepchange_attorney_level_idx``), compared here, rather than one OR-ed subquery that
    would read every row of the attorney's history for every pair.
    """
    pair_changes = StepChange.objects.filter(link=OuterRef("pk"))
    links_recorded = pair_changes.filter(step=Step.LINKED, corrects=None, corrections=None)
    attorney_changes = StepChange.objects.filter(attorney=OuterRef("attorney"), link=None, court=None)
    queryset = (
        links.with_status(today)
        .annotate(
            last_reminder_sent_at=last_reminder_sent_subquery(),
            pair_change_at=_latest(pair_changes, "changed_at"),
            pair_change_by=_latest(pair_changes, "actor"),
            attorney_change_at=_latest(attorney_changes, "changed_at"),
            attorney_change_by=_latest(attorney_changes, "actor"),
            link_unverified=Exists(awaiting_verification().filter(link=OuterRef("pk"), step=Step.LINKED)),
            link_verified=Exists(links_recorded.filter(verification__isnull=False)),
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
            "pair_change_at",
            "pair_change_by",
            "attorney_change_at",
            "attorney_change_by",
            "court__live_by",
            "link_unverified",
            "link_verified",
        )
    )
    for row in queryset.iterator(chunk_size=CHUNK):
        *row, live_by, unverified, verified = row
        verification = "unverified" if unverified else "verified" if verified else ""
        pair_at, attorney_at = row[-4], row[-2]
        if attorney_at is not None and (pair_at is None or attorney_at > pair_at):
            yield (*row[:-4], *row[-2:], live_by, verification)
        else:
            yield (*row[:-2], live_by, verification)


# The pair's newest history row, kept on the pair by the database (migration attorneys 0017; no model
# field maps these columns).
KEPT_COLUMNS = ("last_change_at", "last_change_by")
PAIR_COLUMNS = (  # the pair's own columns; its attorney's, court's and recorder's are formatted once each
    "attorney_id",
    "court_id",
    "linked_recorded_by_id",
    "status",
    "efiling_account",
    "cmecf_login_known",
    "linked_on",
    "cmecf_name_shown",
    "pacer_name_shown",
    "menus_confirmed_on",
)


FORMULA_CODES = ", ".join(str(ord(c)) for c in FORMULA_START)


def _text(column: str) -> str:
    """SQL: a text cell neutralised as ``core.csvsafe.neutralise`` does (a quote before a formula);
    NULL when empty, which ``COPY`` writes as nothing, as ``csv.writer`` writes an empty cell (an
    empty string it would write as ``""``)."""
    return f"CASE WHEN ascii({column}) IN ({FORMULA_CODES}) THEN chr(39) || {column} ELSE nullif({column}, '') END"


def _yes_no(column: str) -> str:
    return f"CASE WHEN {column} THEN 'yes' WHEN NOT {column} THEN 'no' END"


def _moment(column: str) -> str:
    """SQL: a timestamp as ``neutralise`` writes it, to the second, in the session's time zone (the
    firm's, set for the export's transaction: ``_prepared``)."""
    return f"to_char({column}, 'YYYY-MM-DD\"T\"HH24:MI:SSTZH:TZM')"


def compliance_sql(links, today: datetime.date) -> tuple[str, dict]:
    """The compliance export as one statement whose rows are the cells ``csv_lines`` would write,
    each formatted and neutralised in SQL, for ``COPY ... CSV`` to quote (``_prepared``; tested to
    give the same file): the pairs (``links`` as filtered, with the ``status`` annotation, the one
    derivation) joined once to what each row adds, each read in one pass over its table rather than
    looked up for every pair: the attorney's, court's and recorder's cells, the last reminder sent
    per pair, the newest history row per attorney (PACER level; the newer of it and the pair's own,
    which the pair keeps, is the row's last change), and whether the pair's link waits for a check
    or was checked."""
    table = CourtLink._meta.db_table
    pairs = (
        links.with_status(today)
        .annotate(**{name: RawSQL(f'"{table}"."{name}"', ()) for name in KEPT_COLUMNS})
        .order_by()
        .values("pk", *PAIR_COLUMNS, *KEPT_COLUMNS)
    )
    sent = Reminder.objects.filter(status=ReminderStatus.SENT, link__isnull=False).order_by()
    sent = sent.values("link_id", "sent_at")
    unverified = awaiting_verification().filter(step=Step.LINKED).exclude(link=None).order_by().values("link_id")
    verified = (
        StepChange.objects.filter(step=Step.LINKED, corrects=None, corrections=None, verification__isnull=False)
        .exclude(link=None)
        .order_by()
        .values("link_id")
    )
    params: dict = {}
    inner = []
    for name, queryset in (
        ("pairs", pairs),
        ("sent", sent),
        ("unverified", unverified),
        ("verified", verified),
    ):
        sql, values = queryset.query.sql_with_params()
        names = [f"{name}{i}" for i in range(len(values))]
        params.update(zip(names, values, strict=True))
        inner.append(
            sql.replace("%%", "%%%%") % tuple(f"%({n})s" for n in names) if values else sql.replace("%%", "%%%%")
        )
    pairs_sql, sent_sql, unverified_sql, verified_sql = inner
    history = StepChange._meta.db_table
    names = ", ".join(["id", *PAIR_COLUMNS, *KEPT_COLUMNS])
    attorney_newer = "(a.changed_at IS NOT NULL AND (p.last_change_at IS NULL OR a.changed_at > p.last_change_at))"
    last_change_at = f"CASE WHEN {attorney_newer} THEN a.changed_at ELSE p.last_change_at END"
    users = get_user_model()._meta.db_table
    cells = ", ".join(
        [
            "a.name",
            "a.email",
            "a.bar_number",
            "ct.court_id",
            "ct.name",
            "ct.court_type",
            "ct.go_live",
            "p.status",
            "a.pacer_account",
            "a.pacer_individual",
            _yes_no("p.efiling_account"),
            _yes_no("p.cmecf_login_known"),
            "p.linked_on",
            # Few pairs have a recorder: looked up for those only.
            f"CASE WHEN p.linked_recorded_by_id IS NOT NULL THEN "
            f"(SELECT {_text('username')} FROM {users} WHERE id = p.linked_recorded_by_id) END",
            _text("p.cmecf_name_shown"),
            _text("p.pacer_name_shown"),
            "p.menus_confirmed_on",
            _moment("f.sent_at"),
            _moment(last_change_at),
            f"CASE WHEN {attorney_newer} THEN a.actor ELSE {_text('p.last_change_by')} END",
            "ct.live_by",
            "CASE WHEN f.waiting THEN 'unverified' WHEN NOT f.waiting THEN 'verified' END",
        ]
    )
    # Each attorney's cells, rank in the export's order (name, then email: unique) and newest
    # PACER-level change come from one pass over the attorneys; each court's cells, rank and the
    # number of courts from one over the courts. The pairs sort on one number, the attorney's rank
    # times the number of courts plus the court's rank (1 to that number): the order of the two
    # ranks, as a pair is one attorney in one court, and 8% less of the statement's time than
    # sorting on both (200,000 pairs: 738 against 800 ms, median of 10 each). The last
    # reminder sent for a pair and whether its link waits for a check or was checked are one pass
    # over what each pair's link has.
    sql = f"""
        SELECT {cells}
        FROM ({pairs_sql}) AS p({names})
        JOIN (
            SELECT at.id, {_text("at.name")} AS name, {_text("at.email")} AS email,
                   {_text("at.bar_number")} AS bar_number, nullif(at.pacer_account, '') AS pacer_account,
                   {_yes_no("at.pacer_individual")} AS pacer_individual,
                   row_number() OVER (ORDER BY at.name, at.email) AS rank, ac.changed_at, ac.actor
            FROM {Attorney._meta.db_table} AS at
            LEFT JOIN (
                SELECT DISTINCT ON (attorney_id) attorney_id, changed_at, {_text("actor")} AS actor FROM {history}
                WHERE link_id IS NULL AND court_id IS NULL AND attorney_id IS NOT NULL
                ORDER BY attorney_id, changed_at DESC, id DESC
            ) AS ac ON ac.attorney_id = at.id
        ) AS a ON a.id = p.attorney_id
        JOIN (
            SELECT id, {_text("court_id")} AS court_id, {_text("name")} AS name, nullif(court_type, '') AS court_type,
                   nextgen_go_live::text AS go_live, live_by::text AS live_by,
                   row_number() OVER (ORDER BY court_id) AS rank, count(*) OVER () AS courts
            FROM {Court._meta.db_table}
        ) AS ct ON ct.id = p.court_id
        LEFT JOIN (
            SELECT link_id, max(sent_at) AS sent_at, bool_or(waiting) AS waiting FROM (
                SELECT link_id, sent_at, NULL::boolean AS waiting FROM ({sent_sql}) AS sent
                UNION ALL SELECT link_id, NULL, true FROM ({unverified_sql}) AS uv
                UNION ALL SELECT link_id, NULL, false FROM ({verified_sql}) AS vv
            ) AS facts GROUP BY link_id
        ) AS f ON f.link_id = p.id
        ORDER BY a.rank * ct.courts + ct.rank
    """
    return sql, params


def compliance_rows(links, today: datetime.date):
    """Rows of the compliance export for a CourtLink queryset (filtered or not), streamed. On
    PostgreSQL one statement (``compliance_sql``), copied out as CSV, gives the lines ready to
    write (``PreparedLines``); elsewhere each row's extras are looked up (``_compliance_rows_orm``)."""
    if connection.vendor != "postgresql":
        return _compliance_rows_orm(links, today)
    return PreparedLines(_prepared(links, today))


def _prepared(links, today):
    """``COPY (compliance_sql) TO STDOUT (FORMAT csv)``: PostgreSQL quotes the cells as ``csv.writer``
    does (a comma, a quote or a line break; its empty strings are NULLs, written as nothing). It ends
    a line with LF, ``csv_lines`` with CR LF: each row arrives in a message of its own (the
    protocol's rule for ``COPY TO``), so its last byte is the line end (``PreparedLines.copied``)."""
    sql, params = compliance_sql(links, today)
    # The firm's time zone for the timestamps, dates written as ISO 8601 whatever the database's
    # default, room to sort the lines in memory and no JIT compilation (it costs more than it saves
    # here), for this statement only.
    settings = {"TimeZone": clock.firm_zone().key, "DateStyle": "ISO", "work_mem": EXPORT_WORK_MEM, "jit": "off"}
    with (
        statement_settings(**settings),
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY ({sql}) TO STDOUT (FORMAT csv)", params) as copy,
    ):
        yield from PreparedLines.copied(copy)


def history_rows(changes=None, since: datetime.date | None = None):
    """The history export: ``changes`` (a filtered StepChange queryset; default every entry)."""
    changes = (changes if changes is not None else StepChange.objects.all()).order_by("changed_at", "id")
    if since:
        changes = changes.filter(changed_at__date__gte=since)
    return changes.values_list(
        "changed_at",
        "actor",
        "attorney__email",
        "court__court_id",
        "step",
        "old_value",
        "new_value",
        "note",
        "id",
        "corrects_id",
    ).iterator(chunk_size=CHUNK)


def audited(lines: Iterator[str], log: ExportLog) -> Iterator[str]:
    """Pass lines through; record the row count when the export completes."""
    count = -1  # the header is not a row
    for line in lines:
        count += getattr(line, "rows", 1)  # a chunk of several lines (``core.csvsafe.Lines``)
        yield line
    ExportLog.objects.filter(pk=log.pk).update(rows=max(count, 0), finished_at=clock.now())


def start_log(*, kind: str, channel: str, actor_label: str, user=None, filters=None, today=None) -> ExportLog:
    return ExportLog.objects.create(
        kind=kind, channel=channel, actor=actor_label, user=user, filters=filters or {}, as_of=today or clock.today()
    )


def filename(kind: str, today: datetime.date) -> str:
    return f"firmlink-{kind}-{today.isoformat()}.csv"


def export_filters(request) -> dict:
    """The filters of an export as the audit records them."""
    return {
        key: request.GET.getlist(key)
        for key in request.GET
        if key not in ("_export", "excel", "page", "per_page", "sort")
    }


def csv_response(request, *, kind: str, header, rows, today: datetime.date) -> StreamingHttpResponse:
    """A dashboard export: streamed, spreadsheet-safe, Excel's BOM on request, audited."""
    excel = request.GET.get("excel") in ("1", "on", "true", "yes")
    log = start_log(
        kind=kind,
        channel="dashboard",
        actor_label=Actor.for_user(request.user).label,
        user=request.user,
        filters=export_filters(request),
        today=today,
    )
    response = StreamingHttpResponse(
        audited(csv_lines(header, rows, excel=excel), log), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename(kind, today)}"'
    return response


def table_export_response(request, view, *, kind: str, header, rows_of):
    """``?_export=csv`` on a filtered dashboard table: exactly its filtered rows (every page)."""
    if request.GET.get("_export") != "csv":
        return HttpResponseBadRequest("Only CSV exports are offered (_export=csv).", content_type="text/plain")
    filterset = view.get_filterset(view.get_filterset_class())
    if not filterset.is_valid():
        errors = "; ".join(f"{field}: {' '.join(msgs)}" for field, msgs in filterset.errors.items())
        return HttpResponseBadRequest(f"Invalid filters: {errors}", content_type="text/plain")
    today = clock.today()
    return csv_response(request, kind=kind, header=header, rows=rows_of(filterset.qs, today), today=today)


def links_export_response(request, view):
    """``/links/?_export=csv``: the compliance export of exactly the filtered pairs."""
    return table_export_response(
        request, view, kind=ExportLog.Kind.COMPLIANCE, header=COMPLIANCE_HEADER, rows_of=compliance_rows
    )


ATTORNEYS_HEADER = (
    "name,email,bar_number,pacer_username,pacer_account,pacer_individual,active,courts,courts_done,cannot_file_in"
).split(",")


def attorney_rows(attorneys, today: datetime.date):
    return (
        attorneys.order_by("name", "pk")
        .values_list(
            "name",
            "email",
            "bar_number",
            "pacer_username",
            "pacer_account",
            "pacer_individual",
            "is_active",
            "courts",
            "done",
            "blocked",
        )
        .iterator(chunk_size=CHUNK)
    )


COURTS_HEADER = (
    "court_id,name,court_type,state,nextgen_go_live,go_live_source_kind,go_live_source_url,nextgen_live_by,"
    "live_by_source,ecf_url,web_url,help_desk_phone,help_desk_email,efilers,cannot_file,complete"
).split(",")


def court_rows(courts, today: datetime.date):
    return (
        courts.order_by("court_id")
        .values_list(
            "court_id",
            "name",
            "court_type",
            "state",
            "nextgen_go_live",
            "go_live_source_kind",
            "go_live_source_url",
            "live_by",
            "live_by_source",
            "ecf_url",
            "web_url",
            "help_desk_phone",
            "help_desk_email",
            "efilers",
            "blocked",
            "complete",
        )
        .iterator(chunk_size=CHUNK)
    )


def write_lines(lines, out):
    """Write streamed lines to the file ``out``, or to standard output (the commands)."""
    if out:
        with open(out, "w", encoding="utf-8", newline="") as handle:
            for line in lines:
                handle.write(line)
    else:
        for line in lines:
            sys.stdout.write(line)
        sys.stdout.flush()


def _step_columns(campaign, dated, valued) -> list[str]:
    """Each step's date column, then its value column unless the step is a date alone, in order:
    named by ``dated(key)`` and ``valued(key)`` (the header's names, or the subjects' fields)."""
    columns = []
    for step in campaign.steps:
        columns.append(dated(step.key))
        if step.kind != "date":
            columns.append(valued(step.key))
    return columns


def campaign_header(campaign) -> list[str]:
    """A campaign's export: the attorney, the status, whether they cannot file, the deadline, then each
    step's date and value in order (named by the step), then the latest change."""
    columns = ["attorney_name", "attorney_email", "bar_number", "status", "cannot_file", "deadline"]
    return [*columns, *_step_columns(campaign, lambda key: f"{key}_on", str), "last_change_at", "last_change_by"]


def campaign_rows(subjects_qs, campaign, today: datetime.date):
    """The rows of ``campaign_header`` for the (filtered) subjects: one query, streamed."""
    from campaigns.subjects import on, value

    latest = StepChange.objects.filter(campaign=campaign.slug, attorney=OuterRef("pk")).order_by("-changed_at", "-id")
    fields = ["name", "email", "bar_number", "status", "blocked", "deadline", *_step_columns(campaign, on, value)]
    rows = (
        subjects_qs.annotate(
            last_change_at=Subquery(latest.values("changed_at")[:1]),
            last_change_by=Subquery(latest.values("actor")[:1]),
        )
        .order_by("name", "pk")
        .values_list(*fields, "last_change_at", "last_change_by")
    )
    return rows.iterator(chunk_size=CHUNK)


def pair_campaign_header(campaign) -> list[str]:
    """A campaign per attorney and court: the attorney, the court, the status, whether they cannot file
    there, the pair's date, each step's date and value, the latest change (of that pair)."""
    columns = ["attorney_name", "attorney_email", "bar_number", "court_id", "status", "cannot_file", "date"]
    return [*columns, *_step_columns(campaign, lambda key: f"{key}_on", str), "last_change_at", "last_change_by"]


def pair_campaign_rows(subjects_qs, campaign, today: datetime.date):
    """The rows of ``pair_campaign_header`` for the (filtered) pairs: one query, streamed."""
    from campaigns.subjects import on, value

    latest = StepChange.objects.filter(
        campaign=campaign.slug, attorney=OuterRef("attorney_id"), court=OuterRef("court_id")
    ).order_by("-changed_at", "-id")
    fields = [
        *("attorney__name", "attorney__email", "attorney__bar_number", "court__court_id", "status", "blocked"),
        "deadline",
        *_step_columns(campaign, on, value),
    ]
    rows = (
        subjects_qs.annotate(
            last_change_at=Subquery(latest.values("changed_at")[:1]),
            last_change_by=Subquery(latest.values("actor")[:1]),
        )
        .order_by("attorney__name", "court__court_id", "pk")
        .values_list(*fields, "last_change_at", "last_change_by")
    )
    return rows.iterator(chunk_size=CHUNK)
