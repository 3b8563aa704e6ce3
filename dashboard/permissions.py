"""View mixins for the roles. Signed-out users go to the login page; others get 403."""

from django.contrib.auth.mixins import AccessMixin
from django.core.exceptions import PermissionDenied

from core import roles


class RoleRequiredMixin(AccessMixin):
    allowed = staticmethod(roles.sees_whole_firm)

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not self.allowed(request.user):
            raise PermissionDenied("Your role does not allow this.")
        return super().dispatch(request, *args, **kwargs)


class FirmMemberRequiredMixin(RoleRequiredMixin):
    allowed = staticmethod(roles.sees_whole_firm)


class RecorderRequiredMixin(RoleRequiredMixin):
    allowed = staticmethod(roles.can_record_steps)


class AdministratorRequiredMixin(RoleRequiredMixin):
    allowed = staticmethod(roles.is_administrator)
