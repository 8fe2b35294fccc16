"""Writes of the member-form copies (R-REG-3): filed on approval, acknowledged by their
recipients."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import roles
from core import calendar
from registry.choices import CopyKind
from registry.models.member import MEMBER_DETAIL_FIELDS

from ..models import MemberFormCopy, PartyMember
from ..services import party_member_create, save_with_author


@transaction.atomic
def member_form_file(*, organization, application, by) -> list:
    """R-REG-3 on approval: the member form's rows become Party members of the new organization,
    and the form is filed in triplicate (archive, supervisory unit, committee)."""

    notes = []
    for row in application.members.all():
        if PartyMember.objects.with_id_number(row.id_number).exists():
            # One person, one record (R-ID-2): someone already on file elsewhere is not copied.
            notes.append(
                _(
                    "%(name)s is already on file with another organization and was not "
                    "recorded twice."
                )
                % {"name": row.name}
            )
            continue
        party_member_create(
            by=by,
            organization=organization,
            **{name: getattr(row, name) for name in MEMBER_DETAIL_FIELDS},
        )
    filed_on = calendar.today()
    recipients = [(CopyKind.ARCHIVE, {})]
    if organization.supervisory_unit_id:
        recipients.append(
            (CopyKind.SUPERVISORY_UNIT, {"supervisory_unit": organization.supervisory_unit})
        )
    recipients.append(
        (CopyKind.COMMITTEE, {"party_building_body": organization.party_building_body})
    )
    copies = []
    for kind, recipient in recipients:
        copy = MemberFormCopy(
            application=application,
            organization=organization,
            kind=kind,
            filed_on=filed_on,
            note="\n".join(notes),
            **recipient,
        )
        copies.append(save_with_author(copy, by))
    return copies


@transaction.atomic
def member_form_copy_acknowledge(*, copy, by):
    """The recipient confirms it has received its copy (R-REG-3)."""

    if not member_form_copy_is_addressed_to(copy=copy, user=by):
        raise PermissionDenied
    if copy.acknowledged_at:
        return copy
    copy.acknowledged_at = timezone.now()
    copy.acknowledged_by = by
    return save_with_author(copy, by)


def member_form_copy_is_addressed_to(*, copy, user) -> bool:

    if copy.kind == CopyKind.SUPERVISORY_UNIT:
        return (
            user.has_role(roles.SUPERVISORY_UNIT)
            and user.supervisory_unit_id == copy.supervisory_unit_id
        )
    if copy.kind == CopyKind.COMMITTEE:
        return user.has_role(roles.COMMITTEE)
    return user.is_clerk
