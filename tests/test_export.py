"""The compliance export: exact header, exactly the filtered rows, safe for spreadsheets, audited."""

import csv
import datetime
import io
import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from attorneys.choices import Step
from attorneys.models import CourtLink, ExportLog
from attorneys.services.steps import step_record
from core import clock
from core.csvsafe import csv_lines, neutralise
from dashboard.exports import COMPLIANCE_HEADER
from tasks.models import Reminder, ReminderStatus
from tests.dates import AS_OF
from tests.factories import AttorneyFactory, CourtFactory, CourtLinkFactory, UserFactory

pytestmark = pytest.mark.django_db
HEADER = (
    "attorney_name,attorney_email,bar_number,court_id,court_name,court_type,nextgen_go_live,status,"
    "pacer_account,pacer_individual,efiling_account,cmecf_login_known,linked_on,linked_recorded_by,cmecf_name_shown,"
    "pacer_name_shown,filing_menus_confirmed_on,last_reminder_sent_at,last_change_at,last_change_by,nextgen_live_by,"
    "link_verification"
)


@pytest.fixture(autouse=True)
def as_of(pinned_date):
    return pinned_date


@pytest.fixture
def pairs(actor):
    live = CourtFactory(court_id="zzlive", name="Live, Bankruptcy Court", nextgen_go_live=datetime.date(2021, 2, 16))
    later = CourtFactory(court_id="zzlater", nextgen_go_live=datetime.date(2021, 7, 6))
    evil = AttorneyFactory(
        name='=HYPERLINK("http://evil.example","click")',
        email="evil@firm.example",
        bar_number="+1234",
        pacer_username="@user",
    )
    good = AttorneyFactory(name="James C Alison", email="james@firm.example", bar_number="-42")
    linked = CourtLinkFactory(attorney=good, court=live)
    step_record(
        step=Step.LINKED,
        actor=actor,
        link_id=linked.pk,
        cmecf_name="James C Alison",
        pacer_name="James Alison",
        note="call",
    )
    blocked = CourtLinkFactory(attorney=evil, court=live)
    later_link = CourtLinkFactory(attorney=good, court=later)
    Reminder.objects.create(
        link=later_link,
        attorney=good,
        occasion="before-30",
        kind="before",
        days=30,
        due_on=AS_OF,
        go_live=later.nextgen_go_live,
        status=ReminderStatus.SENT,
        sent_at=datetime.datetime(2021, 6, 14, 12, 0, tzinfo=datetime.UTC),
    )
    return {"linked": linked, "blocked": blocked, "later": later_link}


def rows_of(body: bytes):
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline="")))


def export(client, query=""):
    response = client.get(reverse("link-list") + f"?{query}&_export=csv")
    return response, b"".join(response.streaming_content) if response.status_code == 200 else response.content


def test_the_header_is_exact_and_every_pair_is_a_row(client, pairs, staff_user):
    client.force_login(staff_user)
    response, body = export(client)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="firmlink-compliance-2021-06-14.csv"'
    rows = rows_of(body)
    assert ",".join(rows[0]) == HEADER == ",".join(COMPLIANCE_HEADER)
    assert len(rows) == 4
    by_court = {(r[1], r[3]): dict(zip(rows[0], r, strict=True)) for r in rows[1:]}
    james = by_court[("james@firm.example", "zzlive")]
    assert james["status"] == "linked" and james["linked_on"] == "2021-06-14"
    assert james["linked_recorded_by"] == staff_user.username
    assert (james["cmecf_name_shown"], james["pacer_name_shown"]) == ("James C Alison", "James Alison")
    assert james["court_name"] == "Live, Bankruptcy Court"  # quoted comma survives
    assert james["last_change_by"] == staff_user.get_full_name() and james["last_change_at"].startswith("2021-06-14T")
    later = by_court[("james@firm.example", "zzlater")]
    assert later["status"] == "awaiting_go_live" and later["last_reminder_sent_at"] == "2021-06-14T08:00:00-04:00"
    assert later["nextgen_go_live"] == "2021-07-06" and later["pacer_individual"] == "yes"


def test_status_column_is_the_dashboard_status(client, pairs, staff_user):
    client.force_login(staff_user)
    _, body = export(client)
    exported = {r[1] + r[3]: r[7] for r in rows_of(body)[1:]}
    shown = {
        link.attorney.email + link.court.court_id: link.status
        for link in CourtLink.objects.with_status().select_related("attorney", "court")
    }
    assert exported == shown


def test_cells_that_start_like_formulas_are_neutralised(client, pairs, staff_user):
    client.force_login(staff_user)
    _, body = export(client)
    evil = next(r for r in rows_of(body) if r[1] == "evil@firm.example")
    assert evil[0] == '\'=HYPERLINK("http://evil.example","click")'
    assert evil[2] == "'+1234"
    james = next(r for r in rows_of(body) if r[1] == "james@firm.example")
    assert james[2] == "'-42"
    for value, expected in [("\tx", "'\tx"), ("\rx", "'\rx"), ("@x", "'@x"), ("a=b", "a=b"), ("", "")]:
        assert neutralise(value) == expected


def test_the_export_is_exactly_the_filtered_rows(client, pairs, staff_user):
    client.force_login(staff_user)
    _, body = export(client, "cannot_file=on")
    assert [(r[1], r[3]) for r in rows_of(body)[1:]] == [("evil@firm.example", "zzlive")]
    _, body = export(client, "court=zzlater")
    assert [(r[1], r[3]) for r in rows_of(body)[1:]] == [("james@firm.example", "zzlater")]


def test_only_csv_is_served(client, pairs, staff_user):
    client.force_login(staff_user)
    for fmt in ("xlsx", "json", "ods", ""):
        response = client.get(reverse("link-list") + f"?_export={fmt}")
        assert response.status_code == 400
    assert not ExportLog.objects.exists()


def test_excel_choice_adds_a_bom(client, pairs, staff_user):
    client.force_login(staff_user)
    _, body = export(client, "excel=1")
    assert body.startswith("\ufeff".encode()) and rows_of(body)[0][0] == "attorney_name"
    _, plain = export(client)
    assert not plain.startswith("\ufeff".encode())


def test_every_export_is_recorded_and_shown_to_administrators(client, pairs, staff_user):
    client.force_login(staff_user)
    export(client, "court=zzlive&status=linked")
    log = ExportLog.objects.get()
    assert (log.kind, log.channel, log.rows, log.user, log.as_of) == ("compliance", "dashboard", 1, staff_user, AS_OF)
    assert log.filters == {"court": ["zzlive"], "status": ["linked"]}
    assert client.get(reverse("export-log")).status_code == 403  # staff: no
    client.force_login(UserFactory(username="adm", role="administrator"))
    page = client.get(reverse("export-log")).content.decode()
    assert "court=zzlive" in page and "dashboard" in page


def test_the_command_filters_and_writes_a_file(tmp_path, pairs):
    out = tmp_path / "c.csv"
    call_command("export_compliance", out=str(out), court=["zzlive"], status=["linked", "ready_to_link"])
    rows = rows_of(out.read_bytes())
    assert ",".join(rows[0]) == HEADER
    assert sorted((r[1], r[7]) for r in rows[1:]) == [
        ("evil@firm.example", "ready_to_link"),
        ("james@firm.example", "linked"),
    ]
    assert ExportLog.objects.get().channel == "command"


def test_the_command_as_of_dates_the_status(tmp_path, pairs):
    out = tmp_path / "c.csv"
    call_command("export_compliance", out=str(out), as_of=datetime.date(2021, 7, 6), court=["zzlater"])
    assert rows_of(out.read_bytes())[1][7] == "ready_to_link"


def test_the_history_export(tmp_path, pairs):
    out = tmp_path / "h.csv"
    call_command("export_history", out=str(out))
    rows = rows_of(out.read_bytes())
    assert rows[0] == (
        "changed_at,changed_by,attorney_email,court_id,step,old_value,new_value,note,entry_id,corrects_entry"
    ).split(",")
    linked = next(r for r in rows if r[4] == "linked")
    assert linked[2:4] == ["james@firm.example", "zzlive"] and linked[7] == "call"
    call_command("export_history", out=str(out), since=datetime.date(2030, 1, 1))
    assert len(rows_of(out.read_bytes())) == 1


def test_the_command_export_runs_a_fixed_number_of_queries(tmp_path, django_assert_max_num_queries, pairs):
    # the courts check, the log, the zone set and put back, the statement, the log's row count
    with django_assert_max_num_queries(7):
        call_command("export_compliance", out=str(tmp_path / "c.csv"))


def test_the_one_statement_export_gives_the_rows_of_the_per_row_lookups(pairs, actor):
    """PostgreSQL reads the export in one statement (``compliance_sql``); other databases look each
    row's extras up one by one (``_compliance_rows_orm``): the same rows, filtered or not."""
    from dashboard.exports import _compliance_rows_orm, compliance_rows
    from tests.population import populate

    populate(attorneys=9, courts=4)
    assert StepChangeOf(pairs["linked"])
    # Cells a CSV writer must quote: a comma, quotes, line breaks (CR, LF, both), a formula.
    hostile = AttorneyFactory(
        name='Doe, "Jane" Q.', bar_number="line\r\nbreak", pacer_username="x", email="doe@firm.example"
    )
    CourtLinkFactory(attorney=hostile, court=CourtFactory(court_id="zzq", name='Court of\nLines, Quotes "Q"'))
    CourtLinkFactory(attorney=AttorneyFactory(name='=1+2, "a"\r'), court=CourtFactory(court_id="zzr"))
    step_record(step=Step.CMECF_LOGIN_KNOWN, actor=actor, link_id=pairs["blocked"].pk, value=True, note="")
    for links in (CourtLink.objects.all(), CourtLink.objects.filter(court__court_id="zzlive")):
        one_statement = "".join(csv_lines(COMPLIANCE_HEADER, compliance_rows(links, AS_OF)))
        assert one_statement == "".join(csv_lines(COMPLIANCE_HEADER, _compliance_rows_orm(links, AS_OF)))
    text = "".join(csv_lines(COMPLIANCE_HEADER, compliance_rows(CourtLink.objects.all(), AS_OF)))
    parsed = list(csv.reader(io.StringIO(text, newline="")))
    assert len(parsed) == CourtLink.objects.count() + 1
    assert {len(row) for row in parsed} == {len(COMPLIANCE_HEADER)}
    doe = next(row for row in parsed if row[1] == "doe@firm.example")
    assert doe[0] == 'Doe, "Jane" Q.' and doe[2] == "line\r\nbreak" and doe[4] == 'Court of\nLines, Quotes "Q"'
    assert any(row[0] == '\'=1+2, "a"\r' for row in parsed)
    assert "'=HYPERLINK" in text  # neutralised by the database as in Python
    assert re.search(r",2021-06-14T08:00:00-04:00,", text)  # a reminder, New York time


def test_a_prepared_export_is_written_in_chunks_and_counted_by_rows(tmp_path, pairs, monkeypatch):
    """The one-statement export writes a chunk of lines at a time; the audit still counts rows."""
    from core import csvsafe
    from dashboard.exports import compliance_rows
    from tests.population import populate

    populate(attorneys=7, courts=3)
    monkeypatch.setattr(csvsafe, "CHUNK_LINES", 4)
    chunks = list(csv_lines(COMPLIANCE_HEADER, compliance_rows(CourtLink.objects.all(), AS_OF)))
    assert {getattr(chunk, "rows", 1) for chunk in chunks[1:-1]} == {4}  # the header alone, then 4 lines each
    call_command("export_compliance", out=str(tmp_path / "c.csv"))
    assert ExportLog.objects.latest("pk").rows == CourtLink.objects.count()
    assert len(rows_of((tmp_path / "c.csv").read_bytes())) == CourtLink.objects.count() + 1


def StepChangeOf(link):  # noqa: N802 (reads as a lookup)
    from attorneys.models import StepChange

    return StepChange.objects.filter(link=link, step=Step.LINKED).latest("changed_at")


def test_copied_rows_are_ended_as_csv_lines_in_chunks(monkeypatch):
    """``COPY`` ends a row with LF; the export's lines end with CR LF, and a line break inside a
    quoted cell is kept as it is, whether a chunk has one or not."""
    from core import csvsafe
    from core.csvsafe import PreparedLines

    monkeypatch.setattr(csvsafe, "CHUNK_LINES", 2)
    rows = [b"a,b\n", b'"x\ny",z\n', b'"cr\r\nlf",\xc3\xa9\n', b"c,d\n", b"e,f\n"]
    chunks = list(PreparedLines.copied(memoryview(row) for row in rows))
    assert [chunk.rows for chunk in chunks] == [2, 2, 1]
    assert chunks == ['a,b\r\n"x\ny",z\r\n', '"cr\r\nlf",é\r\nc,d\r\n', "e,f\r\n"]
    assert list(csv.reader(io.StringIO("".join(chunks), newline=""))) == [
        ["a", "b"],
        ["x\ny", "z"],
        ["cr\r\nlf", "é"],
        ["c", "d"],
        ["e", "f"],
    ]
    with pytest.raises(ValueError, match="does not end a line"):
        list(PreparedLines.copied([b"a,b", b'"x\ny"\n']))  # two rows in one message: refused, not merged


def _kept_last_change(link):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT last_change_at, last_change_id, last_change_by FROM attorneys_courtlink WHERE id = %s", [link.pk]
        )
        return cursor.fetchone()


def test_each_pair_keeps_its_newest_history_row(pairs, actor):
    """The database keeps each pair's newest history row on the pair (the export's last change):
    newest by time, then by entry; an older entry recorded later, or another pair's, changes nothing;
    several entries in one statement keep the newest."""
    from attorneys.models import StepChange

    linked, blocked = pairs["linked"], pairs["blocked"]
    newest = StepChange.objects.filter(link=linked).order_by("-changed_at", "-id").first()
    assert _kept_last_change(linked) == (newest.changed_at, newest.pk, newest.actor)
    assert _kept_last_change(pairs["later"]) == (None, None, None)  # no history yet

    when = newest.changed_at + datetime.timedelta(hours=1)
    older, later, tied, other = StepChange.objects.bulk_create(
        [
            StepChange(
                link=linked,
                attorney=linked.attorney,
                step="note",
                actor="older",
                changed_at=when - datetime.timedelta(days=9),
            ),
            StepChange(link=linked, attorney=linked.attorney, step="note", actor="later", changed_at=when),
            StepChange(link=linked, attorney=linked.attorney, step="note", actor="tied, higher id", changed_at=when),
            StepChange(link=blocked, attorney=blocked.attorney, step="note", actor="other pair", changed_at=when),
        ]
    )
    assert _kept_last_change(linked) == (when, tied.pk, "tied, higher id")
    assert _kept_last_change(blocked) == (when, other.pk, "other pair")
    StepChange.objects.create(
        link=linked, attorney=linked.attorney, step="note", actor="late", changed_at=when - datetime.timedelta(days=1)
    )
    assert _kept_last_change(linked) == (when, tied.pk, "tied, higher id")
    linked.refresh_from_db()
    with clock.pinned(when.date() + datetime.timedelta(days=2)):  # a step recorded through the service, days on
        recorded = step_record(
            step=Step.CMECF_LOGIN_KNOWN, actor=actor, link_id=linked.pk, value=not linked.cmecf_login_known
        )
    assert _kept_last_change(linked) == (recorded.changed_at, recorded.pk, recorded.actor)
    assert recorded == StepChange.objects.filter(link=linked).order_by("-changed_at", "-id").first()


def test_dates_are_iso_whatever_the_database_session_writes_by_default(pairs):
    """The export sets its own date style: a database whose default is ``SQL, DMY`` (03/12/2026)
    still gets ISO 8601 dates, as the Python path writes them."""
    from django.db import connection

    from dashboard.exports import _compliance_rows_orm, compliance_rows

    links = CourtLink.objects.filter(court__court_id="zzlive")
    expected = "".join(csv_lines(COMPLIANCE_HEADER, _compliance_rows_orm(links, AS_OF)))
    with connection.cursor() as cursor:
        cursor.execute("SET DateStyle = 'SQL, DMY'")
    try:
        text = "".join(csv_lines(COMPLIANCE_HEADER, compliance_rows(links, AS_OF)))
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SET DateStyle = 'ISO, MDY'")
    assert text == expected and ",2021-02-16," in text  # the court's go-live, as ISO
