"""The year's annual-check results as an Excel workbook, written row by row.

One builder for the admin action, the download view and `export_annual_checks`, after the
Party-building ledger (partybuilding.exports): rows come from `selectors.annual_check_rows`
(an iterator), XlsxWriter writes in constant-memory mode, and every text cell is written as a
string, never as a formula, so a name such as =HYPERLINK(…) stays text."""

from core.spreadsheets import Column, formats, open_workbook, write_table

from .choices import CheckResult, CheckStatus

SHEET = "年检结果"


COLUMNS = [
    Column("序号", None, 6, "number"),
    Column("社会组织名称", "organization__name", 34),
    Column("统一社会信用代码", "organization__credit_code", 21),
    Column("组织类型", "organization_type_label", 14),
    Column("行业类别", "organization__industry__name", 9),
    Column("业务主管单位", "organization__supervisory_unit__name", 26),
    Column("所属区", "organization__district__name", 9),
    Column("提交日期", "submitted_on", 11, "date"),
    Column("是否逾期", "late", 8, "flag"),
    Column("状态", "status_label", 14),
    Column("年检结论", "result_label", 10),
    Column("规则默认结论", "default_result_label", 10),
    Column("结论理由", "result_reason", 40),
    Column("整改事项数", "rectification_count", 8, "number"),
    Column("未销号整改数", "open_rectification_count", 8, "number"),
    Column("党组织名称", "party_building__party_organization_name", 30),
    Column("应建未建", "should_build_not_built", 8, "flag"),
]
HEADERS = [column.header for column in COLUMNS]


def export_title(year) -> str:
    return f"{year}年度社会组织年检结果"


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
        "result": dict(RESULT_LABELS),
    }


# The official Chinese names of the results (R-AC-3), as printed on the bureau's forms.
RESULT_LABELS = {
    CheckResult.QUALIFIED: "合格",
    CheckResult.BASICALLY_QUALIFIED: "基本合格",
    CheckResult.UNQUALIFIED: "不合格",
}


def write_annual_checks(target, rows, *, title: str | None = None, year=None) -> int:
    """Write the results to `target` (a path or a binary file object); return the row count."""
    labels = _labels()
    workbook = open_workbook(target)
    try:
        return write_table(
            workbook,
            formats(workbook),
            sheet_name=SHEET,
            title=title or export_title(year),
            columns=COLUMNS,
            rows=(prepare_row(row, labels) for row in rows),
        )
    finally:
        workbook.close()
