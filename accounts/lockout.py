"""Failed-login lockout (MLPS 2.0 level 3): LOCKOUT_FAILURES failures of one login name within
LOCKOUT_WINDOW_MINUTES lock it for LOCKOUT_MINUTES (settings.ACCOUNTS).

Locks are per normalized login name, never per address: a bureau's clerks share one NAT
address, and locking it would lock out the whole office after five typos by anyone. While a
name is locked, accounts.backends.LockoutBackend refuses it before any password is checked.

Every attempt is counted before its password is checked, atomically per name on SQLite and
PostgreSQL (login_attempt_begin), so that a burst of parallel requests checks no more
passwords than the limit and nothing fails with "database is locked" (issue 13)."""

import datetime
import hashlib

from django.db import connections, router, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

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


def _serialize_attempts(name: str) -> None:
    """Let one attempt at a time count for this login name, until the caller's transaction
    ends. PostgreSQL: a transaction-level advisory lock on the name (concurrent attempts would
    otherwise each count the others' uncommitted rows as absent). SQLite admits one writer at a
    time; the transaction's first statement is a write (settings: BEGIN IMMEDIATE), so it
    waits its turn instead of failing with "database is locked"."""
    connection = connections[router.db_for_write(LoginFailure)]
    if connection.vendor == "postgresql":
        digest = hashlib.sha256(f"accounts.lockout:{name}".encode()).digest()
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_advisory_xact_lock(%s)", [int.from_bytes(digest[:8], "big", signed=True)]
            )


def login_attempt_begin(*, username: str, ip_address: str | None) -> bool:
    """Count a login attempt before its password is checked (accounts.backends): whether the
    password may be checked at all. Refused while the name is locked, and once
    LOCKOUT_FAILURES attempts within the window are counted or still being checked, so that
    parallel requests cannot try more passwords than the limit (issue 13). The attempt counts
    as a failure until a successful login clears it (login_failures_clear)."""
    name = lockout_name(username)
    if not name:
        return True  # no account has an empty name; nothing to count
    failures, window, _duration = lockout_policy()
    with transaction.atomic():
        _serialize_attempts(name)
        now = timezone.now()
        attempt = LoginFailure.objects.create(username=name, ip_address=ip_address, at=now)
        LoginFailure.objects.filter(username=name, at__lte=now - window).delete()
        counted = LoginFailure.objects.filter(username=name).count()
        if account_locked_until(name) is None and counted <= failures:
            return True
        # Refused without a password check; failures while locked are not counted (the audit
        # log still has them): the count starts afresh when a lock runs out.
        attempt.delete()
        return False


def login_failure_record(*, username: str, ip_address: str | None) -> datetime.datetime | None:
    """The attempt counted by login_attempt_begin failed: lock the name when the attempts
    within the window reach the limit. Returns the end of the lock this failure caused."""
    name = lockout_name(username)
    if not name:
        return None
    failures, window, duration = lockout_policy()
    with transaction.atomic():
        _serialize_attempts(name)
        now = timezone.now()
        # A write first (SQLite), then the reads.
        LoginFailure.objects.filter(username=name, at__lte=now - window).delete()
        if account_locked_until(name) is not None:
            return None
        recent = LoginFailure.objects.filter(username=name)
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


def on_logged_in(sender, request, user, **kwargs):
    login_failures_clear(user.get_username())
