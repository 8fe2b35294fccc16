"""Formula neutralization in the shared Excel writer (issue 8, MLPS 2.0): text that begins with
= + - @, a tab or a carriage return is a text cell carrying Excel's quote prefix, its value
exactly as given; other text is plain text without the prefix."""

import openpyxl
import pytest
from openpyxl.utils.escape import unescape

from core.spreadsheets import (
    FORMULA_STARTS,
    Column,
    formats,
    open_workbook,
    write_lines,
    write_table,
    write_text,
)

HOSTILE = [
    '=HYPERLINK("http://evil","x")',
    "+86 431 8888 1234",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]
HARMLESS = ["长春市至爱护理院", "a=b", "13904311234", " =1+1"]
COLUMNS = [Column("序号", None, 6, "number"), Column("名称", "name", 30)]


def written(path, lines, *, strings):
    workbook = open_workbook(path)
    count = write_lines(
        workbook,
        formats(workbook),
        sheet_name="表",
        title="标题",
        columns=COLUMNS,
        lines=([value] for value in lines),
        strings=strings,
    )
    workbook.close()
    return count


def name_cells(path):
    sheet = openpyxl.load_workbook(path)["表"]
    return [sheet.cell(row=line, column=2) for line in range(3, sheet.max_row + 1)]


def test_the_six_formula_starts_are_those_of_the_issue():
    assert FORMULA_STARTS == {"=", "+", "-", "@", "\t", "\r"}


@pytest.mark.parametrize("strings", [True, False], ids=["str-rows", "any-rows"])
def test_text_that_reads_as_a_formula_is_quoted_text_with_its_value_unchanged(tmp_path, strings):
    path = tmp_path / "book.xlsx"

    assert written(path, HOSTILE + HARMLESS, strings=strings) == len(HOSTILE + HARMLESS)

    cells = name_cells(path)
    # A carriage return is stored as the OOXML escape _x000D_, which Excel reads back as \r and
    # openpyxl leaves as it is in inline strings.
    assert [unescape(cell.value) for cell in cells] == HOSTILE + HARMLESS
    assert {cell.data_type for cell in cells} == {"s"}
    assert [cell.quotePrefix for cell in cells] == [True] * len(HOSTILE) + [False] * len(HARMLESS)


def test_a_value_that_is_not_text_is_judged_by_its_text(tmp_path):
    path = tmp_path / "book.xlsx"
    workbook = open_workbook(path)
    write_table(
        workbook,
        formats(workbook),
        sheet_name="表",
        title="标题",
        columns=COLUMNS,
        rows=[{"name": -5}, {"name": 7}],
    )
    workbook.close()

    cells = name_cells(path)
    assert [(cell.value, cell.data_type, cell.quotePrefix) for cell in cells] == [
        ("-5", "s", True),
        ("7", "s", False),
    ]


def test_a_single_cell_outside_a_table_is_quoted_as_well(tmp_path):
    path = tmp_path / "book.xlsx"
    workbook = open_workbook(path)
    styles = formats(workbook)
    sheet = workbook.add_worksheet("表")
    write_text(sheet, 0, 0, "@cmd", styles)
    write_text(sheet, 1, 0, "朝阳区", styles)
    workbook.close()

    sheet = openpyxl.load_workbook(path)["表"]
    assert (sheet["A1"].value, sheet["A1"].data_type, sheet["A1"].quotePrefix) == (
        "@cmd",
        "s",
        True,
    )
    assert (sheet["A2"].value, sheet["A2"].quotePrefix) == ("朝阳区", False)
