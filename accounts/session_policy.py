"""Sessions (MLPS 2.0 level 3): one session per account, ended after IDLE_TIMEOUT_MINUTES of
inactivity (settings.ACCOUNTS). accounts.middleware.SessionPolicyMiddleware applies both.

The account remembers its one session in `User.current_session_key`; the session carries the
same value under LOGIN_MARKER_KEY. Comparing the two on each request works with any session
backend, and keeps working when Django gives the session a new key (a password change
cycles it). On server-side backends the value is the session key itself, so the next login also
ends the previous session on the server: its login data goes, and a note stays so that its next
request is told why."""

import secrets
import time
from importlib import import_module

from django.conf import settings

from .policy import account_settings

LOGIN_MARKER_KEY = "_accounts_login_marker"
LAST_ACTIVITY_KEY = "_accounts_last_activity"
# What is left of a session a newer login of the same account ended: nothing but this flag, so
# that its next request can say why it is no longer logged in.
SUPERSEDED_KEY = "_accounts_superseded"
# Storing the time on every request would write the session every request; a minute's
# precision is plenty for a 30-minute timeout.
ACTIVITY_PRECISION_SECONDS = 60


def idle_timeout_seconds() -> int:
    return int(account_settings()["IDLE_TIMEOUT_MINUTES"]) * 60


def session_store(session_key=None):
    return import_module(settings.SESSION_ENGINE).SessionStore(session_key=session_key)


def session_marker(session) -> str:
    key = session.session_key
    # Server-side stores (database, cache, file) have keys the next login can find; a signed
    # cookie has nothing on the server, so a random marker stands in for its key.
    if key and len(key) <= 64 and session.exists(key):
        return key
    return secrets.token_hex(32)


def session_supersede(session_key: str) -> None:
    """End a server-side session: its login data goes, a note of why stays."""
    store = session_store(session_key)
    if session_key and store.exists(session_key):
        store.clear()
        store[SUPERSEDED_KEY] = True
        store.save()


def session_claim(*, request, user) -> None:
    """Make this request's session the account's only one, ending the one before it."""
    session = request.session
    if session.session_key is None:
        session.save()
    marker = session_marker(session)
    previous = user.current_session_key
    if previous and previous != marker:
        session_supersede(previous)
    session[LOGIN_MARKER_KEY] = marker
    session[LAST_ACTIVITY_KEY] = int(time.time())
    user.current_session_key = marker
    user.save(update_fields=["current_session_key"])


def session_was_superseded(request) -> bool:
    """Whether this (now anonymous) session was ended by a newer login; asks only once."""
    return bool(request.session.pop(SUPERSEDED_KEY, False))


def session_is_current(*, request, user) -> bool:
    """False when the account has since logged in elsewhere. An account with no recorded
    session (logged in before this rule existed) is not judged."""
    if not user.current_session_key:
        return True
    return request.session.get(LOGIN_MARKER_KEY) == user.current_session_key


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
