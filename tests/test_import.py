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
    'mary@firm.example,"Major, Mary",alnb,yes,yes,"AL\n77",legacy,no\r\n'
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
        "AL\n77",
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
