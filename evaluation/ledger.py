"""The ledger's 评估等级 column: the latest decided evaluation with its year and expiry."""

from django.db.models import OuterRef, Subquery

from partybuilding.selectors import LedgerExtension

from .choices import EvaluationStatus, Grade


def _annotate(queryset, as_of):
    from .models import Evaluation

    latest = Evaluation.objects.filter(
        organization=OuterRef("pk"), status=EvaluationStatus.DECIDED, decided_on__lte=as_of
    ).order_by("-year")
    return queryset.annotate(
        latest_evaluation_year=Subquery(latest.values("year")[:1]),
        latest_evaluation_grade=Subquery(latest.values("grade")[:1]),
        latest_evaluation_valid_until=Subquery(latest.values("valid_until")[:1]),
    )


def _display(row: dict) -> str:
    if not row.get("latest_evaluation_year"):
        return ""
    label = dict(Grade.choices).get(row["latest_evaluation_grade"], "")
    text = f"{row['latest_evaluation_year']}年 {label}"
    if row.get("latest_evaluation_valid_until"):
        text += f"（有效期至{row['latest_evaluation_valid_until']:%Y-%m-%d}）"
    return text


GRADE = LedgerExtension(
    header="评估等级",
    field="evaluation_grade",
    width=30,
    fields=(
        "latest_evaluation_year",
        "latest_evaluation_grade",
        "latest_evaluation_valid_until",
    ),
    annotate=_annotate,
    display=_display,
)
