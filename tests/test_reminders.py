"""Who is reminded when, with what; once per occasion; the digest; the daily hour across DST."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.test import override_settings

from attorneys.choices import PacerAccount, Step
from attorneys.services.steps import step_record
from core import clock
from core.audit import Actor
from tasks.models import EscalationDigest, Reminder, ReminderRun, ReminderStatus
from tasks.services import planning, sending
from tasks.services.runs import dispatch
from tests.factories import AttorneyFactory, CourtFactory, CourtLinkFactory, UserFactory
from tests.smtp import SMTPServer

pytestmark = pytest.mark.django_db
GO_LIVE = datetime.date(2021, 7, 6)


def run_on(day: datetime.date, *, digests: bool = False):
    """One daily run, as `send_reminders --as-of DAY` does it; returns the mail it sent
    (to attorneys only, unless ``digests``)."""
    before = len(mail.outbox)
    call_command("send_reminders", as_of=day)
    return [m for m in mail.outbox[before:] if digests or m.to != ["boss@firm.example"]]


def at(offset: int) -> datetime.date:
    return GO_LIVE + datetime.timedelta(days=offset)


@pytest.fixture
def firm():
    """A court going live on GO_LIVE, an older live court, three attorneys and an administrator."""
    court = CourtFactory(
        court_id="zzcut",
        name="Cutover Bankruptcy Court",
        nextgen_go_live=GO_LIVE,
        help_desk_email="help@zzcut.example",
        help_desk_phone="555-0100",
    )
    other = CourtFactory(court_id="zzpac", name="PACER-only District Court", nextgen_go_live=at(-200))
    ready = AttorneyFactory(name="Ready Rita", email="rita@firm.example")  # upgraded; login known
    legacy = AttorneyFactory(name="Legacy Larry", email="larry@firm.example", pacer_account=PacerAccount.LEGACY)
    unknown = AttorneyFactory(name="Unknown Una", email="una@firm.example")  # upgraded; login not known
    links = {
        "rita": CourtLinkFactory(attorney=ready, court=court, cmecf_login_known=True),
        "larry": CourtLinkFactory(attorney=legacy, court=court, cmecf_login_known=True),
        "una": CourtLinkFactory(attorney=unknown, court=court),
        "pacer_only": CourtLinkFactory(attorney=ready, court=other, efiling_account=False),
    }
    UserFactory(username="boss", email="boss@firm.example", role="administrator")
    return links


@pytest.fixture
def overdue(firm):
    """Una also e-files in a court live for 200 days where she never linked."""
    firm["una_old"] = CourtLinkFactory(
        attorney=firm["una"].attorney,
        court=CourtFactory(court_id="zzold", name="Old District Court", nextgen_go_live=at(-200)),
    )
    return firm


def test_before_go_live_only_those_not_ready(firm):
    sent = run_on(at(-30))
    # Rita is ready (upgraded, login known): nothing before go-live. Larry: legacy; Una: login unknown.
    assert sorted(m.to[0] for m in sent) == ["larry@firm.example", "una@firm.example"]
    una = next(m for m in sent if m.to == ["una@firm.example"])
    assert una.subject == "zzcut moves to NextGen CM/ECF in 30 days: get ready"
    assert "Get ready before the court's go-live" in una.body
    assert "ask its help desk: help@zzcut.example, 555-0100" in una.body
    assert "https://ecf.zzcut.uscourts.gov/" in una.body and "Tuesday, July 6, 2021 (in 30 days)" in una.body
    larry = next(m for m in sent if m.to == ["larry@firm.example"])
    assert "Account Type: Legacy PACER Account" in larry.body


def test_one_email_per_attorney_per_run_covering_every_due_court(overdue):
    sent = run_on(at(-30))
    una = [m for m in sent if m.to == ["una@firm.example"]]
    assert len(una) == 1
    assert "zzcut" in una[0].body and "zzold" in una[0].body
    assert una[0].subject.startswith("Action needed: you cannot e-file in zzold")
    assert set(Reminder.objects.filter(attorney__email="una@firm.example").values_list("occasion", flat=True)) == {
        "before-30",
        "after-168",
    }


def test_a_court_section_is_the_same_for_everyone_and_follows_the_court(firm):
    """Each court's section is rendered once for all who get it that day (``_court_block``): the same
    text in every message, and a court that changes shows its new details in the next message."""
    court = firm["rita"].court
    CourtLinkFactory(
        attorney=AttorneyFactory(name="Ready Rob", email="rob@firm.example"), court=court, cmecf_login_known=True
    )  # in Rita's situation
    sent = {m.to[0]: m for m in run_on(at(0))}
    rita, rob, larry = sent["rita@firm.example"], sent["rob@firm.example"], sent["larry@firm.example"]
    section = rita.body[rita.body.index("== Cutover Bankruptcy Court (zzcut) ==") :].split("\n\n")[0]
    assert "Help desk: help@zzcut.example, 555-0100" in section and section in rob.body
    assert section not in larry.body and "Help desk: help@zzcut.example, 555-0100" in larry.body  # his own guidance
    html = rita.alternatives[0][0]
    start = html.index('<div style="border:1px solid', html.index("(zzcut)</h2>") - 300)
    html_section = html[start : html.index("</div>", start)]
    assert html_section in rob.alternatives[0][0]
    court.help_desk_phone = "555-0199 & <ext. 2>"
    court.save()
    Reminder.objects.all().delete()
    again = {m.to[0]: m for m in run_on(at(0))}
    assert "Help desk: help@zzcut.example, 555-0199 & <ext. 2>" in again["rita@firm.example"].body
    assert "555-0199 &amp; &lt;ext. 2&gt;" in again["rob@firm.example"].alternatives[0][0]  # escaped in HTML
    assert "555-0199 &amp; &lt;ext. 2&gt;" in again["larry@firm.example"].alternatives[0][0]


def test_each_occasion_once_even_when_run_twice(firm):
    assert len(run_on(at(-30))) == 2
    assert run_on(at(-30)) == []
    assert run_on(at(-29)) == []  # before-30 is still the latest occasion: nothing new
    assert Reminder.objects.filter(status=ReminderStatus.SENT).count() == 2


def test_go_live_day_everyone_with_an_efiling_account(firm):
    sent = run_on(at(0))
    assert sorted(m.to[0] for m in sent) == ["larry@firm.example", "rita@firm.example", "una@firm.example"]
    rita = next(m for m in sent if m.to == ["rita@firm.example"])
    assert rita.subject == "zzcut moved to NextGen CM/ECF today: link your account to keep e-filing"
    assert "Link a CM/ECF account to my PACER account" in rita.body
    assert "cannot be undone" in rita.body and "full filing menus" in rita.body
    html = rita.alternatives[0][0]
    assert "<ol" in html and "Cutover Bankruptcy Court" in html


def test_after_go_live_every_three_days_until_linked(firm, actor):
    run_on(at(0))
    assert run_on(at(1)) == [] and run_on(at(2)) == []
    assert sorted(m.to[0] for m in run_on(at(3))) == ["larry@firm.example", "rita@firm.example", "una@firm.example"]
    with override_settings(FIRMLINK_AS_OF=at(4)):
        step_record(step=Step.LINKED, actor=actor, link_id=firm["rita"].pk, cmecf_name="Rita", pacer_name="Rita")
    assert "rita@firm.example" not in [m.to[0] for m in run_on(at(6))]


def test_an_outage_sends_only_the_most_relevant_occasion(firm):
    run_on(at(-30))
    # The job did not run from day -29 to day -2: no before-14 or before-7 backlog on day -1.
    sent = run_on(at(-1))
    assert sorted(m.to[0] for m in sent) == ["larry@firm.example", "una@firm.example"]
    occasions = set(Reminder.objects.filter(link=firm["una"]).values_list("occasion", flat=True))
    assert occasions == {"before-30", "before-1"}


def test_a_stale_pending_reminder_is_skipped_not_sent(firm):
    # Planned on day -7 but never sent (no worker); by day 0 a newer occasion is due.
    with override_settings(FIRMLINK_AS_OF=at(-7)):
        planning.reminders_plan(today=at(-7))
    sent = run_on(at(0))
    assert len(sent) == 3
    assert Reminder.objects.filter(occasion="before-7", status=ReminderStatus.SKIPPED).count() == 2
    assert not Reminder.objects.filter(status=ReminderStatus.PENDING).exists()


def test_escalation_digest_once_a_day_after_seven_days(firm):
    assert [m for m in run_on(at(6), digests=True) if m.to == ["boss@firm.example"]] == []
    sent = run_on(at(7), digests=True)
    digest = [m for m in sent if m.to == ["boss@firm.example"]]
    assert len(digest) == 1
    assert "Legacy Larry" in digest[0].body and "Unknown Una" in digest[0].body and "zzcut" in digest[0].body
    assert "Ready Rita" in digest[0].body  # ready to link but never did: cannot file either
    assert digest[0].subject.startswith("Firmlink digest 2021-07-13: 3 attorney-court pairs still cannot e-file")
    assert run_on(at(7), digests=True) == []  # not twice a day
    assert EscalationDigest.objects.get(run_on=at(7)).status == ReminderStatus.SENT


def test_sixty_days_of_a_small_firm(overdue, actor):
    """Every message over 60 simulated days: who got one, which day, for which occasions."""
    log = []
    for offset in range(-40, 20):
        day = at(offset)
        if offset == 2:
            with override_settings(FIRMLINK_AS_OF=day):
                step_record(
                    step=Step.PACER_ACCOUNT, actor=actor, attorney_id=firm_id(overdue, "larry"), value="upgraded"
                )
                step_record(
                    step=Step.LINKED, actor=actor, link_id=overdue["larry"].pk, cmecf_name="Larry", pacer_name="Larry"
                )
        for message in run_on(day, digests=True):
            if message.to == ["boss@firm.example"]:
                log.append((offset, "digest", ()))
                continue
            occasions = sorted(
                Reminder.objects.filter(message_id=message.extra_headers["Message-ID"]).values_list(
                    "link__court__court_id", "occasion"
                )
            )
            log.append((offset, message.to[0].split("@")[0], tuple(f"{c}:{o}" for c, o in occasions)))

    def of(name):
        return [entry for entry in log if entry[1] == name]

    assert of("larry") == [
        (-30, "larry", ("zzcut:before-30",)),
        (-14, "larry", ("zzcut:before-14",)),
        (-7, "larry", ("zzcut:before-7",)),
        (-1, "larry", ("zzcut:before-1",)),
        (0, "larry", ("zzcut:go-live",)),
    ]  # upgraded and linked on day 2: nothing more
    assert of("rita") == [(0, "rita", ("zzcut:go-live",))] + [
        (d, "rita", (f"zzcut:after-{d}",)) for d in range(3, 20, 3)
    ]
    una = of("una")
    zzold_days = [e[0] for e in una if any(o.startswith("zzold:") for o in e[2])]
    # zzold went live on day -200: the first run sends the latest occasion (after-159), then every 3 days
    assert zzold_days == [-40, *range(-38, 20, 3)]
    zzcut = [(e[0], o) for e in una for o in e[2] if o.startswith("zzcut:")]
    assert zzcut == [
        (-30, "zzcut:before-30"),
        (-14, "zzcut:before-14"),
        (-7, "zzcut:before-7"),
        (-1, "zzcut:before-1"),
        (0, "zzcut:go-live"),
    ] + [(d, f"zzcut:after-{d}") for d in range(3, 20, 3)]
    assert len({e[0] for e in una}) == len(una)  # never two emails to Una on one day
    # The digest: Una in zzold every day; from day 7 the zzcut laggards join.
    assert [e[0] for e in log if e[1] == "digest"] == list(range(-40, 20))
    assert Reminder.objects.filter(status=ReminderStatus.SENT).count() == sum(len(e[2]) for e in log)


def firm_id(firm, name):
    return firm[name].attorney_id


def test_the_command_dry_run_writes_and_sends_nothing(firm, capsys):
    call_command("send_reminders", as_of=at(0), dry_run=True)
    out = capsys.readouterr().out
    assert "would send to rita@firm.example" in out and "Dry run as of 2021-07-06" in out
    assert mail.outbox == [] and not Reminder.objects.exists() and not ReminderRun.objects.exists()


def test_a_permanent_smtp_failure_is_recorded_and_shown(overdue, client):
    with SMTPServer() as smtp, override_settings(FIRMLINK_AS_OF=at(0), **smtp.settings()):
        smtp.mailbox.refuse_recipients = {"una@firm.example"}
        planning.reminders_plan(today=at(0))
        result = sending.reminders_send_batch(attorney_ids=[overdue["una"].attorney_id], claim="t")
    assert result.failed == 2 and not result.transient
    failed = Reminder.objects.filter(status=ReminderStatus.FAILED)
    assert failed.count() == 2 and "550" in failed.first().last_error
    client.force_login(UserFactory(username="c", role="compliance"))
    with override_settings(FIRMLINK_AS_OF=at(0)):
        page = client.get("/").content.decode()
    assert "2 reminders failed" in page and "Unknown Una" in page
    assert sending.reminders_retry_failed() == 2


def test_a_transient_failure_leaves_the_rows_pending(firm):
    with SMTPServer() as smtp, override_settings(FIRMLINK_AS_OF=at(0), **smtp.settings()):
        smtp.mailbox.refuse_next = 1  # "451 try again later"
        planning.reminders_plan(today=at(0))
        result = sending.reminders_send_batch(attorney_ids=[firm["rita"].attorney_id], claim="t")
    assert len(result.transient) == 1
    row = Reminder.objects.get(link=firm["rita"])
    assert row.status == ReminderStatus.PENDING and row.attempts == 1 and "451" in row.last_error
    assert smtp.mailbox.messages == []


def test_a_mail_server_that_refuses_connections_stops_the_batch_and_loses_nothing(firm):
    with SMTPServer(started=False) as smtp, override_settings(FIRMLINK_AS_OF=at(0), **smtp.settings()):
        planning.reminders_plan(today=at(0))
        ids = [firm[name].attorney_id for name in ("rita", "larry", "una")]
        with pytest.raises(sending.TransientSendError, match="Connection refused"):
            sending.reminders_send_batch(attorney_ids=ids, claim="t")
        rows = Reminder.objects.all()
        assert {r.status for r in rows} == {ReminderStatus.PENDING}  # none failed, none left held
        assert sum(r.attempts for r in rows) == 1  # the batch stopped at the first attorney
        smtp.up()
        result = sending.reminders_send_batch(attorney_ids=ids, claim="t2")
    assert result.sent == 3 and sorted(smtp.mailbox.recipients()) == sorted(
        ["rita@firm.example", "larry@firm.example", "una@firm.example"]
    )


def test_spent_retries_show_as_failed_and_the_next_dispatch_tries_again_that_day(
    firm, django_capture_on_commit_callbacks
):
    queued = []

    def tick():
        queued.clear()
        with django_capture_on_commit_callbacks(execute=True):
            dispatch(enqueue_batch=lambda ids, run_id: queued.extend(ids), enqueue_digest=lambda *a: None)
        return sorted(queued)

    with override_settings(FIRMLINK_AS_OF=at(0), FIRMLINK_REMINDER_HOUR=0):
        tick()
        una = firm["una"].attorney_id
        assert sending.reminders_give_up(attorney_ids=[una], claim="t", error="[Errno 111] Connection refused") == 1
        row = Reminder.objects.get(link=firm["una"])
        assert row.status == ReminderStatus.FAILED and row.retry_until is not None
        assert "tried again at the next hourly run until" in row.last_error and "Errno 111" in row.last_error
        assert una in tick()  # the next hourly dispatch hands it out again
        claimed = sending._claim_attorney(una, "t2", clock.now())
        assert claimed == [row.pk]
    with override_settings(FIRMLINK_AS_OF=at(1), FIRMLINK_REMINDER_HOUR=23):
        Reminder.objects.filter(pk=row.pk).update(status=ReminderStatus.FAILED, claim="")
        assert una not in tick()  # the day is over: given up, for an administrator to requeue


def test_a_permanent_failure_is_not_tried_again_by_the_dispatch(overdue, django_capture_on_commit_callbacks):
    queued = []
    with override_settings(FIRMLINK_AS_OF=at(0), FIRMLINK_REMINDER_HOUR=0):
        with django_capture_on_commit_callbacks(execute=True):
            dispatch(enqueue_batch=lambda ids, run_id: queued.extend(ids), enqueue_digest=lambda *a: None)
        una = overdue["una"].attorney_id
        assert una in queued
        sending.reminders_give_up(attorney_ids=[una], claim="t", error="boom", transient=False)
        assert Reminder.objects.filter(attorney_id=una, status=ReminderStatus.FAILED, retry_until=None).exists()
        queued.clear()
        with django_capture_on_commit_callbacks(execute=True):
            dispatch(enqueue_batch=lambda ids, run_id: queued.extend(ids), enqueue_digest=lambda *a: None)
    assert una not in queued


def test_a_live_claim_of_another_worker_holds_the_whole_attorney(firm):
    with override_settings(FIRMLINK_AS_OF=at(0)):
        planning.reminders_plan(today=at(0))
        now = clock.now()
        rita = firm["rita"].attorney_id
        CourtLinkFactory(attorney=firm["rita"].attorney, court=CourtFactory(nextgen_go_live=GO_LIVE))
        planning.reminders_plan(today=at(0))
        first, second = Reminder.objects.filter(attorney_id=rita).order_by("pk")
        Reminder.objects.filter(pk=first.pk).update(status=ReminderStatus.SENDING, claim="other", claimed_at=now)
        assert sending._claim_attorney(rita, "mine", now) == []  # not the second court alone: all or none
        stale = now + datetime.timedelta(seconds=settings.FIRMLINK_SEND_LEASE_SECONDS + 1)
        assert sorted(sending._claim_attorney(rita, "mine", stale)) == [first.pk, second.pk]


def test_send_reminders_closes_its_run_and_the_overview_tells_the_truth(firm, client):
    run_on(at(0))
    run = ReminderRun.objects.get()
    assert run.finished_at is not None
    assert (run.sent, run.failed, run.pending, run.skipped) == (3, 0, 0, 0)
    client.force_login(UserFactory(username="c2", role="compliance"))
    with override_settings(FIRMLINK_AS_OF=at(0)):
        page = client.get("/").content.decode()
    assert "Latest run: <strong>2021-07-06</strong>, started" in page
    assert "3 sent, 0 failed, 0 pending, 0 skipped." in page and "finished" in page


@pytest.mark.parametrize(
    ("utc", "runs"),
    [
        (datetime.datetime(2021, 3, 14, 11, 5, tzinfo=datetime.UTC), False),  # 07:05 EDT (clocks went forward)
        (datetime.datetime(2021, 3, 14, 12, 5, tzinfo=datetime.UTC), True),  # 08:05 EDT
        (datetime.datetime(2021, 11, 7, 12, 5, tzinfo=datetime.UTC), False),  # 07:05 EST (clocks went back)
        (datetime.datetime(2021, 11, 7, 13, 5, tzinfo=datetime.UTC), True),  # 08:05 EST
        (datetime.datetime(2021, 11, 8, 3, 30, tzinfo=datetime.UTC), True),  # 22:30 EST on the 7th: same firm day
    ],
)
@override_settings(FIRMLINK_AS_OF=None, FIRMLINK_REMINDER_HOUR=8, FIRM_TIME_ZONE="America/New_York")
def test_the_daily_run_starts_at_the_firm_hour_across_daylight_saving(utc, runs):
    queued = []
    with time_machine.travel(utc, tick=False):
        result = dispatch(enqueue_batch=lambda *a: queued.append(a), enqueue_digest=lambda *a: None)
    assert result.created is runs
    if runs:
        local = utc.astimezone(zoneinfo.ZoneInfo("America/New_York"))
        assert ReminderRun.objects.get().run_on == local.date()


def test_two_schedulers_make_one_run(firm):
    queued = []
    with override_settings(FIRMLINK_AS_OF=at(0), FIRMLINK_REMINDER_HOUR=0):
        first = dispatch(enqueue_batch=lambda *a: queued.append(a), enqueue_digest=lambda *a: None)
        second = dispatch(enqueue_batch=lambda *a: queued.append(a), enqueue_digest=lambda *a: None)
    assert first.created and not second.created
    assert ReminderRun.objects.count() == 1
    assert Reminder.objects.count() == 3  # planned once: rita, larry, una


def test_inactive_attorneys_get_nothing(firm):
    attorney = firm["una"].attorney
    attorney.is_active = False
    attorney.save()
    assert "una@firm.example" not in [m.to[0] for m in run_on(at(0))]


def test_no_reminder_carries_a_password_field(firm):
    run_on(at(0))
    for message in mail.outbox:
        text = message.body.lower()
        assert "password:" not in text and "enter your password here" not in text
        assert "we will never ask for it" in text or message.to == ["boss@firm.example"]


def test_reminders_show_on_the_attorney_page(firm, client):
    run_on(at(0))
    client.force_login(UserFactory(username="s2", role="staff"))
    with override_settings(FIRMLINK_AS_OF=at(0)):
        page = client.get(f"/attorneys/{firm['una'].attorney_id}/").content.decode()
    assert 'data-testid="reminder-log"' in page and "go-live" in page and "Sent" in page


def test_actor_for_self_service_is_the_attorney(firm):
    actor = Actor.attorney_self(firm["una"].attorney)
    assert actor.source == "attorney" and "Unknown Una" in actor.label


def test_the_digest_stays_bounded_however_many_are_overdue(firm):
    with override_settings(FIRMLINK_DIGEST_MAX_LISTED=1):
        digest = [m for m in run_on(at(7), digests=True) if m.to == ["boss@firm.example"]][0]
    assert digest.subject.startswith("Firmlink digest 2021-07-13: 3 attorney-court pairs")
    assert "- zzcut (Cutover Bankruptcy Court), live since 2021-07-06 (7 days): 3" in digest.body
    assert "The 1 longest overdue (2 more in Firmlink):" in digest.body
    assert digest.body.count("/attorneys/") == 1


@pytest.mark.parametrize(
    ("situation", "today_words", "after_words"),
    [
        ({}, "link your account to keep e-filing", "until you link your CM/ECF account to PACER"),
        (
            {"new_to_court": True},
            "request e-filing access through PACER to keep e-filing",
            "until you request e-filing access through PACER",
        ),
        (
            {"pacer_account": PacerAccount.LEGACY},
            "upgrade your PACER account to keep e-filing",
            "until you upgrade your PACER account",
        ),
        (
            {"pacer_account": PacerAccount.NONE},
            "get your own PACER account to keep e-filing",
            "until you have your own PACER account",
        ),
        (
            {"pacer_individual": False},
            "get your own PACER account to keep e-filing",
            "until you have your own PACER account",
        ),
    ],
)
def test_the_reminder_says_what_unblocks_this_attorney(situation, today_words, after_words):
    court = CourtFactory(court_id="zzsit", nextgen_go_live=GO_LIVE)
    pair = {key: situation.pop(key) for key in list(situation) if key == "new_to_court"}
    attorney = AttorneyFactory(email="sam@firm.example", **situation)
    CourtLinkFactory(attorney=attorney, court=court, cmecf_login_known=True, **pair)
    (today,) = run_on(at(0))
    assert today.subject == f"zzsit moved to NextGen CM/ECF today: {today_words}"
    (later,) = run_on(at(3))
    assert later.subject == f"Action needed: you cannot e-file in zzsit {after_words}"
    if pair:
        assert "old CM/ECF login" not in later.body and "nothing to link" in later.body


def test_a_new_filer_is_not_asked_for_an_old_login_before_go_live():
    court = CourtFactory(court_id="zznew", nextgen_go_live=GO_LIVE)
    CourtLinkFactory(attorney=AttorneyFactory(email="nina@firm.example"), court=court, new_to_court=True)
    mails = run_on(at(-30))
    assert all("CM/ECF login" not in m.body for m in mails)


def test_token_links_in_reminders_are_the_reversed_urls(firm):
    """Reminders put each attorney's signed token into a path reversed once (``token_path``): the
    same address ``reverse`` gives, for tokens of every purpose."""
    from django.urls import reverse

    from attorneys import tokens
    from tasks.emails import token_path

    attorney = firm["rita"].attorney
    for name, purpose in (("self-service", tokens.SELF_SERVICE), ("attorney-calendar", tokens.CALENDAR)):
        token = tokens.make(attorney, purpose)
        assert token_path(name, token) == reverse(name, args=[token])
