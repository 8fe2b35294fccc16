"""The dates of credit supervision (R-CR-9..13), from settings.CREDIT. Plain functions on
dates and entries, shared by the services, the daily job and the pages."""

import calendar as month_calendar
import datetime

from django.conf import settings

from core.calendar import is_working_day

from .choices import GROUNDS_NEEDING_CORRECTION, CreditList


def add_months(day: datetime.date, months: int) -> datetime.date:
    """`day` moved `months` on; the 31st becomes the month's last day when it has none."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, month_calendar.monthrange(year, month)[1])
    )


def add_years(day: datetime.date, years: int) -> datetime.date:
    return add_months(day, 12 * years)


def add_working_days(day: datetime.date, days: int) -> datetime.date:
    """The `days`th working day after `day` (core.calendar's holidays and make-up days)."""
    while days > 0:
        day += datetime.timedelta(days=1)
        days -= is_working_day(day)
    return day


def expires(entry) -> bool:
    """R-CR-10: an abnormal-list entry whose ground has nothing to correct leaves the list at the
    end of its term; the others leave it only on application (R-CR-9)."""
    return (
        entry.credit_list == CreditList.ABNORMAL and entry.ground not in GROUNDS_NEEDING_CORRECTION
    )


def expiry_date(entry) -> datetime.date | None:
    """R-CR-10: the day an expiring entry leaves the list (its term counted from
    term_starts_on, which R-CR-6 moves), or None for an entry that does not expire."""
    if not expires(entry) or entry.term_starts_on is None:
        return None
    return add_months(entry.term_starts_on, settings.CREDIT["EXPIRY_MONTHS"])


def escalation_date(term_starts_on: datetime.date) -> datetime.date:
    """R-CR-11: the day an abnormal listing counted from `term_starts_on` reaches its term."""
    return add_years(term_starts_on, settings.CREDIT["ABNORMAL_TERM_YEARS"])


def serious_term_end(entry) -> datetime.date | None:
    """R-CR-13 (a): the first day a serious-list entry may be removed on application."""
    if entry.credit_list != CreditList.SERIOUS or entry.term_starts_on is None:
        return None
    return add_years(entry.term_starts_on, settings.CREDIT["SERIOUS_TERM_YEARS"])


def removal_due_on(entry) -> datetime.date | None:
    """R-CR-9: the removal is due within N working days of the day the correction was verified
    (查实), not of the application."""
    if entry.removal_verified_on is None:
        return None
    return add_working_days(entry.removal_verified_on, settings.CREDIT["REMOVAL_WORKING_DAYS"])


def recording_due_on(formed_on: datetime.date) -> datetime.date:
    """R-CR-1: credit information is entered within N working days of being formed or
    obtained."""
    return add_working_days(formed_on, settings.CREDIT["RECORDING_WORKING_DAYS"])


def recorded_late(formed_on: datetime.date, recorded_on: datetime.date) -> bool:
    return recorded_on > recording_due_on(formed_on)
