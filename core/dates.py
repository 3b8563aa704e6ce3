"""Dates people can mean: a go-live, a step's day. Anything outside is a typing slip (or an attack)
that would break calendars and arithmetic (9999-12-31 has no next day)."""

import datetime

from django.core.exceptions import ValidationError

EARLIEST = datetime.date(1990, 1, 1)
LATEST = datetime.date(2100, 12, 31)


def validate_sane_date(value: datetime.date | None) -> None:
    if value is not None and not EARLIEST <= value <= LATEST:
        raise ValidationError(
            f"{value.isoformat()} is outside the years {EARLIEST.year}-{LATEST.year}: check the year.",
            code="date_range",
        )
