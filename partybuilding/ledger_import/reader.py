"""Reading a ledger workbook: the one place the import touches the spreadsheet reader.

`ledger_sheets(handle)` opens the workbook (only after `archive.inspect_archive` accepted the
file), finds the organizations sheet and the member sheets by their headers, and hands them to
the importer, which asks each `Sheet` for its `rows()`. A faster reader replaces what is here and
nothing else: the importer sees only `ledger_sheets`, `Sheet.title`, `Sheet.columns` and
`Sheet.rows()`."""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
from itertools import islice

from python_calamine import CalamineWorkbook, XmlError

from ..exports import LEDGER_SHEET
from .archive import EXCEL_ROWS
from .cells import (
    CREDIT_CODE,
    HEADER_SCAN_ROWS,
    MALFORMED,
    MEMBER_FIELDS,
    MEMBER_KEY_HEADERS,
    NAME,
    NO_HEADER,
    NOT_A_WORKBOOK,
    ORGANIZATION_COLUMNS,
    _header,
)


class LedgerImportError(Exception):
    """The file cannot be read as a ledger at all. The message is one Chinese sentence."""


@contextmanager
def ledger_sheets(handle):
    """(the organizations sheet or None, the member sheets) of the workbook in the binary file
    object `handle`, read by calamine (Rust; several times faster than openpyxl's read-only
    mode, measured in bench/); the workbook is closed when the block ends. Raises
    `LedgerImportError` for a file that is no workbook or has no ledger header."""
    workbook = _load(handle)
    try:
        yield _sheets(workbook)
    finally:
        workbook.close()


def _load(handle) -> CalamineWorkbook:
    handle.seek(0)
    try:
        return CalamineWorkbook.from_filelike(handle)
    except Exception as error:
        raise _unreadable(error) from error


def _unreadable(error: Exception) -> LedgerImportError:
    """Whatever the reader raises for a file that is not a workbook (zip, a missing part …)
    means the same thing to the user; broken XML is named as such."""
    return LedgerImportError(MALFORMED if isinstance(error, XmlError) else NOT_A_WORKBOOK)


@dataclass
class Sheet:
    title: str
    columns: dict[str, int]  # field name → index of its column
    worksheet: object
    header_row: int

    def rows(self):
        """(Excel row number, field → value), streamed; rows empty in every column read (a
        blank line, a footer note in an ignored column) are skipped."""
        columns = list(self.columns.items())
        start = self.header_row + 1
        # calamine yields every row from the first (blank ones too) and the columns from the
        # first one used: positions match the header's, row numbers are Excel's.
        rows = islice(self.worksheet.iter_rows(), self.header_row, EXCEL_ROWS)
        for number, values in enumerate(rows, start=start):
            width = len(values)
            row = {}
            for name, index in columns:
                value = values[index] if index < width else None
                if value.__class__ is str and "\x00" in value:
                    # NUL is no character of a ledger (Excel writes it as _x0000_), and
                    # PostgreSQL refuses it in text: it goes here, before any check or lookup.
                    value = value.replace("\x00", "")
                row[name] = value
            if not all(_blank(value) for value in row.values()):
                yield number, row


def _blank(value) -> bool:
    """`_text(value) == ""`, without building the text: this runs for every cell read."""
    return value is None or (isinstance(value, str) and not value.strip())


def _find_sheet(worksheet, key_headers, known: dict[str, str]) -> Sheet | None:
    """The header row among the first rows; unknown columns, and the computed ones of the
    ledger, are not read."""
    for number, values in enumerate(islice(worksheet.iter_rows(), HEADER_SCAN_ROWS), start=1):
        headers = {}
        for index, value in enumerate(values):
            headers.setdefault(_header(value), index)
        if all(header in headers for header in key_headers):
            columns = {}
            for header, index in headers.items():
                name = known.get(header)
                if name and name not in columns:  # the first of 住所/地址 wins
                    columns[name] = index
            return Sheet(worksheet.name, columns, worksheet, number)
    return None


def _sheets(workbook) -> tuple[Sheet | None, list[Sheet]]:
    organization_sheet, member_sheets = None, []
    # The ledger sheet by its name first, then any sheet laid out like it.
    names = sorted(workbook.sheet_names, key=lambda name: name != LEDGER_SHEET)
    for name in names:
        try:
            worksheet = workbook.get_sheet_by_name(name)
        except Exception as error:  # a part the reader cannot parse
            raise _unreadable(error) from error
        if organization_sheet is None:
            organization_sheet = _find_sheet(worksheet, (NAME, CREDIT_CODE), ORGANIZATION_COLUMNS)
            if organization_sheet:
                continue
        sheet = _find_sheet(worksheet, MEMBER_KEY_HEADERS, MEMBER_FIELDS)
        if sheet:
            member_sheets.append(sheet)
        # Other sheets (instructions, the summary) are let go: calamine holds a sheet whole.
    if organization_sheet is None and not member_sheets:
        raise LedgerImportError(NO_HEADER)
    return organization_sheet, member_sheets
