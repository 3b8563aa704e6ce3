"""The federal court directory ships with the product and loads from CSV, all or nothing."""

import datetime

import pytest
from django.core.management import CommandError, call_command

from attorneys.choices import Step
from attorneys.models import StepChange
from attorneys.services.court_facts import court_set_go_live
from core.audit import Actor
from courts import directory
from courts.feed import read_feed
from courts.models import Court

pytestmark = pytest.mark.django_db


def test_all_204_courts_are_there_after_migrate():
    assert Court.objects.count() == 204
    counts = {
        t: Court.objects.filter(court_type=t).count() for t in ("appellate", "district", "bankruptcy", "national")
    }
    assert counts == {"appellate": 13, "district": 94, "bankruptcy": 94, "national": 3}
    # 81 dates from the 2023 directory, 35 from the 2026-11 evidence, 7 more found re-checking it.
    assert Court.objects.exclude(nextgen_go_live=None).count() == 123
    # Every court has an on-NextGen-by bound: all were listed on NextGen in PACER's feed of 2022-11-27.
    assert Court.objects.filter(live_by=None).count() == 0
    assert Court.objects.filter(live_by__gt=datetime.date(2022, 11, 27)).count() == 0
    assert set(Court.objects.values_list("directory_as_of", flat=True)) == {datetime.date(2023, 1, 10)}


def test_known_facts():
    canb = Court.objects.get(court_id="canb")
    assert canb.nextgen_go_live == datetime.date(2021, 2, 16)
    assert canb.go_live_source_url.startswith("https://www.canb.uscourts.gov/")
    assert canb.help_desk_email == "helpdesk@canb.uscourts.gov"
    alnb = Court.objects.get(court_id="alnb")
    assert alnb.ecf_url == "https://ecf.alnb.uscourts.gov/"
    assert alnb.help_desk_email == "ecfrain@alnb.uscourts.gov"
    assert alnb.nextgen_go_live == datetime.date(2018, 9, 24)


def test_every_date_says_how_sure_it_is_and_where_it_comes_from():
    dated = Court.objects.exclude(nextgen_go_live=None)
    assert not dated.filter(go_live_source_kind="").exists()
    assert set(dated.values_list("go_live_source_kind", flat=True)) <= {"past", "planned", "stated", "estimate"}
    assert not Court.objects.filter(live_by_source="").exists()
    # An estimate with a day is shipped as a date, and says it is an estimate.
    ndb = Court.objects.get(court_id="ndb")
    assert (ndb.nextgen_go_live, ndb.go_live_source_kind) == (datetime.date(2020, 6, 22), "estimate")
    assert "estimated June 22, 2020" in ndb.go_live_source_note
    # A month only is not a date: it stays visible, the court is known live from its bound.
    mieb = Court.objects.get(court_id="mieb")
    assert mieb.nextgen_go_live is None and "In May 2021" in mieb.go_live_source_note
    assert mieb.live_by == datetime.date(2022, 11, 27) and "NextGen CM/ECF Release 1.6" in mieb.live_by_note
    # The tightest bound wins: a 2018 list of NextGen courts beats the 2022 feed.
    ctd = Court.objects.get(court_id="ctd")
    assert ctd.nextgen_go_live is None and ctd.live_by == datetime.date(2018, 5, 12)
    # A weak hint is shown, not used as a bound.
    msnb = Court.objects.get(court_id="msnb")
    assert msnb.live_by == datetime.date(2022, 11, 27) and "bound(weak)" in msnb.go_live_source_note


def test_no_shipped_date_contradicts_the_shipped_feed_and_the_evidence_cites_it_truly():
    """Re-check: a court the 2022-11-27 feed lists on NextGen cannot have a later go-live date, and
    every evidence row that cites that snapshot quotes the version the snapshot really gives."""
    feed = {court.court_id: court for court in read_feed(directory.FEED_FILE.read_bytes()).courts}
    assert len(feed) == 204 and all(court.on_nextgen for court in feed.values())
    assert not Court.objects.filter(nextgen_go_live__gt=datetime.date(2022, 11, 27)).exists()
    cited = [item for items in directory.read_evidence().values() for item in items if item.kind == "bound(feed)"]
    assert len(cited) == 123
    for item in cited:
        assert item.live_by == datetime.date(2022, 11, 27)
        assert item.quote == f"software_version: {feed[item.court_id].software_version}", item.court_id


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
