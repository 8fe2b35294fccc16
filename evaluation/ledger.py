"""The ledger's 评估等级 column: the latest decided evaluation with its year and expiry (已过期
once its five years have run out by the ledger's date, R-EV-1)."""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from partybuilding.ledger.selectors import LedgerExtension, latest_by_organization

from .choices import EvaluationStatus, Grade


def _latest(organization_ids, as_of) -> dict[int, tuple]:
    from .models import Evaluation

    latest = latest_by_organization(
        Evaluation.objects.filter(
            status=EvaluationStatus.DECIDED,
            decided_on__lte=as_of,
        ),
        organization_ids,
        ("year", "grade", "valid_until"),
    )
    return {
        pk: (year, grade, valid_until, bool(valid_until and valid_until < as_of))
        for pk, (year, grade, valid_until) in latest.items()
    }


def _display(row: dict) -> str:
    if not row.get("latest_evaluation_year"):
        return ""
    label = dict(Grade.choices).get(row["latest_evaluation_grade"], "")
    text = gettext("%(year)s %(grade)s") % {"year": row["latest_evaluation_year"], "grade": label}
    valid_until = row.get("latest_evaluation_valid_until")
    if valid_until and row.get("latest_evaluation_expired"):
        text += gettext(" (expired, valid until %(date)s)") % {"date": f"{valid_until:%Y-%m-%d}"}
    elif valid_until:
        text += gettext(" (valid until %(date)s)") % {"date": f"{valid_until:%Y-%m-%d}"}
    return text


GRADE = LedgerExtension(
    header=_("evaluation grade"),
    field="evaluation_grade",
    width=30,
    fields=(
        "latest_evaluation_year",
        "latest_evaluation_grade",
        "latest_evaluation_valid_until",
        "latest_evaluation_expired",
    ),
    latest=_latest,
    display=_display,
)
