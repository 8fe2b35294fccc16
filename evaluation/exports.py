"""A year's evaluations as an Excel workbook, written row by row (the ledger's builder pattern:
XlsxWriter in constant-memory mode, rows from `selectors.evaluation_rows`, an iterator). Every
text cell is written as a string, never as a formula."""

from core.spreadsheets import Column, formats, open_workbook, write_table
from registry.choices import OrganizationType

from .choices import EvaluationStatus, Grade

SHEET = "等级评估结果"


COLUMNS = [
    Column("序号", None, 6, "number"),
    Column("社会组织名称", "organization__name", 34),
    Column("统一社会信用代码", "organization__credit_code", 21),
    Column("组织类型", "organization_type_label", 14),
    Column("行业类别", "organization__industry__name", 9),
    Column("总分", "total", 7, "number"),
    Column("党建得分", "party_building_score", 8, "number"),
    Column("按分数等级", "grade_by_score_label", 10),
    Column("评估等级", "grade_label", 10),
    Column("是否降级", "downgraded_text", 8),
    Column("有党组织覆盖", "covered_text", 10),
    Column("说明", "explanation", 50),
    Column("评定日期", "decided_on", 11, "date"),
    Column("有效期至", "valid_until", 11, "date"),
    Column("不具备评估资格原因", "reasons_text", 50),
]
HEADERS = [column.header for column in COLUMNS]


def title_for(year: int) -> str:
    return f"{year}年度社会组织等级评估结果"


def _labels(choices) -> dict:
    return {value: str(label) for value, label in choices.choices}


def prepare_row(row: dict, type_labels: dict, grade_labels: dict) -> dict:
    """Display values: labels, 是/否 (only once decided), the reasons on one line."""
    decided = row["status"] == EvaluationStatus.DECIDED
    row["organization_type_label"] = type_labels.get(row["organization__organization_type"], "")
    row["grade_by_score_label"] = grade_labels.get(row["grade_by_score"], "")
    row["grade_label"] = grade_labels.get(row["grade"], "")
    row["downgraded_text"] = ("是" if row["downgraded"] else "否") if decided else ""
    row["covered_text"] = ("是" if row["had_party_organization"] else "否") if decided else ""
    row["reasons_text"] = "".join(row.get("ineligible_reasons") or [])
    return row


def write_evaluations(target, rows, *, title: str | None = None, year: int) -> int:
    """Write the evaluations `rows` (from `evaluation_rows`) to `target` (a path or a binary
    file object); return the row count."""
    type_labels, grade_labels = _labels(OrganizationType), _labels(Grade)
    workbook = open_workbook(target)
    try:
        return write_table(
            workbook,
            formats(workbook),
            sheet_name=SHEET,
            title=title or title_for(year),
            columns=COLUMNS,
            rows=(prepare_row(row, type_labels, grade_labels) for row in rows),
        )
    finally:
        workbook.close()
