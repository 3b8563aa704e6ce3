"""Campaigns per attorney and court: bar renewals, notice routing, appellate ACMS.

One machinery with the campaigns per attorney: steps recorded as ``campaigns.Progress`` rows with
the court, statuses derived in SQL (pages, counts, exports, reminders) and in Python (one pair),
tested to agree; reminders counted from each pair's own date, once per occasion.
"""

import csv
import datetime
import io
import itertools

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from attorneys.models import StepChange
from campaigns import services, subjects
from campaigns.acms import CAMPAIGN as ACMS
from campaigns.agents import CAMPAIGN as AGENTS
from campaigns.models import CourtDate, Progress
from campaigns.notices import CAMPAIGN as NOTICES
from campaigns.renewals import CAMPAIGN as RENEWALS
from campaigns.renewals import CYCLES, next_due
from core import clock
from core.audit import Actor
from core.exceptions import StepRefused
from courts.models import Court
from tasks.models import Reminder, ReminderStatus
from tests.factories import AttorneyFactory, CourtLinkFactory, UserFactory

pytestmark = pytest.mark.django_db

REAL_DATE = datetime.date(2026, 12, 3)
D = datetime.date


@pytest.fixture
def staff():
    return Actor.for_user(UserFactory(username="clerk", role="staff"))


def pair(court_id: str, name="Ann Filer", email=None, **kwargs):
    attorney = AttorneyFactory(name=name, **({"email": email} if email else {}))
    return CourtLinkFactory(attorney=attorney, court=Court.objects.get(court_id=court_id), **kwargs)


def record(actor, campaign, link, step, **kwargs):
    return services.progress_record(
        campaign=campaign, attorney_id=link.attorney_id, court_id=link.court_id, step=step, actor=actor, **kwargs
    )


def status(campaign, link, today=REAL_DATE):
    """The pair's status in SQL (the annotation pages use) and in Python (one pair), which must agree."""
    sql = subjects.subjects(campaign, today).get(pk=link.pk).status
    python = subjects.status_of(campaign, subjects.state(campaign, link.attorney, court=link.court), today)
    assert sql == python
    return sql


# Renewal cycles: the one rule for the next due date ---------------------------------------------------


@pytest.mark.parametrize(
    ("court", "admitted", "renewed", "due"),
    [
        ("txsd", D(2021, 12, 20), None, D(2026, 12, 20)),  # 5 years from admission
        ("txsd", D(2016, 12, 20), D(2021, 12, 1), D(2026, 12, 1)),  # from the last renewal
        ("mdd", D(2020, 2, 29), None, D(2026, 2, 28)),  # 6 years; a leap day falls back
        ("lawd", D(2019, 4, 10), D(2023, 4, 2), D(2026, 4, 30)),  # in the month of first admission
        ("flmd", D(2023, 7, 1), None, D(2026, 8, 31)),  # the last business day of August (a Monday)
        ("flmd", D(2022, 7, 1), None, D(2025, 8, 29)),  # 2025-08-31 is a Sunday
        ("rid", D(2025, 3, 1), None, D(2026, 8, 31)),  # every second year from 2024, window June 1
        ("rid", D(2020, 1, 1), D(2026, 7, 15), D(2028, 8, 31)),  # renewed in the 2026 window
        ("rid", D(2026, 7, 1), None, D(2028, 8, 31)),  # admitted in a window: the next one
        ("moed", D(2015, 5, 5), D(2023, 1, 10), D(2027, 1, 31)),  # quadrennial, due 2027-01-31
        ("moed", D(2015, 5, 5), D(2026, 11, 2), D(2031, 1, 31)),  # renewed in the fall 2026 period
        ("laed", D(2010, 1, 1), D(2023, 2, 1), D(2026, 3, 1)),  # triennial from 2017-03-01
    ],
)
def test_next_due_follows_each_court_cycle(court, admitted, renewed, due):
    assert next_due(CYCLES[court], admitted, renewed) == due


def test_every_court_with_a_cycle_is_in_the_directory_and_has_a_source():
    for fact in RENEWALS.court_facts:
        assert Court.objects.filter(court_id=fact.court).exists(), fact.court
        assert fact.source.url.startswith("http") and fact.consequence and fact.summary


# Bar renewals --------------------------------------------------------------------------------------------


@override_settings(FIRMLINK_AS_OF=REAL_DATE)
def test_a_renewal_is_computed_from_admission_and_moves_when_renewed(staff):
    link = pair("txsd")
    assert status(RENEWALS, link) == "needs_admission"
    record(staff, RENEWALS, link, "admitted", on=D(2021, 12, 20))
    due = Progress.objects.get(campaign=RENEWALS.slug, attorney=link.attorney, court=link.court, step="due")
    assert due.done_on == D(2026, 12, 20)
    assert status(RENEWALS, link) == "due_soon"
    record(staff, RENEWALS, link, "renewed", on=D(2026, 12, 1))
    due.refresh_from_db()
    assert due.done_on == D(2031, 12, 1)
    assert status(RENEWALS, link) == "current"
    history = StepChange.objects.filter(campaign=RENEWALS.slug, court=link.court).order_by("id")
    assert [h.step for h in history] == ["admitted", "renewed"]
    with pytest.raises(StepRefused, match="computed by Firmlink"):
        record(staff, RENEWALS, link, "due", on=D(2030, 1, 1))


@override_settings(FIRMLINK_AS_OF=REAL_DATE)
def test_a_court_without_a_published_cycle_says_so_instead_of_guessing(staff):
    link = pair("nysd")
    record(staff, RENEWALS, link, "admitted", on=D(2020, 1, 1))
    assert status(RENEWALS, link) == "unknown_cycle"
    assert not Progress.objects.filter(campaign=RENEWALS.slug, step="due").exists()


@override_settings(FIRMLINK_AS_OF=REAL_DATE)
def test_a_lapsed_renewal_cannot_file_and_shows_the_court_consequence(client, staff):
    link = pair("rid")
    record(staff, RENEWALS, link, "admitted", on=D(2023, 1, 5))  # due 2024-08-31 ... then 2026-08-31
    assert status(RENEWALS, link) == "lapsed"
    client.force_login(UserFactory(username="boss", role="administrator"))
    page = client.get(reverse("attorney-detail", args=[link.attorney_id])).content.decode()
    assert "Renewal past due" in page
    assert "CM/ECF filing account is deactivated" in page
    overview = client.get(reverse("campaign-overview", args=[RENEWALS.slug])).content.decode()
    assert "Cannot file now: 1 of 1" in overview


@override_settings(FIRMLINK_AS_OF=REAL_DATE)
def test_a_renewal_due_in_the_next_30_days_reminds_once_per_occasion(staff):
    link = pair("txsd", email="ann@firm.example")
    link.linked_on = D(2022, 2, 1)  # linked for NextGen long ago
    link.save()
    record(staff, RENEWALS, link, "admitted", on=D(2021, 12, 20))  # due 2026-12-20: in 17 days

    def renewal_emails():
        return [m for m in mail.outbox if m.to == ["ann@firm.example"] and "Bar renewals" in m.subject]

    call_command("send_reminders", verbosity=0)
    assert len(renewal_emails()) == 1
    message = renewal_emails()[0]
    assert "Bar renewals in txsd: renew now before the renewal deadline of 2026-12-20 (in 17 days)" in (message.subject)
    assert "Every 5 years from admission" in message.body and "txs.uscourts.gov" in message.body
    reminder = Reminder.objects.get(campaign=RENEWALS.slug)
    assert (reminder.occasion, reminder.go_live, reminder.status) == ("before-30", D(2026, 12, 20), ReminderStatus.SENT)
    call_command("send_reminders", verbosity=0)  # the same day again: nothing new
    assert len(renewal_emails()) == 1
    with override_settings(FIRMLINK_AS_OF=D(2026, 12, 6)):  # 14 days before: the next occasion
        call_command("send_reminders", verbosity=0)
        call_command("send_reminders", verbosity=0)
    assert len(renewal_emails()) == 2
    assert set(Reminder.objects.filter(campaign=RENEWALS.slug).values_list("occasion", flat=True)) == {
        "before-30",
        "before-14",
    }
    with clock.pinned(D(2026, 12, 8)):
        record(staff, RENEWALS, link, "renewed", on=D(2026, 12, 8))
    with override_settings(FIRMLINK_AS_OF=D(2026, 12, 13)):  # 7 days before the old date: renewed, quiet
        call_command("send_reminders", verbosity=0)
    assert len(renewal_emails()) == 2
    assert Reminder.objects.filter(campaign=RENEWALS.slug).count() == 2


# ACMS ------------------------------------------------------------------------------------------------------


@override_settings(FIRMLINK_AS_OF=REAL_DATE)
def test_acms_is_about_its_courts_only_and_blocks_after_the_cutover(staff):
    ca9 = pair("ca9")
    elsewhere = pair("nysd", name="Bo Other")
    assert list(subjects.subjects(ACMS, REAL_DATE).values_list("pk", flat=True)) == [ca9.pk]
    assert status(ACMS, ca9) == "cannot_file"
    with pytest.raises(StepRefused, match="not about nysd"):
        record(staff, ACMS, elsewhere, "pacer_upgraded", on=D(2023, 1, 1))
    with pytest.raises(StepRefused, match="needs the upgraded PACER account"):
        record(staff, ACMS, ca9, "acms_registered", on=D(2023, 9, 1))
    record(staff, ACMS, ca9, "pacer_upgraded", on=D(2023, 1, 1))
    record(staff, ACMS, ca9, "acms_registered", on=D(2023, 9, 1))
    assert status(ACMS, ca9) == "needs_test"
    record(staff, ACMS, ca9, "acms_tested", on=D(2023, 10, 2))
    assert status(ACMS, ca9) == "ready"


@override_settings(FIRMLINK_AS_OF=D(2023, 9, 1))
def test_an_administrator_corrects_a_court_cutover_and_statuses_follow(client):
    ca9 = pair("ca9")
    assert status(ACMS, ca9, D(2023, 9, 1)) == "needs_upgrade"
    client.force_login(UserFactory(username="staffer", role="staff"))
    assert client.post(reverse("campaign-court-date", args=[ACMS.slug]), {}).status_code == 403
    client.force_login(UserFactory(username="boss", role="administrator"))
    overview = client.get(reverse("campaign-overview", args=[ACMS.slug])).content.decode()
    assert "2023-10-01" in overview and "2021-05-01" in overview and "2026-10-01" in overview
    response = client.post(
        reverse("campaign-court-date", args=[ACMS.slug]),
        {"court_id": "ca9", "date": "2023-08-15", "note": "the court moved it"},
        follow=True,
    )
    assert "Appellate ACMS in ca9: 2023-08-15" in response.content.decode()
    assert CourtDate.objects.get(campaign=ACMS.slug).date == D(2023, 8, 15)
    assert status(ACMS, ca9, D(2023, 9, 1)) == "cannot_file"
    change = StepChange.objects.get(campaign=ACMS.slug)
    assert (change.court.court_id, change.old_value, change.new_value) == ("ca9", "2023-10-01", "2023-08-15")
    response = client.post(
        reverse("campaign-court-date", args=[ACMS.slug]),
        {"court_id": "cavc", "date": "2026-11-01", "note": "x"},
        follow=True,
    )
    assert "cavc is not in the court directory" in response.content.decode()
    client.post(reverse("campaign-court-date", args=[ACMS.slug]), {"court_id": "ca9", "date": "", "note": "undo"})
    assert not CourtDate.objects.exists()
    assert status(ACMS, ca9, D(2023, 9, 1)) == "needs_upgrade"


# Notice routing --------------------------------------------------------------------------------------------


@override_settings(FIRMLINK_AS_OF=REAL_DATE)
def test_notice_routing_flags_help_desk_courts_and_asks_again_when_docketing_staff_change(client, staff):
    canb = pair("canb")
    record(staff, NOTICES, canb, "inbox_added", on=D(2026, 11, 2))
    record(staff, NOTICES, canb, "notices_on", on=D(2026, 11, 2))
    record(staff, NOTICES, canb, "test_notice", on=D(2026, 11, 3))
    assert status(NOTICES, canb) == "routed"
    boss = UserFactory(username="boss", role="administrator")
    client.force_login(boss)
    table = client.get(reverse("campaign-attorneys", args=[NOTICES.slug])).content.decode()
    assert "added by the court&#x27;s help desk" in table or "added by the court's help desk" in table
    services.settings_save(
        campaign=NOTICES,
        actor=Actor.for_user(boss),
        note="Dana left docketing",
        starts_on=D(2026, 12, 1),
    )
    assert status(NOTICES, canb) == "recheck"
    record(staff, NOTICES, canb, "test_notice", on=D(2026, 12, 2))
    assert status(NOTICES, canb) == "routed"


# SQL and Python agree ------------------------------------------------------------------------------------


@override_settings(FIRMLINK_AS_OF=REAL_DATE)
def test_per_court_statuses_agree_in_sql_and_python_on_generated_pairs():
    """Every court of each campaign (and one it does not know), each step present or absent, on
    dates before, on and after the pairs' dates."""
    days = (D(2021, 1, 1), D(2023, 10, 1), REAL_DATE, D(2027, 2, 1), D(2031, 1, 1))
    for campaign, courts in (
        (RENEWALS, [f.court for f in RENEWALS.court_facts] + ["nysd"]),
        (ACMS, ["ca9", "ca2"]),
        (NOTICES, ["canb", "nysd"]),
        (AGENTS, ["canb"]),
    ):
        steps = [s.key for s in campaign.steps if not s.derived]
        links = []
        for i, (court, present) in enumerate(
            itertools.product(courts, itertools.product((False, True), repeat=len(steps)))
        ):
            link = pair(court, name=f"{campaign.slug} {i}")
            for k, (step, on) in enumerate(zip(steps, present, strict=True)):
                if on:
                    Progress.objects.create(
                        campaign=campaign.slug,
                        attorney=link.attorney,
                        court=link.court,
                        step=step,
                        done_on=D(2019 + (i + k) % 8, 1 + (i * (k + 1)) % 12, 1 + (i + 3 * k) % 27),
                        value=None if campaign.step(step).kind == "date" else "Morgan Lee",
                    )
            services.derive_pairs(campaign, {(link.attorney_id, link.court_id)})
            links.append(link)
        for day in days:
            sql = dict(
                subjects.subjects(campaign, day).filter(pk__in=[x.pk for x in links]).values_list("pk", "status")
            )
            for link in links:
                python = subjects.status_of(campaign, subjects.state(campaign, link.attorney, court=link.court), day)
                assert sql[link.pk] == python, (campaign.slug, link.court.court_id, day)


# Pages, bulk, export --------------------------------------------------------------------------------------


@override_settings(FIRMLINK_AS_OF=REAL_DATE)
def test_bulk_recording_for_pairs_is_all_or_nothing_and_names_attorney_and_court(client):
    ready = pair("txsd", name="Ready Rita")
    not_admitted = pair("rid", name="New Ned")
    client.force_login(UserFactory(username="clerk2", role="staff"))
    url = reverse("campaign-bulk", args=[RENEWALS.slug])
    response = client.post(
        url, {"attorneys": [ready.pk, not_admitted.pk], "step": "renewed", "on": "2026-12-01", "note": ""}, follow=True
    )
    page = response.content.decode()
    assert "Nothing was recorded" in page and "New Ned in rid" in page and "needs the admission date first" in page
    assert not Progress.objects.filter(campaign=RENEWALS.slug).exists()
    response = client.post(
        url, {"attorneys": [ready.pk, not_admitted.pk], "step": "admitted", "on": "2024-03-04", "note": ""}, follow=True
    )
    assert "Recorded “Admitted to the court&#x27;s bar on” for 2 pair(s)" in response.content.decode()
    assert Progress.objects.filter(campaign=RENEWALS.slug, step="due").count() == 2


@override_settings(FIRMLINK_AS_OF=REAL_DATE)
def test_attorney_page_records_a_step_in_one_court(client):
    link = pair("lawd")
    other = pair("txsd", name="Not Mine")
    client.force_login(UserFactory(username="clerk3", role="staff"))
    page = client.get(reverse("attorney-detail", args=[link.attorney_id])).content.decode()
    assert 'id="campaign-bar_renewal-lawd"' in page and 'name="court"' in page
    url = reverse("campaign-record", args=[RENEWALS.slug, link.attorney_id])
    client.post(url, {"step": "admitted", "on": "2020-05-12", "court": link.court_id, "note": ""})
    assert Progress.objects.get(campaign=RENEWALS.slug, step="due", court=link.court).done_on == D(2023, 5, 31)
    response = client.post(url, {"step": "admitted", "on": "2020-05-12", "court": other.court_id}, follow=True)
    assert "has no e-filing account in that court" in response.content.decode()


@override_settings(FIRMLINK_AS_OF=REAL_DATE)
@pytest.mark.parametrize("campaign", [RENEWALS, NOTICES, ACMS], ids=lambda c: c.slug)
def test_pages_and_export_take_a_bounded_number_of_queries(client, django_assert_max_num_queries, campaign, staff):
    client.force_login(UserFactory(username="boss", role="administrator"))
    court = "ca9" if campaign is ACMS else "txsd"
    for i in range(12):
        link = pair(court, name=f"Attorney {i:02}")
        first = campaign.steps[0]
        record(staff, campaign, link, first.key, on=D(2021, 12, 1 + i))
    for url in (
        reverse("campaign-overview", args=[campaign.slug]),
        reverse("campaign-attorneys", args=[campaign.slug]),
        reverse("campaign-list"),
    ):
        with django_assert_max_num_queries(14):
            assert client.get(url).status_code == 200
    with django_assert_max_num_queries(10):
        response = client.get(reverse("campaign-attorneys", args=[campaign.slug]) + "?_export=csv")
        body = b"".join(response.streaming_content).decode()
    rows = list(csv.DictReader(io.StringIO(body)))
    assert len(rows) == 12 and {r["court_id"] for r in rows} == {court}
    assert rows[0]["attorney_name"] == "Attorney 00" and rows[0]["last_change_by"]


@override_settings(FIRMLINK_AS_OF=REAL_DATE)
def test_roster_columns_per_court_are_all_or_nothing_and_compute_the_due_date():
    from campaigns.roster import roster_import
    from core.exceptions import StepRefused as _  # noqa: F401 (the roster raises RosterError)

    boss = Actor.for_user(UserFactory(username="boss", role="administrator"))
    header = "attorney_name,attorney_email,court_id,efiling_account,admitted_on,renewed_on,notice_tested_on\n"
    bad = header + (
        "Ann Filer,ann@firm.example,txsd,yes,2021-12-20,,\n"
        "Ann Filer,ann@firm.example,rid,no,2020-01-02,,\n"
        "Ann Filer,ann@firm.example,lawd,yes,,2024-01-01,2026-01-01\n"
    )
    from attorneys.roster import RosterError

    with pytest.raises(RosterError) as refused:
        roster_import(bad.encode(), filename="bad.csv", actor=boss)
    errors = "\n".join(refused.value.errors)
    assert "row 3, admitted_on: no e-filing account in rid on this row" in errors
    assert "row 4, renewed_on: “Last renewed on” needs the admission date first" in errors
    assert "row 4, notice_tested_on: “A notice received in the docketing inbox” needs" in errors
    assert not Progress.objects.exists()
    good = header + "Ann Filer,ann@firm.example,txsd,yes,2021-12-20,,\n"
    roster_import(good.encode(), filename="good.csv", actor=boss)
    link = Court.objects.get(court_id="txsd").links.get()
    assert status(RENEWALS, link) == "due_soon"
    assert Progress.objects.get(step="due").done_on == D(2026, 12, 20)
    change = StepChange.objects.get(campaign=RENEWALS.slug)
    assert change.court.court_id == "txsd" and change.note == "roster import good.csv"


# Filing agents and the staff Firmlink knows ---------------------------------------------------------------


@override_settings(FIRMLINK_AS_OF=REAL_DATE)
def test_a_filing_agent_leaving_makes_the_removal_due_in_each_court_naming_them(client, staff):
    from attorneys.models import StaffMember

    canb, nysd = pair("canb", name="Bea Bankruptcy"), pair("nysd", name="Dan District")
    record(staff, AGENTS, canb, "agents", value="Morgan Lee; Jordan Reyes")
    record(staff, AGENTS, nysd, "agents", value="Morgan Lee")
    for step in ("agents_pacer", "agents_registered", "agents_linked", "agents_notices", "agents_mfa"):
        record(staff, AGENTS, canb, step, on=D(2026, 1, 5))
    assert status(AGENTS, canb) == "complete" and status(AGENTS, nysd) == "needs_pacer"
    assert status(AGENTS, pair("txsd", name="No Agents")) == "no_agents"

    client.force_login(UserFactory(username="clerk-x", role="staff"))
    assert client.get(reverse("staff-list")).status_code == 403
    client.force_login(UserFactory(username="boss", role="administrator"))
    page = client.post(reverse("staff-list"), {"name": "Jordan  Reyes", "email": "jr@firm.example"}, follow=True)
    assert "Jordan Reyes added to the staff list." in page.content.decode()
    again = client.post(reverse("staff-list"), {"name": "jordan reyes"})
    assert again.status_code == 400 and "already on the staff list" in again.content.decode()
    jordan = StaffMember.objects.get()
    response = client.post(reverse("staff-left", args=[jordan.pk]), follow=True)
    assert "Jordan Reyes left the firm on 2026-12-03" in response.content.decode()
    assert status(AGENTS, canb) == "agent_left"
    assert status(AGENTS, nysd) == "needs_pacer"  # Jordan was not named there
    left = StepChange.objects.get(campaign=AGENTS.slug, step="agent_left")
    assert (left.court.court_id, left.new_value, left.note) == (
        "canb",
        "Jordan Reyes on 2026-12-03",
        "Jordan Reyes left the firm",
    )
    page = client.get(reverse("attorney-detail", args=[canb.attorney_id])).content.decode()
    assert "An agent left: remove them" in page
    record(staff, AGENTS, canb, "agent_removed", on=REAL_DATE)
    assert status(AGENTS, canb) == "complete"
    client.post(reverse("staff-left", args=[jordan.pk]))  # twice: nothing more
    assert StepChange.objects.filter(campaign=AGENTS.slug, step="agent_left").count() == 1


@override_settings(FIRMLINK_AS_OF=REAL_DATE)
def test_acms_roster_columns_only_in_its_courts():
    from attorneys.roster import RosterError
    from campaigns.roster import roster_import

    boss = Actor.for_user(UserFactory(username="boss-acms", role="administrator"))
    header = "attorney_name,attorney_email,court_id,acms_pacer_upgraded_on,acms_registered_on\n"
    with pytest.raises(RosterError) as refused:
        roster_import((header + "Ann Filer,ann@firm.example,nysd,2023-01-02,\n").encode(), filename="x.csv", actor=boss)
    assert "row 2, acms_pacer_upgraded_on: Appellate ACMS is not about nysd" in refused.value.errors
    roster_import(
        (header + "Ann Filer,ann@firm.example,ca9,2023-01-02,2023-02-01\n").encode(), filename="y.csv", actor=boss
    )
    link = Court.objects.get(court_id="ca9").links.get()
    assert status(ACMS, link) == "needs_test"


@override_settings(FIRMLINK_AS_OF=REAL_DATE)
def test_the_digest_names_pairs_past_their_date_in_each_campaign(staff):
    UserFactory(username="boss-digest", role="administrator", email="boss@firm.example")
    lapsed = pair("rid", name="Rita Lapsed", email="rita@firm.example")
    record(staff, RENEWALS, lapsed, "admitted", on=D(2023, 1, 5))  # due 2024-08-31: past due
    pair("ca9", name="Nina Unregistered", email="nina@firm.example")  # ACMS since 2023-10-01
    call_command("send_reminders", verbosity=0)
    digest = [m for m in mail.outbox if m.to == ["boss@firm.example"]]
    assert len(digest) == 1
    body = digest[0].body
    assert "Bar renewals: 1 attorney-court pair cannot file" in body
    assert "Rita Lapsed <rita@firm.example> in rid (renewal deadline 2024-08-31)" in body
    assert "Appellate ACMS: 1 attorney-court pair cannot file" in body
    assert "Nina Unregistered <nina@firm.example> in ca9 (ACMS cutover 2023-10-01)" in body
    assert "1 pair cannot file (Bar renewals)" in digest[0].subject
    to_rita = [m for m in mail.outbox if m.to == ["rita@firm.example"]]
    assert len(to_rita) == 1 and "Action needed: Bar renewals in rid: renewal past due" in to_rita[0].subject
