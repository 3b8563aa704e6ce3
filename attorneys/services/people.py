"""Logins: Firmlink users for attorneys and staff, with their role, each change in the history; and
staff members Firmlink knows without a login (filing agents, authenticator holders)."""

from axes.models import AccessAttempt
from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.utils import timezone

from core import clock
from core.audit import Actor
from core.exceptions import StepRefused
from core.roles import FIRM_ROLES, Role, role_of
from core.signals import person_left

from ..choices import Step
from ..models import Attorney, StaffMember
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
        leaving = user.pk is not None and user.is_active and not is_active
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
        if leaving and user.get_full_name():
            person_left.send(sender=login_save, name=user.get_full_name(), actor=actor, on=clock.today())
    return user


def attorney_login_set(*, actor: Actor, attorney_id: int, user) -> None:
    """Give the attorney this login (or none), from wherever it is done (the admin too): in history."""
    with transaction.atomic():
        current = Attorney.objects.select_for_update().get(pk=attorney_id)
        if current.user_id == (user.pk if user else None):
            return
        if user is None:
            Attorney.objects.filter(pk=attorney_id).update(user=None)
            history_add(
                actor=actor,
                step=Step.LOGIN,
                old=current.user.get_username(),
                new=None,
                note="login unlinked",
                attorney=current,
            )
            return
        _link_attorney(user, attorney_id, actor)


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


def locked_out(usernames) -> dict[str, int]:
    """username -> failed sign-ins in a row, for those of ``usernames`` locked out now (django-axes,
    which dates attempts by the real clock, not an installation's as-of date)."""
    attempts = AccessAttempt.objects.filter(
        username__in=list(usernames), failures_since_start__gte=settings.AXES_FAILURE_LIMIT
    )
    if settings.AXES_COOLOFF_TIME:
        attempts = attempts.filter(attempt_time__gte=timezone.now() - settings.AXES_COOLOFF_TIME)
    found: dict[str, int] = {}
    for username, failures in attempts.values_list("username", "failures_since_start"):
        found[username] = max(failures, found.get(username, 0))
    return found


def login_unlock(*, actor: Actor, user) -> int:
    """Lift a sign-in lockout (and forget the failed attempts); in the attorney's history when the
    login is an attorney's. Returns how many failed sign-ins were forgotten."""
    failures = locked_out([user.get_username()]).get(user.get_username(), 0)
    axes_reset(username=user.get_username())
    attorney = Attorney.objects.filter(user=user).first()
    history_add(
        actor=actor,
        step=Step.LOGIN,
        old=f"{user.get_username()} locked out",
        new=f"{user.get_username()} unlocked",
        note=f"after {failures} failed sign-ins" if failures else "",
        attorney=attorney,
    )
    return failures


def staff_add(*, actor: Actor, name: str, email: str = "", note: str = "") -> StaffMember:
    """A staff member Firmlink should know (in the history). StepRefused if the name is taken."""
    name = " ".join(name.split())
    if not name:
        raise StepRefused("Give the staff member's name.")
    with transaction.atomic():
        if StaffMember.objects.filter(name__iexact=name).exists():
            raise StepRefused(f"{name} is already on the staff list.")
        member = StaffMember.objects.create(name=name, email=email.strip())
        history_add(actor=actor, step=Step.STAFF, old=None, new=f"{name} (staff)", note=note)
    return member


def staff_left(*, actor: Actor, pk: int, on=None, note: str = "") -> StaffMember:
    """A staff member left the firm: marked (never deleted), in the history, and every campaign naming
    them (filing agents, authenticator holders) gets the departure recorded."""
    on = on or clock.today()
    with transaction.atomic():
        member = StaffMember.objects.select_for_update().get(pk=pk)
        if not member.is_active:
            return member
        member.is_active, member.left_on = False, on
        member.save(update_fields=["is_active", "left_on", "updated_at"])
        history_add(actor=actor, step=Step.STAFF, old=f"{member.name} (staff)", new=f"{member.name} left", note=note)
        person_left.send(sender=staff_left, name=member.name, actor=actor, on=on)
    return member
