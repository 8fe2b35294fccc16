"""Reading a ledger workbook: the one place the import touches the spreadsheet reader.

`ledger_sheets(handle)` opens the workbook (only after `archive.inspect_archive` accepted the
file), finds the organizations sheet and the member sheets by their headers, and hands them to
the importer, which asks each `Sheet` for its rows in batches (`Sheet.batches`: read here, or by
a spawned child process, `core.xlsx_read_ahead`, for a large workbook given by its path). A
faster reader replaces what is here and nothing else: the importer sees only `ledger_sheets`,
`Sheet.title`, `Sheet.columns`, `Sheet.rows()` and `Sheet.batches()`."""

from __future__ import annotations

from contextlib import closing, contextmanager
from dataclasses import dataclass
from itertools import islice

from django.utils.translation import gettext_lazy as _

from core.xlsx_read_ahead import FileChanged, ReadAhead, records
from core.xlsx_reader import XlsxFormatError, XlsxReader, XlsxXmlError

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

CHANGED = _("The file changed while it was being imported; import it again.")


class LedgerImportError(Exception):
    """The file cannot be read as a ledger at all. The message is one Chinese sentence."""


@contextmanager
def ledger_sheets(handle):
    """(the organizations sheet or None, the member sheets) of the workbook in the binary file
    object `handle`, streamed by `core.xlsx_reader`; the workbook is closed when the block ends.
    Raises `LedgerImportError` for a file that is no workbook or has no ledger header."""
    workbook = _load(handle)
    try:
        yield _sheets(workbook)
    finally:
        workbook.close()


def _load(handle) -> XlsxReader:
    """The workbook, streamed by `core.xlsx_reader`: in flat memory (calamine, the reader before
    it, held a sheet whole: 185 MB at 100,000 rows, 2 GB at a million), about 1.5 s of CPU
    slower than calamine per 100,000 rows and four times faster than openpyxl's read-only mode
    (measured on bench/'s ledger). Only after `inspect_archive` accepted the file."""
    handle.seek(0)
    try:
        return XlsxReader(handle)
    except XlsxFormatError as error:
        raise _unreadable(error) from error


def _unreadable(error: Exception) -> LedgerImportError:
    """Whatever the reader raises for a file that is not a workbook (zip, a missing part …)
    means the same thing to the user; broken XML is named as such."""
    return LedgerImportError(MALFORMED if isinstance(error, XlsxXmlError) else NOT_A_WORKBOOK)


@dataclass
class Sheet:
    title: str
    columns: dict[str, int]  # field name → index of its column
    worksheet: object
    header_row: int

    def rows(self):
        """(Excel row number, field → value), streamed; rows empty in every column read (a
        blank line, a footer note in an ignored column) are skipped. XML found broken on the
        way raises LedgerImportError inside the import's transaction: nothing is written."""
        try:
            yield from self._rows()
        except XlsxFormatError as error:
            raise _unreadable(error) from error

    def _rows(self):
        # The reader gives each row's number and its cells from column A, as the header's.
        return records(self.worksheet, self.columns, self.header_row, EXCEL_ROWS)

    def batches(self, size: int, *, ahead: ReadAhead | None = None, path=None, handle=None):
        """`rows()` in lists of `size`. Given a `ReadAhead` child, the workbook's `path` and
        its open file `handle` (which the archive checks read), the child reads them while the
        caller works on the batches before."""
        if ahead is None:
            rows = self.rows()
            while batch := list(islice(rows, size)):
                yield batch
            return
        batches = ahead.batches(
            path, handle, self.title, self.columns, self.header_row, EXCEL_ROWS, size
        )
        try:
            yield from batches
        except XlsxFormatError as error:
            raise _unreadable(error) from error
        except FileChanged:
            raise LedgerImportError(str(CHANGED)) from None
        finally:
            batches.close()


def _find_sheet(worksheet, key_headers, known: dict[str, str]) -> Sheet | None:
    """The header row among the first rows; unknown columns, and the computed ones of the
    ledger, are not read."""
    with closing(worksheet.rows()) as rows:
        for number, values in rows:
            if number > HEADER_SCAN_ROWS:
                return None
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
        worksheet = workbook.sheet(name)
        try:
            if organization_sheet is None:
                organization_sheet = _find_sheet(
                    worksheet, (NAME, CREDIT_CODE), ORGANIZATION_COLUMNS
                )
                if organization_sheet:
                    continue
            sheet = _find_sheet(worksheet, MEMBER_KEY_HEADERS, MEMBER_FIELDS)
        except XlsxFormatError as error:  # a part the reader cannot parse
            raise _unreadable(error) from error
        if sheet:
            member_sheets.append(sheet)
        # Other sheets (instructions, the summary) are read no further than their header.
    if organization_sheet is None and not member_sheets:
        raise LedgerImportError(NO_HEADER)
    return organization_sheet, member_sheets
