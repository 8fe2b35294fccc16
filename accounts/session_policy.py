"""Sessions (MLPS 2.0 level 3): one session per account, ended after IDLE_TIMEOUT_MINUTES of
inactivity (settings.ACCOUNTS). accounts.middleware.SessionPolicyMiddleware applies both.

Each login puts a fresh random marker in its session (LOGIN_MARKER_KEY); the account keeps only
a keyed digest of it in `User.session_marker_digest`. Comparing the two on each request works
with any session backend, keeps working when Django gives the session a new key (a password
change cycles it), and leaves nothing on the account that could be used as a session: the
digest is not a session key, and the marker is not one either (issue 13: the stored session
key could be read back through the admin's list filters). An older session of the account is
ended, on the server too, at its next request, which is told why."""

import secrets
import time

from django.utils.crypto import constant_time_compare, salted_hmac

from .policy import account_settings

LOGIN_MARKER_KEY = "_accounts_login_marker"
LAST_ACTIVITY_KEY = "_accounts_last_activity"
# Storing the time on every request would write the session every request; a minute's
# precision is plenty for a 30-minute timeout.
ACTIVITY_PRECISION_SECONDS = 60


def idle_timeout_seconds() -> int:
    return int(account_settings()["IDLE_TIMEOUT_MINUTES"]) * 60


def session_marker_digest(marker: str) -> str:
    """What the account stores of its session's marker: an HMAC keyed with SECRET_KEY."""
    return salted_hmac("accounts.session_marker", marker, algorithm="sha256").hexdigest()


def session_claim(*, request, user) -> None:
    """Make this request's session the account's only one: any other session of the account
    no longer matches and is ended at its next request."""
    marker = secrets.token_hex(32)
    request.session[LOGIN_MARKER_KEY] = marker
    request.session[LAST_ACTIVITY_KEY] = int(time.time())
    user.session_marker_digest = session_marker_digest(marker)
    user.save(update_fields=["session_marker_digest"])


def session_is_current(*, request, user) -> bool:
    """False when the account has since logged in elsewhere. An account with no recorded
    session (logged in before this rule existed) is not judged."""
    if not user.session_marker_digest:
        return True
    marker = request.session.get(LOGIN_MARKER_KEY)
    return isinstance(marker, str) and constant_time_compare(
        session_marker_digest(marker), user.session_marker_digest
    )


def session_idle_too_long(request) -> bool:
    last = request.session.get(LAST_ACTIVITY_KEY)
    return last is not None and time.time() - last > idle_timeout_seconds()


def session_touch(request) -> None:
    now = int(time.time())
    last = request.session.get(LAST_ACTIVITY_KEY)
    if last is None or now - last >= ACTIVITY_PRECISION_SECONDS:
        request.session[LAST_ACTIVITY_KEY] = now


def on_logged_in(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        session_claim(request=request, user=user)
