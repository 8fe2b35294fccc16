"""What every Excel export shares (the ledger, annual-check results, evaluations): a workbook
written row by row in XlsxWriter's constant-memory mode, one table a sheet with a title row, a
frozen header, column widths and an auto-filter. Text is always written as a string, never as a
formula, so a name such as =HYPERLINK(…) stays text."""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import xlsxwriter

# How often `write_table` reports progress: a background export's bar moves, the database is
# not written to on every row.
PROGRESS_EVERY_ROWS = 5000


@dataclass(frozen=True)
class Column:
    header: str
    field: str | None  # key in a prepared row; None for the running number
    width: int
    kind: str = "text"  # text | number | date | flag
    basic: bool = False  # the ledger: a registry column the import reads back


def open_workbook(target) -> xlsxwriter.Workbook:
    """`target` is a path or a binary file object; memory stays flat at any row count."""
    return xlsxwriter.Workbook(
        target,
        {
            "constant_memory": True,
            "in_memory": False,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
        },
    )


def formats(workbook) -> dict:
    return {
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
        "percent": workbook.add_format({"num_format": "0.0%"}),
        "bold": workbook.add_format({"bold": True}),
    }


def write_table(
    workbook,
    styles: dict,
    *,
    sheet_name: str,
    title: str,
    columns: list[Column],
    rows: Iterable[dict],
    frozen_columns: int = 2,
    progress: Callable[[int], None] | None = None,
) -> int:
    """One sheet: title row, header, the rows numbered from 1 (column 序号); returns the count.
    `progress(rows_written)`, if given, is called every PROGRESS_EVERY_ROWS rows and at the end."""
    sheet = workbook.add_worksheet(sheet_name)
    for index, column in enumerate(columns):
        sheet.set_column(
            index, index, column.width, styles["date"] if column.kind == "date" else None
        )
    sheet.merge_range(0, 0, 0, len(columns) - 1, title, styles["title"])
    sheet.set_row(0, 28)
    for index, column in enumerate(columns):
        sheet.write_string(1, index, column.header, styles["header"])
    sheet.freeze_panes(2, frozen_columns)
    count = 0
    write_number = sheet.write_number
    writers = [
        (index, column.field, cell_writer(sheet, column, styles))
        for index, column in enumerate(columns[1:], start=1)
    ]
    # The innermost loop of every export: one call per cell, no per-cell decisions.
    for count, row in enumerate(rows, start=1):
        line = count + 1
        write_number(line, 0, count)
        for index, field, write in writers:
            value = row.get(field)
            if value is not None and value != "":
                write(line, index, value)
        if progress is not None and count % PROGRESS_EVERY_ROWS == 0:
            progress(count)
    if progress is not None:
        progress(count)
    sheet.autofilter(1, 0, max(count + 1, 1), len(columns) - 1)
    return count


EXCEL_EPOCH = datetime.date(1899, 12, 30)


def excel_serial(value: datetime.date) -> int:
    """A date as Excel stores it (days since 1899-12-30), shown through the date format."""
    return (value - EXCEL_EPOCH).days


def cell_writer(sheet, column: Column, styles: dict):
    """The call that writes a non-empty value of `column`: typed, text never a formula."""
    if column.kind == "number":
        return sheet.write_number
    if column.kind == "date":
        date_format = styles["date"]
        return lambda line, index, value: sheet.write_number(
            line, index, excel_serial(value), date_format
        )
    if column.kind == "flag":
        return lambda line, index, value: sheet.write_string(line, index, "是" if value else "否")
    return lambda line, index, value: sheet.write_string(line, index, str(value))
