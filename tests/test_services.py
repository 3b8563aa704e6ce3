"""Recording steps: the rules of the court documents, one history row per change."""

import datetime
import threading

import pytest
from django.db import connection, transaction

from attorneys.choices import Step
from attorneys.models import CourtLink, StepChange
from attorneys.names import names_match
from attorneys.services.steps import step_record
from core.exceptions import StepRefused
from tests.dates import AS_OF
from tests.factories import AttorneyFactory, CourtFactory, CourtLinkFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def as_of(pinned_date):
    return pinned_date


def link_now(link, actor, **kwargs):
    defaults = {"cmecf_name": "James C Alison", "pacer_name": "James Alison"}
    return step_record(step=Step.LINKED, actor=actor, link_id=link.pk, **{**defaults, **kwargs})


def test_recording_the_link_stores_names_and_history(actor, staff_user):
    link = CourtLinkFactory()
    change = link_now(link, actor, note="on the phone")
    link.refresh_from_db()
    assert link.linked_on == AS_OF  # the date defaults to today
    assert (link.cmecf_name_shown, link.pacer_name_shown) == ("James C Alison", "James Alison")
    assert link.linked_recorded_by == staff_user
    assert link.status() == "linked"
    assert change.new_value == "2021-06-14 (CM/ECF 'James C Alison' / PACER 'James Alison')"
    assert change.link == link and change.attorney == link.attorney and change.court == link.court


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        ({"court__nextgen_go_live": datetime.date(2021, 7, 6)}, "goes live on NextGen on 2021-07-06"),
        ({"court__nextgen_go_live": None}, "no announced NextGen go-live date"),
        ({"attorney__pacer_account": "legacy"}, "legacy account: it must be upgraded before linking"),
        ({"attorney__pacer_account": "none"}, "no individual PACER account"),
        ({"attorney__pacer_individual": False}, "no individual PACER account"),
        ({"efiling_account": False}, "PACER access only"),
        ({"new_to_court": True}, "request e-filing access through PACER"),
    ],
)
def test_linking_the_rules_forbid_is_refused_with_a_clear_message(actor, setup, message):
    link = CourtLinkFactory(**setup)
    with pytest.raises(StepRefused, match=message):
        link_now(link, actor)
    link.refresh_from_db()
    assert link.linked_on is None
    assert not StepChange.objects.exists()


def test_linking_before_go_live_day_is_refused_and_on_go_live_day_allowed(actor):
    link = CourtLinkFactory(court=CourtFactory(nextgen_go_live=datetime.date(2021, 6, 10)))
    with pytest.raises(StepRefused, match="impossible before that day"):
        link_now(link, actor, on=datetime.date(2021, 6, 9))
    link_now(link, actor, on=datetime.date(2021, 6, 10))
    assert CourtLink.objects.get(pk=link.pk).linked_on == datetime.date(2021, 6, 10)


def test_a_future_date_is_refused(actor):
    with pytest.raises(StepRefused, match="in the future"):
        link_now(CourtLinkFactory(), actor, on=AS_OF + datetime.timedelta(days=1))


def test_linking_is_irreversible(actor):
    link = CourtLinkFactory()
    link_now(link, actor)
    with pytest.raises(StepRefused, match="Linking cannot be undone"):
        link_now(link, actor)
    assert StepChange.objects.filter(step=Step.LINKED).count() == 1


def test_both_names_are_required(actor):
    with pytest.raises(StepRefused, match="both names"):
        link_now(CourtLinkFactory(), actor, pacer_name=" ")


def test_menus_after_link_only(actor):
    link = CourtLinkFactory()
    with pytest.raises(StepRefused, match="record the link first"):
        step_record(step=Step.FILING_MENUS, actor=actor, link_id=link.pk)
    link_now(link, actor)
    step_record(step=Step.FILING_MENUS, actor=actor, link_id=link.pk)
    link.refresh_from_db()
    assert link.status() == "complete"


def test_new_filer_registers_instead_of_linking(actor):
    link = CourtLinkFactory(new_to_court=True)
    assert link.status() == "needs_registration"
    step_record(step=Step.REGISTERED, actor=actor, link_id=link.pk, note="access granted")
    link.refresh_from_db()
    assert link.status() == "complete"


@pytest.mark.parametrize("step", [Step.EFILING_ACCOUNT, Step.NEW_TO_COURT])
def test_once_access_is_recorded_the_pair_facts_stay_for_the_dashboard_as_for_an_import(actor, step):
    link = CourtLinkFactory()
    link_now(link, actor)
    value = not getattr(CourtLink.objects.get(pk=link.pk), step)
    with pytest.raises(StepRefused, match="already has access recorded"):
        step_record(step=step, actor=actor, link_id=link.pk, value=value)
    assert CourtLink.objects.get(pk=link.pk).status() == "linked"
    assert not StepChange.objects.filter(step=step).exists()


def test_recording_the_same_value_twice_writes_one_history_row(actor):
    link = CourtLinkFactory()
    assert step_record(step=Step.CMECF_LOGIN_KNOWN, actor=actor, link_id=link.pk, value=True)
    assert step_record(step=Step.CMECF_LOGIN_KNOWN, actor=actor, link_id=link.pk, value=True) is None
    assert StepChange.objects.count() == 1


def test_pacer_upgrade_is_recorded_on_the_attorney(actor):
    attorney = AttorneyFactory(pacer_account="legacy")
    link = CourtLinkFactory(attorney=attorney)
    assert link.status() == "needs_pacer_upgrade"
    change = step_record(step=Step.PACER_ACCOUNT, actor=actor, attorney_id=attorney.pk, value="upgraded")
    assert (change.old_value, change.new_value, change.link) == ("legacy", "upgraded", None)
    link.refresh_from_db()
    assert link.status() == "ready_to_link"
    with pytest.raises(StepRefused, match="must be one of"):
        step_record(step=Step.PACER_ACCOUNT, actor=actor, attorney_id=attorney.pk, value="gold")


@pytest.mark.parametrize(
    ("cmecf", "pacer", "match"),
    [
        ("James C Alison", "James Alison", True),
        ("James C. Alison", "JAMES CHARLES ALISON", True),
        ("James Alison Jr.", "James Alison", True),
        ("James Alison", "Jim Alison", False),
        ("James C Alison", "James D Alison", False),
        ("James Alison", "James Allison", False),
        ("", "James Alison", False),
    ],
)
def test_names_match_up_to_a_middle_initial(cmecf, pacer, match):
    assert names_match(cmecf, pacer) is match


@pytest.mark.django_db(transaction=True)
def test_two_people_recording_the_same_link_at_once(postgres, actor):
    """Two real transactions: the second waits for the first, then sees the link and is refused."""
    link = CourtLinkFactory()
    first_holds_lock = threading.Event()
    results = {}

    def first():
        try:
            with transaction.atomic():
                CourtLink.objects.select_for_update().get(pk=link.pk)
                first_holds_lock.set()
                # Give the second transaction time to block on the row lock.
                second_thread.join(timeout=1)
                results["first"] = link_now(link, actor, cmecf_name="First Person", pacer_name="First Person")
        finally:
            connection.close()

    def second():
        first_holds_lock.wait(5)
        try:
            results["second"] = link_now(link, actor, cmecf_name="Second Person", pacer_name="Second Person")
        except StepRefused as exc:
            results["second"] = exc
        finally:
            connection.close()

    first_thread = threading.Thread(target=first)
    second_thread = threading.Thread(target=second)
    first_thread.start()
    second_thread.start()
    first_thread.join(10)
    second_thread.join(10)

    assert isinstance(results["first"], StepChange)
    assert isinstance(results["second"], StepRefused)
    assert "Linking cannot be undone" in str(results["second"])
    link.refresh_from_db()
    assert link.cmecf_name_shown == "First Person"
    assert StepChange.objects.filter(link=link, step=Step.LINKED).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_people_ticking_the_same_box_at_once_write_one_history_row(postgres, actor):
    link = CourtLinkFactory()
    barrier = threading.Barrier(2)
    outcomes = []

    def tick():
        try:
            barrier.wait(5)
            outcomes.append(step_record(step=Step.CMECF_LOGIN_KNOWN, actor=actor, link_id=link.pk, value=True))
        finally:
            connection.close()

    threads = [threading.Thread(target=tick) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert sorted(outcome is None for outcome in outcomes) == [False, True]
    assert StepChange.objects.filter(link=link).count() == 1


@pytest.mark.django_db(transaction=True)
def test_transactional_tests_get_the_shipped_data_back():
    from django.contrib.auth.models import Group

    from courts.models import Court

    assert Court.objects.count() == 204
    assert set(Group.objects.values_list("name", flat=True)) >= {"administrator", "staff", "compliance"}
