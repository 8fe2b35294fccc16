"""What every Excel export shares (the ledger, annual-check results, evaluations): a workbook
written row by row in XlsxWriter's constant-memory mode, one table a sheet with a title row, a
frozen header, column widths and an auto-filter. Text is always written as a string, never as a
formula, so a name such as =HYPERLINK(…) stays text; and text that a spreadsheet would take
for a formula once a user edits the cell, or that another program may evaluate (it begins with
= + - @, a tab or a carriage return), carries Excel's quote prefix ("'"): the value is unchanged,
the cell is marked as text (MLPS 2.0, issue 8)."""

import datetime
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import xlsxwriter
from django.utils.translation import gettext

# How often `write_table` reports progress: a background export's bar moves, the database is
# not written to on every row.
PROGRESS_EVERY_ROWS = 5000

# The first characters that make a spreadsheet (Excel, LibreOffice, a CSV re-save) read text
# as a formula (OWASP "CSV injection").
FORMULA_STARTS = frozenset("=+-@\t\r")


@dataclass(frozen=True)
class Column:
    header: str  # or a lazy translation, read when the sheet is written
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
        "quoted": workbook.add_format({"quote_prefix": True}),
    }


def write_text(sheet, row: int, col: int, text: str, styles: dict) -> None:
    """One text cell outside a table (a summary sheet): quoted if it could read as a formula."""
    quoted = styles["quoted"] if text[:1] in FORMULA_STARTS else None
    sheet.write_string(row, col, text, quoted)


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
    fields = [column.field for column in columns[1:]]
    return write_lines(
        workbook,
        styles,
        sheet_name=sheet_name,
        title=title,
        columns=columns,
        lines=([row.get(field) for field in fields] for row in rows),
        frozen_columns=frozen_columns,
        progress=progress,
    )


def set_print_layout(sheet) -> None:
    """A wide table printed as a clerk files it: A4 landscape, all columns on the width of the
    page (as many pages down as it takes), the title and header rows on every page, and the
    page number at the foot."""
    sheet.set_paper(9)  # A4
    sheet.set_landscape()
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(0, 1)
    sheet.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    # &C centres, &P and &N are the page and the page count (Excel's header/footer codes).
    sheet.set_footer(gettext("&CPage &P of &N"))


def write_lines(
    workbook,
    styles: dict,
    *,
    sheet_name: str,
    title: str,
    columns: list[Column],
    lines: Iterable[Sequence],
    frozen_columns: int = 2,
    progress: Callable[[int], None] | None = None,
    strings: bool = False,
) -> int:
    """`write_table` for rows given as sequences of values in the order of `columns[1:]` (no
    field look-ups: the fastest way in); None and "" leave the cell empty. `strings`: every
    value of a text column is a str already, written as it is."""
    sheet = workbook.add_worksheet(sheet_name)
    for index, column in enumerate(columns):
        sheet.set_column(
            index, index, column.width, styles["date"] if column.kind == "date" else None
        )
    sheet.merge_range(0, 0, 0, len(columns) - 1, title, styles["title"])
    sheet.set_row(0, 28)
    for index, column in enumerate(columns):
        sheet.write_string(1, index, str(column.header), styles["header"])
    sheet.freeze_panes(2, frozen_columns)
    set_print_layout(sheet)
    count = 0
    write_number = fast_writers(sheet)[1]
    writers = [None] + [cell_writer(sheet, column, styles, strings) for column in columns[1:]]
    # The innermost loop of every export: one call per non-empty cell, no per-cell decisions.
    for count, values in enumerate(lines, start=1):
        line = count + 1
        write_number(line, 0, count)
        for index, value in enumerate(values, start=1):
            if value is not None and value != "":
                writers[index](line, index, value)
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


def fast_writers(sheet) -> tuple[Callable, Callable]:
    """`write_string` and `write_number` without XlsxWriter's A1-notation check on every cell:
    its undecorated methods (row and column are always numbers here), the public ones if a
    version has none. A third of a cell's cost in a large export is calls, not XML."""
    return (
        getattr(sheet, "_write_string", sheet.write_string),
        getattr(sheet, "_write_number", sheet.write_number),
    )


def cell_writer(sheet, column: Column, styles: dict, strings: bool = False):
    """The call that writes a non-empty value of `column`: typed, text never a formula, text
    that begins like one quoted (one first-character test a cell: exports stay at speed)."""
    write_string, write_number = fast_writers(sheet)
    quoted = styles["quoted"]
    if column.kind == "number":
        return write_number
    if column.kind == "date":
        date_format = styles["date"]
        epoch = EXCEL_EPOCH.toordinal()  # excel_serial, inlined: two cells a row
        return lambda line, index, value: write_number(
            line, index, value.toordinal() - epoch, date_format
        )
    if column.kind == "flag":
        yes, no = gettext("yes"), gettext("no")
        return lambda line, index, value: write_string(line, index, yes if value else no)
    if strings:
        return lambda line, index, value: write_string(
            line, index, value, quoted if value[0] in FORMULA_STARTS else None
        )

    def write_any(line, index, value):
        text = str(value)
        write_string(line, index, text, quoted if text[:1] in FORMULA_STARTS else None)

    return write_any
