"""The rules of the facts a clerk enters for credit supervision (行政处罚、整改通知书、退回信函),
as plain functions over values: the admin forms apply them, so does anything else that writes
these records. Each returns {field: message} for the values that break a rule (empty when they
pass), so that a form puts each message beside its field."""

import datetime

from django.utils.translation import gettext as _

from core import calendar

from .choices import PenaltyKind


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
