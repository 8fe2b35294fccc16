"""The ledger's 最近年检结论 column: the latest reviewed annual check, with the written reason
when the clerk departed from the R-AC-4 default."""

from django.db.models import OuterRef, Subquery

from partybuilding.selectors import LedgerExtension

from .choices import CheckResult, CheckStatus


def _annotate(queryset, as_of):
    from .models import AnnualCheck

    latest = AnnualCheck.objects.filter(
        organization=OuterRef("pk"), status=CheckStatus.REVIEWED, reviewed_on__lte=as_of
    ).order_by("-year")
    return queryset.annotate(
        latest_check_year=Subquery(latest.values("year")[:1]),
        latest_check_result=Subquery(latest.values("result")[:1]),
        latest_check_reason=Subquery(latest.values("result_reason")[:1]),
    )


def _display(row: dict) -> str:
    if not row.get("latest_check_year"):
        return ""
    label = dict(CheckResult.choices).get(row["latest_check_result"], "")
    text = f"{row['latest_check_year']}年 {label}"
    if row.get("latest_check_reason"):
        text += f"（{row['latest_check_reason']}）"
    return text


LATEST_RESULT = LedgerExtension(
    header="最近年检结论",
    field="latest_annual_check",
    width=18,
    fields=("latest_check_year", "latest_check_result", "latest_check_reason"),
    annotate=_annotate,
    display=_display,
)
