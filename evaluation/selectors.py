"""Reads of the grade evaluation, including the R-EV-6 statistics."""

import datetime

from django.db.models import Count, F, Q, QuerySet

from core import calendar

from .choices import THREE_A_AND_ABOVE, EvaluationStatus, Grade
from .models import Evaluation
from .workflow import EVALUATION_WORKFLOW


def evaluation_report(*, year: int, evaluations: QuerySet | None = None) -> dict:
    """A year's evaluations by grade and R-EV-6: the share of the newly rated 3A-and-above
    organizations that have Party organization coverage. One query: counts per grade, summed."""
    decided = (evaluations if evaluations is not None else Evaluation.objects.all()).filter(
        year=year, status=EvaluationStatus.DECIDED
    )
    rows = (
        decided.order_by()
        .values("grade")
        .annotate(
            n=Count("pk"),
            with_party=Count("pk", filter=Q(had_party_organization=True)),
            downgraded=Count("pk", filter=Q(downgraded=True)),
        )
        .values_list("grade", "n", "with_party", "downgraded")
    )
    return grade_report(year, rows)


def grade_report(year: int, rows) -> dict:
    """`evaluation_report` from (grade, evaluated, with a Party organization, downgraded)
    rows, a grade possibly in several (the evaluation aggregates' groups)."""
    by_grade = dict.fromkeys(Grade.values, 0)
    top = {"new_3a_plus": 0, "with_party": 0, "downgraded": 0}
    for grade, n, with_party, downgraded in rows:
        by_grade[grade] = by_grade.get(grade, 0) + n
        top["downgraded"] += downgraded
        if grade in THREE_A_AND_ABOVE:
            top["new_3a_plus"] += n
            top["with_party"] += with_party
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
    """Grades whose five years end within `months` (the latest grade of each organization),
    of organizations still registered (R-DEREG-10: a deregistered one is not reminded)."""
    today = today or calendar.today()
    horizon = today + datetime.timedelta(days=round(months * 30.44))
    return (
        Evaluation.objects.filter(
            status=EvaluationStatus.DECIDED,
            valid_until__gte=today,
            valid_until__lte=horizon,
            organization__registration_ended_on__isnull=True,
        )
        .select_related("organization")
        .order_by("valid_until")
    )


def evaluations_visible_to(user) -> QuerySet:
    """Clerks and the committee see every evaluation; a supervisory unit those of the
    organizations it supervises; an organization its own; anyone else none."""
    from accounts import roles

    evaluations = Evaluation.objects.select_related("organization", "scheme")
    if not (user and user.is_authenticated and user.is_active):
        return evaluations.none()
    if user.is_superuser or user.is_clerk or user.has_role(roles.COMMITTEE):
        return evaluations
    visible = Q(pk__in=[])
    if user.has_role(roles.ORGANIZATION) and user.organization_id:
        visible |= Q(organization_id=user.organization_id)
    if user.has_role(roles.SUPERVISORY_UNIT) and user.supervisory_unit_id:
        visible |= Q(organization__supervisory_unit_id=user.supervisory_unit_id)
    return evaluations.filter(visible)


def evaluation_moves_for(evaluation, user) -> list[str]:
    """The statuses `user` may move `evaluation` to now (evaluation.workflow): the same check
    the services make."""
    return EVALUATION_WORKFLOW.moves_for(evaluation, user)


def latest_decided_year() -> int | None:
    """The latest year with a decided evaluation (the statistics page's default)."""
    return (
        Evaluation.objects.filter(status=EvaluationStatus.DECIDED)
        .order_by("-year")
        .values_list("year", flat=True)
        .first()
    )


EVALUATION_FIELDS = (
    "pk",
    "year",
    "organization__name",
    "organization__credit_code",
    "organization__organization_type",
    "organization__industry__name",
    "status",
    "ineligible_reasons",
    "total",
    "party_building_score",
    "grade_by_score",
    "grade",
    "downgraded",
    "had_party_organization",
    "explanation",
    "decided_on",
    "valid_until",
)


def evaluation_rows(evaluations: QuerySet, *, chunk_size: int = 2000):
    """Evaluations for the export, one dict each, highest total first (the ineligible, without
    one, last on every database), streamed in chunks."""
    return (
        evaluations.order_by("year", F("total").desc(nulls_last=True), "organization__name", "pk")
        .values(*EVALUATION_FIELDS)
        .iterator(chunk_size=chunk_size)
    )
