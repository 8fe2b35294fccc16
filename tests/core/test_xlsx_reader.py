"""The streaming .xlsx reader (core.xlsx_reader, issue 15 point 4): the values calamine reads
from workbooks written by openpyxl and XlsxWriter, in both string modes, and from parts written
by hand the way other writers write them (prefixes, rich text, escapes, cells without
references, attributes in another order); broken XML refused as a parser would."""

import datetime
import io
import zipfile

import openpyxl
import pytest
import xlsxwriter
from python_calamine import CalamineWorkbook

from core.xlsx_reader import CHUNK_BYTES, XlsxFormatError, XlsxReader, XlsxXmlError

TITLE = "长春市社会组织党建工作台账"
HEADER = ["序号", "社会组织名称", "统一社会信用代码", "成立日期", "专职人员数", "备注"]
LINES = [
    [1, "长春市至爱护理院", "52220102MJ0000001X", datetime.date(2014, 4, 15), 12, None],
    [2, "南关区 老年 协会", "51220102MJ0000002Y", datetime.date(2020, 2, 29), 0, "a<b & c>d"],
    [3, "“全角”ＡＢＣ１２３", "13904311234", datetime.datetime(2018, 5, 1, 9, 30), 3.5, ""],
    [4, None, "", None, None, "多行\n文本"],
]


def rows(content: bytes, sheet: str | None = None) -> dict[int, list]:
    """Row number → values, trailing empty cells dropped (calamine pads, this reader does not)."""
    with XlsxReader(io.BytesIO(content)) as reader:
        name = sheet or reader.sheet_names[0]
        return {number: _trimmed(values) for number, values in reader.sheet(name).rows()}


def calamine_rows(content: bytes, sheet: str | None = None) -> dict[int, list]:
    """The same, as calamine reads it: rows from the first, columns from the first one used."""
    workbook = CalamineWorkbook.from_filelike(io.BytesIO(content))
    worksheet = workbook.get_sheet_by_name(sheet or workbook.sheet_names[0])
    first_column = worksheet.start[1] if worksheet.start else 0
    read = {}
    for number, values in enumerate(worksheet.iter_rows(), start=1):
        values = _trimmed([None] * first_column + [None if v == "" else v for v in values])
        if values:
            read[number] = values
    return read


def _trimmed(values: list) -> list:
    values = [None if value == "" else value for value in values]
    while values and values[-1] is None:
        values.pop()
    return values


def openpyxl_workbook(lines=LINES, *, merged_title=True) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "台账"
    if merged_title:
        sheet.append([TITLE])
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADER))
    sheet.append(HEADER)
    for line in lines:
        sheet.append(line)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsxwriter_workbook(lines=LINES, *, constant_memory: bool, gap: bool = True) -> bytes:
    """With `constant_memory` XlsxWriter writes inline strings (as this system's ledger),
    otherwise shared strings. A merged title row, a date format, and (`gap`) a blank row and
    column B left empty."""
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(
        buffer, {"constant_memory": constant_memory, "in_memory": not constant_memory}
    )
    sheet = workbook.add_worksheet("台账")
    dates = workbook.add_format({"num_format": "yyyy-mm-dd"})
    sheet.merge_range(0, 0, 0, len(HEADER), TITLE)
    offset = 1 if gap else 0  # column B stays empty
    for index, header in enumerate(HEADER):
        sheet.write_string(1, index + (offset if index else 0), header)
    first = 3 if gap else 2  # row 3 stays blank
    for number, line in enumerate(lines, start=first):
        for index, value in enumerate(line):
            column = index + (offset if index else 0)
            if value is None:
                continue
            if isinstance(value, datetime.date):
                sheet.write_datetime(number, column, value, dates)
            elif isinstance(value, str):
                sheet.write_string(number, column, value)
            else:
                sheet.write_number(number, column, value)
    workbook.close()
    return buffer.getvalue()


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(openpyxl_workbook(), id="openpyxl"),
        pytest.param(openpyxl_workbook(merged_title=False), id="openpyxl-no-title"),
        pytest.param(xlsxwriter_workbook(constant_memory=True), id="xlsxwriter-inline"),
        pytest.param(xlsxwriter_workbook(constant_memory=False), id="xlsxwriter-shared"),
    ],
)
def test_values_are_calamines(content):
    assert rows(content) == calamine_rows(content)


def test_values_of_an_openpyxl_workbook_with_a_merged_title():
    read = rows(openpyxl_workbook())
    assert read[1] == [TITLE]
    assert read[2] == HEADER
    assert read[3] == [
        1.0,
        "长春市至爱护理院",
        "52220102MJ0000001X",
        datetime.date(2014, 4, 15),
        12.0,
    ]
    assert read[4][5] == "a<b & c>d"
    assert read[5][2:5] == ["13904311234", datetime.datetime(2018, 5, 1, 9, 30), 3.5]
    assert read[6] == [4.0, None, None, None, None, "多行\n文本"]


def test_gaps_keep_their_places():
    read = rows(xlsxwriter_workbook(constant_memory=True))
    assert read[2][:3] == ["序号", None, "社会组织名称"]
    assert 3 not in read  # the blank row
    assert read[4][:4] == [1.0, None, "长春市至爱护理院", "52220102MJ0000001X"]


def test_rows_cut_between_chunks_come_whole():
    lines = [[n, f"社会组织{n:06d}", f"5222010{n:011d}", datetime.date(2014, 4, 15), n, None]
             for n in range(1, 30_001)]  # fmt: skip
    for content in (
        xlsxwriter_workbook(lines, constant_memory=True, gap=False),
        openpyxl_workbook(lines),
    ):
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            assert archive.getinfo("xl/worksheets/sheet1.xml").file_size > 2 * CHUNK_BYTES
        read = rows(content)
        assert len(read) == 2 + len(lines)
        last = max(read)
        assert read[last][:3] == [30000.0, "社会组织030000", "522201000000030000"]
        assert all(read[n][1] == f"社会组织{n - 2:06d}" for n in range(3, last + 1))


# Parts written by hand, as other writers (Excel, WPS, .NET, Java) write them. --------------

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def hand_made(sheet_data: str, *, shared: str | None = None, prefix: str = "",
              date1904: bool = False, styles: str | None = None) -> bytes:  # fmt: skip
    p = f"{prefix}:" if prefix else ""
    xmlns = f'xmlns:{prefix}="{MAIN}"' if prefix else f'xmlns="{MAIN}"'
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.'
            'org/package/2006/content-types"><Default Extension="xml" ContentType="application/'
            'xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxml'
            'formats-officedocument.spreadsheetml.sheet.main+xml"/></Types>'
        ),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
            'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="'
            f'{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><{p}workbook {xmlns} xmlns:r="{rel}">'
            + (f'<{p}workbookPr date1904="1"/>' if date1904 else "")
            + f'<{p}sheets><{p}sheet name="表&amp;一" sheetId="1" r:id="rId1"/></{p}sheets>'
            f"</{p}workbook>"
        ),
        "xl/_rels/workbook.xml.rels": (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
            'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="'
            f'{rel}/worksheet" Target="/xl/worksheets/sheet1.xml"/></Relationships>'
        ),
        "xl/worksheets/sheet1.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><{p}worksheet {xmlns}>'
            f'<{p}cols><{p}col min="1" max="3" width="9"/></{p}cols>'
            f"<{p}sheetData>{sheet_data}</{p}sheetData></{p}worksheet>"
        ),
    }
    if shared is not None:
        parts["xl/sharedStrings.xml"] = f"<{p}sst {xmlns}>{shared}</{p}sst>"
    if styles is not None:
        parts["xl/styles.xml"] = f"<{p}styleSheet {xmlns}>{styles}</{p}styleSheet>"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in parts.items():
            archive.writestr(name, text.encode())
    return buffer.getvalue()


DATE_STYLES = (
    '<numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy&quot;年&quot;m&quot;月&quot;d'
    '&quot;日&quot;"/><numFmt numFmtId="165" formatCode="0.00&quot;d&quot;"/></numFmts>'
    '<cellXfs count="4"><xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="164"/>'
    '<xf numFmtId="165"/></cellXfs>'
)


def test_shared_strings_with_rich_text_and_phonetic_hints():
    shared = (
        "<si><t>长春市至爱护理院</t></si>"
        '<si><r><rPr><b/></rPr><t>南关区</t></r><r><t xml:space="preserve"> 老年协会 </t></r>'
        '<rPh sb="0" eb="1"><t>ナン</t></rPh></si><si/>'
        "<si><t>a &amp; b &lt;c&gt; &#x4E2D;&#25991; _x000D_ _x005F_x0000_</t></si>"
    )
    data = (
        '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c>'
        '<c r="C1" t="s"><v>2</v></c><c r="D1" t="s"><v>3</v></c></row>'
    )
    content = hand_made(data, shared=shared)
    assert rows(content) == {
        1: ["长春市至爱护理院", "南关区 老年协会 ", None, "a & b <c> 中文 \r _x0000_"]
    }
    assert rows(content) == calamine_rows(content)


def test_a_namespace_prefix_inline_rich_text_and_cells_without_references():
    data = (
        '<x:row r="2"><x:c r="B2" t="inlineStr"><x:is><x:t>甲</x:t></x:is></x:c>'
        '<x:c t="inlineStr"><x:is><x:r><x:t>乙</x:t></x:r><x:r><x:t>丙</x:t></x:r></x:is></x:c>'
        "<x:c/><x:c><x:v>7</x:v></x:c></x:row>"
        '<x:row><x:c t="b"><x:v>1</x:v></x:c><x:c t="e"><x:v>#N/A</x:v></x:c>'
        '<x:c t="str"><x:f>A1&amp;"x"</x:f><x:v>公式</x:v></x:c></x:row>'
    )
    content = hand_made(data, prefix="x")
    assert rows(content) == {2: [None, "甲", "乙丙", None, 7.0], 3: [True, None, "公式"]}
    assert rows(content) == calamine_rows(content)
    with XlsxReader(io.BytesIO(hand_made(data, prefix="x"))) as reader:
        assert reader.sheet_names == ["表&一"]


def test_attributes_in_another_order_and_line_ends():
    data = (
        '<row spans="1:3" r="5"><c t="inlineStr" r="C5"><is><t>a\r\nb</t></is></c>'
        '<c s="0" t="n" r="A5" cm="1"><v>1.5E3</v></c><c r="B5" t="inlineStr"><is><t/></is></c>'
        "</row>"
    )
    content = hand_made(data)
    assert rows(content) == {5: [1500.0, None, "a\nb"]} == calamine_rows(content)


def test_dates_by_their_format_and_by_the_1904_system():
    data = (
        '<row r="1"><c r="A1" s="1"><v>41744</v></c><c r="B1" s="2"><v>41744.5</v></c>'
        '<c r="C1" s="3"><v>41744</v></c><c r="D1"><v>41744</v></c>'
        '<c r="E1" t="d"><v>2014-04-15T00:00:00Z</v></c></row>'
    )
    content = hand_made(data, styles=DATE_STYLES)
    assert rows(content) == {
        1: [
            datetime.date(2014, 4, 15),
            datetime.datetime(2014, 4, 15, 12, 0),
            41744.0,  # 0.00"d": a number, the d is quoted text
            41744.0,
            datetime.date(2014, 4, 15),
        ]
    }
    in_1904 = hand_made(data, styles=DATE_STYLES, date1904=True)
    assert rows(in_1904)[1][:2] == [
        datetime.date(2018, 4, 16),
        datetime.datetime(2018, 4, 16, 12, 0),
    ]
    for workbook in (content, in_1904):  # calamine leaves an ISO date (t="d") as its text
        assert rows(workbook)[1][:4] == calamine_rows(workbook)[1][:4]
    with XlsxReader(io.BytesIO(hand_made(data, date1904=True))) as reader:
        assert reader.date1904


@pytest.mark.parametrize(
    "data",
    [
        '<row r="2"><c r="A2"><v>1</c></row>',  # the import's own test of broken XML
        '<row r="1"><c r="A1" t="inlineStr"><is><t>&secret;</t></is></c></row>',
        '<row r="1"><c r="A1"><v>1</v></c>',
    ],
)
def test_broken_xml_is_refused_as_a_parser_would(data):
    with pytest.raises(XlsxXmlError):
        rows(hand_made(data))


@pytest.mark.parametrize(
    "content",
    [b"not a zip", hand_made('<row r="1"><c r="A1" t="s"><v>9</v></c></row>', shared="")],
)
def test_what_is_not_a_workbook(content):
    with pytest.raises(XlsxFormatError):
        rows(content)


def test_only_the_columns_asked_for_are_read():
    with XlsxReader(io.BytesIO(openpyxl_workbook())) as reader:
        read = dict(reader.sheet("台账").rows({1, 3}))
    assert read[2] == [None, "社会组织名称", None, "成立日期"]
    assert read[3] == [None, "长春市至爱护理院", None, datetime.date(2014, 4, 15)]


def test_parts_are_found_by_their_relationships_and_names_unescaped_once():
    content = hand_made(
        '<row r="1"><c r="A1" t="s"><v>0</v></c></row>', shared="<si><t>甲</t></si>"
    )
    source, buffer = zipfile.ZipFile(io.BytesIO(content)), io.BytesIO()
    relationship = (
        '<Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/sharedStrings" Target="SharedStrings.xml"/></Relationships>'
    )
    with zipfile.ZipFile(buffer, "w") as target:
        for name in source.namelist():
            data = source.read(name)
            if name == "xl/_rels/workbook.xml.rels":
                data = data.replace(b"</Relationships>", relationship.encode())
            if name == "xl/workbook.xml":
                data = data.replace("表&amp;一".encode(), "表&amp;amp;一".encode())
            target.writestr(name.replace("sharedStrings", "SharedStrings"), data)
    with XlsxReader(io.BytesIO(buffer.getvalue())) as reader:
        assert reader.sheet_names == ["表&amp;一"]
        assert dict(reader.sheet("表&amp;一").rows()) == {1: ["甲"]}
