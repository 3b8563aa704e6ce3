"""Campaigns: NextGen linking as the first one (unchanged), PACER MFA as the second, one machinery."""

import datetime
import itertools
from types import SimpleNamespace

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from attorneys.campaign import CAMPAIGN as NEXTGEN
from attorneys.models import Attorney, ExportLog, StepChange
from attorneys.status import RULES, LinkStatus
from campaigns import registry, services, subjects
from campaigns.mfa import CAMPAIGN as MFA
from campaigns.models import Progress
from core import clock, rules
from core.audit import Actor
from core.exceptions import StepRefused
from tasks.models import Reminder, ReminderStatus
from tests.factories import AttorneyFactory, CourtFactory, CourtLinkFactory, UserFactory

pytestmark = pytest.mark.django_db

REAL_DATE = datetime.date(2026, 12, 3)
BEFORE_DEADLINE = datetime.date(2025, 12, 24)  # 7 days before PACER MFA's deadline


@pytest.fixture
def staff():
    return Actor.for_user(UserFactory(username="clerk", role="staff"))


def filer(name="Ann Filer", **kwargs):
    """An active attorney with an e-filing account in one court (so in PACER MFA's scope)."""
    attorney = AttorneyFactory(name=name, **kwargs)
    CourtLinkFactory(attorney=attorney, court=CourtFactory())
    return attorney


def record(actor, attorney, step, **kwargs):
    return services.progress_record(campaign=MFA, attorney_id=attorney.pk, step=step, actor=actor, **kwargs)


def enroll(actor, attorney, on=datetime.date(2025, 6, 3)):
    with clock.pinned(REAL_DATE):
        record(actor, attorney, "email_current", on=datetime.date(2025, 6, 2))
        record(actor, attorney, "holders", value=attorney.name)
        record(actor, attorney, "enrolled", on=on)


# The definitions -----------------------------------------------------------------------------------


def test_nextgen_and_mfa_are_registered_and_nextgens_rules_are_its_own():
    assert [c.slug for c in registry.all_campaigns()][:2] == ["nextgen", "pacer_mfa"]
    assert NEXTGEN.rules == RULES  # the status rules of attorneys.status, as they were
    assert [s.key for s in NEXTGEN.statuses] == list(LinkStatus.values)
    assert set(NEXTGEN.blocking) == {
        "needs_pacer_account",
        "needs_pacer_upgrade",
        "needs_registration",
        "ready_to_link",
    }
    assert MFA.blocking == ("blocked",) and MFA.deadline == datetime.date(2025, 12, 31)


def test_a_definition_that_reuses_a_nextgen_step_key_is_refused():
    from django.core.exceptions import ImproperlyConfigured

    from core.campaigns import Campaign, StatusDef, StepDef, Subject

    clash = Campaign(
        slug="clash",
        name="Clash",
        summary="",
        subject=Subject.ATTORNEY,
        steps=(StepDef("linked", "Linked"),),
        statuses=(StatusDef("done", "Done", rules.Always()),),
    )
    with pytest.raises(ImproperlyConfigured, match="linked"):
        registry.check([*registry.BUILT_IN, clash])


# PACER MFA's status: SQL and Python agree on generated data -------------------------------------------

DAY = datetime.date(2025, 6, 10)


def test_mfa_status_in_sql_agrees_with_python_on_every_combination(staff):
    """Each step absent or present (the holder-left review before, after or absent), in scope or not,
    before and after the deadline: 2 x 2 x 2 x 2 x 2 x 4 x 2 = 256 attorneys on 2 days."""
    combos = list(
        itertools.product(
            (False, True),  # email confirmed
            (False, True),  # holders named
            (False, True),  # enrolled
            (False, True),  # backup codes place
            (False, True),  # vendor answered
            ("none", "left", "reviewed_before", "reviewed_after"),
            (False, True),  # in scope (an e-filing account)
        )
    )
    court = CourtFactory()
    attorneys = Attorney.objects.bulk_create(
        Attorney(name=f"Attorney {i}", email=f"a{i}@firm.example") for i in range(len(combos))
    )
    rows = []
    for attorney, (email, holders, enrolled, backup, vendor, left, scope) in zip(attorneys, combos, strict=True):
        if scope:
            CourtLinkFactory(attorney=attorney, court=court)

        def add(step, done_on=DAY, value=None, attorney=attorney):
            rows.append(Progress(campaign=MFA.slug, attorney=attorney, step=step, done_on=done_on, value=value))

        if email:
            add("email_current")
        if holders:
            add("holders", value="Ann Filer")
        if enrolled:
            add("enrolled")
        if backup:
            add("backup_codes", value="the firm's password manager")
        if vendor:
            add("vendor", value="none")
        if left != "none":
            add("holder_left", done_on=DAY, value="Ann Filer")
        if left == "reviewed_before":
            add("holders_reviewed", done_on=DAY - datetime.timedelta(days=1))
        if left == "reviewed_after":
            add("holders_reviewed", done_on=DAY + datetime.timedelta(days=1))
    Progress.objects.bulk_create(rows)
    seen = set()
    for today in (datetime.date(2025, 11, 1), REAL_DATE):
        annotated = {a.pk: a for a in subjects.subjects(MFA, today)}
        assert len(annotated) == len(combos)
        for attorney in attorneys:
            in_memory = subjects.status_of(MFA, subjects.state(MFA, attorney), today)
            assert annotated[attorney.pk].status == in_memory, (attorney.name, today)
            assert annotated[attorney.pk].blocked == (in_memory == "blocked")
            seen.add(in_memory)
    assert seen == {s.key for s in MFA.statuses}


def test_rules_read_the_same_in_sql_and_python_with_missing_values():
    """core.rules: a comparison with a missing value is false in both forms, negated or not."""
    court = CourtFactory(nextgen_go_live=None, live_by=None)
    link = CourtLinkFactory(court=court)
    for condition in (
        rules.Reached("court__nextgen_go_live"),
        rules.Not(rules.Reached("court__nextgen_go_live")),
        rules.Not(rules.Equals("registered_on", DAY)),
        rules.Not(rules.Later("linked_on", "registered_on")),
        rules.Any(rules.IsSet("linked_on"), rules.Not(rules.IsSet("menus_confirmed_on"))),
    ):
        in_sql = type(link).objects.filter(pk=link.pk).filter(condition.q(DAY)).exists()
        assert in_sql == condition.holds(link, DAY), condition
    # On annotations too (a step's value, a campaign's deadline), where Django adds no guard of its own.
    attorney = link.attorney
    no_deadline = subjects.Dates(deadline=None, starts_on=None, scope="filers", reminders_on=True, message="")
    row = subjects.subjects(MFA, DAY, when=no_deadline).get(pk=attorney.pk)
    for condition in (
        rules.Not(rules.Equals("p_vendor_value", "none")),
        rules.Not(rules.OneOf("p_vendor_value", ("none", "moved"))),
        rules.Not(rules.Reached("deadline")),
        rules.Equals("p_vendor_value", "none"),
    ):
        in_sql = subjects.subjects(MFA, DAY, when=no_deadline).filter(pk=attorney.pk).filter(condition.q(DAY)).exists()
        assert in_sql == condition.holds(row, DAY), condition


# Recording steps ---------------------------------------------------------------------------------


def test_steps_follow_their_order_and_refuse_secrets(staff):
    attorney = filer()
    with clock.pinned(REAL_DATE):
        with pytest.raises(StepRefused, match="needs the account's email confirmed"):
            record(staff, attorney, "enrolled", on=datetime.date(2025, 6, 3))
        record(staff, attorney, "email_current", on=datetime.date(2025, 6, 2))
        for bad, why in (
            ("Ann Filer; JBSWY3DPEHPK3PXP", "looks like a secret"),
            ("otpauth://totp/PACER:ann?secret=JBSWY3DPEHPK3PXP", "looks like a secret"),
            ("A; B; C; D; E; F", "at most 5"),
            ("Ann 2", "not a person's name"),
        ):
            with pytest.raises(StepRefused, match=why):
                record(staff, attorney, "holders", value=bad)
        record(staff, attorney, "holders", value="Ann Filer;  Pat  Paralegal")
        with pytest.raises(StepRefused, match="before 2025-05-11"):
            record(staff, attorney, "enrolled", on=datetime.date(2025, 5, 1))
        with pytest.raises(StepRefused, match="in the future"):
            record(staff, attorney, "enrolled", on=REAL_DATE + datetime.timedelta(days=1))
        record(staff, attorney, "enrolled", on=datetime.date(2025, 6, 3))
        for codes in ("1234-5678 2345-6789", "backup codes: 84719302", "a1b2c3d4 e5f6g7h8 i9j0k1l2"):
            with pytest.raises(StepRefused, match="never the codes|looks like a secret"):
                record(staff, attorney, "backup_codes", value=codes)
        record(staff, attorney, "backup_codes", value="The firm's password manager, MFA folder")
        assert record(staff, attorney, "backup_codes", value="The firm's password manager, MFA folder") is None
        record(staff, attorney, "vendor", value="moved")
        state = subjects.state(MFA, attorney)
        assert subjects.status_of(MFA, state, REAL_DATE) == "complete"
    assert state.p_holders_value == "Ann Filer; Pat Paralegal"
    history = StepChange.objects.filter(campaign="pacer_mfa", attorney=attorney).order_by("pk")
    assert [h.step for h in history] == ["email_current", "holders", "enrolled", "backup_codes", "vendor"]
    assert history[2].get_step_display() == "PACER MFA: Enrolled in MFA"
    assert history[4].new_value == "Moved to a separate search-only PACER account (no MFA)"


def test_a_holder_who_leaves_makes_a_review_due(staff):
    ann = filer("Ann Filer")
    enroll(staff, ann)
    with clock.pinned(REAL_DATE):
        record(staff, ann, "holders", value="Ann Filer; Pat Paralegal")
    pat = UserFactory(username="pat", first_name="Pat", last_name="Paralegal", role="staff")
    from attorneys.services.people import login_save

    with clock.pinned(REAL_DATE):
        login_save(actor=staff, user_id=pat.pk, username="pat", role="staff", first_name="Pat",
                   last_name="Paralegal", is_active=False)  # fmt: skip
        state = subjects.state(MFA, ann)
        assert state.p_holder_left_value == "Pat Paralegal"
        assert subjects.status_of(MFA, state, REAL_DATE) == "holder_left"
        record(staff, ann, "holders", value="Ann Filer")
        record(staff, ann, "holders_reviewed", on=REAL_DATE)
        assert subjects.status_of(MFA, subjects.state(MFA, ann), REAL_DATE) != "holder_left"
    assert StepChange.objects.filter(campaign="pacer_mfa", step="holder_left", note="Pat Paralegal left the firm")


def test_an_attorney_who_leaves_is_a_departed_holder_too(staff):
    ann = filer("Ann Filer")
    bob = filer("Bob Partner")
    enroll(staff, ann)
    with clock.pinned(REAL_DATE):
        record(staff, ann, "holders", value="Ann Filer; Bob Partner")
        from attorneys.services.records import attorney_update

        attorney_update(attorney_id=bob.pk, actor=staff, note="retired", is_active=False)
        assert subjects.status_of(MFA, subjects.state(MFA, ann), REAL_DATE) == "holder_left"


# The real date: every attorney not enrolled is blocked ------------------------------------------------


@override_settings(FIRMLINK_AS_OF=REAL_DATE)
def test_on_the_real_date_the_overview_lists_every_attorney_not_enrolled_as_blocked(client, staff):
    enrolled = filer("Enrolled Ella")
    enroll(staff, enrolled)
    waiting = [filer(f"Waiting {n}") for n in ("Ada", "Ben", "Cy")]
    half = filer("Halfway Hal")
    with clock.pinned(REAL_DATE):
        record(staff, half, "email_current", on=datetime.date(2025, 9, 1))
    AttorneyFactory(name="Pacer Only Pam")  # no e-filing account anywhere: not in scope
    client.force_login(UserFactory(username="comp", role="compliance"))
    page = client.get(reverse("campaign-overview", args=["pacer_mfa"])).content.decode()
    assert "Cannot file now: 4 of 5 in scope" in page
    blocked = page.split('data-testid="campaign-blocked"')[1].split("</ul>")[0]
    for attorney in [*waiting, half]:
        assert attorney.name in blocked
    assert "Enrolled Ella" not in blocked and "Pacer Only Pam" not in blocked
    listing = client.get(reverse("campaign-list")).content.decode()
    assert "PACER MFA" in listing and "NextGen linking" in listing
    # The attorney's page says it too.
    client.force_login(UserFactory(username="clerk2", role="staff"))
    detail = client.get(reverse("attorney-detail", args=[half.pk])).content.decode()
    assert "Not enrolled: cannot file" in detail and 'id="campaign-pacer_mfa"' in detail


# One email per attorney for every campaign ---------------------------------------------------------------


@override_settings(FIRMLINK_AS_OF=BEFORE_DEADLINE)
def test_one_email_covers_a_nextgen_occasion_and_an_mfa_occasion_due_the_same_day(staff):
    court = CourtFactory(court_id="zzgolive", nextgen_go_live=BEFORE_DEADLINE)
    ann = AttorneyFactory(name="Ann Filer", email="ann@firm.example")
    CourtLinkFactory(attorney=ann, court=court, cmecf_login_known=True)
    UserFactory(username="boss", role="administrator", email="boss@firm.example")
    call_command("send_reminders", verbosity=0)
    to_ann = [m for m in mail.outbox if m.to == ["ann@firm.example"]]
    assert len(to_ann) == 1
    message = to_ann[0]
    assert "zzgolive moved to NextGen CM/ECF today" in message.subject
    assert (
        "PACER MFA: confirm the account's email before the enrollment deadline of 2025-12-31 (in 7 days)"
        in message.subject
    )
    assert "PACER MFA: Confirm the account's email" in message.body
    assert "Wednesday, December 31, 2025 (in 7 days)" in message.body
    rows = Reminder.objects.filter(attorney=ann)
    assert {(r.campaign, r.occasion, r.status) for r in rows} == {
        ("nextgen", "go-live", ReminderStatus.SENT),
        ("pacer_mfa", "before-7", ReminderStatus.SENT),
    }
    call_command("send_reminders", verbosity=0)  # exactly once per occasion
    assert len([m for m in mail.outbox if m.to == ["ann@firm.example"]]) == 1


@override_settings(FIRMLINK_AS_OF=REAL_DATE)
def test_after_the_deadline_the_blocked_are_reminded_weekly_and_named_in_the_digest(staff):
    ann = filer("Ann Filer", email="ann@firm.example")
    ella = filer("Enrolled Ella", email="ella@firm.example")
    enroll(staff, ella)
    UserFactory(username="boss", role="administrator", email="boss@firm.example")
    call_command("send_reminders", verbosity=0)
    to_ann = [m for m in mail.outbox if m.to == ["ann@firm.example"]]
    # Ann has a court to link too: one message, both named, each "Action needed".
    assert len(to_ann) == 1
    assert "· Action needed: PACER MFA: not enrolled: cannot file" in to_ann[0].subject
    assert Reminder.objects.get(attorney=ann, campaign="pacer_mfa").occasion == "after-336"
    to_ella = [m for m in mail.outbox if m.to == ["ella@firm.example"]]  # her court, not MFA: she is enrolled
    assert len(to_ella) == 1 and "MFA" not in to_ella[0].subject
    assert not Reminder.objects.filter(attorney=ella, campaign="pacer_mfa").exists()
    digest = next(m for m in mail.outbox if m.to == ["boss@firm.example"])
    assert "1 attorney cannot file (PACER MFA)" in digest.subject and "Ann Filer" in digest.body


# The table, bulk recording and the export --------------------------------------------------------------


@override_settings(FIRMLINK_AS_OF=REAL_DATE)
def test_bulk_recording_is_all_or_nothing_and_the_export_is_safe_and_audited(client, staff):
    ready = [filer(f"Ready {n}") for n in ("Ada", "Ben")]
    for attorney in ready:
        with clock.pinned(REAL_DATE):
            record(staff, attorney, "email_current", on=datetime.date(2025, 6, 2))
    formula = filer("=HYPERLINK(1)")
    client.force_login(UserFactory(username="clerk3", role="staff"))
    url = reverse("campaign-bulk", args=["pacer_mfa"])
    form = {"step": "holders", "value": "Ann Filer", "attorneys": [a.pk for a in ready]}
    response = client.post(url, form, follow=True)
    assert "Recorded “Who holds an authenticator app” for 2 attorney(s)." in response.content.decode()
    # Enrollment for three, one of whom has not confirmed the email: nothing at all is recorded.
    form = {"step": "enrolled", "on": "2025-06-03", "attorneys": [*(a.pk for a in ready), formula.pk]}
    response = client.post(url, form, follow=True)
    page = response.content.decode()
    assert "Nothing was recorded" in page and "needs the account" in page
    assert not Progress.objects.filter(step="enrolled").exists()
    # Every matching attorney across pages, through the filters (past the deadline, not enrolled is blocked).
    filtered = "status=blocked&q=Ready"
    form = {"step": "enrolled", "on": "2025-06-03", "select_all": "on", "filter_query": filtered}
    client.post(url, form)
    assert Progress.objects.filter(step="enrolled").count() == 2

    response = client.get(reverse("campaign-attorneys", args=["pacer_mfa"]) + "?_export=csv")
    body = b"".join(response.streaming_content).decode()
    header, *lines = body.splitlines()
    assert header.startswith("attorney_name,attorney_email,bar_number,status,cannot_file,deadline,email_current_on")
    assert any(line.startswith("'=HYPERLINK(1)") for line in lines)
    blocked = [line for line in lines if ",blocked,yes," in line]
    assert len(blocked) == 1 and blocked[0].startswith("'=HYPERLINK")
    log = ExportLog.objects.get(kind=ExportLog.Kind.CAMPAIGN)
    assert log.rows == 3


@override_settings(FIRMLINK_AS_OF=REAL_DATE)
def test_administrators_move_the_deadline_and_it_is_in_the_history(client, staff):
    ann = filer("Ann Filer")
    client.force_login(UserFactory(username="boss2", role="administrator"))
    response = client.post(
        reverse("campaign-settings", args=["pacer_mfa"]),
        {"deadline": "2027-01-31", "scope": "filers", "reminders_on": "on", "note": "a firm-wide grace period"},
    )
    assert response.status_code == 302
    state = subjects.state(MFA, ann)
    assert subjects.status_of(MFA, state, REAL_DATE) == "needs_email"
    change = StepChange.objects.get(campaign="pacer_mfa", step="deadline")
    assert (change.old_value, change.new_value) == ("", "2027-01-31")
    client.force_login(UserFactory(username="comp2", role="compliance"))
    assert client.get(reverse("campaign-settings", args=["pacer_mfa"])).status_code == 403


def test_nextgen_keeps_its_pages_at_their_addresses(client):
    client.force_login(UserFactory(username="comp3", role="compliance"))
    assert client.get(reverse("campaign-overview", args=["nextgen"]))["Location"] == reverse("overview")
    assert client.get(reverse("campaign-attorneys", args=["nextgen"]))["Location"] == reverse("link-list")
    assert client.get(reverse("campaign-overview", args=["nope"])).status_code == 404


# The roster ---------------------------------------------------------------------------------------------


@override_settings(FIRMLINK_AS_OF=REAL_DATE)
def test_the_roster_imports_mfa_columns_all_or_nothing(tmp_path):
    def run(text):
        path = tmp_path / "roster.csv"
        path.write_text(text)
        try:
            call_command("import_roster", str(path), verbosity=0)
        except SystemExit as exc:
            return exc.code
        return 0

    header = "attorney_name,attorney_email,court_id,mfa_email_confirmed_on,authenticator_holders,mfa_enrolled_on\n"
    bad = header + "Ann Filer,ann@firm.example,canb,,Ann Filer,2025-06-03\n"  # enrolled without the email
    assert run(bad) == 2
    assert not Attorney.objects.exists() and not Progress.objects.exists()
    good = header + (
        "Ann Filer,ann@firm.example,canb,6/2/2025,Ann Filer; Pat Paralegal,2025-06-03\n"
        "Ann Filer,ann@firm.example,nysd,,,\n"
    )
    assert run(good) == 0
    ann = Attorney.objects.get(email="ann@firm.example")
    state = subjects.state(MFA, ann)
    assert (state.p_email_current_on, state.p_holders_value, state.p_enrolled_on) == (
        datetime.date(2025, 6, 2),
        "Ann Filer; Pat Paralegal",
        datetime.date(2025, 6, 3),
    )
    assert subjects.status_of(MFA, state, REAL_DATE) == "needs_backup_place"
    assert StepChange.objects.filter(campaign="pacer_mfa", note="roster import roster.csv").count() == 3
    assert run(good) == 0  # again: nothing new
    assert StepChange.objects.filter(campaign="pacer_mfa").count() == 3
    codes = header.replace("\n", ",backup_codes_place\n") + "Ann Filer,ann@firm.example,canb,,,,1234-5678 8765-4321\n"
    assert run(codes) == 2


def test_the_python_and_sql_forms_agree_for_nextgen_through_the_campaign_too():
    """The campaign's rules are attorneys.status's: core.rules reads them on a plain object as well."""
    pair = SimpleNamespace(
        efiling_account=True,
        new_to_court=False,
        registered_on=None,
        linked_on=None,
        menus_confirmed_on=None,
        attorney=SimpleNamespace(pacer_account="upgraded", pacer_individual=True),
        court=SimpleNamespace(nextgen_go_live=DAY, live_by=None),
    )
    assert rules.first(NEXTGEN.rules, pair, DAY, default=NEXTGEN.default_status) == "ready_to_link"
    assert rules.first(NEXTGEN.rules, pair, DAY - datetime.timedelta(days=1), default="complete") == (
        "awaiting_go_live"
    )


# Found in review -----------------------------------------------------------------------------------------


def planned_for(attorney, day):
    from tasks.services.planning import campaign_plan

    with override_settings(FIRMLINK_AS_OF=day):
        campaign_plan(MFA, today=day)
    return list(Reminder.objects.filter(attorney=attorney, campaign=MFA.slug).values_list("occasion", flat=True))


def test_the_deadline_day_is_the_last_day_to_enroll_and_is_reminded(staff):
    ann = filer()
    with clock.pinned(BEFORE_DEADLINE):
        record(staff, ann, "email_current", on=datetime.date(2025, 6, 2))
    deadline = datetime.date(2025, 12, 31)
    assert subjects.status_of(MFA, subjects.state(MFA, ann), deadline) == "needs_holders"  # not yet blocked
    assert subjects.status_of(MFA, subjects.state(MFA, ann), deadline + datetime.timedelta(days=1)) == "blocked"
    assert planned_for(ann, deadline) == ["go-live"]
    assert planned_for(ann, deadline + datetime.timedelta(days=3)) == ["go-live"]  # the same occasion: once
    assert sorted(planned_for(ann, deadline + datetime.timedelta(days=7))) == ["after-7", "go-live"]


def test_moving_the_deadline_brings_its_occasions_again(staff):
    ann = filer()
    assert planned_for(ann, BEFORE_DEADLINE) == ["before-7"]
    services.settings_save(campaign=MFA, actor=staff, note="extended", deadline=datetime.date(2026, 3, 31))
    assert sorted(planned_for(ann, datetime.date(2026, 3, 24))) == ["before-7", "before-7"]


@pytest.mark.parametrize(
    "secret",
    [
        "JBSW Y3DP EHPK 3PXP",
        "jbsw-y3dp-ehpk-3pxp",
        "JBSWY3DPEHPK3PX",
        "a1b2c3d4",
        "ab12cd34",
        "otpauth://totp/x?secret=JBSWY3DPEHPK3PXP",
    ],
)
def test_keys_and_codes_are_refused_in_values_notes_and_choices(staff, secret):
    ann = filer()
    with clock.pinned(REAL_DATE):
        for step, value in (("backup_codes", f"vault, {secret}"), ("vendor", secret), ("holders", secret)):
            with pytest.raises(StepRefused) as refused:
                if step == "backup_codes":
                    enroll(staff, ann)
                record(staff, ann, step, value=value)
            assert secret not in str(refused.value)
        if len(secret) <= 8:
            return  # a lone backup code is refused where a value is expected; a free note may hold a case number
        with pytest.raises(StepRefused, match="looks like a secret|password"):
            record(staff, ann, "vendor", value="none", note=f"authenticator key {secret}")
    assert not StepChange.objects.filter(note__icontains=secret).exists()


@pytest.mark.parametrize(
    "place", ["the firm's password manager, MFA folder", "Office365 vault", "1Password, Administrative vault"]
)
def test_ordinary_places_are_not_taken_for_codes(staff, place):
    ann = filer()
    enroll(staff, ann)
    with clock.pinned(REAL_DATE):
        assert record(staff, ann, "backup_codes", value=place) is not None


def test_the_same_names_recorded_again_another_day_change_nothing(staff):
    ann = filer()
    with clock.pinned(REAL_DATE):
        record(staff, ann, "holders", value="Ann Filer", on=datetime.date(2026, 12, 1))
        assert record(staff, ann, "holders", value="Ann Filer", on=REAL_DATE) is None


def test_no_step_is_recorded_for_an_attorney_who_left(staff):
    ann = filer()
    Attorney.objects.filter(pk=ann.pk).update(is_active=False)
    with clock.pinned(REAL_DATE), pytest.raises(StepRefused, match="has left the firm"):
        record(staff, ann, "email_current", on=datetime.date(2025, 6, 2))
