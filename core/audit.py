"""Who did something, as the append-only history records it, and how values read there."""

import dataclasses
import datetime

from django.db import models


class StepSource(models.TextChoices):
    STAFF = "staff", "Staff"
    ATTORNEY = "attorney", "Attorney (self-service)"
    IMPORT = "import", "Roster import"
    SYSTEM = "system", "System"


@dataclasses.dataclass(frozen=True)
class Actor:
    """Who records a change, as the history will show it."""

    label: str
    source: str = StepSource.STAFF
    user: object = None

    @classmethod
    def for_user(cls, user, source: str = StepSource.STAFF) -> "Actor":
        return cls(label=user.get_full_name() or user.get_username(), source=source, user=user)

    @classmethod
    def system(cls, label: str) -> "Actor":
        return cls(label=label, source=StepSource.SYSTEM)

    @classmethod
    def importer(cls, filename: str, user=None) -> "Actor":
        return cls(label=f"import of {filename}", source=StepSource.IMPORT, user=user)

    @classmethod
    def attorney_self(cls, attorney) -> "Actor":
        return cls(label=f"{attorney.name} (self-service)", source=StepSource.ATTORNEY)


def display_value(value) -> str:
    """A value as the history shows it."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)
