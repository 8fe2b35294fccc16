"""Account writes: users are created here, with their role group and scope, never by hand."""

import functools
import secrets
import string

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import password_validation
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from audit.choices import AuditAction
from audit.services import audit_record, request_ip

from . import lockout, roles
from .duties import role_problems, staff_flag_refresh
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


def password_mark_issued(user, *, by=None) -> None:
    """A password someone other than the user chose (a clerk, an approval, an administrator's
    reset) is an initial password: the user must replace it at the next login. Unsaved.

    Set by a person (`by`, not the user): the holder is told who and when at the next login,
    and whoever holds this password cannot set up a new authenticator until a security
    administrator approves it (accounts.two_factor.totp_device_begin; issue 13: a system
    administrator who set a password could otherwise take the account over, second factor
    included)."""
    user.password_change_required = True
    if by is not None and by.pk != user.pk:
        user.password_set_by = by
        user.password_set_at = timezone.now()
        user.two_factor_setup_needs_approval = True


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
        password_mark_issued(user, by=by)
    user.save()
    return user


# --- Who may change which account (issue 13) ---------------------------------------------------


def is_administrator_account(user) -> bool:
    """A superuser, or an account holding the system, security or audit administrator role."""
    return bool(user.is_superuser or set(user.role_names) & roles.ADMIN_ROLES)


def account_within_reach(*, target, by) -> bool:
    """Whether `by` may change `target`'s account: activation, password, profile. Superusers
    and administrator accounts are out of the system administrator's reach (only a superuser
    changes them), so that the system administrator cannot activate the superuser, set its
    password and sign in as it (issue 13). Everyone reaches their own account."""
    if not by.has_perm("accounts.change_user"):
        return False
    if by.is_superuser or (target.pk is not None and target.pk == by.pk):
        return True
    return not is_administrator_account(target)


# --- Account operations, one audit record each (issue 13) --------------------------------------


def _account_record(*, user, by, event: str, summary: str, request=None, **details) -> None:
    audit_record(
        action=AuditAction.DATA_CHANGE,
        user=by,
        object_type="accounts.user",
        object_id=user.pk,
        summary=summary,
        details={"event": event, "account": user.get_username(), **details},
        ip_address=request_ip(request) if request is not None else _current_ip(),
    )


def in_site_language(function):
    """Audit summaries are stored in the site's language, whatever the request has active."""

    @functools.wraps(function)
    def wrapped(*args, **kwargs):
        with translation.override(settings.LANGUAGE_CODE):
            return function(*args, **kwargs)

    return wrapped


def _current_ip():
    from audit.receivers import current_request

    return request_ip(current_request())


@in_site_language
@transaction.atomic
def account_created(*, user, by, request=None, how: str = "", password_issued: bool = True) -> None:
    """`user`'s account was created: one audit record, whoever or whatever created it. `by` is
    the administrator (the admin's add page, a registration approval) or None (an applicant's
    own sign-up, seed_demo, create_administrator); `how` names the path in the site's language.
    `password_issued`: the first password is the creator's, not the holder's (the admin's add
    page); user_ensure marks it itself when it is."""
    how = str(how)
    if password_issued:
        password_mark_issued(user, by=by)
        user.save(
            update_fields=[
                "password_change_required",
                "password_set_by",
                "password_set_at",
                "two_factor_setup_needs_approval",
            ]
        )
    if by is not None:
        summary = _("%(by)s created the account %(user)s") % {
            "by": by.get_username(),
            "user": user.get_username(),
        }
    else:
        summary = _("The account %(user)s was created (%(how)s)") % {
            "user": user.get_username(),
            "how": how,
        }
    details = {"how": how} if how else {}
    _account_record(user=user, by=by, event="created", request=request, summary=summary, **details)


@in_site_language
def account_changed(*, user, by, fields, request=None) -> None:
    """`by` saved changes to `user`'s account details (`fields`, already saved): one audit
    record, saying "activated" or "deactivated" when the active flag was among them."""
    fields = sorted(fields)
    if not fields:
        return
    if "is_active" in fields:
        event = "activated" if user.is_active else "deactivated"
        summary = (
            _("%(by)s activated the account %(user)s")
            if user.is_active
            else _("%(by)s deactivated the account %(user)s")
        )
    else:
        event = "changed"
        summary = _("%(by)s changed the account details of %(user)s")
    _account_record(
        user=user,
        by=by,
        event=event,
        request=request,
        fields=fields,
        summary=summary % {"by": by.get_username(), "user": user.get_username()},
    )


@in_site_language
@transaction.atomic
def password_set_by_administrator(*, user, by, request=None) -> None:
    """`by` has just set `user`'s password on the admin's password page (the password itself
    is saved by the form): issued, unless it is their own; one audit record."""
    if by.pk == user.pk:
        password_mark_chosen(user)
        summary = _("%(user)s changed their own password") % {"user": user.get_username()}
        event = "password_changed"
    else:
        password_mark_issued(user, by=by)
        summary = _("%(by)s set the password of %(user)s") % {
            "by": by.get_username(),
            "user": user.get_username(),
        }
        event = "password_set"
    user.save(
        update_fields=[
            "password_change_required",
            "password_changed_at",
            "password_set_by",
            "password_set_at",
            "two_factor_setup_needs_approval",
        ]
    )
    _account_record(user=user, by=by, event=event, request=request, summary=summary)


@in_site_language
def password_chosen_record(*, user, request=None) -> None:
    """The user replaced their own password (portal or admin page): one audit record."""
    _account_record(
        user=user,
        by=user,
        event="password_changed",
        request=request,
        summary=_("%(user)s changed their own password") % {"user": user.get_username()},
    )


@in_site_language
@transaction.atomic
def roles_assign(*, user, groups, permissions, by, request=None) -> bool:
    """Give `user` exactly these role groups and individual permissions (the security
    administrator, accounts.assign_roles). One audit record for the whole change, however many
    groups and permissions come and go: the rows are written directly, without the relation's
    per-row signals that would each make a record. Returns whether anything changed."""
    if not by.has_perm("accounts.assign_roles"):
        raise PermissionDenied
    groups, permissions = list(groups), list(permissions)
    problems = role_problems(target=user, groups=groups, permissions=permissions, by=by)
    if problems:
        raise ValidationError(problems)
    changes = {}
    for relation, wanted, column in (
        (User.groups, groups, "group_id"),
        (User.user_permissions, permissions, "permission_id"),
    ):
        through = relation.through
        held = set(through.objects.filter(user_id=user.pk).values_list(column, flat=True))
        wanted_ids = {item.pk for item in wanted}
        added, removed = wanted_ids - held, held - wanted_ids
        if removed:
            through.objects.filter(user_id=user.pk, **{f"{column}__in": removed}).delete()
        if added:
            through.objects.bulk_create(
                through(user_id=user.pk, **{column: pk}) for pk in sorted(added)
            )
        changes[relation.field.name] = (held, wanted_ids, added, removed)
    if not any(added or removed for _h, _w, added, removed in changes.values()):
        return False
    staff_flag_refresh(user)
    for attribute in ("_perm_cache", "_user_perm_cache", "_group_perm_cache"):
        user.__dict__.pop(attribute, None)

    def group_names(ids):
        return sorted(Group.objects.filter(pk__in=ids).values_list("name", flat=True))

    def permission_names(ids):
        chosen = Permission.objects.filter(pk__in=ids).select_related("content_type")
        return sorted(f"{p.content_type.app_label}.{p.codename}" for p in chosen)

    held_groups, wanted_groups, _added, _removed = changes["groups"]
    _held, _wanted, permissions_added, permissions_removed = changes["user_permissions"]
    before, after = group_names(held_groups), group_names(wanted_groups)
    audit_record(
        action=AuditAction.ROLE_CHANGE,
        user=by,
        object_type="accounts.user",
        object_id=user.pk,
        summary=_("%(by)s changed the roles of %(user)s: %(before)s → %(after)s")
        % {
            "by": by.get_username(),
            "user": user.get_username(),
            "before": "、".join(before) or "—",
            "after": "、".join(after) or "—",
        },
        details={
            "event": "roles_changed",
            "account": user.get_username(),
            "roles_before": before,
            "roles_after": after,
            "permissions_added": permission_names(permissions_added),
            "permissions_removed": permission_names(permissions_removed),
        },
        ip_address=request_ip(request) if request is not None else _current_ip(),
    )
    return True


# --- Receivers (connected in accounts.apps) ---------------------------------------------------


def on_logged_in_announce_password_set(sender, request, user, **kwargs):
    """Tell the holder, at each login while the password someone else set is in force, who set
    it and when (issue 13)."""
    if request is None or not user.password_change_required or not user.password_set_by_id:
        return
    setter = User.objects.filter(pk=user.password_set_by_id).first()
    who = setter.get_username() if setter else _("an administrator")
    if setter is not None and setter.get_full_name():
        who = f"{setter.get_full_name()}（{who}）"
    messages.warning(
        request,
        _(
            "Your password was set by %(who)s at %(time)s. If you did not ask for this, tell "
            "the security administrator at once."
        )
        % {
            "who": who,
            "time": formats.date_format(timezone.localtime(user.password_set_at), "Y-m-d H:i"),
        },
        fail_silently=True,
    )


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
    by=None,
    how: str = "",
    request=None,
) -> tuple[User, bool]:
    """Create the user with its role, or bring an existing one back to that role and password.

    Staff roles get admin access (is_staff); organization users never do. Pass
    `encoded_password` (from make_password) to give many accounts one password cheaply.
    `phone` is kept when not given. A caller handing the account a password the user did not
    choose (registration approval, seed_demo) passes `password_change_required=True`; the
    applicant's own sign-up does not. Every call writes one audit record (issue 13): "created"
    for a new account, "restored" for an existing one brought back; `by` is who did it (None
    for the holder's own sign-up or a command) and `how` the path, in the site's language."""
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
    if created:
        account_created(user=user, by=by, request=request, how=how, password_issued=False)
    else:
        _account_restored(user=user, by=by, request=request, how=how, role=role)
    return user, created


@in_site_language
def _account_restored(*, user, by, request, how: str, role: str) -> None:
    how = str(how)
    _account_record(
        user=user,
        by=by,
        event="restored",
        request=request,
        summary=_(
            "The account %(user)s was reactivated with the role %(role)s and a new password "
            "(%(how)s)"
        )
        % {"user": user.get_username(), "role": roles.GROUP_NAMES[role], "how": how},
        how=how,
    )


def organization_user_ensure(
    *,
    organization,
    password: str | None = None,
    encoded_password: str | None = None,
    by=None,
    how: str = "",
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
        by=by,
        how=how,
    )
