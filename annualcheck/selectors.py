"""Reads of the annual check."""

import datetime

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from registry.models import Organization

from .choices import CheckResult, RectificationStatus
from .models import AnnualCheck, Rectification
from .rules import exemption_cutoff


def overdue_rectifications(today: datetime.date | None = None) -> QuerySet:
    """R-AC-5: items past their deadline and not closed."""
    today = today or timezone.localdate()
    return (
        Rectification.objects.filter(due_on__lt=today)
        .exclude(status=RectificationStatus.CLOSED)
        .select_related("annual_check__organization")
    )


def revocation_review_candidates(*, year: int) -> QuerySet:
    """R-AC-6: 不合格 in `year` after 不合格 in the year before, or after missing it (when it was
    due: registered by 30 June of that year)."""
    unqualified = AnnualCheck.objects.filter(result=CheckResult.UNQUALIFIED)
    this_year = unqualified.filter(organization=OuterRef("pk"), year=year)
    last_year_unqualified = unqualified.filter(organization=OuterRef("pk"), year=year - 1)
    last_year_reviewed = AnnualCheck.objects.filter(
        organization=OuterRef("pk"), year=year - 1, result__gt=""
    )
    due_last_year = Q(registered_on__lte=exemption_cutoff(year - 1))
    return (
        Organization.objects.filter(Exists(this_year))
        .filter(Exists(last_year_unqualified) | (due_last_year & ~Exists(last_year_reviewed)))
        .order_by("name")
    )


def annual_checks_visible_to(user) -> QuerySet:
    """Clerks and the committee see every submitted check; a supervisory unit those of the
    organizations it supervises; an organization its own (drafts included). Other
    organizations' drafts are never shown to staff."""
    from accounts import roles

    from .choices import CheckStatus

    checks = AnnualCheck.objects.select_related(
        "organization",
        "organization__industry",
        "organization__district",
        "organization__supervisory_unit",
        "reviewed_by",
    )
    if not (user and user.is_authenticated and user.is_active):
        return checks.none()
    visible = Q(pk__in=[])
    if user.has_role(roles.ORGANIZATION) and user.organization_id:
        visible |= Q(organization_id=user.organization_id)
    filed = ~Q(status=CheckStatus.DRAFT)
    if user.is_clerk or user.has_role(roles.COMMITTEE):
        visible |= filed
    if user.has_role(roles.SUPERVISORY_UNIT) and user.supervisory_unit_id:
        visible |= filed & Q(organization__supervisory_unit_id=user.supervisory_unit_id)
    return checks.filter(visible)
