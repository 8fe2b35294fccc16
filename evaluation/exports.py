"""A year's evaluations as an Excel workbook, written row by row (the ledger's builder pattern:
XlsxWriter in constant-memory mode, rows from `selectors.evaluation_rows`, an iterator). Every
text cell is written as a string, never as a formula."""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.spreadsheets import Column, formats, open_workbook, write_table
from registry.choices import OrganizationType
from registry.export_columns import ORGANIZATION_COLUMNS

from .choices import EvaluationStatus, Grade

SHEET = _("Grade evaluation results")


COLUMNS = [
    *ORGANIZATION_COLUMNS,
    Column(_("total score"), "total", 7, "number"),
    Column(_("Party-building score"), "party_building_score", 8, "number"),
    Column(_("grade by the score"), "grade_by_score_label", 10),
    Column(_("grade"), "grade_label", 10),
    Column(_("downgraded?"), "downgraded_text", 8),
    Column(_("covered by a Party organization"), "covered_text", 10),
    Column(_("notes"), "explanation", 50),
    Column(_("decided on"), "decided_on", 11, "date"),
    Column(_("valid until"), "valid_until", 11, "date"),
    Column(_("why it may not be evaluated"), "reasons_text", 50),
]
HEADERS = [column.header for column in COLUMNS]


def title_for(year: int) -> str:
    return gettext("Grade evaluation results of social organizations, %(year)s") % {"year": year}


def _labels(choices) -> dict:
    return {value: str(label) for value, label in choices.choices}


def prepare_row(row: dict, type_labels: dict, grade_labels: dict, answers: tuple) -> dict:
    """Display values: labels, `answers` (yes, no) once decided, the reasons on one line."""
    decided = row["status"] == EvaluationStatus.DECIDED
    yes, no = answers
    row["organization_type_label"] = type_labels.get(row["organization__organization_type"], "")
    row["grade_by_score_label"] = grade_labels.get(row["grade_by_score"], "")
    row["grade_label"] = grade_labels.get(row["grade"], "")
    row["downgraded_text"] = (yes if row["downgraded"] else no) if decided else ""
    row["covered_text"] = (yes if row["had_party_organization"] else no) if decided else ""
    row["reasons_text"] = "".join(row.get("ineligible_reasons") or [])
    return row


def write_evaluations(target, rows, *, title: str | None = None, year: int) -> int:
    """Write the evaluations `rows` (from `evaluation_rows`) to `target` (a path or a binary
    file object); return the row count."""
    type_labels, grade_labels = _labels(OrganizationType), _labels(Grade)
    answers = (gettext("yes"), gettext("no"))
    workbook = open_workbook(target)
    try:
        return write_table(
            workbook,
            formats(workbook),
            sheet_name=str(SHEET),
            title=title or title_for(year),
            columns=COLUMNS,
            rows=(prepare_row(row, type_labels, grade_labels, answers) for row in rows),
        )
    finally:
        workbook.close()
