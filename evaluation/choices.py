from django.db import models
from django.utils.translation import gettext_lazy as _


class Grade(models.TextChoices):
    """R-EV-1, best first. NONE: below the lowest threshold, no grade."""

    FIVE_A = "5A", "5A"
    FOUR_A = "4A", "4A"
    THREE_A = "3A", "3A"
    TWO_A = "2A", "2A"
    ONE_A = "1A", "1A"
    NONE = "none", _("no grade")


GRADE_ORDER = [Grade.FIVE_A, Grade.FOUR_A, Grade.THREE_A, Grade.TWO_A, Grade.ONE_A, Grade.NONE]
THREE_A_AND_ABOVE = (Grade.FIVE_A, Grade.FOUR_A, Grade.THREE_A)


class EvaluationStatus(models.TextChoices):
    INELIGIBLE = "ineligible", _("not eligible")
    SCORING = "scoring", _("being scored")
    DECIDED = "decided", _("grade decided")


class IndicatorCode(models.TextChoices):
    """What the code knows an indicator by (the seeded schemes' indicators): the Party-building
    prefill finds its leaves by these, whatever a clerk renames them to."""

    BASIC_CONDITIONS = "basic_conditions", _("basic conditions")
    INTERNAL_GOVERNANCE = "internal_governance", _("internal governance")
    PERFORMANCE = "performance", _("work performance")
    ACTIVITIES_AND_INTEGRITY = "activities_and_integrity", _("activities and integrity")
    SOCIAL_EVALUATION = "social_evaluation", _("social evaluation")
    PARTY_BUILDING = "party_building", _("Party-building work")
    PARTY_ORGANIZATION = "party_organization", _("Party organization building")
    CHARTER_CLAUSE = "charter_clause", _("Party building written into the charter")
    PARTY_ACTIVITIES = "party_activities", _("Party organization activities")


def one_grade_lower(grade: str) -> str:
    """R-EV-3: 5A → 4A … 1A → no grade."""
    index = GRADE_ORDER.index(Grade(grade))
    return GRADE_ORDER[min(index + 1, len(GRADE_ORDER) - 1)]
