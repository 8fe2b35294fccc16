"""Account writes: users are created here, with their role group and scope, never by hand."""

import secrets
import string

from django.contrib.auth.models import Group
from django.db import transaction

from . import roles
from .models import User

_PASSWORD_ALPHABET = string.ascii_letters + string.digits


def password_generate(length: int = 14) -> str:
    """A random password with upper, lower case and digits (passes the validators)."""
    while True:
        password = "".join(secrets.choice(_PASSWORD_ALPHABET) for _ in range(length))
        if (
            any(c.islower() for c in password)
            and any(c.isupper() for c in password)
            and any(c.isdigit() for c in password)
        ):
            return password


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
) -> tuple[User, bool]:
    """Create the user with its role, or bring an existing one back to that role and password.

    Staff roles get admin access (is_staff); organization users never do. Pass
    `encoded_password` (from make_password) to give many accounts one password cheaply.
    `phone` is kept when not given."""
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
    user.save()
    user.groups.set([Group.objects.get(name=roles.GROUP_NAMES[role])])
    return user, created


def organization_user_ensure(
    *, organization, password: str | None = None, encoded_password: str | None = None
) -> tuple[User, bool]:
    """The organization's portal account: its credit code is the username."""
    return user_ensure(
        username=organization.credit_code,
        role=roles.ORGANIZATION,
        password=password,
        encoded_password=encoded_password,
        display_name=organization.name,
        organization=organization,
    )
