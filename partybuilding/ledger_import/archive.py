"""The ledger import's checks of an uploaded workbook's archive, made before any XML parser or
spreadsheet reader opens it (issue 13, point 7: files that decompress to gigabytes).

An .xlsx file is a zip archive of XML parts. A small file can hold parts that decompress to
gigabytes (a "zip bomb"), a sheet can name a cell far below the last row Excel allows (readers
that build the sheet as a grid then allocate rows × columns), and an XML part can declare
entities (external ones read the server's files, nested ones expand exponentially: "billion
laughs"). Every such file is refused here with the import's own Chinese sentence:

1. from the archive's directory alone (no decompression): the number of entries, each entry's
   declared uncompressed size, their total, and each entry's compression ratio;
2. then, decompressing through `zipfile` — which stops at the declared size and verifies the
   CRC, so a directory that understates a size is caught — every XML part: no DOCTYPE (hence
   no entity) in its prolog, and for each worksheet its `<dimension>` and every row and cell
   reference within Excel's 1,048,576 rows and 16,384 columns, and its grid (rows × columns
   actually used) within the `Limits` of the caller (the command's or the upload page's).

`inspect_archive` returns what the reader needs besides: the workbook's date system (1900 or
1904), read from workbook.xml."""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from operator import itemgetter

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .cells import NOT_A_WORKBOOK

#: Excel's own limits (Excel specifications and limits): rows and columns of a worksheet.
EXCEL_ROWS = 1_048_576
EXCEL_COLUMNS = 16_384
#: Entries of an archive: a workbook of a few sheets has a dozen or two.
MAX_ENTRIES = 1_000
#: Compression ratio of a part (uncompressed ÷ compressed). Spreadsheet XML compresses about
#: 5–30 times (this system's 100,000-row ledger: 8); a part that expands more than 100 times
#: is built to expand.
MAX_RATIO = 100
#: Parts smaller than this are not held to the ratio: a few kilobytes of repeated markup may
#: compress well, and cost nothing to read.
RATIO_FLOOR = 1 << 20


@dataclass(frozen=True)
class Limits:
    """What one import may decompress, and how large a sheet may be. The reader
    (`core.xlsx_reader`) streams a sheet in flat memory, whatever its size; `cells` still bounds
    the used range (rows × columns) a sheet may declare or span, so that a sheet built to be
    enormous is refused before it is read."""

    entry_bytes: int  # uncompressed bytes of one part
    total_bytes: int  # of all parts together
    cells: int  # rows × columns of a sheet's used range


#: The command, run by the operator on the server: a province's ledger of a million rows (about
#: 1.1 GB of sheet XML, 26 million cells) still goes in.
COMMAND_LIMITS = Limits(entry_bytes=2 << 30, total_bytes=2 << 30, cells=40_000_000)
#: The upload page (50 MB files): about 400,000 ledger rows; larger ledgers go by the command.
UPLOAD_LIMITS = Limits(entry_bytes=512 << 20, total_bytes=512 << 20, cells=12_000_000)
#: How much of a part's beginning may hold its prolog (XML declaration and DOCTYPE).
PROLOG_BYTES = 4096
CHUNK_BYTES = 1 << 20

TOO_MANY_ENTRIES = _(
    "The file is not a valid Excel workbook: its archive holds %(count)s files; it was not read."
)
TOO_LARGE = _(
    "“%(name)s” in the file decompresses to %(size)s, more than the %(limit)s allowed; it was not "
    "read. Check that the file is the right one, or split the ledger and import it in parts."
)
TOO_LARGE_TOTAL = _(
    "The file decompresses to %(size)s in all, more than the %(limit)s allowed; it was not read. "
    "Split the ledger and import it in parts."
)
TOO_COMPRESSED = _(
    "“%(name)s” in the file is compressed abnormally (it expands %(ratio)s times), unlike a "
    "normal Excel workbook; it was not read."
)
DAMAGED = _(
    "The file is damaged (“%(name)s” in its archive cannot be decompressed whole); save or export "
    "it again, then import it."
)
ENTITIES = _(
    "“%(name)s” in the file declares XML entities (DOCTYPE), which a normal Excel workbook never "
    "does; it was not read, for safety."
)
NOT_UTF8 = _(
    "“%(name)s” in the file is not in UTF-8, the encoding Excel uses, unlike a normal Excel "
    "workbook; it was not read, for safety."
)
TOO_MANY_ROWS = _(
    "Row %(row)s of the sheet “%(sheet)s” is beyond Excel's last row, %(limit)s; it was not read. "
    "Delete the extra rows, then import again."
)
TOO_MANY_COLUMNS = _(
    "The sheet “%(sheet)s” has a cell “%(cell)s” beyond Excel's last column (column %(limit)s); "
    "it was not read."
)
TOO_MANY_CELLS = _(
    "The used range of the sheet “%(sheet)s” is too large (%(rows)s rows × %(columns)s columns); "
    "it was not read. Delete the extra cells to the right of and below the table, then import "
    "again."
)

_ROW = re.compile(rb"<(?:\w+:)?row\b[^>]*?\sr=\"(\d+)\"")
_CELL = re.compile(rb"<(?:\w+:)?c\b[^>]*?\sr=\"([A-Za-z]+)(\d+)\"")
# The same without a namespace prefix, for data without prefixed tags (`_scan`).
_PLAIN_ROW = re.compile(rb"<row\b[^>]*?\sr=\"(\d+)\"")
_PLAIN_CELL = re.compile(rb"<c\b[^>]*?\sr=\"([A-Za-z]+)(\d+)\"")
_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\b[^>]*?\sref=\"([^\"]*)\"")
_REFERENCE = re.compile(r"\$?([A-Za-z]{1,7})\$?(\d{1,12})")
_DATE_1904 = re.compile(rb"<(?:\w+:)?workbookPr\b[^>]*?\sdate1904=\"(1|true)\"")
_SHEET_NAME = re.compile(rb"<(?:\w+:)?sheet\b[^>]*?\sname=\"([^\"]*)\"[^>]*?\sr:id=\"([^\"]*)\"")
_RELATIONSHIP = re.compile(rb"<Relationship\b[^>]*?/?>")
_ATTRIBUTE = re.compile(rb"(\w+)=\"([^\"]*)\"")


class ArchiveRefused(Exception):
    """The archive is refused; the message is one sentence for the person importing."""


@dataclass
class ArchiveFacts:
    date1904: bool = False
    #: Sheet title → the rows its used range spans (as found, not as declared).
    rows: dict[str, int] = field(default_factory=dict)


def inspect_archive(handle, limits: Limits = COMMAND_LIMITS) -> ArchiveFacts:
    """Check the workbook in the binary file object `handle` (seekable; left at its start)
    against `limits`. Raises `ArchiveRefused` with the reason."""
    handle.seek(0)
    try:
        archive = zipfile.ZipFile(handle)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise ArchiveRefused(NOT_A_WORKBOOK) from None
    try:
        with archive:
            entries = archive.infolist()
            _check_directory(entries, limits)
            names, date1904 = _workbook(archive, entries)
            rows = {}
            for entry in entries:
                lower = entry.filename.lower()
                if entry.is_dir() or entry.filename in WORKBOOK_PARTS:
                    continue
                if not (lower.endswith(".xml") or lower.endswith(".rels")):
                    continue  # images and the like: sized above, never parsed
                if entry.filename in names:
                    title = names[entry.filename]
                    rows[title] = _check_sheet(archive, entry, title, limits.cells)
                else:
                    _check_part(archive, entry)
    finally:
        handle.seek(0)
    return ArchiveFacts(date1904=date1904, rows=rows)


def _size(count: int) -> str:
    if count >= 1 << 30:
        return f"{count / (1 << 30):.1f} GB"
    if count >= 1 << 20:
        return f"{count / (1 << 20):.0f} MB"
    return f"{max(count, 1) / 1024:.0f} KB"


def _check_directory(entries, limits: Limits) -> None:
    if len(entries) > MAX_ENTRIES:
        raise ArchiveRefused(TOO_MANY_ENTRIES % dict(count=len(entries)))
    total = 0
    for entry in entries:
        size = entry.file_size
        if size > limits.entry_bytes:
            raise ArchiveRefused(
                TOO_LARGE
                % dict(name=entry.filename, size=_size(size), limit=_size(limits.entry_bytes))
            )
        if size > RATIO_FLOOR and size > MAX_RATIO * max(entry.compress_size, 1):
            ratio = size // max(entry.compress_size, 1)
            raise ArchiveRefused(TOO_COMPRESSED % dict(name=entry.filename, ratio=ratio))
        total += size
    if total > limits.total_bytes:
        raise ArchiveRefused(
            TOO_LARGE_TOTAL % dict(size=_size(total), limit=_size(limits.total_bytes))
        )


def _chunks(archive, entry):
    """The part's bytes, decompressed a megabyte at a time. zipfile stops at the declared size
    and checks the CRC at the end: a part larger than its directory entry says fails here."""
    try:
        with archive.open(entry) as stream:
            while chunk := stream.read(CHUNK_BYTES):
                yield chunk
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError, RuntimeError):
        # RuntimeError: an encrypted entry; NotImplementedError: an unknown compression.
        raise ArchiveRefused(DAMAGED % dict(name=entry.filename)) from None


def _check_prolog(entry, head: bytes) -> None:
    # Excel, WPS and every writer we read store their parts in UTF-8. The checks below read
    # bytes, so a part in UTF-16 or UTF-32 (a byte-order mark, or NUL bytes between the
    # characters of its prolog) would slip past them: such a part is refused as not a workbook.
    if head.startswith((b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")) or b"\x00" in head[:64]:
        raise ArchiveRefused(NOT_UTF8 % dict(name=entry.filename))
    # A DOCTYPE can only stand in the prolog, before the root element; entities need one.
    upper = head.upper()
    if b"<!DOCTYPE" in upper or b"<!ENTITY" in upper:
        raise ArchiveRefused(ENTITIES % dict(name=entry.filename))


def _check_part(archive, entry) -> None:
    """A part other than a worksheet: its prolog, and its size checked by decompressing it."""
    head = b""
    for chunk in _chunks(archive, entry):
        if len(head) < PROLOG_BYTES:
            head += chunk[: PROLOG_BYTES - len(head)]
            _check_prolog(entry, head)


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters.upper():
        number = number * 26 + ord(letter) - 64
    return number


class _Bounds:
    def __init__(self, sheet: str, cells: int):
        self.sheet, self.cells = sheet, cells
        self.first_row = self.last_row = None
        self.first_column = self.last_column = None

    def row(self, number: int) -> None:
        if number > EXCEL_ROWS:
            raise ArchiveRefused(
                TOO_MANY_ROWS % dict(sheet=self.sheet, row=number, limit=EXCEL_ROWS)
            )
        if self.first_row is None or number < self.first_row:
            self.first_row = number
        if self.last_row is None or number > self.last_row:
            self.last_row = number

    def column(self, letters: str, reference: str) -> None:
        number = _column_number(letters) if len(letters) <= 3 else EXCEL_COLUMNS + 1
        if number > EXCEL_COLUMNS:
            raise ArchiveRefused(
                TOO_MANY_COLUMNS % dict(sheet=self.sheet, limit=EXCEL_COLUMNS, cell=reference[:20])
            )
        if self.first_column is None or number < self.first_column:
            self.first_column = number
        if self.last_column is None or number > self.last_column:
            self.last_column = number

    def check_area(self) -> None:
        if self.first_row is None or self.first_column is None:
            return
        rows = self.last_row - self.first_row + 1
        columns = self.last_column - self.first_column + 1
        if rows * columns > self.cells:
            raise ArchiveRefused(
                TOO_MANY_CELLS % dict(sheet=self.sheet, rows=rows, columns=columns)
            )


def _check_sheet(archive, entry, sheet: str, cells: int) -> int:
    """A worksheet's prolog, its declared dimension (refused early), then every row and cell
    reference as streamed. Returns the number of rows the sheet spans."""
    declared = _Bounds(sheet, cells)
    bounds = _Bounds(sheet, cells)
    head, tail, dimension_seen = b"", b"", False
    for chunk in _chunks(archive, entry):
        if len(head) < PROLOG_BYTES:
            head += chunk[: PROLOG_BYTES - len(head)]
            _check_prolog(entry, head)
        # A reference cut between two chunks is read whole from the carried tail.
        cut = chunk.rfind(b"<")
        if cut < 0:
            cut = len(chunk)
        data, tail = tail + chunk[:cut], chunk[cut:]
        if len(tail) > CHUNK_BYTES:  # no tag for a megabyte: nothing to carry
            data, tail = data + tail, b""
        if not dimension_seen:
            match = _DIMENSION.search(data)
            if match:
                dimension_seen = True
                for part in match.group(1).decode("ascii", "replace").split(":"):
                    found = _REFERENCE.fullmatch(part.strip())
                    if found:
                        declared.column(found.group(1), part)
                        declared.row(int(found.group(2)))
                declared.check_area()
        _scan(data, bounds)
    _scan(tail, bounds)
    bounds.check_area()
    if bounds.first_row is None:
        return 0
    return bounds.last_row - bounds.first_row + 1


def _scan(data: bytes, bounds: _Bounds) -> None:
    """Every row and cell reference of `data` into `bounds`. The usual sheet (rows within
    Excel's, a few column letters) is settled from the lowest and highest row and the set of
    column letters, without a Python step per cell; any reference out of bounds, or a cell's
    row written with 7 digits or more, goes through `_scan_each`, which names the first one."""
    # Excel, WPS and openpyxl write no namespace prefix: where no tag can have one (a plain
    # substring search says so), the patterns anchored on the tag's name match the same
    # references several times faster than the general ones (2 s → 0.7 s at 100,000 rows).
    if b":row" in data or b":c" in data:
        row_pattern, cell_pattern = _ROW, _CELL
    else:
        row_pattern, cell_pattern = _PLAIN_ROW, _PLAIN_CELL
    rows = list(map(int, row_pattern.findall(data)))
    if rows and max(rows) <= EXCEL_ROWS:
        bounds.row(min(rows))
        bounds.row(max(rows))
        rows = []
    cells = cell_pattern.findall(data)
    columns = set(map(itemgetter(0), cells))
    if rows or (cells and max(map(len, map(itemgetter(1), cells))) >= 7):
        _scan_each(data, bounds)
        return
    if any(
        len(letters) > 3 or _column_number(letters.decode("ascii")) > EXCEL_COLUMNS
        for letters in columns
    ):
        _scan_each(data, bounds)
        return
    for letters in columns:
        bounds.column(letters.decode("ascii"), "")


def _scan_each(data: bytes, bounds: _Bounds) -> None:
    for match in _ROW.finditer(data):
        bounds.row(int(match.group(1)))
    row_check, column_check = bounds.row, bounds.column
    seen_columns = set()
    for letters, digits in _CELL.findall(data):
        if letters not in seen_columns:
            seen_columns.add(letters)
            column_check(letters.decode("ascii"), (letters + digits).decode("ascii"))
        if len(digits) >= 7:  # row numbers under a million are checked by their <row>
            row_check(int(digits))


WORKBOOK_PARTS = ("xl/workbook.xml", "xl/_rels/workbook.xml.rels")
#: The workbook part and its relationships are read whole: they list the sheets.
MAX_WORKBOOK_BYTES = 16 << 20


def _workbook(archive, entries) -> tuple[dict[str, str], bool]:
    """Worksheet part → its name as the workbook shows it (for the messages), and whether the
    workbook counts dates from 1904."""
    present = {entry.filename: entry for entry in entries}
    if WORKBOOK_PARTS[0] not in present:
        raise ArchiveRefused(NOT_A_WORKBOOK)
    parts = {}
    for name in WORKBOOK_PARTS:
        entry = present.get(name)
        if entry is None:
            parts[name] = b""
            continue
        if entry.file_size > MAX_WORKBOOK_BYTES:
            limit = _size(MAX_WORKBOOK_BYTES)
            raise ArchiveRefused(
                TOO_LARGE % dict(name=name, size=_size(entry.file_size), limit=limit)
            )
        parts[name] = b"".join(_chunks(archive, entry))
        _check_prolog(entry, parts[name][:PROLOG_BYTES])
    workbook, relationships = (parts[name] for name in WORKBOOK_PARTS)
    targets = {}
    for tag in _RELATIONSHIP.findall(relationships):
        attributes = dict(_ATTRIBUTE.findall(tag))
        target = attributes.get(b"Target", b"").decode("utf-8", "replace")
        target = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
        targets[attributes.get(b"Id", b"").decode("utf-8", "replace")] = target
    names: dict[str, str] = {}
    for name, relation in _SHEET_NAME.findall(workbook):
        target = targets.get(relation.decode("utf-8", "replace"))
        if target:
            names[target] = _unescape(name.decode("utf-8", "replace"))
    sheets = [
        entry.filename
        for entry in entries
        if entry.filename.lower().startswith("xl/worksheets/")
        and entry.filename.lower().endswith(".xml")
    ]
    for number, part in enumerate(sheets, start=1):
        names.setdefault(part, gettext("sheet %(number)s") % {"number": number})
    return names, bool(_DATE_1904.search(workbook))


def _unescape(text: str) -> str:
    for entity, character in (("&lt;", "<"), ("&gt;", ">"), ("&quot;", '"'), ("&apos;", "'")):
        text = text.replace(entity, character)
    return text.replace("&amp;", "&")
