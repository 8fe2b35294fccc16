"""Failed-login lockout (MLPS 2.0 level 3): LOCKOUT_FAILURES failures of one login name within
LOCKOUT_WINDOW_MINUTES lock it for LOCKOUT_MINUTES (settings.ACCOUNTS).

Locks are per normalized login name, never per address: a bureau's clerks share one NAT
address, and locking it would lock out the whole office after five typos by anyone. While a
name is locked, accounts.backends.LockoutBackend refuses it before any password is checked."""

import datetime

from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from audit.services import request_ip

from .auth import normalize_login_name
from .lockout_models import AccountLock, LoginFailure
from .policy import account_settings
from .signals import account_locked


def lockout_policy() -> tuple[int, datetime.timedelta, datetime.timedelta]:
    """(failures that lock, the window they must fall in, how long the lock lasts)."""
    policy = account_settings()
    return (
        policy["LOCKOUT_FAILURES"],
        datetime.timedelta(minutes=policy["LOCKOUT_WINDOW_MINUTES"]),
        datetime.timedelta(minutes=policy["LOCKOUT_MINUTES"]),
    )


def lockout_name(username: str) -> str:
    """The login name locks are kept under: normalized, and cut to what a username can be (a
    longer or NUL-bearing name has no account; it must not break the bookkeeping either)."""
    name = normalize_login_name(username).replace("\x00", "")
    return name[: LoginFailure._meta.get_field("username").max_length]


def account_locked_until(username: str) -> datetime.datetime | None:
    """When the lock on this login name runs out, or None if it is not locked."""
    name = lockout_name(username)
    if not name:
        return None
    return (
        AccountLock.objects.filter(username=name, locked_until__gt=timezone.now())
        .values_list("locked_until", flat=True)
        .first()
    )


def lockout_message(locked_until: datetime.datetime) -> str:
    failures, _window, duration = lockout_policy()
    return _(
        "After %(failures)d failed logins this account is locked for %(minutes)d minutes. Try "
        "again after %(time)s, or ask the security administrator to unlock it."
    ) % {
        "failures": failures,
        "minutes": int(duration.total_seconds() // 60),
        "time": formats.date_format(timezone.localtime(locked_until), "Y-m-d H:i"),
    }


@transaction.atomic
def login_failure_record(*, username: str, ip_address: str | None) -> datetime.datetime | None:
    """Count a failed login; lock the name when it reaches the limit within the window.
    Returns the end of the lock this failure caused, if any. Failures while already locked are
    not counted (the audit log still has them): the count starts afresh when a lock runs out."""
    name = lockout_name(username)
    if not name or account_locked_until(name):
        return None
    failures, window, duration = lockout_policy()
    now = timezone.now()
    recent = LoginFailure.objects.filter(username=name)
    recent.filter(at__lte=now - window).delete()  # outside the window: no longer counted
    LoginFailure.objects.create(username=name, ip_address=ip_address, at=now)
    if recent.count() < failures:
        return None
    locked_until = now + duration
    AccountLock.objects.update_or_create(
        username=name,
        defaults={"locked_at": now, "locked_until": locked_until, "ip_address": ip_address},
    )
    recent.delete()
    account_locked.send(
        sender=AccountLock, username=name, ip_address=ip_address, locked_until=locked_until
    )
    return locked_until


def login_failures_clear(username: str) -> None:
    """A successful login forgets the name's earlier failures."""
    LoginFailure.objects.filter(username=lockout_name(username)).delete()


def lock_lift(username: str) -> bool:
    """Remove the lock and the counted failures; whether a lock was in force."""
    name = lockout_name(username)
    in_force = account_locked_until(name) is not None
    LoginFailure.objects.filter(username=name).delete()
    AccountLock.objects.filter(username=name).delete()
    return in_force


# --- Receivers (connected in accounts.apps) ---------------------------------------------------


def on_login_failed(sender, credentials, request=None, **kwargs):
    username = str((credentials or {}).get("username") or "")
    login_failure_record(username=username, ip_address=request_ip(request))


def on_logged_in(sender, request, user, **kwargs):
    login_failures_clear(user.get_username())
