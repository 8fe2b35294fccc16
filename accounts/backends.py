"""Authentication backends. LockoutBackend comes first in settings.AUTHENTICATION_BACKENDS."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import BaseBackend, ModelBackend
from django.core.exceptions import PermissionDenied

from .lockout import account_locked_until


class LockoutBackend(BaseBackend):
    """Refuses a locked login name before any backend looks at the password, so a locked
    account answers the same, and as fast, whether the password is right or wrong.

    Raising PermissionDenied stops django.contrib.auth.authenticate and sends
    user_login_failed; returning None lets the next backend check the password."""

    def authenticate(self, request, username=None, **credentials):
        if username is None:
            username = credentials.get(get_user_model().USERNAME_FIELD)
        if username and account_locked_until(username):
            raise PermissionDenied
        return None

    def get_user(self, user_id):
        # A login that names no backend (force_login, management tools) is recorded under the
        # first one listed: this one. Users load as ModelBackend loads them.
        return ModelBackend().get_user(user_id)
