"""Reads of the registry. Who may see what is decided here, in querysets, for every caller."""

from django.db.models import QuerySet

from accounts import roles

from .models import Organization


def organizations_visible_to(user) -> QuerySet[Organization]:
    """The organizations `user` may see: clerks and the committee all of them, a supervisory
    unit those it supervises, an organization user its own; anyone else none."""
    queryset = Organization.objects.select_related(
        "industry", "district", "street", "supervisory_unit", "party_building_body"
    )
    if not (user and user.is_authenticated and user.is_active):
        return queryset.none()
    if user.is_superuser or user.has_role(roles.CLERK) or user.has_role(roles.COMMITTEE):
        return queryset
    if user.has_role(roles.SUPERVISORY_UNIT) and user.supervisory_unit_id:
        return queryset.filter(supervisory_unit_id=user.supervisory_unit_id)
    if user.has_role(roles.ORGANIZATION) and user.organization_id:
        return queryset.filter(pk=user.organization_id)
    return queryset.none()
