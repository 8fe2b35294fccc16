"""The year's annual-check results as an Excel workbook, written row by row.

One builder for the admin action, the download view and `export_annual_checks`, after the
Party-building ledger (partybuilding.exports): rows come from `selectors.annual_check_rows`
(an iterator), XlsxWriter writes in constant-memory mode, and every text cell is written as a
string, never as a formula, so a name such as =HYPERLINK(…) stays text."""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.spreadsheets import Column, formats, open_workbook, write_table
from registry.export_columns import ORGANIZATION_COLUMNS

from .choices import CheckResult, CheckStatus

SHEET = _("Annual check results")


COLUMNS = [
    *ORGANIZATION_COLUMNS,
    Column(_("business supervisory unit"), "organization__supervisory_unit__name", 26),
    Column(_("district"), "organization__district__name", 9),
    Column(_("submitted on"), "submitted_on", 11, "date"),
    Column(_("late?"), "late", 8, "flag"),
    Column(_("status"), "status_label", 14),
    Column(_("result"), "result_label", 10),
    Column(_("result the rules imply"), "default_result_label", 10),
    Column(_("reason for the result"), "result_reason", 40),
    Column(_("number of rectification items"), "rectification_count", 8, "number"),
    Column(_("number of rectification items still open"), "open_rectification_count", 8, "number"),
    Column(_("name of the Party organization"), "party_building__party_organization_name", 30),
    Column(_("should build but has not"), "should_build_not_built", 8, "flag"),
]
HEADERS = [column.header for column in COLUMNS]


def export_title(year) -> str:
    return gettext("Annual check results of social organizations, %(year)s") % {"year": year}


def prepare_row(row: dict, labels: dict) -> dict:
    """Labels for the coded values; 应建未建 is what the rules implied (R-AC-4)."""
    row["organization_type_label"] = labels["type"].get(row["organization__organization_type"], "")
    row["status_label"] = labels["status"].get(row["status"], "")
    row["result_label"] = labels["result"].get(row["result"], "")
    row["default_result_label"] = labels["result"].get(row["default_result"], "")
    row["should_build_not_built"] = row["default_result"] == CheckResult.UNQUALIFIED
    return row


def _labels() -> dict:
    from registry.choices import OrganizationType

    def of(choices):
        return {value: str(label) for value, label in choices.choices}

    return {
        "type": of(OrganizationType),
        "status": of(CheckStatus),
        "result": {value: str(label) for value, label in RESULT_LABELS.items()},
    }


# The official Chinese names of the results (R-AC-3), as printed on the bureau's forms.
RESULT_LABELS = {
    CheckResult.QUALIFIED: _("qualified"),
    CheckResult.BASICALLY_QUALIFIED: _("basically qualified"),
    CheckResult.UNQUALIFIED: _("unqualified"),
}


def write_annual_checks(target, rows, *, title: str | None = None, year=None) -> int:
    """Write the results to `target` (a path or a binary file object); return the row count."""
    labels = _labels()
    workbook = open_workbook(target)
    try:
        return write_table(
            workbook,
            formats(workbook),
            sheet_name=str(SHEET),
            title=title or export_title(year),
            columns=COLUMNS,
            rows=(prepare_row(row, labels) for row in rows),
        )
    finally:
        workbook.close()
