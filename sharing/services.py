"""Issuing, revoking and checking the department API's tokens (R-API-2..4), and the audit
record of every call (R-API-5).

A token reads `sz_<prefix>.<secret>`: the prefix finds the row, the secret is checked against
a keyed hash (HMAC-SHA256 under SECRET_KEY) in constant time. Only the security administrator
issues and revokes; the secret is returned once, to be shown once, and never stored."""

import datetime
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from accounts import roles
from accounts.lockout import account_locked_until
from accounts.services import in_site_language
from audit.choices import AuditAction
from audit.services import audit_record

from .models import ApiToken

TOKEN_TAG = "sz_"
PREFIX_BYTES = 6
SECRET_BYTES = 32
HASH_SALT = "sharing.ApiToken"
# The roles a token may be issued to: the departments the API serves (issue 18.3).
HOLDER_ROLES = (roles.SUPERVISORY_UNIT, roles.COMMITTEE)
OBJECT_TYPE = "sharing.apitoken"


def sharing_settings() -> dict:
    defaults = {
        "TOKEN_DAYS": 365,
        "PAGE_LIMIT_DEFAULT": 100,
        "PAGE_LIMIT_MAX": 500,
        "CALLS_PER_MINUTE": 120,
    }
    return {**defaults, **getattr(settings, "SHARING", {})}


def secret_hash(token: str) -> str:
    return salted_hmac(HASH_SALT, token, algorithm="sha256").hexdigest()


def may_manage_tokens(user) -> bool:
    """R-API-2: the security administrator, and nobody else (not the superuser, the clerk or
    the holder)."""
    return bool(
        user and user.is_authenticated and user.is_active and user.has_role(roles.SECURITY_ADMIN)
    )


def is_eligible_holder(user) -> bool:
    """An active supervisory-unit (with its unit) or Party working committee account."""
    if not (user and user.is_active):
        return False
    if user.has_role(roles.SUPERVISORY_UNIT) and user.supervisory_unit_id:
        return True
    return user.has_role(roles.COMMITTEE)


def eligible_holders():
    from django.contrib.auth import get_user_model

    names = [roles.GROUP_NAMES[role] for role in HOLDER_ROLES]
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name__in=names)
        .distinct()
        .order_by("username")
    )


def default_expiry(now=None) -> datetime.datetime:
    return (now or timezone.now()) + datetime.timedelta(days=sharing_settings()["TOKEN_DAYS"])


@in_site_language
def _record(*, by, token: ApiToken, summary: str, **details) -> None:
    audit_record(
        action=AuditAction.PERMISSION_CHANGE,
        user=by,
        object_type=OBJECT_TYPE,
        object_id=token.pk,
        summary=summary,
        details={"holder": token.holder.get_username(), "prefix": token.prefix, **details},
    )


def token_issue(
    *, holder, name: str, purpose: str = "", expires_at=None, by
) -> tuple[ApiToken, str]:
    """Issue a token to `holder`; returns it and its secret (shown once, stored as a hash)."""
    if not may_manage_tokens(by):
        raise PermissionDenied
    if not is_eligible_holder(holder):
        raise ValidationError(
            _(
                "A token is issued only to an active supervisory-unit or Party working committee "
                "account."
            )
        )
    now = timezone.now()
    expires_at = expires_at or default_expiry(now)
    if expires_at <= now:
        raise ValidationError(_("The expiry must be in the future."))
    prefix = secrets.token_hex(PREFIX_BYTES)
    secret = f"{TOKEN_TAG}{prefix}.{secrets.token_urlsafe(SECRET_BYTES)}"
    with transaction.atomic():
        token = ApiToken.objects.create(
            holder=holder,
            name=name,
            purpose=purpose,
            prefix=prefix,
            secret_hash=secret_hash(secret),
            created_by=by,
            expires_at=expires_at,
        )
        _record(
            by=by,
            token=token,
            summary=_("%(who)s issued the API token %(token)s to %(holder)s")
            % {"who": by.get_username(), "token": token, "holder": holder.get_username()},
            event="issued",
            expires_at=expires_at.isoformat(),
        )
    return token, secret


def token_revoke(*, token: ApiToken, by) -> bool:
    """Revoke `token` (R-API-2); False if it was revoked already."""
    if not may_manage_tokens(by):
        raise PermissionDenied
    with transaction.atomic():
        now = timezone.now()
        changed = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
            revoked_at=now, revoked_by=by
        )
        if changed:
            token.revoked_at, token.revoked_by = now, by
            _record(
                by=by,
                token=token,
                summary=_("%(who)s revoked the API token %(token)s")
                % {"who": by.get_username(), "token": token},
                event="revoked",
            )
    return bool(changed)


@dataclass
class Checked:
    """What a presented token came to: the token (None if none matched) and, if refused, why
    (one of REFUSALS)."""

    token: ApiToken | None
    refusal: str = ""


REFUSALS = ("missing", "invalid", "revoked", "expired", "holder_inactive", "holder_locked")


def token_check(presented: str | None) -> Checked:
    """R-API-3: the token a request presents, if it may be used now: known, its secret right,
    not revoked, not expired, its holder active, not locked out and still of a holder role."""
    if not presented:
        return Checked(None, "missing")
    presented = presented.strip()
    if (
        not presented.startswith(TOKEN_TAG)
        or "." not in presented
        or len(presented) > 200
        or not presented.isascii()
        or not presented.isprintable()
    ):
        return Checked(None, "invalid")
    prefix = presented[len(TOKEN_TAG) :].split(".", 1)[0]
    token = (
        ApiToken.objects.select_related("holder").filter(prefix=prefix[:16]).first()
        if prefix
        else None
    )
    if token is None or not constant_time_compare(secret_hash(presented), token.secret_hash):
        return Checked(None, "invalid")
    holder = token.holder
    if token.is_revoked:
        return Checked(token, "revoked")
    if token.is_expired():
        return Checked(token, "expired")
    if not is_eligible_holder(holder):
        return Checked(token, "holder_inactive")
    if account_locked_until(holder.get_username()):
        return Checked(token, "holder_locked")
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return Checked(token)


@in_site_language
def call_record(
    *,
    checked: Checked | None,
    path: str,
    query: str,
    method: str = "GET",
    status: int,
    rows: int,
    ip_address: str | None,
) -> None:
    """R-API-5: one audit record per call, answered or refused: the token, its holder, the
    path and query, the rows returned and the status."""
    token = checked.token if checked else None
    refusal = checked.refusal if checked else ""
    holder = token.holder if token is not None else None
    details = {
        "kind": "api",
        "method": method[:10],
        "path": path[:300],
        "query": query[:500],
        "status": status,
        "rows": rows,
        "token": token.prefix if token is not None else "",
    }
    if refusal:
        details["refusal"] = refusal
        action = AuditAction.LOGIN_FAILED
        summary = _("API call refused (%(path)s)") % {"path": path[:300]}
    else:
        action = AuditAction.EXPORT
        summary = _("%(who)s read %(path)s through the API (%(rows)s rows)") % {
            "who": holder.get_username() if holder is not None else "",
            "path": path[:300],
            "rows": rows,
        }
    audit_record(
        action=action,
        user=holder if not refusal else None,
        username="" if holder is None else holder.get_username(),
        object_type=OBJECT_TYPE,
        object_id=token.pk if token is not None else "",
        summary=summary,
        details=details,
        ip_address=ip_address,
    )
