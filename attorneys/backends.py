"""Sign-in: Django's model backend, refusing the login of an attorney marked inactive.

The same rule ends a session already open: Django asks the backend for the user on every
request (one query, the attorney joined), and an attorney made inactive meanwhile is no
longer given back.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ObjectDoesNotExist


def _inactive_attorney(user) -> bool:
    try:
        return not user.attorney.is_active
    except ObjectDoesNotExist:  # a login that is not an attorney's
        return False


class FirmlinkBackend(ModelBackend):
    def user_can_authenticate(self, user) -> bool:
        return super().user_can_authenticate(user) and not _inactive_attorney(user)

    def get_user(self, user_id):
        user = get_user_model()._default_manager.filter(pk=user_id).select_related("attorney").first()
        return user if user is not None and self.user_can_authenticate(user) else None
