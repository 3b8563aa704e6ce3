"""Run-time settings of PostgreSQL for a few statements only (``core.dbsettings``)."""

import pytest
from django.db import DataError, connection, transaction

from core.dbsettings import statement_settings

pytestmark = pytest.mark.django_db(transaction=True)


def work_mem() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW work_mem")
        return cursor.fetchone()[0]


def test_a_setting_holds_in_the_block_and_is_put_back_after_it():
    before = work_mem()
    with statement_settings(work_mem="48MB"):
        assert work_mem() == "48MB"
    assert work_mem() == before
    with transaction.atomic():  # inside a transaction: put back before what follows in it
        with statement_settings(work_mem="48MB", jit="off"):
            assert work_mem() == "48MB"
        assert work_mem() == before


def test_an_error_in_the_block_is_raised_as_it_is_and_the_setting_goes_with_the_rollback():
    before = work_mem()
    with transaction.atomic():
        with (
            pytest.raises(DataError, match="division by zero"),  # not masked by the put-back
            statement_settings(work_mem="48MB"),
            connection.cursor() as cursor,
        ):
            cursor.execute("SELECT 1 / 0")
        assert work_mem() == before  # the transaction goes on, with its own setting
    with pytest.raises(KeyError), statement_settings(work_mem="48MB"):
        raise KeyError("x")
    assert work_mem() == before
