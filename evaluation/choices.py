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


def one_grade_lower(grade: str) -> str:
    """R-EV-3: 5A → 4A … 1A → no grade."""
    index = GRADE_ORDER.index(Grade(grade))
    return GRADE_ORDER[min(index + 1, len(GRADE_ORDER) - 1)]
