"""Party building's reminders (R-NTF-5, R-NTF-6), answering
notifications.signals.reminders_wanted: member-form copies not acknowledged by their last day,
probationary members due to become full members."""

import datetime
from collections import defaultdict

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext

from accounts import roles
from core.calendar import is_working_day, long_date, working_days_before
from notifications.choices import Kind
from notifications.selectors import clerks, users_with_role
from notifications.services import Reminder
from registry.choices import CopyKind, MemberStatus

from .models import MemberFormCopy, PartyMember


def reminders(sender=None, *, today: datetime.date, **kwargs) -> list:
    return [*copy_reminders(today), *full_membership_reminders(today)]


def last_day_to_acknowledge(filed_on: datetime.date) -> datetime.date:
    """R-REG-3: the last of the REGISTRY["ACKNOWLEDGE_WITHIN_WORKING_DAYS"] working days."""
    days, day, count = settings.REGISTRY["ACKNOWLEDGE_WITHIN_WORKING_DAYS"], filed_on, 0
    while count < days:
        day += datetime.timedelta(days=1)
        count += is_working_day(day)
    return day


def copy_reminders(today: datetime.date) -> list:
    """R-NTF-5: a member-form copy still unacknowledged on its last day to acknowledge (R-REG-3,
    REGISTRY["ACKNOWLEDGE_WITHIN_WORKING_DAYS"] working days after it was filed), or any day
    after, is reminded once to those who must acknowledge it: the supervisory unit's users for
    its copy, the committee's for theirs, the clerks for the archive copy."""
    cutoff = working_days_before(today, settings.REGISTRY["ACKNOWLEDGE_WITHIN_WORKING_DAYS"])
    copies = list(
        MemberFormCopy.objects.filter(acknowledged_at__isnull=True, filed_on__lte=cutoff)
        .order_by("filed_on", "pk")
        .values_list("pk", "kind", "supervisory_unit_id", "filed_on", "organization__name")
    )
    if not copies:
        return []
    unit_users = defaultdict(list)
    unit_ids = {row[2] for row in copies if row[1] == CopyKind.SUPERVISORY_UNIT}
    rows = users_with_role(roles.SUPERVISORY_UNIT, supervisory_unit_id__in=unit_ids)
    for user_id, unit_id in rows.values_list("pk", "supervisory_unit_id"):
        unit_users[unit_id].append(user_id)
    by_kind = {
        CopyKind.COMMITTEE: list(users_with_role(roles.COMMITTEE).values_list("pk", flat=True)),
        CopyKind.ARCHIVE: list(clerks().values_list("pk", flat=True)),
    }
    result = []
    for pk, kind, unit_id, filed_on, name in copies:
        recipients = (
            unit_users.get(unit_id, [])
            if kind == CopyKind.SUPERVISORY_UNIT
            else by_kind.get(kind, [])
        )
        if not recipients:
            continue
        last_day = last_day_to_acknowledge(filed_on)
        values = {"name": name, "date": long_date(last_day)}
        result.append(
            Reminder(
                recipients=recipients,
                kind=Kind.COPY_UNACKNOWLEDGED,
                key=f"member_form_copy:{pk}",
                subject=gettext("Member form of %(name)s not yet acknowledged") % values,
                body=gettext(
                    "The Party-member form of the new organization %(name)s was to be "
                    "acknowledged by %(date)s. Please acknowledge receipt."
                )
                % values,
                link=reverse("admin:partybuilding_memberformcopy_change", args=[pk]),
                due_on=last_day,
            )
        )
    return result


def full_membership_reminders(today: datetime.date) -> list:
    """R-NTF-6: a probationary member (预备党员) whose probation year ends (the member's
    `full_membership_due_on`) within NOTIFICATIONS["DAYS_BEFORE"]["FULL_MEMBERSHIP"] days is
    reminded once to the organization's portal users and the committee's users."""
    horizon = today + datetime.timedelta(
        days=settings.NOTIFICATIONS["DAYS_BEFORE"]["FULL_MEMBERSHIP"]
    )
    members = list(
        PartyMember.objects.filter(
            status=MemberStatus.PROBATIONARY,
            left_on__isnull=True,
            full_membership_due_on__gte=today,
            full_membership_due_on__lte=horizon,
            organization__registration_ended_on__isnull=True,
        )
        .order_by("full_membership_due_on", "pk")
        .values_list(
            "pk", "name", "full_membership_due_on", "organization_id", "organization__name"
        )
    )
    if not members:
        return []
    organization_users = defaultdict(list)
    rows = users_with_role(roles.ORGANIZATION, organization_id__in={row[3] for row in members})
    for user_id, organization_id in rows.values_list("pk", "organization_id"):
        organization_users[organization_id].append(user_id)
    committee = list(users_with_role(roles.COMMITTEE).values_list("pk", flat=True))
    result = []
    for pk, name, due_on, organization_id, organization_name in members:
        values = {"name": name, "organization": organization_name, "date": long_date(due_on)}
        key = f"full_membership:{pk}:{due_on.isoformat()}"
        body = (
            gettext(
                "The probation year of %(name)s (%(organization)s) ends on %(date)s: the Party "
                "branch should discuss the admission as a full member."
            )
            % values
        )
        subject = gettext("%(name)s due to become a full Party member on %(date)s") % values
        if organization_users.get(organization_id):
            result.append(
                Reminder(
                    recipients=organization_users[organization_id],
                    kind=Kind.FULL_MEMBERSHIP_DUE,
                    key=key,
                    subject=subject,
                    body=body,
                    link=reverse("portal:organization", args=[organization_id]),
                    due_on=due_on,
                )
            )
        if committee:
            result.append(
                Reminder(
                    recipients=committee,
                    kind=Kind.FULL_MEMBERSHIP_DUE,
                    key=key,
                    subject=subject,
                    body=body,
                    link=reverse("admin:partybuilding_partymember_change", args=[pk]),
                    due_on=due_on,
                )
            )
    return result
