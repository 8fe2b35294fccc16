"""Who may open which staff page. What they then see is narrowed by the selectors."""

from functools import wraps

from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied

from . import roles

READER_ROLES = (roles.CLERK, roles.COMMITTEE, roles.SUPERVISORY_UNIT)


def can_read_party_building(user) -> bool:
    return (
        user.is_active
        and user.is_staff
        and (user.is_superuser or any(user.has_role(role) for role in READER_ROLES))
    )


def can_import(user) -> bool:
    return (
        user.is_active
        and user.is_staff
        and (
            user.has_perm("registry.add_organization")
            and user.has_perm("registry.change_organization")
        )
    )


def is_clerk(user) -> bool:
    return user.is_active and user.is_staff and user.is_clerk


def can_review(user) -> bool:
    """Clerks and supervisory-unit users open the review pages (registration, annual checks);
    who may make which move is decided per record."""
    return (
        user.is_active
        and user.is_staff
        and (user.is_clerk or user.has_role(roles.SUPERVISORY_UNIT))
    )


def can_read_results(user) -> bool:
    """Clerks, supervisory units and the Party working committee read the annual-check and
    evaluation results, lists and statistics (scoped by the selectors)."""
    return (
        user.is_active
        and user.is_staff
        and (
            user.is_clerk or user.has_role(roles.SUPERVISORY_UNIT) or user.has_role(roles.COMMITTEE)
        )
    )


def staff_page(check):
    """Staff login first (the admin's login page), then `check`, else 403."""

    def decorator(view):
        @staff_member_required
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not check(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
