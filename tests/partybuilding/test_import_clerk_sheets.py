"""A clerk's own sheets (issue 15, point 3): written by other programs (XlsxWriter, openpyxl, a
writer of inline strings), a merged title above the header, columns in any order, codes typed
with spaces, in lower case or full-width, numbers stored as text or decimals, dates as text
(2018年5月, 2018.05.10, 2018/5/10) or Excel serials — into an empty registry and a full one."""

import datetime
import io
import zipfile

import openpyxl
import pytest
import xlsxwriter
from openpyxl.utils import get_column_letter

from partybuilding.ledger_import import import_ledger
from partybuilding.models import PartyMember
from registry.models import Organization
from tests.factories import DistrictFactory, OrganizationFactory, StreetFactory, id_number_for
from tests.partybuilding.test_ledger_import import BASIC, PNE, organization_row, row_of

pytestmark = pytest.mark.django_db

FULL_WIDTH = str.maketrans(
    "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ",
    "０１２３４５６７８９ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺ",
)
MEMBER_HEADERS = [
    "入党日期",
    "党员类别",
    "姓名",
    "组织关系",
    "所在社会组织统一社会信用代码",
    "身份证号",
    "人员类型",
]


@pytest.fixture(autouse=True)
def places():
    StreetFactory()
    DistrictFactory(name="南关区", code="220102")


def credit_code() -> str:
    from tests.factories import credit_code_for

    return credit_code_for(PNE)


def xlsxwriter_book(rows, *, headers=None, members=(), member_headers=MEMBER_HEADERS) -> bytes:
    """The way a clerk's sheet often looks: a merged title, a blank line, the header on row 3
    in the clerk's own order with a running number; real dates formatted as dates."""
    headers = headers or ["序号", *reversed(BASIC)]
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    title = workbook.add_format({"bold": True, "align": "center"})
    date = workbook.add_format({"num_format": "yyyy年m月d日"})
    sheet = workbook.add_worksheet("2024年台账")
    sheet.merge_range(0, 0, 0, len(headers) - 1, "某区社会组织党建工作统计表", title)
    for column, header in enumerate(headers):
        sheet.write_string(2, column, header)
    for line, row in enumerate(rows, start=3):
        for column, header in enumerate(headers):
            value = line - 2 if header == "序号" else row.get(header)
            if isinstance(value, datetime.date):
                sheet.write_datetime(line, column, value, date)
            elif isinstance(value, str):
                sheet.write_string(line, column, value)  # text, even "3.0" or "41744"
            elif value is not None:
                sheet.write_number(line, column, value)
    if members:
        people = workbook.add_worksheet("党员")
        people.merge_range(0, 0, 1, len(member_headers) - 1, "党员花名册", title)
        for column, header in enumerate(member_headers):
            people.write_string(2, column, header)
        for line, row in enumerate(members, start=3):
            for column, header in enumerate(member_headers):
                value = row.get(header)
                if isinstance(value, datetime.date):
                    people.write_datetime(line, column, value, date)
                elif value is not None:
                    people.write(line, column, value)
    workbook.close()
    return buffer.getvalue()


def imported(content: bytes, **kwargs):
    result = import_ledger(io.BytesIO(content), by=None, **kwargs)
    assert result.ok, result.report()
    return result


def test_an_xlsxwriter_sheet_with_a_merged_title_and_the_header_on_row_3_is_read():
    rows = [organization_row(), organization_row({"专职人员数": "3.0"})]
    result = imported(xlsxwriter_book(rows))
    assert result.created == 2
    first = Organization.objects.get(credit_code=rows[0]["统一社会信用代码"])
    assert (first.name, first.full_time_staff) == ("长春市导入测试养老服务中心", 6)
    assert first.established_on == datetime.date(2014, 4, 15)
    assert first.street.name == "湖西街道"
    assert Organization.objects.get(credit_code=rows[1]["统一社会信用代码"]).full_time_staff == 3


def test_errors_name_the_rows_as_excel_numbers_them_below_a_merged_title():
    rows = [organization_row(), organization_row({"所属区": "不存在区"})]
    result = import_ledger(io.BytesIO(xlsxwriter_book(rows)), by=None)
    assert [(e.sheet, e.row, e.column) for e in result.errors] == [("2024年台账", 5, "所属区")]


def test_an_openpyxl_sheet_with_merged_title_rows_and_columns_in_another_order(tmp_path):
    headers = ["备注", *sorted(BASIC)]
    row = organization_row()
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet["A1"] = "长春市社会组织党建工作台账"
    sheet.merge_cells(start_row=1, start_column=1, end_row=2, end_column=len(headers))
    sheet.append([])  # the merged title covers rows 1 and 2; the header is on row 4
    sheet.append(headers)
    sheet.append([row.get(header) for header in headers])
    path = tmp_path / "merged.xlsx"
    workbook.save(path)
    result = import_ledger(path, by=None)
    assert result.ok, result.report()
    assert Organization.objects.get(credit_code=row["统一社会信用代码"]).contact_person == "李晓梅"


def inline_string_book(rows) -> bytes:
    """A workbook as streaming writers write it (WPS and others): strings inline in the cells,
    no shared strings part, no dimension."""
    base = io.BytesIO()
    workbook = openpyxl.Workbook()
    workbook.active.title = "Sheet1"
    workbook.save(base)

    def cell(reference, value):
        if isinstance(value, int | float):
            return f'<c r="{reference}"><v>{value}</v></c>'
        return f'<c r="{reference}" t="inlineStr"><is><t>{value}</t></is></c>'

    lines = [BASIC, *([row.get(header) for header in BASIC] for row in rows)]
    xml = "".join(
        f'<row r="{number}">'
        + "".join(
            cell(f"{get_column_letter(column)}{number}", value)
            for column, value in enumerate(line, start=1)
            if value is not None
        )
        + "</row>"
        for number, line in enumerate(lines, start=1)
    )
    sheet = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.'
        f'openxmlformats.org/spreadsheetml/2006/main"><sheetData>{xml}</sheetData></worksheet>'
    )
    source = zipfile.ZipFile(io.BytesIO(base.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = sheet.encode()
            target.writestr(info.filename, data)
    return out.getvalue()


def test_a_workbook_of_inline_strings_without_shared_strings_or_dimension_is_read():
    # 41744 is 2014-04-15 as a serial, stored as a plain number.
    row = organization_row({"成立日期": 41744, "登记日期": "2014/5/20", "专职人员数": 4.0})
    imported(inline_string_book([row]))
    organization = Organization.objects.get(credit_code=row["统一社会信用代码"])
    assert organization.established_on == datetime.date(2014, 4, 15)
    assert organization.registered_on == datetime.date(2014, 5, 20)
    assert organization.full_time_staff == 4


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("2018年5月", datetime.date(2018, 5, 1)),
        ("2018年05月", datetime.date(2018, 5, 1)),
        ("２０１８年５月", datetime.date(2018, 5, 1)),
        ("2018.05", datetime.date(2018, 5, 1)),
        ("2018.05.10", datetime.date(2018, 5, 10)),
        ("2018/5/10", datetime.date(2018, 5, 10)),
        ("2018年5月10日", datetime.date(2018, 5, 10)),
        (datetime.date(2018, 5, 10), datetime.date(2018, 5, 10)),  # a date cell
        (43230, datetime.date(2018, 5, 10)),  # its serial, in a General cell
        (43230.0, datetime.date(2018, 5, 10)),
        ("43230", datetime.date(2018, 5, 10)),  # the serial stored as text
    ],
)
def test_dates_as_text_months_or_serials_in_a_clerks_sheet(typed, expected):
    row = organization_row({"成立日期": typed, "登记日期": datetime.date(2019, 1, 2)})
    imported(xlsxwriter_book([row]))
    assert Organization.objects.get(credit_code=row["统一社会信用代码"]).established_on == expected


@pytest.mark.parametrize("typed", ["2018年13月", "2018年", "5月10日", "2018-02-30", "¹", "①②"])
def test_a_date_that_is_not_one_is_refused_naming_the_cell(typed):
    row = organization_row({"成立日期": typed})
    result = import_ledger(io.BytesIO(xlsxwriter_book([row])), by=None)
    assert [(e.row, e.column) for e in result.errors] == [(4, "成立日期")]
    assert typed in result.errors[0].message
    assert not Organization.objects.exists()


@pytest.mark.parametrize("typed", ["3", "3.0", "3.00", 3, 3.0, "３", " 3 ", "3人"])
def test_numbers_stored_as_text_or_decimals(typed):
    row = organization_row({"专职人员数": typed})
    imported(xlsxwriter_book([row]))
    assert Organization.objects.get(credit_code=row["统一社会信用代码"]).full_time_staff == 3


@pytest.mark.parametrize("typed", ["3.5", "三"])
def test_a_staff_number_that_is_not_a_whole_number_is_refused(typed):
    row = organization_row({"专职人员数": typed})
    result = import_ledger(io.BytesIO(xlsxwriter_book([row])), by=None)
    assert [e.column for e in result.errors] == ["专职人员数"]


@pytest.mark.parametrize(
    "spell",
    [
        lambda code: code.lower(),
        lambda code: f" {code[:6]} {code[6:12]} {code[12:]} ",
        lambda code: code.translate(FULL_WIDTH),
        lambda code: f"\u3000{code.lower().translate(FULL_WIDTH)}\u3000",
    ],
    ids=["lower case", "spaces", "full-width", "full-width lower case with ideographic spaces"],
)
def test_credit_codes_typed_loosely_create_and_then_match_the_stored_organization(spell):
    code = credit_code()
    row = organization_row({"统一社会信用代码": spell(code)})
    imported(xlsxwriter_book([row]))
    assert Organization.objects.get().credit_code == code
    # Into the now full registry: the same loose spelling finds it and changes it.
    result = imported(xlsxwriter_book([{**row, "联系人": "周文"}]))
    assert (result.created, result.updated) == (0, 1)
    assert Organization.objects.get().contact_person == "周文"


def test_members_sheet_with_a_merged_title_loose_numbers_and_month_dates():
    code = credit_code()
    number = id_number_for()
    loose = number.translate(FULL_WIDTH).lower()  # full-width digits, ｘ in lower case
    members = [
        {
            "入党日期": "2018年5月",
            "党员类别": "正式党员",
            "姓名": "赵志刚",
            "组织关系": "已转入",
            "所在社会组织统一社会信用代码": code.lower(),
            "身份证号": f" {loose} ",
            "人员类型": "专职",
        }
    ]
    content = xlsxwriter_book([organization_row({"统一社会信用代码": code})], members=members)
    result = imported(content)
    assert (result.created, result.members_created) == (1, 1)
    member = PartyMember.objects.get()
    assert member.id_number == number
    assert member.joined_party_on == datetime.date(2018, 5, 1)
    assert member.organization.credit_code == code


def test_a_clerks_sheet_updates_a_full_registry():
    stored = [OrganizationFactory() for _ in range(3)]
    rows = [row_of(o, {"专职人员数": f"{o.full_time_staff + 1}.0"}) for o in stored]
    rows[0]["统一社会信用代码"] = stored[0].credit_code.lower().translate(FULL_WIDTH)
    rows[1]["成立日期"] = stored[1].established_on.strftime("%Y.%m.%d")
    rows[2]["登记日期"] = stored[2].registered_on.strftime("%Y/%-m/%-d")
    result = imported(xlsxwriter_book([*rows, organization_row()]))
    assert (result.created, result.updated, result.unchanged) == (1, 3, 0)
    for organization in stored:
        before = organization.full_time_staff
        organization.refresh_from_db()
        assert organization.full_time_staff == before + 1
