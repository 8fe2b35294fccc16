"""What an organization must do next, for the top of its portal home (issue 19): its annual
check for last year, the rectification items it has not answered, and what its Party-building
standing asks of it. Reads only; each item names the page where it is done."""

import datetime
from typing import NamedTuple

from django.urls import reverse

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
    return f"{day.year}年{day.month}月{day.day}日"


def annual_check_step(user, *, today: datetime.date) -> NextStep | None:
    organization = user.organization
    year = report_year(today)
    if exemption_message(organization=organization, year=year):
        return None
    current = own_annual_checks(user).filter(year=year).first()
    if current is None:
        due = deadline_for(organization=organization, year=year)
        return NextStep(
            f"填报{year}年度年检报告（{_date(due)}前提交）",
            reverse("portal:annual_checks"),
            urgent=today > due,
        )
    if current.status == CheckStatus.DRAFT:
        due = deadline(annual_check=current)
        return NextStep(
            f"继续填报{year}年度年检报告，核对后提交（{_date(due)}前）",
            reverse("portal:annual_check_edit", args=[current.pk]),
            urgent=today > due,
        )
    if current.status == CheckStatus.RETURNED:
        return NextStep(
            f"{year}年度年检报告已退回修改：按审核意见修改后重新提交",
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
            f"答复{item.annual_check.year}年度年检整改事项“{item.problem}”（期限"
            f"{_date(item.due_on)}{'，已逾期' if item.is_overdue else ''}）",
            reverse("portal:annual_check", args=[item.annual_check_id]),
            urgent=item.is_overdue,
        )
        for item in open_items
    ]


def party_building_step(organization, glance: dict | None) -> NextStep | None:
    if glance is None:
        return None
    contact = f"请与{organization.party_building_body}联系"
    counted = glance["counted_members"] or 0
    if glance["party_building_status"] == PartyBuildingStatus.SHOULD_BUILD:
        return NextStep(
            f"本组织有 {counted} 名党员，应当组建党组织，目前尚未组建：{contact}。", "", True
        )
    if glance["should_build_own_warning"]:
        return NextStep(f"本组织党员已有 {counted} 名，已达单独组建党组织的条件：{contact}。", "")
    return None


def organization_next_steps(user, glance: dict | None, *, today=None) -> list[NextStep]:
    """The organization user's to-do list, most pressing first."""
    today = today or calendar.today()
    steps = [
        annual_check_step(user, today=today),
        *rectification_steps(user, today=today),
        party_building_step(user.organization, glance),
    ]
    steps = [step for step in steps if step is not None]
    return sorted(steps, key=lambda step: not step.urgent)
