from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class CheckStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted")
    PRE_REVIEWED = "pre_reviewed", _("passed the supervisory unit's pre-review")
    RETURNED = "returned", _("returned for correction")
    REVIEWED = "reviewed", _("reviewed")


class CheckResult(models.TextChoices):
    """R-AC-3."""

    QUALIFIED = "qualified", _("qualified")
    BASICALLY_QUALIFIED = "basically_qualified", _("basically qualified")
    UNQUALIFIED = "unqualified", _("unqualified")


class RectificationStatus(models.TextChoices):
    OPEN = "open", _("open")
    ANSWERED = "answered", _("answered")
    CLOSED = "closed", _("closed")


# R-AC-1: the ten items, Party-building first.
ITEMS = [
    (1, pgettext_lazy("annual-check item", "Party building")),
    (2, _("Compliance with laws, regulations and state policies")),
    (3, _("Changes of registered particulars and registration formalities")),
    (4, _("Activities according to the charter")),
    (5, _("Changes of leaders, directors and staff")),
    (6, _("Internal structure and its changes")),
    (7, _("Finances, sources and use of funds")),
    (8, _("Donations received and grants made")),
    (9, _("Appraisal, standard-setting and commendation activities")),
    (10, _("Social responsibility and other matters")),
]
PARTY_BUILDING_ITEM = 1
