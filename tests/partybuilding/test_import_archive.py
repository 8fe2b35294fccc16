"""Workbooks built to hurt the server (issue 13, point 7): small on disk, huge when decompressed,
a cell below Excel's last row, entity declarations, broken XML. Each is built here, in the test,
and must be refused quickly with the import's own Chinese sentence and nothing written — by the
service, the upload page and the command alike."""

import io
import time
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from audit.choices import AuditAction
from audit.models import AuditRecord
from partybuilding.exports import LEDGER_SHEET
from partybuilding.ledger_import import LedgerImportError, import_ledger
from partybuilding.ledger_import import archive as import_archive
from partybuilding.models import PartyMember
from registry.models import Organization, Street, SupervisoryUnit
from tests.factories import DistrictFactory, StreetFactory, credit_code_for
from tests.partybuilding.test_ledger_import import BASIC, organization_row

pytestmark = pytest.mark.django_db

URL = reverse("partybuilding:ledger_import")
SHEET = "xl/worksheets/sheet1.xml"
SHARED = "xl/sharedStrings.xml"
MIB = 1 << 20
#: The old import took 45 s for the 156 MB workbook of the issue; a refusal takes well under 1 s
#: (the bound leaves room for a loaded machine).
QUICK_SECONDS = 5


@pytest.fixture(autouse=True)
def places(db):
    StreetFactory()
    DistrictFactory(name="南关区", code="220102")


def valid_ledger() -> bytes:
    """A one-row ledger as openpyxl writes it (shared strings, a dimension, one sheet)."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = LEDGER_SHEET
    sheet.append(BASIC)
    row = organization_row({"统一社会信用代码": credit_code_for("private_non_enterprise")})
    sheet.append([row.get(header) for header in BASIC])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def rebuilt(content: bytes, parts: dict, *, extra: int = 0) -> bytes:
    """`content` with some parts replaced: a part is bytes, or a function returning an iterable
    of byte chunks (written streaming, so a test never holds the decompressed part)."""
    source = zipfile.ZipFile(io.BytesIO(content))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        names = [info.filename for info in source.infolist()]
        for name in dict.fromkeys([*names, *parts]):
            part = parts.get(name)
            if part is None:
                target.writestr(name, source.read(name))
            elif isinstance(part, bytes):
                target.writestr(name, part)
            else:
                with target.open(name, "w", force_zip64=True) as stream:
                    for chunk in part():
                        stream.write(chunk)
        for number in range(extra):
            target.writestr(f"xl/media/image{number}.png", b"")
    return buffer.getvalue()


def sheet_xml(cells: str, *, dimension: str | None = "A1:M2", prolog: str = "") -> bytes:
    dimension = f'<dimension ref="{dimension}"/>' if dimension else ""
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f"{prolog}"
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f"{dimension}<sheetData>{cells}</sheetData></worksheet>"
    ).encode()


def header_cells() -> str:
    cells = "".join(
        f'<c r="{openpyxl.utils.get_column_letter(n)}1" t="inlineStr"><is><t>{h}</t></is></c>'
        for n, h in enumerate(BASIC, start=1)
    )
    return f'<row r="1">{cells}</row>'


def shared_strings_bomb(megabytes: int):
    """The issue's workbook: shared strings that expand to `megabytes` MB."""

    def chunks():
        yield (
            b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/'
            b'spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>'
        )
        block = "党建台账".encode() * (MIB // 12)
        for _ in range(megabytes):
            yield block
        yield b"</t></si></sst>"

    return chunks


def understated(content: bytes, name: str, declared: int) -> bytes:
    """The archive with `name`'s uncompressed size understated in its directory."""
    return overstated(content, name, declared)


def overstated(content: bytes, name: str, declared: int) -> bytes:
    """The archive's directory (what readers go by) claiming `name` decompresses to
    `declared` bytes."""
    data = bytearray(content)
    encoded = name.encode()
    central = data.find(b"PK\x01\x02")
    while central >= 0:
        length = int.from_bytes(data[central + 28 : central + 30], "little")
        if bytes(data[central + 46 : central + 46 + length]) == encoded:
            data[central + 24 : central + 28] = declared.to_bytes(4, "little")
        central = data.find(b"PK\x01\x02", central + 4)
    return bytes(data)


LAUGHS = (
    '<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(
        f'<!ENTITY lol{n} "{("&lol" + str(n - 1) + ";") * 10 if n > 1 else "&lol;" * 10}">'
        for n in range(1, 10)
    )
    + "]>"
)
EXTERNAL = '<!DOCTYPE x [<!ENTITY secret SYSTEM "file:///etc/passwd">]>'


def hostile(kind: str) -> tuple[bytes, str]:
    """(the file, a part of the refusal it must get)."""
    base = valid_ledger()
    if kind == "shared_strings_bomb":
        return rebuilt(base, {SHARED: shared_strings_bomb(156)}), "压缩比异常"
    if kind == "sheet_bomb":

        def rows():
            yield sheet_xml(header_cells(), dimension=None)[: -len("</sheetData></worksheet>")]
            line = b'<row><c t="inlineStr"><is><t>x</t></is></c></row>' * 20_000
            for _ in range(100):
                yield line
            yield b"</sheetData></worksheet>"

        return rebuilt(base, {SHEET: rows}), "压缩比异常"
    if kind == "declared_too_large":
        return overstated(base, SHEET, 3 << 30), "解压后有3.0 GB"
    if kind == "size_understated":
        padded = sheet_xml(header_cells() + "<!--" + "x" * 200_000 + "-->", dimension=None)
        return understated(rebuilt(base, {SHEET: padded}), SHEET, 1000), "无法完整解压"
    if kind == "too_many_entries":
        return rebuilt(base, {}, extra=import_archive.MAX_ENTRIES), "多达"
    if kind == "row_2000000_declared":
        cells = header_cells() + '<row r="2000000"><c r="A2000000"><v>1</v></c></row>'
        return rebuilt(base, {SHEET: sheet_xml(cells, dimension="A1:M2000000")}), "第2000000行"
    if kind == "row_2000000_in_a_cell":
        cells = header_cells() + '<row r="2"><c r="A2000000"><v>1</v></c></row>'
        return rebuilt(base, {SHEET: sheet_xml(cells, dimension=None)}), "第2000000行"
    if kind == "column_beyond_xfd":
        cells = header_cells() + '<row r="2"><c r="XFE2"><v>1</v></c></row>'
        return rebuilt(base, {SHEET: sheet_xml(cells, dimension=None)}), "最大列数"
    if kind == "grid_of_a_billion_cells":
        cells = header_cells() + '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'
        return rebuilt(base, {SHEET: sheet_xml(cells, dimension=None)}), "使用范围过大"
    if kind == "billion_laughs":
        cells = (
            header_cells() + '<row r="2"><c r="A2" t="inlineStr"><is><t>&lol9;</t></is></c></row>'
        )
        return rebuilt(base, {SHEET: sheet_xml(cells, prolog=LAUGHS)}), "XML实体"
    if kind == "laughs_in_shared_strings":
        shared = (
            f'<?xml version="1.0"?>{LAUGHS}<sst xmlns="http://schemas.openxmlformats.org/'
            'spreadsheetml/2006/main"><si><t>&lol9;</t></si></sst>'
        ).encode()
        return rebuilt(base, {SHARED: shared}), "XML实体"
    if kind == "external_entity":
        cells = (
            header_cells() + '<row r="2"><c r="A2" t="inlineStr"><is><t>&secret;</t></is></c></row>'
        )
        return rebuilt(base, {SHEET: sheet_xml(cells, prolog=EXTERNAL)}), "XML实体"
    if kind == "external_entity_in_utf16":
        # The byte checks read UTF-8; the same entity spelled in UTF-16 must not slip past them.
        cells = (
            header_cells() + '<row r="2"><c r="A2" t="inlineStr"><is><t>&secret;</t></is></c></row>'
        )
        text = sheet_xml(cells, prolog=EXTERNAL).decode().replace(
            '<?xml version="1.0" encoding="UTF-8"', '<?xml version="1.0" encoding="UTF-16"'
        )
        return rebuilt(base, {SHEET: text.encode("utf-16")}), "UTF-8编码"
    if kind == "row_2000000_in_utf16":
        cells = header_cells() + '<row r="2"><c r="A2000000"><v>1</v></c></row>'
        text = sheet_xml(cells, dimension=None).decode()
        return rebuilt(base, {SHEET: text.encode("utf-16-le")}), "UTF-8编码"
    if kind == "malformed_xml":
        broken = sheet_xml(header_cells() + '<row r="2"><c r="A2"><v>1</c></row>', dimension=None)
        return rebuilt(base, {SHEET: broken}), "XML"
    if kind == "not_a_zip":
        return b"PK\x03\x04 but not really a zip archive" * 10, "不是有效的Excel工作簿"
    if kind == "zip_without_workbook":
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("readme.txt", "hello")
        return buffer.getvalue(), "不是有效的Excel工作簿"
    raise AssertionError(kind)


KINDS = [
    "shared_strings_bomb",
    "sheet_bomb",
    "declared_too_large",
    "size_understated",
    "too_many_entries",
    "row_2000000_declared",
    "row_2000000_in_a_cell",
    "column_beyond_xfd",
    "grid_of_a_billion_cells",
    "billion_laughs",
    "laughs_in_shared_strings",
    "external_entity",
    "external_entity_in_utf16",
    "row_2000000_in_utf16",
    "malformed_xml",
    "not_a_zip",
    "zip_without_workbook",
]


@pytest.fixture(scope="module")
def files():
    return {}


def built(files, kind) -> tuple[bytes, str]:
    if kind not in files:
        files[kind] = hostile(kind)
    return files[kind]


def counts() -> tuple:
    return (
        Organization.objects.count(),
        Organization.history.count(),
        PartyMember.objects.count(),
        SupervisoryUnit.objects.count(),
        Street.objects.count(),
        AuditRecord.objects.filter(action=AuditAction.DATA_CHANGE).count(),
    )


def assert_chinese_sentence(message: str, expected: str) -> None:
    assert expected in message
    assert "Traceback" not in message and "Error" not in message
    assert any("\u4e00" <= character <= "\u9fff" for character in message)


def test_the_valid_workbook_the_hostile_ones_start_from_imports():
    result = import_ledger(io.BytesIO(valid_ledger()), by=None)
    assert result.ok, result.report()
    assert result.created == 1


@pytest.mark.parametrize("kind", KINDS)
def test_the_service_refuses_quickly_in_chinese_and_writes_nothing(files, kind, tmp_path):
    content, expected = built(files, kind)
    assert len(content) < 2 * MIB  # small on disk
    before = counts()
    path = tmp_path / "台账.xlsx"
    path.write_bytes(content)
    started = time.perf_counter()
    with pytest.raises(LedgerImportError) as refusal:
        import_ledger(path, by=None)
    assert time.perf_counter() - started < QUICK_SECONDS
    assert_chinese_sentence(str(refusal.value), expected)
    assert counts() == before


@pytest.mark.parametrize("kind", KINDS)
def test_the_upload_page_refuses_in_chinese_and_writes_nothing(files, kind, client, clerk):
    content, expected = built(files, kind)
    before = counts()
    client.force_login(clerk)
    upload = SimpleUploadedFile("台账.xlsx", content, content_type="application/octet-stream")
    started = time.perf_counter()
    response = client.post(URL, {"ledger": upload, "dry_run": "1"})
    assert time.perf_counter() - started < QUICK_SECONDS
    assert response.status_code == 400
    assert_chinese_sentence(response.context["error"], expected)
    assert response.context["error"] in response.content.decode()
    assert counts() == before


@pytest.mark.parametrize("kind", KINDS)
def test_the_command_refuses_in_chinese_and_writes_nothing(files, kind, tmp_path):
    content, expected = built(files, kind)
    before = counts()
    path = tmp_path / "台账.xlsx"
    path.write_bytes(content)
    started = time.perf_counter()
    with pytest.raises(CommandError) as refusal:
        call_command("import_ledger", str(path), stdout=io.StringIO())
    assert time.perf_counter() - started < QUICK_SECONDS
    assert_chinese_sentence(str(refusal.value), expected)
    assert counts() == before


def test_a_sheet_over_excels_last_row_is_refused_before_its_cells_are_read():
    # The dimension says 2,000,000 rows: refused at once, whatever follows.
    cells = header_cells() + '<row r="2"><c r="A2"><v>1</v></c></row>'
    content = rebuilt(valid_ledger(), {SHEET: sheet_xml(cells, dimension="A1:B2000000")})
    with pytest.raises(import_archive.ArchiveRefused, match="第2000000行"):
        import_archive.inspect_archive(io.BytesIO(content))


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        ('<x:row r="2000000"><x:c r="A2000000"><x:v>1</x:v></x:c></x:row>', "第2000000行"),
        ('<x:row r="2"><x:c r="XFE2"><x:v>1</x:v></x:c></x:row>', "最大列数"),
        ('<x:row r="1048576"><x:c r="XFD1048576"><x:v>1</x:v></x:c></x:row>', "使用范围过大"),
    ],
)
def test_tags_with_a_namespace_prefix_are_held_to_the_same_bounds(cells, expected):
    """The checks take a faster pattern where no tag has a prefix; a prefixed sheet (a writer
    may name the namespace x:) goes through the general one, with the same refusals."""
    xml = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<x:sheetData><x:row r="1"><x:c r="A1"><x:v>1</x:v></x:c></x:row>'
        f"{cells}</x:sheetData></x:worksheet>"
    ).encode()
    content = rebuilt(valid_ledger(), {SHEET: xml})
    with pytest.raises(import_archive.ArchiveRefused, match=expected):
        import_archive.inspect_archive(io.BytesIO(content))


def test_rows_up_to_excels_last_row_are_accepted_by_the_archive_checks():
    cells = header_cells() + '<row r="1048576"><c r="A1048576"><v>1</v></c></row>'
    content = rebuilt(valid_ledger(), {SHEET: sheet_xml(cells, dimension="A1:M1048576")})
    facts = import_archive.inspect_archive(io.BytesIO(content))
    assert facts.date1904 is False


def test_a_1904_workbook_is_recognized_and_its_serial_dates_read_from_1904(tmp_path):
    workbook = openpyxl.Workbook()
    workbook.epoch = openpyxl.utils.datetime.CALENDAR_MAC_1904
    sheet = workbook.active
    sheet.append(BASIC)
    # A date typed as a plain number: 40282 days after 1904-01-01 is 2014-04-15.
    row = organization_row({"成立日期": 40282, "登记日期": "2014-05-20"})
    sheet.append([row.get(header) for header in BASIC])
    path = tmp_path / "mac.xlsx"
    workbook.save(path)
    assert import_archive.inspect_archive(open(path, "rb")).date1904 is True
    result = import_ledger(path, by=None)
    assert result.ok, result.report()
    organization = Organization.objects.get(credit_code=row["统一社会信用代码"])
    assert str(organization.established_on) == "2014-04-15"


def test_the_upload_page_holds_files_to_tighter_limits_than_the_command(client, clerk):
    # 13 columns down to row 1,000,000: 13 million cells, within the command's limit (the
    # operator's province-sized ledger) but not the page's.
    cells = header_cells() + '<row r="1000000"><c r="M1000000"><v>1</v></c></row>'
    content = rebuilt(valid_ledger(), {SHEET: sheet_xml(cells, dimension=None)})
    import_archive.inspect_archive(io.BytesIO(content), import_archive.COMMAND_LIMITS)
    with pytest.raises(import_archive.ArchiveRefused, match="使用范围过大"):
        import_archive.inspect_archive(io.BytesIO(content), import_archive.UPLOAD_LIMITS)
    client.force_login(clerk)
    upload = SimpleUploadedFile("台账.xlsx", content, content_type="application/octet-stream")
    response = client.post(URL, {"ledger": upload})
    assert response.status_code == 400
    assert "使用范围过大（1000000行×13列）" in response.context["error"]
    assert not Organization.objects.exists()
