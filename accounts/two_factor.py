"""Two-factor authentication (issue 8, MLPS 2.0 level 3): a TOTP authenticator app plus ten
one-time recovery codes, on django-otp's devices.

Staff must use it; organization users and applicants may turn it on, and from then on it is
required of them too. Demo accounts are exempt only in demo mode (accounts.policy). Every
set-up, turn-off, reset, recovery-code use and failed code is written to the audit log.
"""

from base64 import b32encode
from urllib.parse import quote, urlencode

import django_otp
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.choices import AuditAction
from audit.services import audit_record, request_ip

from .policy import demo_exempt
from .signals import otp_issuer_wanted

RECOVERY_CODE_COUNT = 10
TOTP_DIGITS = 6  # django-otp's default, what authenticator apps show
TOTP_DEVICE_NAME = "authenticator"
RECOVERY_DEVICE_NAME = "recovery codes"
# django-otp locks a device for 1, 2, 4, 8 … seconds after successive misses.
THROTTLE_MESSAGE_FROM = 3


# --- Selectors ---------------------------------------------------------------------------------


def is_staff_account(user) -> bool:
    return bool(user.is_staff or user.is_superuser)


def two_factor_enabled(user) -> bool:
    """The user has a confirmed authenticator (one indexed query)."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def two_factor_required(user) -> bool:
    """Staff always; anyone else once they turned it on; demo accounts only outside demo
    mode. Staff cost no query; others one (`two_factor_enabled`)."""
    if not user.is_authenticated or demo_exempt(user):
        return False
    return is_staff_account(user) or two_factor_enabled(user)


def two_factor_setup_awaits_approval(user) -> bool:
    """Someone else set this account's password, and no security administrator has approved a
    new authenticator since (accounts.services.password_mark_issued): whoever holds the
    password cannot set one up. An authenticator already set up keeps working."""
    return bool(user.two_factor_setup_needs_approval) and not two_factor_enabled(user)


def totp_device_pending(user) -> TOTPDevice | None:
    """The authenticator being set up: created, its QR code shown, not yet confirmed."""
    return TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def totp_secret_for_display(device: TOTPDevice) -> str:
    """The base32 secret in groups of four, for typing into an app by hand."""
    secret = b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def otp_issuer() -> str:
    """The first name a receiver of `otp_issuer_wanted` gives (the bureau's), else none."""
    names = [name for _receiver, name in otp_issuer_wanted.send(sender=TOTPDevice) if name]
    return names[0] if names else ""


def totp_otpauth_url(device: TOTPDevice) -> str:
    """The otpauth:// URL the QR code carries, with the bureau as issuer so the app shows
    whose account the code is for."""
    issuer = otp_issuer().replace(":", "")
    label = f"{issuer}:{device.user.get_username()}"
    params = urlencode(
        {
            "secret": b32encode(device.bin_key).decode("ascii").rstrip("="),
            "algorithm": "SHA1",
            "digits": device.digits,
            "period": device.step,
        }
    )
    return f"otpauth://totp/{quote(label)}?{params}&issuer={quote(issuer)}"


# --- Services ----------------------------------------------------------------------------------


def _record(*, user, summary: str, event: str, request=None, by=None) -> None:
    audit_record(
        action=AuditAction.TWO_FACTOR,
        user=by or user,
        object_type="accounts.user",
        object_id=user.pk,
        summary=summary,
        details={"event": event, "user": user.get_username()},
        ip_address=request_ip(request),
    )


def _normalize(token: str) -> str:
    return "".join(str(token or "").split()).replace("-", "").lower()


@transaction.atomic
def totp_device_begin(*, user) -> TOTPDevice:
    """Start setting up an authenticator: a new unconfirmed device with a fresh secret, in place
    of any earlier unfinished one. Refused while a confirmed one exists: replacing it needs a
    reset by a security administrator (or, for portal users, turning it off with a code)."""
    if two_factor_enabled(user):
        raise ValidationError(_("Two-factor authentication is already set up for this account."))
    if two_factor_setup_awaits_approval(user):
        raise PermissionDenied(setup_awaits_approval_message())
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=False)


def totp_device_confirm(*, request, user, token: str) -> TOTPDevice:
    """Confirm the pending authenticator with its first code; the session counts as verified
    from then on (django_otp.login). A wrong code is recorded and refused."""
    device = totp_device_pending(user)
    if two_factor_setup_awaits_approval(user):
        raise PermissionDenied(setup_awaits_approval_message())
    if device is None or two_factor_enabled(user):
        raise ValidationError(_("There is no authenticator being set up. Start the set-up again."))
    # Not inside one atomic block with the refusal: the failure count and its audit record must
    # stay although a ValidationError follows.
    if not _verify_device(device, _normalize(token)):
        _record(
            user=user,
            request=request,
            event="setup_failed",
            summary=_("Wrong code while setting up two-factor authentication for %(user)s")
            % {"user": user.get_username()},
        )
        raise ValidationError(_failure_message(device, recovery_codes=False))
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        django_otp.login(request, device)
        _record(
            user=user,
            request=request,
            event="setup",
            summary=_("%(user)s set up two-factor authentication") % {"user": user.get_username()},
        )
    return device


@transaction.atomic
def recovery_codes_issue(*, user, request=None) -> list[str]:
    """Ten new one-time recovery codes in place of any earlier ones; the caller shows them once."""
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name=RECOVERY_DEVICE_NAME, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _index in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    _record(
        user=user,
        request=request,
        event="recovery_codes_issued",
        summary=_("%(user)s received new recovery codes") % {"user": user.get_username()},
    )
    return codes


def two_factor_verify(*, request, user, token: str):
    """Check a code after the password: six digits from the authenticator, or a recovery code,
    which is then used up. On success the session is verified (django_otp.login) and the device
    returned; otherwise the failure is recorded and a ValidationError says what went wrong."""
    device = _matching_device(user, _normalize(token))
    if device is None:
        _record(
            user=user,
            request=request,
            event="verify_failed",
            summary=_("Wrong two-factor code for %(user)s") % {"user": user.get_username()},
        )
        raise ValidationError(_failure_message(_device_for_message(user, _normalize(token))))
    django_otp.login(request, device)
    if isinstance(device, StaticDevice):
        _record(
            user=user,
            request=request,
            event="recovery_code_used",
            summary=_("%(user)s signed in with a recovery code (%(left)s left)")
            % {"user": user.get_username(), "left": recovery_codes_left(user)},
        )
    return device


def two_factor_turn_off(*, request, user, token: str) -> None:
    """A portal user turns two-factor authentication off, proving it with a current code.
    Staff cannot: for them it is required."""
    if is_staff_account(user):
        raise ValidationError(_("Staff accounts must use two-factor authentication."))
    if _matching_device(user, _normalize(token)) is None:
        _record(
            user=user,
            request=request,
            event="turn_off_failed",
            summary=_("Wrong code while turning off two-factor authentication for %(user)s")
            % {"user": user.get_username()},
        )
        raise ValidationError(_failure_message(_device_for_message(user, _normalize(token))))
    with transaction.atomic():
        _delete_devices(user)
        _record(
            user=user,
            request=request,
            event="turn_off",
            summary=_("%(user)s turned off two-factor authentication")
            % {"user": user.get_username()},
        )


@transaction.atomic
def two_factor_reset(*, user, by, request=None) -> int:
    """A security administrator clears a user's authenticator and recovery codes (a lost phone):
    staff must set it up again at their next request. It is also the approval a new
    authenticator needs after someone else set the account's password (issue 13). Returns how
    many devices went."""
    if not by.has_perm("accounts.reset_two_factor"):
        raise PermissionDenied(_("You may not reset two-factor authentication."))
    removed = _delete_devices(user)
    if user.two_factor_setup_needs_approval:
        user.two_factor_setup_needs_approval = False
        user.save(update_fields=["two_factor_setup_needs_approval"])
    _record(
        user=user,
        by=by,
        request=request,
        event="reset",
        summary=_("%(by)s reset two-factor authentication of %(user)s")
        % {"by": by.get_username(), "user": user.get_username()},
    )
    return removed


def setup_awaits_approval_message() -> str:
    return _(
        "Your password was set by someone else, so a new authenticator for this account needs "
        "the security administrator's approval first. Ask the security administrator to reset "
        "two-factor authentication for your account, then log in again."
    )


# --- Helpers -----------------------------------------------------------------------------------


def _delete_devices(user) -> int:
    """Deletes the user's authenticators and recovery-code sets; returns how many (the codes
    themselves go with their set)."""
    removed = 0
    for model in (TOTPDevice, StaticDevice):
        _total, per_model = model.objects.filter(user=user).delete()
        removed += per_model.get(model._meta.label, 0)
    return removed


def _candidates(user, token: str):
    """Six digits go to the authenticator, anything else to the recovery codes: trying every
    device would count a typo against all of them (each device throttles its own failures)."""
    model = TOTPDevice if token.isdigit() and len(token) == TOTP_DIGITS else StaticDevice
    return model.objects.filter(user=user, confirmed=True).order_by("pk")


def _matching_device(user, token: str):
    if not token:
        return None
    for device in _candidates(user, token):
        verified = django_otp.verify_token(user, device.persistent_id, token)
        if verified is not None:
            return verified
    return None


def _verify_device(device, token: str) -> bool:
    with transaction.atomic():
        locked = type(device).objects.select_for_update().get(pk=device.pk)
        return bool(token) and locked.verify_token(token)


def _device_for_message(user, token: str):
    return _candidates(user, token).first()


def _failure_message(device, *, recovery_codes: bool = True) -> str:
    """Wrong, or wrong too often: django-otp then refuses every code for a growing while."""
    if device is not None:
        device.refresh_from_db()
        allowed, details = device.verify_is_allowed()
        # One or two misses lock for a second or two, too short to mention.
        if not allowed and (details or {}).get("failure_count", 0) >= THROTTLE_MESSAGE_FROM:
            return _(
                "Too many wrong codes. Wait until %(time)s, then enter the code your "
                "authenticator app shows now."
            ) % {"time": _local_time(details["locked_until"])}
    if not recovery_codes:
        return _(
            "The code is wrong or has expired. Enter the 6-digit code your authenticator app "
            "shows now for this account."
        )
    return _(
        "The code is wrong or has expired. Enter the 6-digit code your authenticator app shows "
        "now, or one of your recovery codes."
    )


def _local_time(moment) -> str:
    return timezone.localtime(moment).strftime("%H:%M:%S")
