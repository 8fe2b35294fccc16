"""What an organization must do next, for the top of its portal home (issue 19): its annual
check for last year, the rectification items it has not answered, and what its Party-building
standing asks of it. Reads only; each item names the page where it is done."""

import datetime
from typing import NamedTuple

from django.urls import reverse
from django.utils.translation import gettext

from annualcheck.choices import CheckStatus, RectificationStatus
from annualcheck.models import Rectification
from annualcheck.selectors import with_overdue_flag
from annualcheck.services import deadline, exemption_message
from core import calendar
from partybuilding.choices import PartyBuildingStatus

from .annual_check_views import deadline_for, own_annual_checks, report_year


class NextStep(NamedTuple):
    text: str
    url: str
    urgent: bool = False


def _date(day: datetime.date) -> str:
    return gettext("%(month)s/%(day)s/%(year)s") % {
        "year": day.year,
        "month": day.month,
        "day": day.day,
    }


def annual_check_step(user, *, today: datetime.date) -> NextStep | None:
    organization = user.organization
    year = report_year(today)
    if exemption_message(organization=organization, year=year):
        return None
    current = own_annual_checks(user).filter(year=year).first()
    if current is None:
        due = deadline_for(organization=organization, year=year)
        return NextStep(
            gettext("Fill in the annual report for %(year)s (submit by %(due)s)")
            % {"year": year, "due": _date(due)},
            reverse("portal:annual_checks"),
            urgent=today > due,
        )
    if current.status == CheckStatus.DRAFT:
        due = deadline(annual_check=current)
        return NextStep(
            gettext(
                "Go on with the annual report for %(year)s, check it and submit it (by %(due)s)"
            )
            % {"year": year, "due": _date(due)},
            reverse("portal:annual_check_edit", args=[current.pk]),
            urgent=today > due,
        )
    if current.status == CheckStatus.RETURNED:
        return NextStep(
            gettext(
                "The annual report for %(year)s was returned: correct it as the review says "
                "and submit it again"
            )
            % {"year": year},
            reverse("portal:annual_check", args=[current.pk]),
            urgent=True,
        )
    return None


def rectification_steps(user, *, today: datetime.date) -> list[NextStep]:
    open_items = with_overdue_flag(
        Rectification.objects.filter(
            annual_check__in=own_annual_checks(user).values("pk"),
            status=RectificationStatus.OPEN,
        )
        .select_related("annual_check")
        .order_by("due_on", "pk"),
        today,
    )
    return [
        NextStep(
            (
                gettext(
                    "Answer the rectification item of the %(year)s annual check, “%(problem)s” "
                    "(due %(due)s, overdue)"
                )
                if item.is_overdue
                else gettext(
                    "Answer the rectification item of the %(year)s annual check, “%(problem)s” "
                    "(due %(due)s)"
                )
            )
            % {"year": item.annual_check.year, "problem": item.problem, "due": _date(item.due_on)},
            reverse("portal:annual_check", args=[item.annual_check_id]),
            urgent=item.is_overdue,
        )
        for item in open_items
    ]


def change_steps(user, *, today: datetime.date) -> list[NextStep]:
    """Change applications the organization must file after its unit's consent (R-CHG-3), or
    correct after a return."""
    from registry.change_selectors import filing_state
    from registry.choices import ChangeStatus

    from .change_views import own_changes

    steps = []
    waiting = own_changes(user).filter(status__in=(ChangeStatus.CONSENTED, ChangeStatus.RETURNED))
    for change in waiting.order_by("consented_on", "pk"):
        if change.status == ChangeStatus.RETURNED:
            text = gettext("The %(kind)s %(reference)s was returned: correct it and submit again")
            steps.append(
                NextStep(
                    text % {"kind": change.get_kind_display(), "reference": change.reference},
                    reverse("portal:change", args=[change.pk]),
                    urgent=True,
                )
            )
            continue
        filing = filing_state(change, today)
        if filing["deadline"]:
            text = gettext(
                "File the %(kind)s %(reference)s with the registration authority (by %(due)s)"
            ) % {
                "kind": change.get_kind_display(),
                "reference": change.reference,
                "due": _date(filing["deadline"]),
            }
        else:
            text = gettext("File the %(kind)s %(reference)s with the registration authority") % {
                "kind": change.get_kind_display(),
                "reference": change.reference,
            }
        steps.append(
            NextStep(text, reverse("portal:change", args=[change.pk]), urgent=filing["late"])
        )
    return steps


def party_building_step(organization, glance: dict | None) -> NextStep | None:
    if glance is None:
        return None
    contact = gettext("contact %(body)s") % {"body": organization.party_building_body}
    counted = glance["counted_members"] or 0
    if glance["party_building_status"] == PartyBuildingStatus.SHOULD_BUILD:
        return NextStep(
            gettext(
                "The organization has %(counted)s Party members and should build a Party "
                "organization, which it has not yet: %(contact)s."
            )
            % {"counted": counted, "contact": contact},
            "",
            True,
        )
    if glance["should_build_own_warning"]:
        return NextStep(
            gettext(
                "The organization has %(counted)s Party members, enough to build its own Party "
                "organization: %(contact)s."
            )
            % {"counted": counted, "contact": contact},
            "",
        )
    return None


def deregistration_step(user, *, today: datetime.date) -> NextStep | None:
    """An application for deregistration the organization has to go on with (R-DEREG-1..4):
    a draft, or one returned for correction; urgent once the deadline has passed."""
    from registry.choices import DeregistrationKind, DeregistrationStatus
    from registry.selectors import deregistrations_visible_to

    open_one = (
        deregistrations_visible_to(user)
        .filter(
            organization_id=user.organization_id,
            kind=DeregistrationKind.DEREGISTRATION,
            status__in=(DeregistrationStatus.DRAFT, DeregistrationStatus.RETURNED),
        )
        .first()
    )
    if open_one is None:
        return None
    due = open_one.application_deadline()
    text = (
        gettext("Correct the application for deregistration as asked and submit it again")
        if open_one.status == DeregistrationStatus.RETURNED
        else gettext("Go on with the application for deregistration and submit it")
    )
    return NextStep(
        text,
        reverse("portal:deregistration_edit", args=[open_one.pk]),
        urgent=bool(due and today > due),
    )


def organization_next_steps(user, glance: dict | None, *, today=None) -> list[NextStep]:
    """The organization user's to-do list, most pressing first."""
    today = today or calendar.today()
    steps = [
        annual_check_step(user, today=today),
        *rectification_steps(user, today=today),
        *change_steps(user, today=today),
        party_building_step(user.organization, glance),
        deregistration_step(user, today=today),
    ]
    steps = [step for step in steps if step is not None]
    return sorted(steps, key=lambda step: not step.urgent)
