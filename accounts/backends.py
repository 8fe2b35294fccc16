"""Authentication backends. LockoutBackend comes first in settings.AUTHENTICATION_BACKENDS."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import BaseBackend, ModelBackend
from django.core.exceptions import PermissionDenied

from audit.services import request_ip

from .lockout import account_locked_until, login_attempt_begin, login_failure_record


class LockoutBackend(BaseBackend):
    """Checks a login name and password itself, under the failed-login lockout
    (accounts.lockout), so that no other backend checks a password outside it:

    1. the attempt is counted first, atomically; a locked name, or one whose attempts within
       the window already reach the limit (parallel requests included), is refused without a
       password check, the same, and as fast, whether the password is right or wrong;
    2. the password is checked as ModelBackend checks it;
    3. a wrong one may lock the name; a right one is refused if the name got locked meanwhile.

    It never returns None for a username and password (PermissionDenied stops
    django.contrib.auth.authenticate and sends user_login_failed), so ModelBackend, listed
    after it for permissions and older sessions, never checks a password in its place."""

    def authenticate(self, request, username=None, password=None, **credentials):
        if username is None:
            username = credentials.get(get_user_model().USERNAME_FIELD)
        if username is None or password is None:
            return None
        ip_address = request_ip(request)
        if not login_attempt_begin(username=username, ip_address=ip_address):
            raise PermissionDenied
        user = ModelBackend().authenticate(request, username=username, password=password)
        if user is None:
            login_failure_record(username=username, ip_address=ip_address)
            raise PermissionDenied
        if account_locked_until(username):
            raise PermissionDenied
        return user

    def get_user(self, user_id):
        # Users load as ModelBackend loads them (force_login and these logins name this one).
        return ModelBackend().get_user(user_id)
