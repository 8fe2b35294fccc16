"""The grade evaluation's reminder (R-NTF-4), answering notifications.signals.reminders_wanted:
a grade about to expire, to its organization's users and the clerks."""

import datetime
from collections import defaultdict

from django.conf import settings
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.translation import gettext

from accounts import roles
from core.calendar import long_date
from notifications.choices import Kind
from notifications.selectors import clerks, users_with_role
from notifications.services import Reminder

from .choices import EvaluationStatus, Grade
from .models import Evaluation


def reminders(sender=None, *, today: datetime.date, **kwargs) -> list:
    """R-NTF-4: an organization's latest decided grade whose validity (R-EV-1, `valid_until`)
    ends within NOTIFICATIONS["DAYS_BEFORE"]["GRADE_EXPIRY"] days is reminded once to the
    organization's portal users and to the clerks; a deregistered organization is not."""
    horizon = today + datetime.timedelta(days=settings.NOTIFICATIONS["DAYS_BEFORE"]["GRADE_EXPIRY"])
    later = Evaluation.objects.filter(
        organization=OuterRef("organization"),
        status=EvaluationStatus.DECIDED,
        year__gt=OuterRef("year"),
    )
    grades = list(
        Evaluation.objects.filter(
            status=EvaluationStatus.DECIDED,
            valid_until__gte=today,
            valid_until__lte=horizon,
            organization__registration_ended_on__isnull=True,
        )
        .exclude(grade__in=["", Grade.NONE])
        .filter(~Exists(later))
        .order_by("valid_until", "pk")
        .values_list("pk", "grade", "valid_until", "organization_id", "organization__name")
    )
    if not grades:
        return []
    organization_users = defaultdict(list)
    rows = users_with_role(roles.ORGANIZATION, organization_id__in={row[3] for row in grades})
    for user_id, organization_id in rows.values_list("pk", "organization_id"):
        organization_users[organization_id].append(user_id)
    clerk_ids = list(clerks().values_list("pk", flat=True))
    result = []
    for pk, grade, valid_until, organization_id, name in grades:
        values = {"grade": grade, "date": long_date(valid_until), "name": name}
        if organization_users.get(organization_id):
            result.append(
                Reminder(
                    recipients=organization_users[organization_id],
                    kind=Kind.GRADE_EXPIRY,
                    key=f"grade_expiry:{pk}",
                    subject=gettext("Your %(grade)s grade expires on %(date)s") % values,
                    body=gettext(
                        "The organization's evaluation grade is valid until %(date)s. Apply for "
                        "a new evaluation in the portal in time."
                    )
                    % values,
                    link=reverse("portal:evaluation", args=[pk]),
                    due_on=valid_until,
                )
            )
        if clerk_ids:
            result.append(
                Reminder(
                    recipients=clerk_ids,
                    kind=Kind.GRADE_EXPIRY,
                    key=f"grade_expiry:{pk}",
                    subject=gettext("The %(grade)s grade of %(name)s expires on %(date)s") % values,
                    body=gettext("The grade is valid until %(date)s.") % values,
                    link=reverse("admin:evaluation_evaluation_change", args=[pk]),
                    due_on=valid_until,
                )
            )
    return result
