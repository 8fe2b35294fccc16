"""The ledger's 最近年检结论 column: the latest reviewed annual check, with the written reason
when the clerk departed from the R-AC-4 default."""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from partybuilding.ledger.selectors import LedgerExtension, latest_by_organization

from .choices import CheckResult, CheckStatus


def _latest(organization_ids, as_of) -> dict[int, tuple]:
    from .models import AnnualCheck

    return latest_by_organization(
        AnnualCheck.objects.filter(
            status=CheckStatus.REVIEWED,
            reviewed_on__lte=as_of,
        ),
        organization_ids,
        ("year", "result", "result_reason"),
    )


def _display(row: dict) -> str:
    if not row.get("latest_check_year"):
        return ""
    label = dict(CheckResult.choices).get(row["latest_check_result"], "")
    text = gettext("%(year)s %(result)s") % {"year": row["latest_check_year"], "result": label}
    if row.get("latest_check_reason"):
        text += gettext(" (%(reason)s)") % {"reason": row["latest_check_reason"]}
    return text


LATEST_RESULT = LedgerExtension(
    header=_("latest annual-check result"),
    field="latest_annual_check",
    width=18,
    fields=("latest_check_year", "latest_check_result", "latest_check_reason"),
    latest=_latest,
    display=_display,
)
