"""The year's annual-check results as an Excel workbook, written row by row.

One builder for the admin action, the download view and `export_annual_checks`, after the
Party-building ledger (partybuilding.exports): rows come from `selectors.annual_check_rows`
(an iterator), XlsxWriter writes in constant-memory mode, and every text cell is written as a
string, never as a formula, so a name such as =HYPERLINK(…) stays text."""

import datetime
from dataclasses import dataclass

import xlsxwriter

from .choices import CheckResult, CheckStatus

SHEET = "年检结果"


@dataclass(frozen=True)
class Column:
    header: str
    field: str | None  # key in a row; None for the running number
    width: int
    kind: str = "text"  # text | number | date | flag


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
    title = title or export_title(year)
    workbook = xlsxwriter.Workbook(
        target,
        {
            "constant_memory": True,
            "in_memory": False,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
        },
    )
    try:
        formats = {
            "title": workbook.add_format(
                {"bold": True, "font_size": 14, "align": "center", "valign": "vcenter"}
            ),
            "header": workbook.add_format(
                {
                    "bold": True,
                    "bg_color": "#F2DCDB",
                    "border": 1,
                    "text_wrap": True,
                    "align": "center",
                    "valign": "vcenter",
                }
            ),
            "date": workbook.add_format({"num_format": "yyyy-mm-dd"}),
        }
        sheet = workbook.add_worksheet(SHEET)
        for index, column in enumerate(COLUMNS):
            sheet.set_column(
                index, index, column.width, formats["date"] if column.kind == "date" else None
            )
        sheet.merge_range(0, 0, 0, len(COLUMNS) - 1, title, formats["title"])
        sheet.set_row(0, 28)
        for index, header in enumerate(HEADERS):
            sheet.write_string(1, index, header, formats["header"])
        sheet.freeze_panes(2, 2)

        count = 0
        for count, row in enumerate(rows, start=1):
            row = prepare_row(row, labels)
            line = count + 1
            sheet.write_number(line, 0, count)
            for index, column in enumerate(COLUMNS[1:], start=1):
                _write_cell(sheet, line, index, column, row.get(column.field), formats)
        sheet.autofilter(1, 0, max(count + 1, 1), len(COLUMNS) - 1)
    finally:
        workbook.close()
    return count


def _write_cell(sheet, line, index, column, value, formats):
    if column.kind == "flag":
        sheet.write_string(line, index, "是" if value else "否")
    elif value is None or value == "":
        return
    elif column.kind == "number":
        sheet.write_number(line, index, value)
    elif column.kind == "date":
        sheet.write_datetime(
            line, index, datetime.datetime.combine(value, datetime.time()), formats["date"]
        )
    else:
        sheet.write_string(line, index, str(value))
