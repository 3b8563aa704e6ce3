"""The status vocabulary and its precedence, in SQL and in Python, agreeing."""

import datetime
import itertools
import threading

import pytest
import time_machine
from django.test import override_settings

from attorneys.models import Attorney, CourtLink
from attorneys.status import LinkStatus, court_is_live, court_live_condition, link_status, status_of
from core import clock
from courts.models import Court
from tests.dates import AS_OF
from tests.factories import AttorneyFactory, CourtFactory, CourtLinkFactory
from tests.nextgen_oracle import oracle_of

TODAY = AS_OF
PAST = datetime.date(2021, 2, 16)
FUTURE = datetime.date(2021, 7, 6)

BASE = {
    "efiling_account": True,
    "new_to_court": False,
    "pacer_account": "upgraded",
    "pacer_individual": True,
    "go_live": PAST,
    "live_by": None,
    "registered_on": None,
    "linked_on": None,
    "menus_confirmed_on": None,
    "today": TODAY,
}

# (what differs from a pair that is ready to link, expected status, the rule in DOMAIN.md)
RULES = [
    ({}, "ready_to_link", "court live, PACER upgraded, not linked: cannot e-file there"),
    ({"efiling_account": False}, "not_applicable", "PACER-only in that court: no action"),
    ({"efiling_account": False, "pacer_account": "none"}, "not_applicable", "PACER-only beats everything"),
    ({"pacer_account": "none"}, "needs_pacer_account", "no PACER account at all"),
    ({"pacer_individual": False}, "needs_pacer_account", "a shared firm account does not count"),
    ({"pacer_account": "legacy"}, "needs_pacer_upgrade", "a legacy account must be upgraded"),
    ({"pacer_account": "legacy", "pacer_individual": False}, "needs_pacer_account", "account before upgrade"),
    ({"pacer_account": "legacy", "go_live": FUTURE}, "needs_pacer_upgrade", "upgrade before go-live too"),
    ({"go_live": None}, "awaiting_go_live", "go-live not announced"),
    ({"go_live": FUTURE}, "awaiting_go_live", "go-live in the future"),
    ({"go_live": TODAY + datetime.timedelta(days=1)}, "awaiting_go_live", "the day before go-live"),
    ({"go_live": TODAY}, "ready_to_link", "the go-live day itself is linkable"),
    ({"go_live": None, "live_by": PAST}, "ready_to_link", "no go-live date, on NextGen by a past bound: live"),
    ({"go_live": None, "live_by": TODAY}, "ready_to_link", "the bound's own day: live"),
    ({"go_live": None, "live_by": FUTURE}, "awaiting_go_live", "a bound still ahead: not known to be live"),
    ({"go_live": FUTURE, "live_by": PAST}, "awaiting_go_live", "an exact go-live date wins over a bound"),
    ({"new_to_court": True}, "needs_registration", "new to a converted court: register, do not link"),
    ({"new_to_court": True, "go_live": FUTURE}, "awaiting_go_live", "new filer before go-live"),
    ({"new_to_court": True, "registered_on": TODAY}, "complete", "registered new filer"),
    ({"linked_on": PAST}, "linked", "linked, menus not yet confirmed"),
    ({"linked_on": PAST, "menus_confirmed_on": PAST}, "complete", "linked and menus confirmed"),
    ({"linked_on": PAST, "pacer_account": "legacy"}, "needs_pacer_upgrade", "precedence: PACER first"),
]


@pytest.mark.parametrize(("differs", "expected", "rule"), RULES, ids=[r[2] for r in RULES])
def test_status_rules_in_python(differs, expected, rule):
    assert status_of(**{**BASE, **differs}) == expected


@pytest.mark.django_db
@pytest.mark.parametrize(("differs", "expected", "rule"), RULES, ids=[r[2] for r in RULES])
def test_status_rules_in_sql(differs, expected, rule):
    link = _make_link(**{**BASE, **differs})
    assert CourtLink.objects.with_status(TODAY).get(pk=link.pk).status == expected


def test_vocabulary_is_exact_and_ordered():
    assert LinkStatus.values == [
        "not_applicable",
        "needs_pacer_account",
        "needs_pacer_upgrade",
        "awaiting_go_live",
        "needs_registration",
        "ready_to_link",
        "linked",
        "complete",
    ]


def _make_link(
    *,
    efiling_account,
    new_to_court,
    pacer_account,
    pacer_individual,
    go_live,
    registered_on,
    linked_on,
    menus_confirmed_on,
    live_by=None,
    today=None,
    court=None,
    attorney=None,
):
    attorney = attorney or AttorneyFactory(pacer_account=pacer_account, pacer_individual=pacer_individual)
    return CourtLinkFactory(
        attorney=attorney,
        court=court or CourtFactory(nextgen_go_live=go_live, live_by=live_by),
        efiling_account=efiling_account,
        new_to_court=new_to_court,
        registered_on=registered_on,
        linked_on=linked_on,
        menus_confirmed_on=menus_confirmed_on,
    )


@pytest.mark.django_db
def test_annotation_agrees_with_python_on_every_combination():
    """Every combination of the inputs (a generated population of 2,048 pairs): go-live date and
    on-NextGen-by bound each none, past, today or future."""
    days = (None, PAST, TODAY, FUTURE)
    courts = {
        dates: CourtFactory(nextgen_go_live=dates[0], live_by=dates[1]) for dates in itertools.product(days, days)
    }
    combinations = [
        combination
        for combination in itertools.product(
            (True, False),
            (True, False),
            itertools.product(("none", "legacy", "upgraded"), (True, False)),
            courts,
            (None, PAST),
            (None, PAST),
            (None, PAST),
        )
        if combination[6] is None or combination[4] or combination[5]  # the database refuses menus without access
    ]
    attorneys = Attorney.objects.bulk_create(
        Attorney(name=f"A{i}", email=f"a{i}@firm.example", pacer_account=account[0], pacer_individual=account[1])
        for i, (_, _, account, *_rest) in enumerate(combinations)
    )
    links = CourtLink.objects.bulk_create(
        CourtLink(
            attorney=attorney,
            court=courts[dates],
            efiling_account=efiling,
            new_to_court=new,
            registered_on=registered,
            linked_on=linked,
            menus_confirmed_on=menus,
        )
        for attorney, (efiling, new, _, dates, registered, linked, menus) in zip(attorneys, combinations, strict=True)
    )
    expected = {link.pk: link for link in links}
    rows = CourtLink.objects.filter(pk__in=expected).with_status(TODAY).select_related("attorney", "court")
    assert len(rows) == len(expected) > 2000
    seen = set()
    for row in rows:
        # SQL (the campaign's rules as an annotation) == Python (the same rules) == the rules as hand-written
        # before NextGen became a campaign.
        assert row.status == link_status(row, TODAY) == oracle_of(row, TODAY), row
        seen.add(row.status)
    assert seen == set(LinkStatus.values)


@pytest.mark.django_db
def test_cannot_file_is_every_blocking_pair_in_a_live_court():
    blocked = [
        _make_link(**{**BASE, "pacer_account": "legacy"}),
        _make_link(**{**BASE, "new_to_court": True}),
        _make_link(**BASE),
    ]
    _make_link(**{**BASE, "pacer_account": "legacy", "go_live": FUTURE})  # not live yet: can still file the old way
    _make_link(**{**BASE, "linked_on": PAST})
    assert set(CourtLink.objects.cannot_file(TODAY).values_list("pk", flat=True)) == {b.pk for b in blocked}


@pytest.mark.django_db
@override_settings(FIRM_TIME_ZONE="America/New_York", FIRMLINK_AS_OF=None)
def test_today_is_the_firm_date_near_midnight():
    go_live = datetime.date(2021, 2, 16)
    link = CourtLinkFactory(court=CourtFactory(nextgen_go_live=go_live))
    # 04:30 UTC on the 16th is 23:30 on the 15th in New York: not linkable yet.
    with time_machine.travel(datetime.datetime(2021, 2, 16, 4, 30, tzinfo=datetime.UTC), tick=False):
        assert clock.today() == datetime.date(2021, 2, 15)
        assert CourtLink.objects.with_status().get(pk=link.pk).status == "awaiting_go_live"
        assert link.status() == "awaiting_go_live"
    # 05:30 UTC is 00:30 on the 16th in New York: go-live day.
    with time_machine.travel(datetime.datetime(2021, 2, 16, 5, 30, tzinfo=datetime.UTC), tick=False):
        assert clock.today() == go_live
        assert CourtLink.objects.with_status().get(pk=link.pk).status == "ready_to_link"
    # A firm in Los Angeles is still on the 15th at 05:30 UTC.
    with (
        override_settings(FIRM_TIME_ZONE="America/Los_Angeles"),
        time_machine.travel(datetime.datetime(2021, 2, 16, 5, 30, tzinfo=datetime.UTC), tick=False),
    ):
        assert CourtLink.objects.with_status().get(pk=link.pk).status == "awaiting_go_live"


@override_settings(FIRMLINK_AS_OF=AS_OF)
def test_as_of_pins_today_and_keeps_the_time_of_day():
    with time_machine.travel(datetime.datetime(2026, 11, 21, 15, 0, tzinfo=datetime.UTC), tick=False):
        assert clock.today() == datetime.date(2021, 6, 14) == AS_OF
        assert clock.now().hour == 10  # 15:00 UTC is 10:00 in New York in November
        assert clock.now().tzinfo is not None


@override_settings(FIRMLINK_AS_OF=AS_OF)
def test_pinned_runs_a_block_as_of_another_date_and_only_that_block():
    with time_machine.travel(datetime.datetime(2026, 11, 21, 15, 0, tzinfo=datetime.UTC), tick=False):
        with clock.pinned(datetime.date(2022, 1, 3)):
            assert clock.today() == datetime.date(2022, 1, 3)
            with clock.pinned(None):  # the real date, whatever the settings say
                assert clock.today() == datetime.date(2026, 11, 21)
            assert clock.today() == datetime.date(2022, 1, 3)
        assert clock.today() == AS_OF
        seen = []
        with clock.pinned(datetime.date(2022, 1, 3)):
            # another thread is not pinned by this one: it follows the settings
            worker = threading.Thread(target=lambda: seen.append(clock.today()))
            worker.start()
            worker.join()
        assert seen == [AS_OF]


@pytest.mark.django_db
def test_not_ready_in_sql_agrees_with_python():
    from attorneys.status import NOT_READY, is_not_ready

    court = CourtFactory(nextgen_go_live=FUTURE)
    links = {}
    for pacer, individual, known, new in itertools.product(
        ("none", "legacy", "upgraded"), (True, False), (True, False), (True, False)
    ):
        attorney = AttorneyFactory(pacer_account=pacer, pacer_individual=individual)
        link = CourtLinkFactory(attorney=attorney, court=court, cmecf_login_known=known, new_to_court=new)
        links[link.pk] = link
    in_sql = set(CourtLink.objects.filter(pk__in=links).filter(NOT_READY).values_list("pk", flat=True))
    assert in_sql == {pk for pk, link in links.items() if is_not_ready(link)}
    assert 0 < len(in_sql) < len(links)


@pytest.mark.django_db
def test_a_court_is_live_by_the_same_rule_in_sql_and_python_on_every_day():
    """Go-live date and bound each none, past, today or future, checked on days around them all."""
    days = (None, PAST, TODAY, FUTURE)
    courts = [
        CourtFactory(nextgen_go_live=go_live, live_by=live_by) for go_live, live_by in itertools.product(days, days)
    ]
    for day in (PAST - datetime.timedelta(days=1), PAST, TODAY, FUTURE - datetime.timedelta(days=1), FUTURE):
        in_sql = set(
            Court.objects.filter(pk__in=[c.pk for c in courts])
            .filter(court_live_condition(day, via=""))
            .values_list("pk", flat=True)
        )
        in_python = {c.pk for c in courts if court_is_live(c.nextgen_go_live, c.live_by, day)}
        assert in_sql == in_python, day
    assert court_is_live(None, PAST, TODAY) and not court_is_live(FUTURE, PAST, TODAY)
