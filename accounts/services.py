"""Account writes: users are created here, with their role group and scope, never by hand."""

import secrets
import string

from django.contrib.auth import password_validation
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from . import lockout, roles
from .models import User
from .signals import account_unlocked
from .validators import character_classes

# Symbols that survive being read aloud, printed or typed into any keyboard layout.
_PASSWORD_SYMBOLS = "-_.@#%+=!"
_PASSWORD_ALPHABET = string.ascii_letters + string.digits + _PASSWORD_SYMBOLS


def password_generate(length: int = 14, *, user=None) -> str:
    """A random password with all four character classes that passes every configured
    validator (for `user`, when given)."""
    while True:
        password = "".join(secrets.choice(_PASSWORD_ALPHABET) for _ in range(length))
        if len(character_classes(password)) < 4:
            continue
        try:
            password_validation.validate_password(password, user)
        except ValidationError:
            continue
        return password


def password_mark_issued(user) -> None:
    """A password someone other than the user chose (a clerk, an approval, an administrator's
    reset) is an initial password: the user must replace it at the next login. Unsaved."""
    user.password_change_required = True


def password_mark_chosen(user) -> None:
    """The user chose this password: nothing more to change. Unsaved."""
    user.password_change_required = False
    user.password_changed_at = timezone.now()


@transaction.atomic
def password_set(*, user, password: str, by) -> User:
    """Set `user`'s password: set by the user, it clears the demand to change it; set by anyone
    else (`by` is someone else, or None for the system), the user must change it at next login."""
    user.set_password(password)
    if by is not None and by.pk == user.pk:
        password_mark_chosen(user)
    else:
        password_mark_issued(user)
    user.save()
    return user


@transaction.atomic
def account_unlock(*, username: str, by) -> bool:
    """Lift a failed-login lock before it runs out (security administrator,
    accounts.unlock_account). Returns whether there was a lock to lift."""
    if not by.has_perm("accounts.unlock_account"):
        raise PermissionDenied
    name = lockout.lockout_name(username)
    lifted = lockout.lock_lift(name)
    if lifted:
        account_unlocked.send(sender=User, username=name, by=by)
    return lifted


@transaction.atomic
def user_ensure(
    *,
    username: str,
    role: str,
    password: str | None = None,
    encoded_password: str | None = None,
    display_name: str = "",
    supervisory_unit=None,
    organization=None,
    phone: str | None = None,
    password_change_required: bool = False,
) -> tuple[User, bool]:
    """Create the user with its role, or bring an existing one back to that role and password.

    Staff roles get admin access (is_staff); organization users never do. Pass
    `encoded_password` (from make_password) to give many accounts one password cheaply.
    `phone` is kept when not given. A caller handing the account a password the user did not
    choose (registration approval, seed_demo) passes `password_change_required=True`; the
    applicant's own sign-up does not."""
    if role not in roles.GROUP_NAMES:
        raise ValueError(f"unknown role {role!r}")
    roles.ensure_role_groups()
    user, created = User.objects.get_or_create(username=username)
    user.first_name = display_name[:150]
    user.is_staff = role in roles.STAFF_ROLES
    user.is_active = True
    user.supervisory_unit = supervisory_unit if role == roles.SUPERVISORY_UNIT else None
    user.organization = organization if role == roles.ORGANIZATION else None
    if phone is not None:
        user.phone = phone
    if encoded_password is not None:
        user.password = encoded_password
    else:
        user.set_password(password)
    if password_change_required:
        password_mark_issued(user)
    user.save()
    user.groups.set([Group.objects.get(name=roles.GROUP_NAMES[role])])
    return user, created


def organization_user_ensure(
    *, organization, password: str | None = None, encoded_password: str | None = None
) -> tuple[User, bool]:
    """The organization's portal account: its credit code is the username. Its password is
    handed over (at approval, the applicant's), so it must be changed at the first login."""
    return user_ensure(
        username=organization.credit_code,
        role=roles.ORGANIZATION,
        password=password,
        encoded_password=encoded_password,
        display_name=organization.name,
        organization=organization,
        password_change_required=True,
    )
