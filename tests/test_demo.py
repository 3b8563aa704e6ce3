import datetime
from collections import Counter

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import Count
from django.test import override_settings

from attorneys.demo import DEMO_AS_OF
from attorneys.models import Attorney, CourtLink, StepChange
from attorneys.status import LinkStatus
from campaigns import registry, subjects
from campaigns.models import Progress
from courts.models import Court

pytestmark = pytest.mark.django_db


def snapshot():
    return (
        list(Attorney.objects.order_by("email").values_list("name", "email", "pacer_account", "pacer_individual")),
        list(
            CourtLink.objects.order_by("attorney__email", "court__court_id").values_list(
                "attorney__email",
                "court__court_id",
                "efiling_account",
                "new_to_court",
                "linked_on",
                "menus_confirmed_on",
                "registered_on",
                "cmecf_login_known",
            )
        ),
    )


def test_the_demo_firm_spans_every_status_on_real_courts(capsys):
    courts_before = list(Court.objects.order_by("court_id").values())
    with override_settings(FIRMLINK_AS_OF=DEMO_AS_OF):  # what `make run` does
        call_command("seed_demo")
    assert Attorney.objects.count() == 60
    with override_settings(FIRMLINK_AS_OF=DEMO_AS_OF):
        statuses = set(CourtLink.objects.with_status().values_list("status", flat=True))
        cannot_file = CourtLink.objects.cannot_file().count()
        upcoming = Court.objects.filter(
            links__isnull=False,
            nextgen_go_live__gt=DEMO_AS_OF,
            nextgen_go_live__lte=DEMO_AS_OF + datetime.timedelta(days=90),
        ).distinct()
    assert statuses == set(LinkStatus.values)
    assert cannot_file > 0
    assert upcoming.count() >= 2  # imminent cutovers to chase
    assert list(Court.objects.order_by("court_id").values()) == courts_before  # the real facts are untouched
    assert StepChange.objects.filter(step="linked").exists()
    assert "Demo firm: 60 attorneys" in capsys.readouterr().out
    # Attorneys in the two courts our court documents come from.
    assert CourtLink.objects.filter(court__court_id="alnb").exists()
    assert CourtLink.objects.filter(court__court_id="canb").exists()


REAL_DATE = datetime.date(2026, 12, 3)


def test_on_the_real_date_the_demo_firm_is_a_believable_2026_firm():
    """`make run FIRMLINK_AS_OF=`: every court of the firm has long been on NextGen (by its go-live
    date or its bound); nobody awaits a go-live that is in the past; most pairs are done."""
    with override_settings(FIRMLINK_AS_OF=REAL_DATE):
        call_command("seed_demo", verbosity=0)
        links = CourtLink.objects.with_status()
        statuses = dict(links.order_by().values_list("status").annotate(n=Count("pk")))
        cannot_file = CourtLink.objects.cannot_file().count()
    assert statuses.get(LinkStatus.AWAITING_GO_LIVE, 0) == 0
    assert not Court.objects.filter(links__isnull=False, nextgen_go_live=None, live_by=None).exists()
    assert statuses[LinkStatus.COMPLETE] + statuses[LinkStatus.LINKED] > sum(statuses.values()) / 2
    assert 0 < cannot_file < sum(statuses.values()) / 4


def test_the_demo_firm_has_come_through_pacer_mfa_by_the_real_date_but_not_all_of_it():
    with override_settings(FIRMLINK_AS_OF=REAL_DATE):
        call_command("seed_demo", verbosity=0)
        mfa = registry.get("pacer_mfa")
        statuses = Counter(subjects.subjects(mfa, REAL_DATE).values_list("status", flat=True))
    assert statuses["complete"] > sum(statuses.values()) / 2
    assert 0 < statuses["blocked"] < sum(statuses.values()) / 5  # not enrolled after the deadline
    assert statuses["holder_left"] > 0  # a holder who left, not yet reviewed for some
    assert not Progress.objects.filter(value__icontains="otpauth").exists()


def test_in_2021_nobody_has_started_pacer_mfa():
    with override_settings(FIRMLINK_AS_OF=DEMO_AS_OF):
        call_command("seed_demo", attorneys=10, verbosity=0)
    assert not Progress.objects.filter(campaign="pacer_mfa").exists()
    # Nothing recorded after the demo's date, in any campaign.
    assert not Progress.objects.filter(done_on__gt=DEMO_AS_OF).exclude(step="due").exists()  # due: ahead


def test_on_the_real_date_each_campaign_per_court_has_believable_counts():
    """Bar renewals, notice routing, filing agents and ACMS on the demo firm on 2026-12-03."""
    with override_settings(FIRMLINK_AS_OF=REAL_DATE):
        call_command("seed_demo", verbosity=0)
        found = {
            slug: Counter(subjects.subjects(registry.get(slug), REAL_DATE).values_list("status", flat=True))
            for slug in ("bar_renewal", "notice_routing", "filing_agents", "acms")
        }
    renewals = found["bar_renewal"]
    assert renewals["unknown_cycle"] > 0 and renewals["current"] + renewals["lapsed"] + renewals["due_soon"] > 0
    routing = found["notice_routing"]
    assert routing["routed"] > sum(routing.values()) / 2 and routing["needs_inbox"] > 0
    agents = found["filing_agents"]
    assert agents["complete"] > 0 and agents["no_agents"] > sum(agents.values()) / 2
    assert sum(found["acms"].values()) > 0
    assert not Progress.objects.filter(done_on__gt=REAL_DATE).exclude(step="due").exists()


def test_the_demo_firm_is_deterministic():
    with transaction.atomic():
        call_command("seed_demo", attorneys=15, seed=7)
        first = snapshot()
        transaction.set_rollback(True)
    assert not Attorney.objects.exists()
    call_command("seed_demo", attorneys=15, seed=7)
    assert snapshot() == first
    assert len(first[1]) > 15


def test_seed_demo_refuses_a_firm_that_exists_unless_if_empty(capsys):
    call_command("seed_demo", attorneys=3)
    with pytest.raises(CommandError, match="not empty"):
        call_command("seed_demo", attorneys=3)
    call_command("seed_demo", "--if-empty")
    assert "not seeded" in capsys.readouterr().out
    assert Attorney.objects.count() == 3
