"""Reads of the registry. Who may see what is decided here, in querysets, for every caller."""

from django.db.models import Q, QuerySet

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


def applications_visible_to(user) -> QuerySet:
    """Registration applications `user` may see: applicants their own (drafts included); clerks
    every submitted one; a supervisory unit those naming it; the committee the approved ones
    (it receives their member forms). Drafts stay private to their applicant."""
    from .choices import ApplicationStatus
    from .models import Application

    applications = Application.objects.select_related(
        "applicant", "industry", "supervisory_unit", "district", "street", "organization"
    )
    if not (user and user.is_authenticated and user.is_active):
        return applications.none()
    submitted = ~Q(status=ApplicationStatus.DRAFT)
    visible = Q(applicant_id=user.pk)
    if user.is_clerk:
        visible |= submitted
    if user.has_role(roles.SUPERVISORY_UNIT) and user.supervisory_unit_id:
        visible |= submitted & Q(supervisory_unit_id=user.supervisory_unit_id)
    if user.has_role(roles.COMMITTEE):
        visible |= Q(status=ApplicationStatus.APPROVED)
    return applications.filter(visible)
