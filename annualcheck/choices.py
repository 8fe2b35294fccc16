from django.db import models
from django.utils.translation import gettext_lazy as _


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
    (1, "党建情况"),
    (2, "遵守法律法规和国家政策"),
    (3, "登记事项变动和履行登记手续"),
    (4, "按章程开展活动"),
    (5, "负责人、理事及工作人员变动"),
    (6, "机构设置和变动"),
    (7, "财务状况及资金来源和使用"),
    (8, "接受捐赠与提供资助"),
    (9, "评比达标表彰活动"),
    (10, "履行社会责任及其他"),
]
PARTY_BUILDING_ITEM = 1
