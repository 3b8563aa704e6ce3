"""Who may do what. Views and selectors ask these functions; templates only reflect them."""

from django.contrib.auth import get_user_model
from django.db import models


class Role(models.TextChoices):
    ADMINISTRATOR = "administrator", "Administrator"
    STAFF = "staff", "Staff"
    COMPLIANCE = "compliance", "Compliance"
    ATTORNEY = "attorney", "Attorney"


# Group names are the role values; a data migration creates the groups.
FIRM_ROLES = (Role.ADMINISTRATOR, Role.STAFF, Role.COMPLIANCE)


def role_of(user) -> Role | None:
    """The user's one role, the strongest if several groups apply."""
    if not user or not user.is_authenticated or not user.is_active:
        return None
    if user.is_superuser:
        return Role.ADMINISTRATOR
    cached = getattr(user, "_firmlink_groups", None)
    if cached is None:
        cached = set(user.groups.values_list("name", flat=True))
        user._firmlink_groups = cached
    for role in FIRM_ROLES:
        if role.value in cached:
            return role
    if hasattr(user, "attorney"):
        return Role.ATTORNEY
    return None


def sees_whole_firm(user) -> bool:
    return role_of(user) in FIRM_ROLES


def can_record_steps(user) -> bool:
    return role_of(user) in (Role.ADMINISTRATOR, Role.STAFF)


def is_administrator(user) -> bool:
    """Court corrections, roster imports, the export audit, the Django admin."""
    return role_of(user) == Role.ADMINISTRATOR


def administrator_emails() -> list[str]:
    """The addresses of the active administrators: the digest goes to them, replies to reminders too."""
    admins = (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(models.Q(is_superuser=True) | models.Q(groups__name=Role.ADMINISTRATOR))
    )
    return sorted({email for email in admins.values_list("email", flat=True) if email})
