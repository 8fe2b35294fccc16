"""The rules of credit supervision as plain functions over values.

The facts a clerk enters (行政处罚、整改通知书、退回信函): the admin forms apply them, so does
anything else that writes these records; each returns {field: message} for the values that
break a rule (empty when they pass), so that a form puts each message beside its field.

The dates of the lists (R-CR-1, R-CR-9..13), from settings.CREDIT: shared by the services, the
daily job and the pages."""

import calendar as month_calendar
import datetime

from django.conf import settings
from django.utils.translation import gettext as _

from core import calendar
from core.calendar import is_working_day

from .choices import GROUNDS_NEEDING_CORRECTION, CreditList, PenaltyKind


def _not_after_today(problems: dict, field: str, day, message: str) -> None:
    if day and day > calendar.today() and field not in problems:
        problems[field] = message


def penalty_problems(
    *,
    kind: str,
    amount_yuan,
    decided_on: datetime.date | None,
    effective_on: datetime.date | None,
) -> dict[str, str]:
    """A fine states its amount (above zero); no amount is negative; a decision is not dated in
    the future, and takes effect on or after the day it was made."""
    problems = {}
    if amount_yuan is not None and amount_yuan < 0:
        problems["amount_yuan"] = _("An amount cannot be negative.")
    elif kind == PenaltyKind.FINE and not amount_yuan:
        problems["amount_yuan"] = _("A fine needs its amount.")
    _not_after_today(
        problems, "decided_on", decided_on, _("A penalty cannot be decided in the future.")
    )
    if decided_on and effective_on and effective_on < decided_on:
        problems["effective_on"] = _("A penalty cannot take effect before it is decided.")
    return problems


def rectification_notice_problems(
    *,
    issued_on: datetime.date | None,
    due_on: datetime.date | None,
    completed_on: datetime.date | None,
) -> dict[str, str]:
    """A notice is not issued in the future; its deadline does not come before it; it is not
    completed before it was issued, nor in the future."""
    problems = {}
    _not_after_today(
        problems, "issued_on", issued_on, _("A notice cannot be issued in the future.")
    )
    if issued_on and due_on and due_on < issued_on:
        problems["due_on"] = _("The deadline cannot come before the notice.")
    if issued_on and completed_on and completed_on < issued_on:
        problems["completed_on"] = _("A notice cannot be completed before it was issued.")
    _not_after_today(
        problems,
        "completed_on",
        completed_on,
        _("The completion date cannot be in the future."),
    )
    return problems


def returned_letter_problems(
    *, sent_on: datetime.date | None, returned_on: datetime.date | None
) -> dict[str, str]:
    """A letter is sent and comes back by today, and comes back after it was sent."""
    problems = {}
    _not_after_today(problems, "sent_on", sent_on, _("A letter cannot be sent in the future."))
    _not_after_today(
        problems,
        "returned_on",
        returned_on,
        _("A letter cannot come back in the future."),
    )
    if sent_on and returned_on and returned_on < sent_on and "returned_on" not in problems:
        problems["returned_on"] = _("A letter cannot come back before it was sent.")
    return problems


# --- The dates of the lists (R-CR-1, R-CR-9..13) ---------------------------------------------


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
