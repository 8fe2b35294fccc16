"""Separation of duties (三员分立): who may hold which role, checked wherever roles are given.

An account holds at most one administrator role, and an administrator holds no business role
and no permission given one by one: otherwise the security administrator could make a clerk
an auditor, or give the system administrator the organizations, one checkbox at a time."""

from django.utils.translation import gettext as _

from . import roles


def role_of_group(group) -> str | None:
    by_name = {name: role for role, name in roles.GROUP_NAMES.items()}
    return by_name.get(group.name)


def role_problems(*, target, groups, permissions=(), by) -> list[str]:
    """What is wrong with giving `target` these groups and individual permissions, as Chinese
    sentences for the form (empty when nothing is). `by` is the user making the change."""
    problems = []
    wanted = {role_of_group(group) for group in groups} - {None}
    current = set(target.role_names) if target.pk else set()
    if target.pk and target.pk == by.pk and (wanted != current or permissions):
        problems.append(_("You cannot change your own roles or permissions."))
    admin_roles = wanted & roles.ADMIN_ROLES
    if len(admin_roles) > 1:
        problems.append(
            _("An account holds at most one of the system, security and audit administrator roles.")
        )
    if admin_roles and wanted - roles.ADMIN_ROLES:
        problems.append(_("An administrator account cannot also hold a business role."))
    if admin_roles and permissions:
        problems.append(
            _("An administrator account gets its rights from its role only, not one by one.")
        )
    if roles.ORGANIZATION in wanted and target.organization_id is None:
        problems.append(_("The social-organization role needs the account's organization."))
    if roles.SUPERVISORY_UNIT in wanted and target.supervisory_unit_id is None:
        problems.append(_("The supervisory-unit role needs the account's supervisory unit."))
    return problems


def staff_flag_refresh(user) -> None:
    """Admin access follows the roles: a staff or administrator role opens it, nothing else."""
    user.__dict__.pop("role_names", None)  # the groups were just saved
    is_staff = user.is_superuser or bool(set(user.role_names) & roles.STAFF_ROLES)
    if user.is_staff != is_staff:
        user.is_staff = is_staff
        user.save(update_fields=["is_staff"])
