"""The federal court directory ships with the product and loads from CSV, all or nothing."""

import datetime

import pytest
from django.core.management import CommandError, call_command

from attorneys.choices import Step
from attorneys.models import StepChange
from attorneys.services.golive import court_set_go_live
from core.audit import Actor
from courts.models import Court

pytestmark = pytest.mark.django_db


def test_all_204_courts_are_there_after_migrate():
    assert Court.objects.count() == 204
    counts = {
        t: Court.objects.filter(court_type=t).count() for t in ("appellate", "district", "bankruptcy", "national")
    }
    assert counts == {"appellate": 13, "district": 94, "bankruptcy": 94, "national": 3}
    assert Court.objects.exclude(nextgen_go_live=None).count() == 81


def test_known_facts():
    canb = Court.objects.get(court_id="canb")
    assert canb.nextgen_go_live == datetime.date(2021, 2, 16)
    assert canb.go_live_source_url.startswith("https://www.canb.uscourts.gov/")
    assert canb.help_desk_email == "helpdesk@canb.uscourts.gov"
    alnb = Court.objects.get(court_id="alnb")
    assert alnb.ecf_url == "https://ecf.alnb.uscourts.gov/"
    assert alnb.help_desk_email == "ecfrain@alnb.uscourts.gov"
    assert alnb.nextgen_go_live == datetime.date(2018, 9, 24)


def test_an_estimate_is_kept_visible_but_not_shipped_as_a_date():
    ndb = Court.objects.get(court_id="ndb")
    assert ndb.nextgen_go_live is None
    assert ndb.go_live_source_kind == "estimate"
    assert "2020-06-22" in ndb.go_live_source_note


def test_loading_the_shipped_directory_again_changes_nothing(capsys):
    call_command("load_courts")
    assert "0 courts updated, 204 unchanged" in capsys.readouterr().out


def test_a_file_of_court_id_and_go_live_updates_dates_with_history(tmp_path, capsys):
    path = tmp_path / "dates.csv"
    path.write_text("court_id,nextgen_go_live\r\nnysd,2022-09-12\r\nnyed,\r\n", encoding="utf-8")
    call_command("load_courts", str(path))
    nysd = Court.objects.get(court_id="nysd")
    assert nysd.nextgen_go_live == datetime.date(2022, 9, 12)
    assert nysd.go_live_source_note == "Date from dates.csv"
    assert "1 courts updated, 1 unchanged" in capsys.readouterr().out
    change = StepChange.objects.get(court=nysd)
    assert (change.step, change.old_value, change.new_value) == ("go_live", "", "2022-09-12")
    call_command("load_courts", str(path))  # idempotent
    assert StepChange.objects.filter(court=nysd).count() == 1


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            "court_id,nextgen_go_live\nnysd,2022-09-12\ncanbb,2021-02-16\n",
            "row 3, court_id: unknown court 'canbb' (did you mean 'canb'?)",
        ),
        (
            "court_id,nextgen_go_live\nnysd,2022-09-12\ncanb,16/02/2021\n",
            "row 3, nextgen_go_live: '16/02/2021' is not a date",
        ),
        ("court_id,nextgen_go_live\nnysd,2022-02-30\n", "row 2, nextgen_go_live: '2022-02-30' is not a date"),
        ("court_id,go_live\nnysd,2022-09-12\n", "header: unknown column(s) go_live"),
        ("nextgen_go_live\n2022-09-12\n", "a 'court_id' column is required"),
        ("court_id,court_type\nnysd,district\ncanb,tax\n", "row 3, court_type: 'tax' is not one of"),
        (
            "court_id,nextgen_go_live\nnysd,2022-09-12\nnysd,2022-09-13\n",
            "row 3, court_id: 'nysd' already given on row 2",
        ),
    ],
)
def test_a_bad_file_is_refused_naming_the_row_and_nothing_is_written(tmp_path, content, message):
    path = tmp_path / "bad.csv"
    path.write_text(content, encoding="utf-8")
    before = list(Court.objects.order_by("court_id").values_list("court_id", "nextgen_go_live", "court_type"))
    with pytest.raises(CommandError) as excinfo:
        call_command("load_courts", str(path))
    assert message in str(excinfo.value)
    assert "nothing was written" in str(excinfo.value)
    assert list(Court.objects.order_by("court_id").values_list("court_id", "nextgen_go_live", "court_type")) == before
    assert not StepChange.objects.exists()


def test_a_non_utf8_file_is_refused(tmp_path):
    path = tmp_path / "latin1.csv"
    path.write_bytes("court_id,notes\nnysd,Défense\n".encode("latin-1"))
    with pytest.raises(CommandError, match="not a UTF-8 text file"):
        call_command("load_courts", str(path))


def test_an_administrators_correction_survives_a_reload(tmp_path, staff_user, capsys):
    court_set_go_live(
        court_id="canb", go_live=datetime.date(2021, 3, 1), actor=Actor.for_user(staff_user), note="Clerk's notice"
    )
    call_command("load_courts")
    assert Court.objects.get(court_id="canb").nextgen_go_live == datetime.date(2021, 3, 1)
    assert "canb: kept the go-live date an administrator corrected" in capsys.readouterr().out
    call_command("load_courts", overwrite_corrections=True)
    assert Court.objects.get(court_id="canb").nextgen_go_live == datetime.date(2021, 2, 16)
    assert list(
        StepChange.objects.filter(court__court_id="canb", step=Step.GO_LIVE).values_list("new_value", flat=True)
    ) == [
        "2021-02-16",
        "2021-03-01",
    ]


def test_load_courts_never_deletes_or_creates(tmp_path):
    path = tmp_path / "one.csv"
    path.write_text("court_id,nextgen_go_live\ncanb,2021-02-16\n", encoding="utf-8")
    call_command("load_courts", str(path))
    assert Court.objects.count() == 204
