"""The ledger's 评估等级 column: the latest decided evaluation with its year and expiry."""

from partybuilding.selectors import LedgerExtension, latest_by_organization
from registry import calendar

from .choices import EvaluationStatus, Grade


def _latest(organization_ids, as_of) -> dict[int, tuple]:
    from .models import Evaluation

    return latest_by_organization(
        Evaluation.objects.filter(
            status=EvaluationStatus.DECIDED,
            decided_on__lte=as_of,
        ),
        organization_ids,
        ("year", "grade", "valid_until"),
    )


def _display(row: dict) -> str:
    if not row.get("latest_evaluation_year"):
        return ""
    label = dict(Grade.choices).get(row["latest_evaluation_grade"], "")
    text = f"{row['latest_evaluation_year']}年 {label}"
    valid_until = row.get("latest_evaluation_valid_until")
    if valid_until and valid_until < calendar.today():
        text += f"（已过期，有效期至{valid_until:%Y-%m-%d}）"
    elif valid_until:
        text += f"（有效期至{valid_until:%Y-%m-%d}）"
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
    latest=_latest,
    display=_display,
)
