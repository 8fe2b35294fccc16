"""The annual check's reminders (R-NTF-1..3), answering notifications.signals.reminders_wanted:
the filing deadline to the organizations that have not filed, the pre-review to the
supervisory units holding checks, the rectification deadlines to the organizations."""

import datetime
from collections import defaultdict

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext

from accounts import roles
from core.calendar import long_date
from notifications.choices import Kind
from notifications.selectors import users_with_role
from notifications.services import Reminder
from registry.models import Organization

from .choices import RectificationStatus
from .models import AnnualCheck, Rectification
from .rules import exemption_cutoff, month_day
from .selectors import AWAITING_PRE_REVIEW


def _days(name: str) -> int:
    return settings.NOTIFICATIONS["DAYS_BEFORE"][name]


def _within(today: datetime.date, day: datetime.date, days: int) -> bool:
    return day - datetime.timedelta(days=days) <= today <= day


def _organization_users(organization_ids) -> dict:
    """{organization id: [user id, …]} of the organizations' portal users (one query)."""
    users = defaultdict(list)
    rows = users_with_role(roles.ORGANIZATION, organization_id__in=organization_ids)
    for user_id, organization_id in rows.values_list("pk", "organization_id"):
        users[organization_id].append(user_id)
    return users


def reminders(sender=None, *, today: datetime.date, **kwargs) -> list:
    return [
        *filing_reminders(today),
        *pre_review_reminders(today),
        *rectification_reminders(today),
    ]


def filing_reminders(today: datetime.date) -> list:
    """R-NTF-1: from DAYS_BEFORE["ANNUAL_CHECK"] days before its R-AC-2 deadline to the day, an
    organization that must file last year's check and has not submitted it (none, a draft, or
    returned for correction) is reminded once. With a supervisory unit the deadline is
    ANNUAL_CHECK["SUPERVISORY_DEADLINE"], without one ["AUTHORITY_DEADLINE"]."""
    year = today.year - 1
    result = []
    for setting, with_unit in (("SUPERVISORY_DEADLINE", True), ("AUTHORITY_DEADLINE", False)):
        deadline = month_day(year + 1, settings.ANNUAL_CHECK[setting])
        if not _within(today, deadline, _days("ANNUAL_CHECK")):
            continue
        filed = AnnualCheck.objects.filter(organization=OuterRef("pk"), year=year).exclude(
            status__in=AnnualCheck.EDITABLE
        )
        organizations = Organization.objects.filter(
            registration_ended_on__isnull=True,
            registered_on__lte=exemption_cutoff(year),
            supervisory_unit__isnull=not with_unit,
        ).filter(~Exists(filed))
        users = _organization_users(organizations.values("pk"))
        subject = gettext("Annual check for %(year)s due by %(date)s") % {
            "year": year,
            "date": long_date(deadline),
        }
        body = gettext(
            "Your organization has not yet submitted its annual check for %(year)s. Please "
            "file it in the portal by %(date)s."
        ) % {"year": year, "date": long_date(deadline)}
        for organization_id, user_ids in users.items():
            result.append(
                Reminder(
                    recipients=user_ids,
                    kind=Kind.ANNUAL_CHECK_DUE,
                    key=f"annual_check_due:{year}:{organization_id}",
                    subject=subject,
                    body=body,
                    link=reverse("portal:annual_checks"),
                    due_on=deadline,
                )
            )
    return result


def pre_review_reminders(today: datetime.date) -> list:
    """R-NTF-2: from DAYS_BEFORE["ANNUAL_CHECK_REVIEW"] days before the registration
    authority's deadline (ANNUAL_CHECK["AUTHORITY_DEADLINE"]) to the day, the users of each
    supervisory unit with checks of last year still awaiting its pre-review, once a year."""
    year = today.year - 1
    deadline = month_day(year + 1, settings.ANNUAL_CHECK["AUTHORITY_DEADLINE"])
    if not _within(today, deadline, _days("ANNUAL_CHECK_REVIEW")):
        return []
    waiting = dict(
        AnnualCheck.objects.filter(AWAITING_PRE_REVIEW, year=year)
        .exclude(organization__supervisory_unit__isnull=True)
        .order_by()
        .values_list("organization__supervisory_unit_id")
        .annotate(n=Count("pk"))
    )
    if not waiting:
        return []
    users = defaultdict(list)
    rows = users_with_role(roles.SUPERVISORY_UNIT, supervisory_unit_id__in=list(waiting))
    for user_id, unit_id in rows.values_list("pk", "supervisory_unit_id"):
        users[unit_id].append(user_id)
    link = reverse("admin:annualcheck_annualcheck_changelist") + "?awaiting=pre_review"
    return [
        Reminder(
            recipients=user_ids,
            kind=Kind.ANNUAL_CHECK_REVIEW,
            key=f"annual_check_review:{year}:{unit_id}",
            subject=gettext("%(count)s annual checks for %(year)s await your pre-review")
            % {"count": waiting[unit_id], "year": year},
            body=gettext(
                "They must reach the registration authority by %(date)s. Please pre-review them."
            )
            % {"date": long_date(deadline)},
            link=link,
            due_on=deadline,
        )
        for unit_id, user_ids in users.items()
    ]


def rectification_reminders(today: datetime.date) -> list:
    """R-NTF-3: an open rectification item (not answered, not closed) is reminded to its
    organization's users once, DAYS_BEFORE["RECTIFICATION"] days before its due date or later
    up to the day; a new due date is reminded anew."""
    horizon = today + datetime.timedelta(days=_days("RECTIFICATION"))
    items = list(
        Rectification.objects.filter(
            Q(status=RectificationStatus.OPEN),
            due_on__gte=today,
            due_on__lte=horizon,
            annual_check__organization__registration_ended_on__isnull=True,
        )
        .order_by("due_on", "pk")
        .values_list("pk", "due_on", "annual_check_id", "annual_check__organization_id")
    )
    users = _organization_users({row[3] for row in items})
    result = []
    for pk, due_on, check_id, organization_id in items:
        if not users.get(organization_id):
            continue
        result.append(
            Reminder(
                recipients=users[organization_id],
                kind=Kind.RECTIFICATION_DUE,
                key=f"rectification_due:{pk}:{due_on.isoformat()}",
                subject=gettext("Rectification due by %(date)s") % {"date": long_date(due_on)},
                body=gettext(
                    "A rectification item of your annual check is due by %(date)s. Please "
                    "answer it in the portal."
                )
                % {"date": long_date(due_on)},
                link=reverse("portal:annual_check", args=[check_id]),
                due_on=due_on,
            )
        )
    return result
