"""Reads of the member-form copies (R-REG-3): who sees which, and which are overdue."""

import datetime

from django.conf import settings
from django.db.models import BooleanField, Count, ExpressionWrapper, Q, QuerySet

from accounts import roles
from core import calendar
from core.calendar import working_days_before
from registry.choices import CopyKind

from ..models import MemberFormCopy


def member_form_copies_visible_to(user) -> QuerySet:
    """Clerks see every copy; a supervisory unit its own copies; the committee its copies."""

    copies = MemberFormCopy.objects.select_related(
        "organization",
        "application",
        "supervisory_unit",
        "party_building_body",
        "acknowledged_by",
    )
    if not (user and user.is_authenticated and user.is_active):
        return copies.none()
    if user.is_clerk:
        return copies
    visible = Q(pk__in=[])
    if user.has_role(roles.SUPERVISORY_UNIT) and user.supervisory_unit_id:
        visible |= Q(kind=CopyKind.SUPERVISORY_UNIT, supervisory_unit_id=user.supervisory_unit_id)
    if user.has_role(roles.COMMITTEE):
        visible |= Q(kind=CopyKind.COMMITTEE)
    return copies.filter(visible)


def overdue_cutoff(today: datetime.date | None = None) -> datetime.date:
    """Copies filed on or before this date and still unacknowledged are overdue (R-REG-3)."""

    days = settings.REGISTRY["ACKNOWLEDGE_WITHIN_WORKING_DAYS"]
    return working_days_before(today or calendar.today(), days + 1)


def overdue_copies(copies: QuerySet, today: datetime.date | None = None) -> QuerySet:
    return copies.filter(acknowledged_at__isnull=True, filed_on__lte=overdue_cutoff(today))


def with_overdue_flag(copies: QuerySet, today: datetime.date | None = None) -> QuerySet:
    """Annotate copies with `is_overdue`: unacknowledged and filed on or before the cutoff
    (R-REG-3), so a list can show and sort by the flag without a query per row."""
    cutoff = overdue_cutoff(today)
    return copies.annotate(
        is_overdue=ExpressionWrapper(
            Q(acknowledged_at__isnull=True, filed_on__lte=cutoff), output_field=BooleanField()
        )
    )


def member_form_copy_counts(user, today: datetime.date | None = None) -> dict:
    """For the workbench: how many copies `user` sees are unacknowledged, and how many of those
    are overdue (R-REG-3). One query."""
    cutoff = overdue_cutoff(today)
    return (
        member_form_copies_visible_to(user)
        .filter(acknowledged_at__isnull=True)
        .aggregate(pending=Count("pk"), overdue=Count("pk", filter=Q(filed_on__lte=cutoff)))
    )
