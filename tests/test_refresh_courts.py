"""refresh_courts: PACER's Court CM/ECF Lookup feed applied to the directory, all or nothing."""

import datetime
import json

import pytest
from django.core.management import CommandError, call_command

from attorneys.choices import Step
from attorneys.models import StepChange
from attorneys.services.court_facts import court_set_go_live
from core.audit import Actor
from courts import directory
from courts.models import Court

pytestmark = pytest.mark.django_db


def entry(code, title, login, kind="Bankruptcy", version="NextGen CM/ECF Release 1.7.1 (Revision 1.7.1.1)", **more):
    return {"court_id": code, "title": title, "type": kind, "login_url": login, "software_version": version, **more}


def small_feed(updated="Tue, 03 Feb 2026 06:10:04 -0500", entries=None) -> dict:
    """A feed written for the tests: a renamed court, an upgraded one, a new one, and the non-courts."""
    return {
        "meta": {"credit": "PACER: Federal Court Records", "last_updated": updated},
        "data": entries
        if entries is not None
        else [
            {
                "court_id": "00PCL",
                "title": "Pacer Case Locator",
                "login_url": "https://pcl.uscourts.gov/search",
                "type": "District",
            },
            {"court_id": "SCOTUS", "title": "Supreme Court of the United States", "type": "National"},
            entry("01BAP", "U.S. Court of Appeals, First Circuit BAP", "https://ecf.ca1.uscourts.gov", "Appeals"),
            entry(
                "CANBK",
                "California Northern Bankruptcy Court (San Francisco)",
                "https://ecf.canb.uscourts.gov",
                web_url="https://www.canb.uscourts.gov/",
                help_desk=[{"courtId": "CANBK", "phone": "888-821-7606"}, {"phone": "415-268-2300", "division": "SF"}],
            ),
            entry("NYWDC", "New York Western District Court", "https://ecf.nywd.uscourts.gov/", "District"),
            entry(
                "ZZTAX",
                "U.S. Tax Court",
                "https://ecf.zztax.uscourts.gov",
                "National",
                web_url="https://www.ustaxcourt.gov/",
                counties=[{"name": "District of Columbia", "state": "District of Columbia"}],
            ),
        ],
    }


def write(tmp_path, document, name="data.json"):
    path = tmp_path / name
    path.write_text(document if isinstance(document, str) else json.dumps(document), encoding="utf-8")
    return str(path)


def facts():
    return list(Court.objects.order_by("court_id").values())


def test_a_newer_feed_updates_names_addresses_and_adds_a_court_with_history(tmp_path, capsys):
    call_command("refresh_courts", write(tmp_path, small_feed()))
    out = capsys.readouterr().out
    assert "PACER feed of 2026-02-03: 3 courts, 3 entries skipped." in out
    assert "skipped 00PCL (Pacer Case Locator): https://pcl.uscourts.gov/search is not a court's own CM/ECF" in out
    assert "skipped SCOTUS (Supreme Court of the United States): no CM/ECF login address" in out
    assert "skipped 01BAP (U.S. Court of Appeals, First Circuit BAP): a bankruptcy appellate panel" in out
    canb = Court.objects.get(court_id="canb")
    assert canb.name == "California Northern Bankruptcy Court (San Francisco)"
    assert canb.help_desk_phone == "888-821-7606; 415-268-2300 (SF)"
    assert canb.web_url == "https://www.canb.uscourts.gov/"
    assert canb.directory_software_version == "NextGen CM/ECF Release 1.7.1 (Revision 1.7.1.1)"
    assert canb.directory_as_of == datetime.date(2026, 2, 3)
    assert canb.nextgen_go_live == datetime.date(2021, 2, 16)  # the feed has no NextGen dates: never touched
    assert canb.live_by == datetime.date(2022, 11, 27)  # a later feed does not loosen a bound
    names = StepChange.objects.get(court=canb, step=Step.COURT_DETAIL, new_value__startswith="California")
    assert names.old_value == "California Northern Bankruptcy Court" and "name; refresh_courts data.json" in names.note
    tax = Court.objects.get(court_id="zztax")
    assert (tax.court_type, tax.state, tax.ecf_url) == ("national", "DC", "https://ecf.zztax.uscourts.gov/")
    assert (
        tax.live_by == datetime.date(2026, 2, 3)
        and "PACER Court CM/ECF Lookup feed of 2026-02-03" in tax.live_by_source
    )
    assert StepChange.objects.filter(court=tax, step=Step.COURT_CREATED).count() == 1
    assert "zztax: added to the directory" in out
    assert "Not in this feed (kept, never deleted):" in out and Court.objects.count() == 205


def test_a_second_run_changes_nothing(tmp_path, capsys):
    path = write(tmp_path, small_feed())
    call_command("refresh_courts", path)
    before, history = facts(), StepChange.objects.count()
    capsys.readouterr()
    call_command("refresh_courts", path)
    assert facts() == before and StepChange.objects.count() == history
    assert "0 court(s) were updated (0 on-NextGen-by bound(s) set or tightened), 0 added, 3 unchanged." in (
        capsys.readouterr().out
    )


def test_the_shipped_2022_feed_applies_cleanly_and_changes_nothing_shipped(capsys):
    before = facts()
    call_command("refresh_courts", str(directory.FEED_FILE))
    out = capsys.readouterr().out
    assert "PACER feed of 2022-11-27: 204 courts, 6 entries skipped." in out
    assert "skipped OHNDAD (Ohio Northern District Court (asbestos))" in out
    # Older than the directory's facts (2023-01-10): names and versions are kept; bounds already as tight.
    assert "Names, addresses and versions kept for 204 court(s)" in out
    assert "0 court(s) were updated (0 on-NextGen-by bound(s) set or tightened), 0 added, 204 unchanged." in out
    assert facts() == before and not StepChange.objects.exists()


def test_an_older_feed_tightens_a_bound_and_a_non_nextgen_version_is_flagged(tmp_path, capsys):
    feed = small_feed(
        "2019-03-01T09:00:00-05:00",
        [
            entry("NYEBK", "New York Eastern Bankruptcy Court", "https://ecf.nyeb.uscourts.gov", version="NextGen 1.2"),
            entry(
                "NYSDC", "New York Southern District Court", "https://ecf.nysd.uscourts.gov", "District", "CM/ECF 6.1"
            ),
            entry("CTDC", "Connecticut District Court", "https://ecf.ctd.uscourts.gov", "District", "CM/ECF 6.2"),
        ],
    )
    call_command("refresh_courts", write(tmp_path, feed))
    captured = capsys.readouterr()
    nyeb = Court.objects.get(court_id="nyeb")
    assert (
        nyeb.live_by == datetime.date(2019, 3, 1) and nyeb.live_by_note == "bound(feed): software_version: NextGen 1.2"
    )
    change = StepChange.objects.get(court=nyeb, step=Step.LIVE_BY)
    assert (change.old_value, change.new_value) == ("2022-11-27", "2019-03-01")
    assert Court.objects.get(court_id="nysd").live_by == datetime.date(2022, 11, 27)  # not on NextGen then
    # ctd is on NextGen by 2018-05-12 in our evidence, yet this feed lists the old CM/ECF: say so.
    assert "check: ctd: the feed of 2019-03-01 lists 'CM/ECF 6.2', not NextGen" in captured.err
    assert Court.objects.get(court_id="ctd").name == "Connecticut District Court"


def test_an_administrators_corrections_are_kept(tmp_path, staff_user, capsys):
    court_set_go_live(
        court_id="canb", go_live=datetime.date(2021, 3, 1), actor=Actor.for_user(staff_user), note="Clerk's notice"
    )
    Court.objects.filter(court_id="canb").update(directory_source="administrator", name="N.D. Cal. Bankruptcy")
    call_command("refresh_courts", write(tmp_path, small_feed()))
    canb = Court.objects.get(court_id="canb")
    assert (canb.name, canb.nextgen_go_live) == ("N.D. Cal. Bankruptcy", datetime.date(2021, 3, 1))
    assert "Directory facts an administrator corrected, kept: canb." in capsys.readouterr().out


def test_a_dry_run_writes_nothing(tmp_path, capsys):
    before = facts()
    call_command("refresh_courts", write(tmp_path, small_feed()), "--dry-run")
    assert "Dry run, nothing written. 2 court(s) would be updated" in capsys.readouterr().out
    assert facts() == before and not StepChange.objects.exists()


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("<html>PACER</html>", "not JSON"),
        ("[1, 2]", "no 'meta' object"),
        (json.dumps({"meta": {}, "data": []}), "no 'meta.last_updated'"),
        (
            json.dumps({"meta": {"last_updated": "someday"}, "data": [{}]}),
            "'meta.last_updated' 'someday' is not a date",
        ),
        (json.dumps({"meta": {"last_updated": "2026-02-03"}, "data": {}}), "'data' is not a non-empty list"),
        (json.dumps({"meta": {"last_updated": "2026-02-03"}, "data": ["canb"]}), "data[0] is not an object"),
        (
            json.dumps({"meta": {"last_updated": "2026-02-03"}, "data": [{"court_id": "X"}]}),
            "no entry of 'data' is a court",
        ),
    ],
)
def test_a_malformed_file_exits_2_and_writes_nothing(tmp_path, content, reason):
    before = facts()
    with pytest.raises(CommandError) as excinfo:
        call_command("refresh_courts", write(tmp_path, content))
    assert excinfo.value.returncode == 2
    assert reason in str(excinfo.value) and "nothing was written" in str(excinfo.value)
    assert facts() == before and not StepChange.objects.exists()


def test_a_malformed_entry_late_in_the_file_writes_nothing_either(tmp_path):
    feed = small_feed()
    feed["data"].append("not a court")
    before = facts()
    with pytest.raises(CommandError, match=r"data\[6\] is not an object"):
        call_command("refresh_courts", write(tmp_path, feed))
    assert facts() == before
