"""Reads of the grade evaluation, including the R-EV-6 statistics."""

import datetime

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from .choices import THREE_A_AND_ABOVE, EvaluationStatus, Grade
from .models import Evaluation


def evaluation_report(*, year: int, evaluations: QuerySet | None = None) -> dict:
    """A year's evaluations by grade and R-EV-6: the share of the newly rated 3A-and-above
    organizations that have Party organization coverage. Two queries."""
    decided = (evaluations if evaluations is not None else Evaluation.objects.all()).filter(
        year=year, status=EvaluationStatus.DECIDED
    )
    by_grade = dict.fromkeys(Grade.values, 0)
    for row in decided.order_by().values("grade").annotate(n=Count("pk")):
        by_grade[row["grade"]] = row["n"]
    top = decided.aggregate(
        new_3a_plus=Count("pk", filter=Q(grade__in=THREE_A_AND_ABOVE)),
        with_party=Count("pk", filter=Q(grade__in=THREE_A_AND_ABOVE, had_party_organization=True)),
        downgraded=Count("pk", filter=Q(downgraded=True)),
    )
    rate = round(top["with_party"] / top["new_3a_plus"], 4) if top["new_3a_plus"] else 0.0
    return {
        "year": year,
        "evaluated": sum(by_grade.values()),
        "by_grade": by_grade,
        "downgraded": top["downgraded"],
        "new_3a_plus": top["new_3a_plus"],
        "new_3a_plus_with_party_org": top["with_party"],
        "new_3a_plus_party_org_rate": rate,
    }


def expiring_grades(*, today: datetime.date | None = None, months: int = 6) -> QuerySet:
    """Grades whose five years end within `months` (the latest grade of each organization)."""
    today = today or timezone.localdate()
    horizon = today + datetime.timedelta(days=round(months * 30.44))
    return (
        Evaluation.objects.filter(
            status=EvaluationStatus.DECIDED, valid_until__gte=today, valid_until__lte=horizon
        )
        .select_related("organization")
        .order_by("valid_until")
    )
