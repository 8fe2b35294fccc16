"""Writes of the rectification items (R-AC-5): the organization answers, the registration
authority closes or reopens. Each step locks the item, checks the version the page showed
(core.concurrency) and moves it through RECTIFICATION_WORKFLOW, which records the event."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext

from core import calendar
from core.concurrency import version_check_and_bump

from ..choices import RectificationStatus
from ..models import CLERK, REPORTER, Rectification
from ..workflow import RECTIFICATION_WORKFLOW


def _rectification_locked(rectification: Rectification) -> Rectification:
    return (
        Rectification.objects.select_for_update(of=("self",))
        .select_related("annual_check")
        .get(pk=rectification.pk)
    )


@transaction.atomic
def rectification_answer(
    *, rectification: Rectification, by, answer: str, expected_version: int | None = None
) -> Rectification:
    """R-AC-5: the organization says what it has done."""
    rectification = _rectification_locked(rectification)
    if not RECTIFICATION_WORKFLOW.acts_as(by, REPORTER, rectification):
        raise PermissionDenied(
            gettext("You can only answer your own organization's rectification items.")
        )
    version_check_and_bump(rectification, expected_version)
    if rectification.status == RectificationStatus.CLOSED:
        raise ValidationError(gettext("This rectification item is closed."), code="closed")
    if not answer.strip():
        raise ValidationError(gettext("Describe the rectification."), code="answer")
    rectification.answer = answer.strip()
    rectification.answered_on = calendar.today()
    RECTIFICATION_WORKFLOW.move(
        rectification,
        RectificationStatus.ANSWERED,
        by,
        reason=answer.strip(),
        expected_version=expected_version,
    )
    return rectification


@transaction.atomic
def rectification_close(
    *, rectification: Rectification, by, expected_version: int | None = None
) -> Rectification:
    rectification = _rectification_locked(rectification)
    if not RECTIFICATION_WORKFLOW.acts_as(by, CLERK, rectification):
        raise PermissionDenied(
            gettext("Only the registration authority closes rectification items.")
        )
    version_check_and_bump(rectification, expected_version)
    if rectification.status != RectificationStatus.ANSWERED:
        raise ValidationError(
            gettext("The organization has not answered yet: the item cannot be closed."),
            code="not_answered",
        )
    rectification.closed_on = calendar.today()
    RECTIFICATION_WORKFLOW.move(
        rectification, RectificationStatus.CLOSED, by, expected_version=expected_version
    )
    return rectification


@transaction.atomic
def rectification_reopen(
    *, rectification: Rectification, by, reason: str, expected_version: int | None = None
) -> Rectification:
    rectification = _rectification_locked(rectification)
    if not RECTIFICATION_WORKFLOW.acts_as(by, CLERK, rectification):
        raise PermissionDenied(
            gettext("Only the registration authority reopens rectification items.")
        )
    version_check_and_bump(rectification, expected_version)
    if not reason.strip():
        raise ValidationError(gettext("Give the reason for reopening."), code="reason")
    rectification.closed_on = None
    RECTIFICATION_WORKFLOW.move(
        rectification,
        RectificationStatus.OPEN,
        by,
        reason=reason.strip(),
        expected_version=expected_version,
    )
    return rectification
