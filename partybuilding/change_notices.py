"""R-CHG-6, Party-building synchronized at change: an approved change of supervisory unit,
district or industry is copied to the Party working committee (and to a new supervisory unit),
who acknowledge it as they do the member form (R-REG-3). Filed on registry's
`organization_changed` signal; the registry never imports this app."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from accounts import roles
from core import calendar
from registry.choices import CopyKind
from registry.models.change import ITEM_LABELS, PARTY_BUILDING_ITEMS

from .models import ChangeNotice
from .services import save_with_author


@transaction.atomic
def change_notices_file(
    *, organization, change, changed: dict, by, previous_party_building_body=None
) -> list[ChangeNotice]:
    """The copies of an approved change that moves Party-building responsibility: none when no
    such item changed."""
    moved = [item for item in PARTY_BUILDING_ITEMS if item in changed]
    if not moved:
        return []
    summary = [[str(ITEM_LABELS[item]), *changed[item]] for item in changed]
    previous_body = previous_party_building_body or organization.party_building_body
    recipients = [(CopyKind.COMMITTEE, {"party_building_body": organization.party_building_body})]
    if "supervisory_unit" in moved and organization.supervisory_unit_id:
        recipients.append(
            (CopyKind.SUPERVISORY_UNIT, {"supervisory_unit": organization.supervisory_unit})
        )
    notices = []
    for kind, recipient in recipients:
        notice = ChangeNotice(
            change=change,
            organization=organization,
            kind=kind,
            previous_party_building_body=previous_body,
            summary=summary,
            filed_on=calendar.today(),
            **recipient,
        )
        notices.append(save_with_author(notice, by))
    return notices


def change_notices_visible_to(user) -> QuerySet[ChangeNotice]:
    """Clerks see every copy; a supervisory unit the copies addressed to it; the committee its."""
    notices = ChangeNotice.objects.select_related(
        "organization", "change", "supervisory_unit", "party_building_body", "acknowledged_by"
    )
    if not (user and user.is_authenticated and user.is_active):
        return notices.none()
    if user.is_clerk:
        return notices
    visible = Q(pk__in=[])
    if user.has_role(roles.SUPERVISORY_UNIT) and user.supervisory_unit_id:
        visible |= Q(kind=CopyKind.SUPERVISORY_UNIT, supervisory_unit_id=user.supervisory_unit_id)
    if user.has_role(roles.COMMITTEE):
        visible |= Q(kind=CopyKind.COMMITTEE)
    return notices.filter(visible)


def change_notice_is_addressed_to(*, notice: ChangeNotice, user) -> bool:
    if notice.kind == CopyKind.SUPERVISORY_UNIT:
        return (
            user.has_role(roles.SUPERVISORY_UNIT)
            and user.supervisory_unit_id == notice.supervisory_unit_id
        )
    if notice.kind == CopyKind.COMMITTEE:
        return user.has_role(roles.COMMITTEE)
    return False


@transaction.atomic
def change_notice_acknowledge(*, notice: ChangeNotice, by) -> ChangeNotice:
    """The recipient confirms it has seen the change (R-CHG-6)."""
    notice = ChangeNotice.objects.select_for_update().get(pk=notice.pk)
    if not change_notice_is_addressed_to(notice=notice, user=by):
        raise PermissionDenied
    if notice.acknowledged_at:
        return notice
    notice.acknowledged_at = timezone.now()
    notice.acknowledged_by = by
    return save_with_author(notice, by)
