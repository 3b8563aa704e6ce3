"""The step history is append-only: no update, no delete, through any door."""

import pytest
from django.contrib import admin
from django.db import IntegrityError, InternalError, connection, transaction
from django.db.models.deletion import ProtectedError
from django.test import RequestFactory

from attorneys.choices import Step
from attorneys.models import AppendOnlyError, StepChange
from attorneys.services.steps import step_record
from tests.factories import CourtLinkFactory, UserFactory


@pytest.fixture
def change(actor):
    link = CourtLinkFactory()
    return step_record(step=Step.CMECF_LOGIN_KNOWN, actor=actor, link_id=link.pk, value=True, note="phoned")


def test_a_recorded_change_says_who_when_what(change, staff_user):
    assert change.changed_by == staff_user
    assert change.actor == staff_user.get_full_name()
    assert (change.step, change.old_value, change.new_value, change.note) == (
        "cmecf_login_known",
        "no",
        "yes",
        "phoned",
    )
    assert change.changed_at is not None


def test_saving_an_existing_row_is_refused(change):
    change.note = "rewritten"
    with pytest.raises(AppendOnlyError):
        change.save()
    change.refresh_from_db()
    assert change.note == "phoned"


def test_queryset_update_and_delete_are_refused(change):
    with pytest.raises(AppendOnlyError):
        StepChange.objects.filter(pk=change.pk).update(note="x")
    with pytest.raises(AppendOnlyError):
        StepChange.objects.filter(pk=change.pk).delete()
    with pytest.raises(AppendOnlyError):
        change.delete()
    assert StepChange.objects.filter(pk=change.pk, note="phoned").exists()


def test_the_attorney_of_a_history_row_cannot_be_deleted(change):
    with pytest.raises(ProtectedError):
        change.attorney.delete()


def test_raw_sql_update_and_delete_are_refused_by_postgresql(postgres, change):
    for sql in (
        "UPDATE attorneys_stepchange SET note = 'x' WHERE id = %s",
        "DELETE FROM attorneys_stepchange WHERE id = %s",
    ):
        with (
            pytest.raises((InternalError, IntegrityError), match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, [change.pk])
    assert StepChange.objects.filter(pk=change.pk, note="phoned").exists()


def test_admin_offers_no_add_change_or_delete(change):
    model_admin = admin.site._registry[StepChange]
    request = RequestFactory().get("/admin/")
    request.user = UserFactory(username="root", is_superuser=True, is_staff=True)
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request, change)
    assert not model_admin.has_delete_permission(request, change)
    assert model_admin.has_view_permission(request, change)
