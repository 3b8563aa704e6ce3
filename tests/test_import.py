"""The roster import: all or nothing, row-level messages, exact, never a credential."""

import csv
import io
import string

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from attorneys.choices import Step
from attorneys.models import Attorney, CourtLink, StepChange
from attorneys.roster import RosterError, roster_import
from attorneys.services.steps import step_record
from core.audit import Actor
from tests.dates import AS_OF
from tests.factories import AttorneyFactory, UserFactory

pytestmark = pytest.mark.django_db
IMPORTER = Actor.importer("roster.csv")


def snapshot():
    return (
        sorted(
            Attorney.objects.values_list(
                "name", "email", "bar_number", "pacer_username", "pacer_account", "pacer_individual"
            )
        ),
        sorted(
            CourtLink.objects.values_list(
                "attorney__email", "court__court_id", "efiling_account", "new_to_court", "linked_on"
            )
        ),
        StepChange.objects.count(),
    )


def run(tmp_path, content: bytes | str, *args):
    path = tmp_path / "roster.csv"
    path.write_bytes(content.encode() if isinstance(content, str) else content)
    try:
        call_command("import_roster", str(path), *args)
    except SystemExit as exc:
        return exc.code
    return 0


GOOD = (
    "\ufeffAttorney_Email,ATTORNEY_NAME,court_id,efiling_account,new_to_court,bar_number,pacer_account,pacer_individual\r\n"
    "james@firm.example,James C Alison,canb,yes,no,CA123,upgraded,yes\r\n"
    "JAMES@FIRM.EXAMPLE,James C Alison,nysd,no,,CA123,upgraded,yes\n"
    'mary@firm.example,"Major, Mary",alnb,yes,yes,"AL 77",legacy,no\r\n'
)


def test_a_good_roster_imports(tmp_path, capsys):
    AttorneyFactory(email="Mary@Firm.Example", name="Mary Major", pacer_account="none")  # matched whatever the case
    assert run(tmp_path, GOOD) == 0
    assert "Imported roster.csv. 3 rows: 1 new attorney(s)" in capsys.readouterr().out
    james = Attorney.objects.get(email="james@firm.example")
    assert (james.name, james.bar_number, james.pacer_account, james.pacer_individual) == (
        "James C Alison",
        "CA123",
        "upgraded",
        True,
    )
    assert dict(james.links.values_list("court__court_id", "efiling_account")) == {"canb": True, "nysd": False}
    mary = Attorney.objects.get(email__iexact="mary@firm.example")
    assert (mary.name, mary.bar_number, mary.pacer_account, mary.pacer_individual) == (
        "Major, Mary",
        "AL 77",
        "legacy",
        False,
    )
    assert mary.links.get().new_to_court is True
    assert Attorney.objects.count() == 2
    assert set(StepChange.objects.values_list("actor", flat=True)) == {"import of roster.csv"}
    assert set(StepChange.objects.values_list("source", flat=True)) == {"import"}
    assert StepChange.objects.filter(step=Step.NAME, attorney=mary, new_value="Major, Mary").exists()


def test_importing_the_same_roster_twice_changes_nothing(tmp_path):
    run(tmp_path, GOOD)
    before = snapshot()
    assert run(tmp_path, GOOD) == 0
    assert snapshot() == before


@pytest.mark.parametrize(
    ("content", "messages"),
    [
        (
            "attorney_name,attorney_email,court_id,pacer_password\nJ,j@f.example,canb,x\n",
            ["'pacer_password' look like credentials. Firmlink never stores passwords"],
        ),
        ("attorney_name,attorney_email,court_id,PIN\nJ,j@f.example,canb,1234\n", ["look like credentials"]),
        ("attorney_name,attorney_email,court_id,office\nJ,j@f.example,canb,NY\n", ["unknown column(s) 'office'"]),
        ("attorney_name,court_id\nJ,canb\n", ["required column(s) missing: attorney_email"]),
        (
            "attorney_name,attorney_email,court_id\n=CMD|' /C calc'!A0,j@f.example,canb\n"
            "J,+j@f.example,canb\nK,k@f.example,@SUM(1)\n",
            [
                "row 2, attorney_name: \"=CMD|' /C calc'!A0\" starts like a spreadsheet formula",
                "row 3, attorney_email: '+j@f.example' starts like a spreadsheet formula",
                "row 4, court_id: '@SUM(1)' starts like a spreadsheet formula",
            ],
        ),
        (
            "attorney_name,attorney_email,court_id\nJ,j@f.example,canbb\nK,not-an-email,nysd\n",
            [
                "row 2, court_id: unknown court 'canbb' (did you mean 'canb'?)",
                "row 3, attorney_email: 'not-an-email' is not an email address",
            ],
        ),
        (
            "attorney_name,attorney_email,court_id,efiling_account\nJ,j@f.example,canb,maybe\n",
            ["row 2, efiling_account: 'maybe' is not yes or no"],
        ),
        (
            "attorney_name,attorney_email,court_id,bar_number\nJ,j@f.example,canb,1\nJ,J@F.example,nysd,2\n",
            ["row 3, bar_number: '2' differs from '1' on row 2 for the same attorney"],
        ),
        (
            "attorney_name,attorney_email,court_id\nJ,j@f.example,canb\nJ,J@f.example,CANB\n",
            ["row 3, court_id: canb for j@f.example already on row 2"],
        ),
        (
            "attorney_name,attorney_email,court_id,pacer_account\nJ,j@f.example,canb,gold\n",
            ["row 2, pacer_account: 'gold' is not one of none, legacy, upgraded"],
        ),
        ("attorney_name,attorney_email,court_id\nJ,j@f.example\n", ["row 2: 2 cells for 3 columns"]),
        ("attorney_name,attorney_email,court_id\n", ["a header but no rows"]),
    ],
)
def test_a_hostile_roster_is_refused_row_by_row_and_nothing_changes(tmp_path, capsys, content, messages):
    AttorneyFactory(email="existing@firm.example")
    before = snapshot()
    assert run(tmp_path, content) == 2
    err = capsys.readouterr().err
    assert "refused, nothing was imported" in err
    for message in messages:
        assert message in err
    assert snapshot() == before


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("attorney_name,attorney_email,court_id\nJosé,j@f.example,canb\n".encode("latin-1"), "not UTF-8 text (byte"),
        (b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00", "looks like a binary file"),
        (b"", "file: empty"),
    ],
)
def test_unreadable_files_get_a_clear_error(tmp_path, capsys, data, message):
    assert run(tmp_path, data) == 2
    assert message in capsys.readouterr().err
    assert not Attorney.objects.exists()


def test_dry_run_reports_and_writes_nothing(tmp_path, capsys):
    assert run(tmp_path, GOOD, "--dry-run") == 0
    out = capsys.readouterr().out
    assert "would add attorney james@firm.example (James C Alison)" in out
    assert "would add nysd for james@firm.example" in out and "Dry run, nothing written" in out
    assert not Attorney.objects.exists() and not StepChange.objects.exists()


def test_recorded_steps_are_never_changed_and_nothing_is_deleted(tmp_path, actor, capsys):
    run(tmp_path, GOOD)
    james = Attorney.objects.get(email="james@firm.example")
    link = james.links.get(court__court_id="canb")
    with override_settings(FIRMLINK_AS_OF=AS_OF):
        step_record(step=Step.LINKED, actor=actor, link_id=link.pk, cmecf_name="J", pacer_name="J")
    # A stale roster: no nysd row, legacy account, canb now "PACER only".
    stale = "attorney_name,attorney_email,court_id,pacer_account\nJames C Alison,james@firm.example,canb,legacy\n"
    assert run(tmp_path, stale) == 0
    assert "kept 'upgraded' for james@firm.example" in capsys.readouterr().out
    james.refresh_from_db()
    assert james.pacer_account == "upgraded" and james.links.count() == 2
    refused = "attorney_name,attorney_email,court_id,efiling_account\nJames C Alison,james@firm.example,canb,no\n"
    assert run(tmp_path, refused) == 2
    assert "already has access recorded" in capsys.readouterr().err
    assert CourtLink.objects.get(pk=link.pk).efiling_account is True


def test_round_trip_of_the_export(tmp_path, client, staff_user):
    run(tmp_path, GOOD)
    client.force_login(staff_user)
    body = b"".join(client.get(reverse("link-list") + "?_export=csv&include_inactive=on").streaming_content)
    exported = list(csv.DictReader(io.StringIO(body.decode(), newline="")))
    columns = [
        "attorney_name",
        "attorney_email",
        "bar_number",
        "court_id",
        "pacer_account",
        "pacer_individual",
        "efiling_account",
    ]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(exported)
    before = snapshot()
    plan = roster_import(out.getvalue().encode(), filename="export.csv", actor=IMPORTER)
    assert plan.changes == 0 and not plan.kept
    assert snapshot() == before


def test_the_upload_page_previews_then_applies(client):
    client.force_login(UserFactory(username="adm", role="administrator"))
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(reverse("roster-upload"), {"file": SimpleUploadedFile("firm.csv", GOOD.encode())})
    preview = client.get(response["Location"]).content.decode()
    assert "3 rows: 2 new attorney(s)" in preview and not Attorney.objects.exists()
    response = client.post(response["Location"])
    assert response.status_code == 302 and Attorney.objects.count() == 2
    assert StepChange.objects.filter(actor="import of firm.csv", changed_by__username="adm").exists()


def test_the_upload_page_shows_every_error(client):
    client.force_login(UserFactory(username="adm", role="administrator"))
    from django.core.files.uploadedfile import SimpleUploadedFile

    bad = "attorney_name,attorney_email,court_id\nJ,bad,canbb\n"
    response = client.post(reverse("roster-upload"), {"file": SimpleUploadedFile("bad.csv", bad.encode())}, follow=True)
    page = response.content.decode()
    assert "Refused: nothing was imported" in page and "row 2, court_id: unknown court" in page
    assert "Apply these changes" not in page


@pytest.mark.parametrize("role", ["staff", "compliance"])
def test_only_administrators_import(client, role):
    client.force_login(UserFactory(username=f"{role}-x", role=role))
    assert client.get(reverse("roster-upload")).status_code == 403


# ----------------------------------------------------------------------------- properties

COURTS = ["canb", "nysd", "alnb", "ca9", "cit", "txsd"]
names = (
    st.text(alphabet=string.ascii_letters + " ,.'-\"é", min_size=1, max_size=20)
    .map(str.strip)
    .filter(lambda s: s and s[0] not in "=+@-'")
)
rows_strategy = st.lists(
    st.tuples(
        st.sampled_from(["ann", "bob", "cy", "di", "ed"]),  # attorney key
        st.sampled_from(COURTS),
        st.sampled_from(["yes", "no", "Y", "False", ""]),
        st.sampled_from(["", "none", "legacy", "UPGRADED"]),
    ),
    min_size=1,
    max_size=12,
    unique_by=lambda r: (r[0], r[1]),
)


def build(rows, people, *, bom, crlf, case):
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n" if crlf else "\n")
    writer.writerow(["attorney_name", "attorney_email", "court_id", "efiling_account", "pacer_account"])
    accounts = {}
    for key, court, efiling, account in rows:
        accounts.setdefault(key, account)
        email = f"{key}@firm.example"
        writer.writerow([people[key], email.upper() if case else email, court, efiling, accounts[key]])
    return (("\ufeff" if bom else "") + out.getvalue()).encode()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    rows=rows_strategy,
    people=st.fixed_dictionaries(dict.fromkeys(["ann", "bob", "cy", "di", "ed"], names)),
    bom=st.booleans(),
    crlf=st.booleans(),
    case=st.booleans(),
)
def test_generated_rosters_import_exactly(rows, people, bom, crlf, case):
    with transaction.atomic():
        roster_import(build(rows, people, bom=bom, crlf=crlf, case=case), filename="gen.csv", actor=IMPORTER)
        expected_pairs = sorted(
            (f"{key}@firm.example", court, efiling.lower() not in ("no", "false")) for key, court, efiling, _ in rows
        )
        got = sorted(
            (e.lower(), c, f)
            for e, c, f in CourtLink.objects.values_list("attorney__email", "court__court_id", "efiling_account")
        )
        assert got == expected_pairs
        for key in {r[0] for r in rows}:
            attorney = Attorney.objects.get(email__iexact=f"{key}@firm.example")
            assert attorney.name == people[key].strip()
            account = next(r[3] for r in rows if r[0] == key).lower() or "none"
            assert attorney.pacer_account == account
        transaction.set_rollback(True)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    rows=rows_strategy,
    people=st.fixed_dictionaries(dict.fromkeys(["ann", "bob", "cy", "di", "ed"], names)),
    bad=st.sampled_from(["=1+1", "+cmd", "@x", "zzzz", "maybe", "not an email"]),
    where=st.integers(0, 11),
    column=st.sampled_from([0, 1, 2, 3]),
)
def test_a_roster_with_one_bad_cell_writes_nothing(rows, people, bad, where, column):
    lines = list(csv.reader(io.StringIO(build(rows, people, bom=False, crlf=False, case=False).decode())))
    target = 1 + where % (len(lines) - 1)
    if column == 1 and bad in ("zzzz", "maybe"):
        bad = "not an email"
    if column == 2 and bad == "not an email":
        bad = "zzzz"
    if column == 3 and bad not in ("=1+1", "+cmd", "@x"):
        bad = "maybe"
    if column == 0 and bad in ("zzzz", "maybe", "not an email"):
        bad = "=1+1"
    lines[target][column] = bad
    out = io.StringIO()
    csv.writer(out).writerows(lines)
    before = snapshot()
    with pytest.raises(RosterError) as excinfo:
        roster_import(out.getvalue().encode(), filename="bad.csv", actor=IMPORTER)
    assert any(error.startswith(f"row {target + 1}, ") for error in excinfo.value.errors)
    assert snapshot() == before


# ----------------------------------------------------------------------------- real-world files


def test_a_semicolon_roster_with_spreadsheet_headers_imports(tmp_path, capsys):
    content = (
        "Attorney Name;Attorney Email;Court ID;Bar Number;;\r\n"
        "James\u00a0C Alison;james@firm.example;canb;00784567;;\r\n"
        "Mary Major;mary@firm.example;nysd;;;\r\n"
    )
    assert run(tmp_path, content) == 0
    james = Attorney.objects.get(email="james@firm.example")
    assert (james.name, james.bar_number) == ("James C Alison", "00784567")
    assert "unusual spaces (e.g. non-breaking) read as plain spaces" in capsys.readouterr().out
    # Saved again by a spreadsheet: the leading zeros are gone; nothing changes, and it says why.
    again = "attorney_name,attorney_email,court_id,bar_number\nJames C Alison,james@firm.example,canb,784567\n"
    assert run(tmp_path, again) == 0
    assert Attorney.objects.get(pk=james.pk).bar_number == "00784567"
    assert "kept '00784567': the file's '784567' only lost its leading zeros" in capsys.readouterr().out


def test_a_tab_separated_utf16_file_imports(tmp_path):
    content = "attorney_name\tattorney_email\tcourt_id\r\nJosé Núñez\tjose@firm.example\tcanb\r\n"
    assert run(tmp_path, "\ufeff".encode("utf-16-le").join([b"", content.encode("utf-16-le")])) == 0
    assert Attorney.objects.get(email="jose@firm.example").name == "José Núñez"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            "Attorney Mail,attorney_name,court_id\n",
            "unknown column(s) 'Attorney Mail' (did you mean 'attorney_email'?)",
        ),
        ("attorney_name,attorney_email,court\n", "unknown column(s) 'court' (did you mean 'court_id'?)"),
        (f"attorney_name,attorney_email,court_id\n{'J' * 201},j@f.example,canb\n", "201 characters, more than the 200"),
        (f"attorney_name,attorney_email,court_id,bar_number\nJ,j@f.example,canb,{'1' * 51}\n", "more than the 50"),
        (f"attorney_name,attorney_email,court_id\nJ,{'j' * 250}@f.example,canb\n", "more than the 254"),
        ('attorney_name,attorney_email,court_id\n"James\nAlison",j@f.example,canb\n', "contains a line break"),
        ("attorney_name,attorney_email,court_id\nJames\x1b[31m,j@f.example,canb\n", "contains a control character"),
        ("attorney_name,attorney_email,court_id\nJames\x07,j@f.example,canb\n", "contains a control character"),
        (
            "attorney_name,attorney_email,court_id,pacer_username\nJ,j@f.example,canb,jdoe pw: Hunter22\n",
            "looks like it contains a password",
        ),
    ],
)
def test_values_the_model_would_refuse_are_refused_with_row_and_column(tmp_path, capsys, content, message):
    assert run(tmp_path, content) == 2
    assert message in capsys.readouterr().err
    assert not Attorney.objects.exists()


def test_nul_bytes_anywhere_and_other_encodings_are_refused_with_the_fix(tmp_path, capsys):
    late_nul = ("attorney_name,attorney_email,court_id\n" + "J,j@f.example,canb\n" * 400).encode() + b"\x00"
    assert run(tmp_path, late_nul) == 2
    assert "looks like a binary file" in capsys.readouterr().err
    assert run(tmp_path, "attorney_name,attorney_email,court_id\nJosé,j@f.example,canb\n".encode("cp1252")) == 2
    assert "CSV UTF-8" in capsys.readouterr().err


@override_settings(FIRMLINK_ROSTER_MAX_ROWS=1000, FIRMLINK_ROSTER_MAX_BYTES=200_000, FIRMLINK_ROSTER_MAX_ERRORS=5)
def test_limits_are_refused_at_once_and_errors_are_counted_not_all_listed(tmp_path, capsys):
    too_many = "attorney_name,attorney_email,court_id\n" + "J,j@f.example,canb\n" * 1001
    assert run(tmp_path, too_many) == 2
    assert "1,001 rows, over the limit of 1,000" in capsys.readouterr().err
    assert run(tmp_path, "x" * 200_001) == 2
    assert "file: 200 kB, over the limit of 200 kB: split it" in capsys.readouterr().err
    bad = "attorney_name,attorney_email,court_id\n" + "".join(f"J{i},j{i}@f.example,zz{i % 7}\n" for i in range(900))
    assert run(tmp_path, bad) == 2
    err = capsys.readouterr().err
    assert err.count("unknown court") == 5 and "and 895 more problem(s)" in err


def test_the_roster_template_imports_as_it_is(client, tmp_path):
    client.force_login(UserFactory(username="adm", role="administrator"))
    response = client.get(reverse("roster-template"))
    assert response["Content-Disposition"] == 'attachment; filename="firmlink-roster-template.csv"'
    assert run(tmp_path, response.content) == 0
    assert Attorney.objects.get().links.count() == 2


def test_a_refused_upload_is_not_kept_and_an_applied_one_is_emptied(client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from attorneys.models import RosterImport

    client.force_login(UserFactory(username="adm2", role="administrator"))
    bad = "attorney_name,attorney_email,court_id\nJ,j@f.example,nowhere\n"
    client.post(reverse("roster-upload"), {"file": SimpleUploadedFile("bad.csv", bad.encode())})
    refused = RosterImport.objects.get(filename="bad.csv")
    assert bytes(refused.content) == b"" and "unknown court" in refused.summary
    client.post(reverse("roster-upload"), {"file": SimpleUploadedFile("firm.csv", GOOD.encode())})
    record = RosterImport.objects.get(filename="firm.csv")
    assert len(bytes(record.content)) > 0
    client.post(reverse("roster-preview", args=[record.pk]))
    record.refresh_from_db()
    assert record.state == "applied" and bytes(record.content) == b""


def test_a_preview_nobody_applies_is_dropped_on_cancel_on_the_next_upload_or_after_a_day(client):
    import datetime

    from django.core.files.uploadedfile import SimpleUploadedFile

    from attorneys.models import RosterImport

    admin = UserFactory(username="adm3", role="administrator")
    client.force_login(admin)

    def upload(name):
        client.post(reverse("roster-upload"), {"file": SimpleUploadedFile(name, GOOD.encode())})
        return RosterImport.objects.get(filename=name)

    cancelled = upload("cancel.csv")
    response = client.post(reverse("roster-preview", args=[cancelled.pk]), {"cancel": "1"}, follow=True)
    assert "cancel.csv was not imported; the file is not kept" in response.content.decode()
    cancelled.refresh_from_db()
    assert (cancelled.state, bytes(cancelled.content)) == ("abandoned", b"")
    assert not Attorney.objects.exists()
    page = client.get(reverse("roster-preview", args=[cancelled.pk])).content.decode()
    assert "The file is no longer kept" in page
    # Abandoned previews cannot be applied afterwards.
    assert client.post(reverse("roster-preview", args=[cancelled.pk])).status_code == 404

    first = upload("first.csv")
    second = upload("second.csv")  # the same administrator's next upload replaces the first preview
    first.refresh_from_db()
    assert first.state == "abandoned" and bytes(first.content) == b""
    # Another administrator's upload a day later drops the one left waiting.
    RosterImport.objects.filter(pk=second.pk).update(uploaded_at=second.uploaded_at - datetime.timedelta(hours=25))
    client.force_login(UserFactory(username="adm4", role="administrator"))
    upload("third.csv")
    second.refresh_from_db()
    assert second.state == "abandoned"
    assert RosterImport.objects.get(filename="third.csv").state == "previewed"


def test_a_preview_of_many_kept_values_lists_fifty_and_counts_the_rest(client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    rows = "".join(f"Attorney\u00a0{i},a{i}@firm.example,canb\n" for i in range(120))
    client.force_login(UserFactory(username="adm5", role="administrator"))
    response = client.post(
        reverse("roster-upload"),
        {"file": SimpleUploadedFile("nbsp.csv", f"attorney_name,attorney_email,court_id\n{rows}".encode())},
        follow=True,
    )
    page = response.content.decode()
    assert page.count("unusual spaces") == 50
    assert "and 70 more" in page


def test_a_large_roster_imports_on_sqlite_too(tmp_path):
    """SQLite allows 999 variables per statement: every IN list is batched (a 600,000-row file once
    ended in "too many SQL variables"). Imported twice, so the second run looks up 3,000 attorneys."""
    import os
    import subprocess
    import sys

    rows = "".join(f"Attorney {i},a{i}@firm.example,{('canb', 'nysd')[i % 2]}\n" for i in range(3000))
    path = tmp_path / "big.csv"
    path.write_text("attorney_name,attorney_email,court_id\n" + rows)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "firmlink.settings.local",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'roster.sqlite3'}",
    }

    def manage(*args):
        return subprocess.run(
            [sys.executable, "manage.py", *args], env=env, capture_output=True, text=True, timeout=300, check=False
        )

    assert manage("migrate", "--verbosity=0").returncode == 0
    first = manage("import_roster", str(path))
    assert first.returncode == 0, first.stderr
    assert "3000 new attorney(s)" in first.stdout
    second = manage("import_roster", str(path))
    assert second.returncode == 0, second.stderr
    assert "0 new attorney(s)" in second.stdout


def _django_accepts(value: str) -> bool:
    from django.core.exceptions import ValidationError
    from django.core.validators import validate_email

    try:
        validate_email(value)
    except ValidationError:
        return False
    return len(value) <= 254


@given(
    st.one_of(
        st.text(max_size=40),
        st.emails().map(str),
        st.from_regex(r'[a-z."@ ]{1,8}@{1,2}[a-z.\-]{1,10}(\.[a-z]{1,4})?', fullmatch=True),
        st.sampled_from(['"a@b"@firm.example', "a..b@firm.example", "a@firm", "a@-firm.example", "@firm.example"]),
    )
)
def test_the_rosters_fast_email_check_agrees_with_djangos(value):
    from attorneys.roster.reading import _is_email

    assert _is_email(value) == _django_accepts(value), value
