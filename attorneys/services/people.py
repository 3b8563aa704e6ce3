"""Logins: Firmlink users for attorneys and staff, with their role, each change in the history."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.db import transaction

from core.audit import Actor
from core.exceptions import StepRefused
from core.roles import FIRM_ROLES, Role, role_of

from ..choices import Step
from ..models import Attorney
from .history import history_add


def _describe(user, role: str) -> str:
    return f"{user.get_username()} ({Role(role).label if role else 'no role'}{'' if user.is_active else ', inactive'})"


def login_save(
    *,
    actor: Actor,
    username: str,
    role: str,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    attorney_id: int | None = None,
    is_active: bool = True,
    password: str | None = None,
    user_id: int | None = None,
):
    """Create (``user_id`` None) or change a login: its role (a firm role, or "attorney" for a login
    linked to an attorney's own checklist), whether it is active, its attorney. History: who, when,
    old -> new. Administrators also enter the Django admin (is_staff)."""
    User = get_user_model()
    if role == Role.ATTORNEY and not attorney_id:
        raise StepRefused("An attorney's login must be linked to that attorney.")
    with transaction.atomic():
        if user_id is None:
            if User.objects.filter(username__iexact=username).exists():
                raise StepRefused(f"The username {username!r} is taken.")
            user = User(username=username)
            user.set_unusable_password()
            old = None
        else:
            user = User.objects.select_for_update().get(pk=user_id)
            old = _describe(user, role_of(user) or "")
        user.first_name, user.last_name, user.email = first_name, last_name, email
        if password:
            validate_password(password, user)
            user.set_password(password)
        user.is_active = is_active
        user.is_staff = role == Role.ADMINISTRATOR
        user.save()
        firm_groups = Group.objects.filter(name__in=[r.value for r in FIRM_ROLES])
        user.groups.remove(*firm_groups)
        if role in FIRM_ROLES:
            user.groups.add(Group.objects.get(name=role))
        user._firmlink_groups = None  # the role cache of this object
        attorney = _link_attorney(user, attorney_id, actor)
        new = _describe(user, role)
        if new != old:
            history_add(actor=actor, step=Step.LOGIN, old=old, new=new, note="", attorney=attorney)
    return user


def _link_attorney(user, attorney_id: int | None, actor: Actor):
    """Attach the login to one attorney (or none); the change is in that attorney's history."""
    current = Attorney.objects.filter(user=user).first()
    if current is not None and current.pk == attorney_id:
        return current
    if current is not None:
        Attorney.objects.filter(pk=current.pk).update(user=None)
        history_add(
            actor=actor, step=Step.LOGIN, old=user.get_username(), new=None, note="login unlinked", attorney=current
        )
    if attorney_id is None:
        return None
    attorney = Attorney.objects.select_for_update().get(pk=attorney_id)
    if attorney.user_id and attorney.user_id != user.pk:
        raise StepRefused(f"{attorney.name} already has a login ({attorney.user.get_username()}).")
    attorney.user = user
    attorney.save(update_fields=["user", "updated_at"])
    history_add(actor=actor, step=Step.LOGIN, old=None, new=user.get_username(), note="login linked", attorney=attorney)
    return attorney
