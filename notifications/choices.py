from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    """What a notification is about: the reminders of docs/domain.md (R-NTF-1..6)."""

    ANNUAL_CHECK_DUE = "annual_check_due", _("annual check due")
    ANNUAL_CHECK_REVIEW = "annual_check_review", _("annual checks awaiting pre-review")
    RECTIFICATION_DUE = "rectification_due", _("rectification due")
    GRADE_EXPIRY = "grade_expiry", _("grade expiring")
    COPY_UNACKNOWLEDGED = "copy_unacknowledged", _("copy not acknowledged")
    FULL_MEMBERSHIP_DUE = (
        "full_membership_due",
        _("probationary member due to become a full member"),
    )
    CREDIT = "credit", _("credit listing")
    OTHER = "other", _("notice")
