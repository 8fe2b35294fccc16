"""A streaming reader of .xlsx worksheets: rows of cell values in flat memory, fast.

openpyxl's read-only mode streams but spends about 6 µs of Python per cell (15 s of CPU for a
100,000-row ledger); calamine (Rust) reads the same sheet in 1.5 s but holds it whole, about
2 KB a row (185 MB at 100,000 rows, 2 GB at a million). This reader decompresses a worksheet a
megabyte at a time and takes the cells out of each megabyte with one regular expression (C
speed, one Python step per cell): 100,000 ledger rows in about 3.5 s of CPU, in the same 30 MB
at a million rows. Well-formedness is still checked in full: every chunk also goes through
expat (C, no callbacks), so broken XML raises `XlsxXmlError` as a real parser would.

What is held whole: the shared-strings table (every reader holds it; Excel, WPS and openpyxl
write one, XlsxWriter's constant-memory mode and this system's ledger do not) and the styles'
list of date formats. Nothing here guards against hostile archives (zip bombs, entities): the
caller checks the archive first, as the ledger import does with `partybuilding.import_archive`.

Cell values, as calamine gives them: `str` for shared, inline and formula strings (XML
entities, `_xHHHH_` escapes and line ends decoded as an XML parser would), `float` for numbers,
`bool`, `datetime.date` (or `datetime.datetime` with a time of day, `datetime.time` below one
day) for numbers in a date format and for ISO dates (`t="d"`, which calamine leaves as text), and
`None` for a cell that is empty, absent or an error (`#N/A`). A row is a list indexed from
column A (gaps are `None`)."""

from __future__ import annotations

import datetime
import re
import zipfile
from pyexpat import ExpatError, ParserCreate

CHUNK_BYTES = 1 << 20
_PREFIX = rb"(?:[A-Za-z_][\w.-]*:)?"
#: A row's start (group 1: "row", 2: its attributes), or a cell with content (3: its column
#: letters, 4: style, 5: type — in the order Excel, openpyxl and XlsxWriter write them —, 6: any
#: other attributes; then its content: 7 the text of a plain inline string, 8 a plain value, 9
#: anything else), or (10: "/") an empty cell without a reference, which still takes a column.
#: Empty cells with a reference (`<c r="B1" s="1"/>`, formatting only) are not matched at all.
_ROW_OR_CELL = re.compile(
    rb"<" + _PREFIX + rb"(?:(row)\b([^>]*)>"
    rb"|c\b(?:\s+r=\"([A-Z]{1,3})\d*\")?(?:\s+s=\"(\d+)\")?(?:\s+t=\"(\w+)\")?([^>]*?)(?<!/)>"
    rb"(?:<is><t>([^<]*)</t></is>|<v>([^<]*)</v>|(.*?))</" + _PREFIX + rb"c>"
    rb"|c\b(?![^>]*?\sr=\")[^>]*?(/)>)",
    re.S,
)
#: The same without the namespace prefix, for data that has no prefixed row or cell tag (Excel,
#: WPS, openpyxl and XlsxWriter write none): the optional prefix, tried at every "<", took a
#: quarter of the pattern's time on a 100,000-row ledger. On such data both match the same.
_PLAIN_ROW_OR_CELL = re.compile(_ROW_OR_CELL.pattern.replace(_PREFIX, b""), re.S)
_END_OF_SHEET_DATA = re.compile(rb"</" + _PREFIX + rb"sheetData>")
_ROW_NUMBER = re.compile(rb"\sr=\"(\d+)\"")
_ATTRIBUTE = re.compile(rb"([\w:]+)\s*=\s*\"([^\"]*)\"")
_VALUE = re.compile(rb"<" + _PREFIX + rb"v(?:\s[^>]*)?>(.*?)</" + _PREFIX + rb"v>", re.S)
_TEXT = re.compile(
    rb"<" + _PREFIX + rb"t(?:\s[^>]*)?>(.*?)</" + _PREFIX + rb"t>", re.S
)  # `<t/>` is an empty text and adds nothing
_PHONETIC = re.compile(rb"<" + _PREFIX + rb"rPh\b.*?</" + _PREFIX + rb"rPh>", re.S)
_SHARED_ITEM = re.compile(rb"<" + _PREFIX + rb"si\b[^>]*?(?:/>|>(.*?)</" + _PREFIX + rb"si>)", re.S)
_CDATA = re.compile(rb"<!\[CDATA\[(.*?)\]\]>", re.S)
_ENTITY = re.compile(r"&(#x[0-9A-Fa-f]+|#[0-9]+|amp|lt|gt|quot|apos);")
_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")
_ENTITIES = {"amp": "&", "lt": "<", "gt": ">", "quot": '"', "apos": "'"}
_NUMBER_FORMAT = re.compile(
    rb"<" + _PREFIX + rb"numFmt\b[^>]*?numFmtId=\"(\d+)\"[^>]*?formatCode=\"([^\"]*)\"", re.S
)
_CELL_FORMATS = re.compile(rb"<" + _PREFIX + rb"cellXfs\b.*?</" + _PREFIX + rb"cellXfs>", re.S)
_CELL_FORMAT = re.compile(rb"<" + _PREFIX + rb"xf\b([^>]*)")
_NUMBER_FORMAT_ID = re.compile(rb"\snumFmtId=\"(\d+)\"")
_SHEET = re.compile(rb"<" + _PREFIX + rb"sheet\b([^>]*?)/?>")
_RELATIONSHIP = re.compile(rb"<" + _PREFIX + rb"Relationship\b([^>]*?)/?>")
_DATE_1904 = re.compile(rb"<" + _PREFIX + rb"workbookPr\b[^>]*?\sdate1904=\"(1|true)\"")
#: Excel's built-in date and time formats, the East Asian ones (27–36, 50–58: 2014年4月15日)
#: included, as calamine counts them.
_BUILTIN_DATE_FORMATS = {*range(14, 23), *range(27, 37), *range(45, 48), *range(50, 59)}
#: What a format code shows that is not a date part: quoted text, escapes, [Red], [$-804].
_FORMAT_NOISE = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]|_.|\*.')
_EPOCH_1900 = datetime.datetime(1899, 12, 30)
_EPOCH_1904 = datetime.datetime(1904, 1, 1)


class XlsxFormatError(Exception):
    """The file is not a workbook this reader can read: not a zip, a part missing or damaged
    (the message says which)."""


class XlsxXmlError(XlsxFormatError):
    """A part's XML is not well-formed (expat's message and position)."""


class XlsxReader:
    """`XlsxReader(path or binary file)`: `sheet_names`, `sheet(name)`, `date1904`; close it
    (or use it as a context manager). Parts are decompressed as they are read."""

    def __init__(self, source):
        try:
            self._archive = zipfile.ZipFile(source)
        except (zipfile.BadZipFile, OSError, ValueError, EOFError) as error:
            raise XlsxFormatError(f"not a zip archive: {error}") from None
        try:
            self._parts = {info.filename: info for info in self._archive.infolist()}
            workbook = self._read("xl/workbook.xml")
            if workbook is None:
                raise XlsxFormatError("no xl/workbook.xml")
            self.date1904 = bool(_DATE_1904.search(workbook))
            self._related = self._relationships()
            self._sheet_parts = self._sheet_parts_of(workbook)
            styles = self._related.get("styles", "xl/styles.xml")
            self._date_styles = self._date_styles_of(self._read(styles) or b"")
            self._shared: list[str] | None = None
        except BaseException:
            self._archive.close()
            raise

    @property
    def sheet_names(self) -> list[str]:
        return list(self._sheet_parts)

    def sheet(self, name: str) -> XlsxSheet:
        if name not in self._sheet_parts:
            raise KeyError(name)
        return XlsxSheet(self, name, self._sheet_parts[name])

    def close(self) -> None:
        self._archive.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()

    # The workbook's own parts -------------------------------------------------------------

    def _read(self, name: str) -> bytes | None:
        """A small part whole, checked for well-formedness; None when the archive lacks it."""
        if name not in self._parts:
            return None
        data = b"".join(self._chunks(name))
        _check_well_formed(name, [data])
        return data

    def _chunks(self, name: str):
        try:
            with self._archive.open(self._parts[name]) as stream:
                while chunk := stream.read(CHUNK_BYTES):
                    yield chunk
        except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, RuntimeError) as e:
            raise XlsxFormatError(f"{name} cannot be decompressed: {e}") from None

    def _relationships(self) -> dict:
        """The worksheets by ("worksheet", relationship id), the styles and shared strings by
        their type (writers name those parts differently: sharedStrings.xml, SharedStrings.xml)."""
        related = {}
        for attributes in _RELATIONSHIP.findall(self._read("xl/_rels/workbook.xml.rels") or b""):
            attributes = _attributes(attributes)
            target = attributes.get("Target", "")
            target = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
            kind = attributes.get("Type", "").rsplit("/", 1)[-1]
            if kind == "worksheet":
                related[kind, attributes.get("Id")] = _normalize_path(target)
            elif kind in ("styles", "sharedStrings"):
                related[kind] = _normalize_path(target)
        return related

    def _sheet_parts_of(self, workbook: bytes) -> dict[str, str]:
        """Sheet name → its part, in the workbook's order (worksheets only: a chart sheet has
        no cells)."""
        sheets = {}
        for attributes in _SHEET.findall(workbook):
            attributes = _attributes(attributes)
            relation = next((v for k, v in attributes.items() if k.endswith(":id")), None)
            part = self._related.get(("worksheet", relation))
            if part in self._parts and "name" in attributes:
                sheets[attributes["name"]] = part
        return sheets

    @staticmethod
    def _date_styles_of(styles: bytes) -> frozenset[bytes]:
        """Indexes of the cell formats (a cell's `s`) that show a number as a date or time."""
        dates = set(_BUILTIN_DATE_FORMATS)
        for number, code in _NUMBER_FORMAT.findall(styles):
            shown = _FORMAT_NOISE.sub("", _text(code)).lower()
            if any(part in shown for part in "ymdhs") and "general" not in shown:
                dates.add(int(number))
            else:
                dates.discard(int(number))  # a custom format reusing a built-in id
        formats = _CELL_FORMATS.search(styles)
        if formats is None:
            return frozenset()
        styles_of_dates = set()
        for index, attributes in enumerate(_CELL_FORMAT.findall(formats.group(0))):
            number = _NUMBER_FORMAT_ID.search(attributes)
            if number and int(number.group(1)) in dates:
                styles_of_dates.add(str(index).encode())  # as a cell's s="…" says it
        return frozenset(styles_of_dates)

    def shared_strings(self) -> list[str]:
        """The shared-strings table, read once on first use (streamed, rich text joined)."""
        if self._shared is None:
            shared = []
            name = self._related.get("sharedStrings", "xl/sharedStrings.xml")
            if name in self._parts:
                for data in _complete(self._chunks(name), name, _SHARED_ITEM, b"si>"):
                    for content in _SHARED_ITEM.findall(data):
                        shared.append(_rich_text(content))
            self._shared = shared
        return self._shared


class XlsxSheet:
    def __init__(self, reader: XlsxReader, name: str, part: str):
        self.reader, self.name, self.part = reader, name, part

    def rows(self, columns=None):
        """(Excel's row number, [value of column A, B, …]) for every row that has a cell,
        streamed. Rows without cells are skipped: the number says where a row stands.
        `columns`, a set of 0-based column indexes, reads only those (the others are None)."""
        reader = self.reader
        shared = None
        date_styles = reader._date_styles
        epoch = _EPOCH_1904 if reader.date1904 else _EPOCH_1900
        indexes = _COLUMNS
        number, cells, column = 0, None, -1
        for data in _complete(reader._chunks(self.part), self.part, _ROW_OR_CELL, b"row>"):
            end = _END_OF_SHEET_DATA.search(data)
            if end:
                data = data[: end.start()]
            pattern = _ROW_OR_CELL if _prefixed(data, b"row", b"c") else _PLAIN_ROW_OR_CELL
            for (
                is_row, row_attributes, letters, style, kind, other, plain_text, plain_value,
                content, empty,
            ) in pattern.findall(data):  # fmt: skip
                if is_row:
                    if cells:
                        yield number, cells
                    found = _ROW_NUMBER.search(row_attributes)
                    number = int(found.group(1)) if found else number + 1
                    cells, column = [], -1
                    continue
                if cells is None:  # a cell before any row: not a worksheet
                    raise XlsxFormatError(f"{self.part}: a cell outside a row")
                if empty:
                    column += 1
                    continue
                if other and b"=" in other:  # attributes in another order, or more of them
                    attributes = _attributes(other)
                    letters = letters or _letters(attributes.get("r", ""))
                    style = style or attributes.get("s", "").encode()
                    kind = kind or attributes.get("t", "").encode()
                column = indexes[letters] if letters else column + 1
                if columns is not None and column not in columns:
                    continue
                # One Python step for the common cells (an inline string, a number): this runs
                # for every cell of the sheet.
                if kind == b"inlineStr":
                    if plain_text:
                        value = plain_text.decode()
                        if "&" in value or "_x" in value or "\r" in value:
                            value = _text(plain_text)
                    elif content:
                        value = _rich_text(content)
                    else:
                        continue
                elif not kind or kind == b"n":
                    raw = plain_value or (_value(content) if content else None)
                    if not raw:
                        continue
                    try:
                        value = float(raw)
                    except ValueError:
                        raise XlsxFormatError(f"{self.part}: not a number {raw!r:.20}") from None
                    if style in date_styles:
                        value = _date(value, epoch)
                elif kind == b"s":
                    if shared is None:
                        shared = reader.shared_strings()
                    index = plain_value or _value(content)
                    try:
                        value = shared[int(index)]
                    except (TypeError, ValueError, IndexError):
                        raise XlsxFormatError(
                            f"{self.part}: no shared string {index!r:.20}"
                        ) from None
                else:
                    value = _typed(kind, plain_value or _value(content))
                    if value is None:
                        continue
                if column >= len(cells):
                    if column > len(cells):
                        cells.extend([None] * (column - len(cells)))
                    cells.append(value)
                else:  # a column written twice, or out of order: the later one wins
                    cells[column] = value
        if cells:
            yield number, cells


def _prefixed(data: bytes, *names: bytes) -> bool:
    """Whether `data` may hold one of these tags with a namespace prefix (`<x:row`, `</x:c>`):
    a plain substring search, much faster than any pattern (text holding ":c" only costs the
    slower general pattern)."""
    return any(b":" + name in data for name in names)


def _typed(kind: bytes, raw: bytes | None):
    """A cell of a kind other than number, shared or inline string."""
    if raw is None:
        return None
    if kind == b"b":
        return raw.strip() in (b"1", b"true")
    if kind == b"d":  # an ISO 8601 date, as some writers store dates
        try:
            moment = datetime.datetime.fromisoformat(_text(raw).strip().removesuffix("Z"))
        except ValueError:
            return _text(raw)
        return moment.date() if moment.time() == datetime.time() else moment
    if kind == b"e":  # an error (#N/A, #REF!): no value, as calamine reads it
        return None
    return _text(raw)  # "str" (a formula's text) and unknown kinds


def _date(serial: float, epoch: datetime.datetime):
    if epoch is _EPOCH_1900 and serial < 60:
        serial += 1  # Excel counts a 29 February 1900 that never was
    try:
        # To the millisecond, as Excel shows times.
        moment = epoch + datetime.timedelta(milliseconds=round(serial * 86_400_000))
    except OverflowError:
        return serial
    if serial < 1 and epoch is _EPOCH_1900:
        return moment.time()
    if moment.time() == datetime.time():
        return moment.date()
    return moment


def _value(content: bytes) -> bytes | None:
    """The `<v>` of a cell's content (a formula's cached value included)."""
    if content.startswith(b"<v>") and content.endswith(b"</v>") and content.count(b"<") == 2:
        return content[3:-4]
    found = _VALUE.search(content)
    return found.group(1) if found else None


def _rich_text(content: bytes) -> str:
    """The text of a shared string or inline string: its runs joined, phonetic hints left out."""
    if not content:
        return ""
    if b"rPh" in content:
        content = _PHONETIC.sub(b"", content)
    return "".join(_text(part) for part in _TEXT.findall(content))


def _text(raw: bytes) -> str:
    """XML character data as a parser gives it, then Excel's `_xHHHH_` escapes decoded."""
    if b"<![CDATA[" in raw:
        parts = re.split(rb"(<!\[CDATA\[.*?\]\]>)", raw, flags=re.S)
        return "".join(
            _text(part) if not part.startswith(b"<![CDATA[") else part[9:-3].decode()
            for part in parts
        )
    if b"\r" in raw:
        raw = raw.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
    text = raw.decode("utf-8")
    if "&" in text:
        text = _ENTITY.sub(_entity, text)
    if "_x" in text:
        text = _ESCAPE.sub(lambda found: chr(int(found.group(1), 16)), text)
    return text


def _entity(found: re.Match) -> str:
    name = found.group(1)
    if name[0] == "#":
        return chr(int(name[2:], 16) if name[1] in "xX" else int(name[1:]))
    return _ENTITIES[name]


def _attributes(raw: bytes) -> dict[str, str]:
    return {name.decode(): _text(value) for name, value in _ATTRIBUTE.findall(raw)}


def _letters(reference: str) -> bytes:
    return reference.rstrip("0123456789$").lstrip("$").upper().encode()


def _normalize_path(path: str) -> str:
    parts = []
    for part in path.split("/"):
        if part == "..":
            if parts:
                parts.pop()
        elif part and part != ".":
            parts.append(part)
    return "/".join(parts)


def _check_well_formed(name: str, chunks) -> None:
    parser = ParserCreate()
    try:
        for chunk in chunks:
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except ExpatError as error:
        raise XlsxXmlError(f"{name}: {error}") from None


def _complete(chunks, name: str, pattern: re.Pattern, end_tag: bytes):
    """The part's bytes in pieces that end after an element's end tag (`…</row>`), so no match
    of `pattern` is cut in two; every byte also goes through expat, so XML that is not
    well-formed raises `XlsxXmlError` however the regular expression would read it."""
    parser = ParserCreate()
    tail = b""
    try:
        for chunk in chunks:
            parser.Parse(chunk, False)
            data = tail + chunk
            # Text cannot hold "</", so the last "</…row>" is an end tag, not a cell's text.
            cut = data.rfind(b"</")
            while cut >= 0 and not _ends_tag(data, cut, end_tag):
                cut = data.rfind(b"</", 0, cut)
            if cut < 0:
                tail = data  # no row ended in this megabyte yet
                continue
            cut = data.index(b">", cut) + 1
            tail = data[cut:]
            yield data[:cut]
        parser.Parse(b"", True)
    except ExpatError as error:
        raise XlsxXmlError(f"{name}: {error}") from None
    if tail:
        yield tail


def _ends_tag(data: bytes, at: int, end_tag: bytes) -> bool:
    close = data.find(b">", at)
    if close < 0:
        return False
    tag = data[at + 2 : close + 1]
    return tag == end_tag or tag.endswith(b":" + end_tag)


def _column_index(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number - 1


class _Columns(dict):
    """Column letters (bytes) → 0-based index, computed once per letters."""

    def __missing__(self, letters: bytes) -> int:
        index = self[letters] = _column_index(letters.decode("ascii"))
        return index


_COLUMNS = _Columns()
