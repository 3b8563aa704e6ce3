import datetime

import pytest

from tasks.occasions import current_occasion

GO_LIVE = datetime.date(2021, 7, 6)
SCHEDULE = {"days_before": [30, 14, 7, 1], "every_after": 3}


def day(offset):
    return GO_LIVE + datetime.timedelta(days=offset)


@pytest.mark.parametrize(
    ("offset", "expected"),
    [
        (-45, None),
        (-31, None),
        (-30, "before-30"),
        (-29, "before-30"),  # still the latest reached: sent once, not again
        (-15, "before-30"),
        (-14, "before-14"),
        (-8, "before-14"),
        (-7, "before-7"),
        (-2, "before-7"),
        (-1, "before-1"),
        (0, "go-live"),
        (1, "go-live"),
        (2, "go-live"),
        (3, "after-3"),
        (5, "after-3"),
        (6, "after-6"),
        (30, "after-30"),
        (31, "after-30"),
    ],
)
def test_the_latest_occasion_reached(offset, expected):
    occasion = current_occasion(GO_LIVE, None, day(offset), **SCHEDULE)
    assert (occasion.key if occasion else None) == expected
    if occasion:
        assert occasion.due_on <= day(offset)


def test_no_date_no_occasion():
    assert current_occasion(None, None, GO_LIVE, **SCHEDULE) is None


def test_other_settings():
    occasion = current_occasion(GO_LIVE, None, day(-3), days_before=[5], every_after=0)
    assert occasion.key == "before-5"
    assert current_occasion(GO_LIVE, None, day(10), days_before=[5], every_after=0).key == "go-live"


@pytest.mark.parametrize(
    ("offset", "expected"),
    [(-1, None), (0, "after-0"), (2, "after-0"), (3, "after-3"), (1467, "after-1467"), (1468, "after-1467")],
)
def test_with_only_an_on_nextgen_by_bound_only_after_occasions_from_the_bound(offset, expected):
    """Nobody knows when such a court went live: no "before" or "go-live day" message, but an
    attorney blocked there is reminded every few days, counted from the bound."""
    occasion = current_occasion(None, GO_LIVE, day(offset), **SCHEDULE)
    assert (occasion.key if occasion else None) == expected
    if occasion:
        assert occasion.kind == "after" and GO_LIVE <= occasion.due_on <= day(offset)


def test_an_exact_date_wins_over_the_bound():
    # A go-live date is known (even if later than an earlier bound): the schedule follows the date.
    assert current_occasion(GO_LIVE, day(-100), day(-7), **SCHEDULE).key == "before-7"
