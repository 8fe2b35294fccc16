"""The ledger import (台账导入): the exported ledger read back, hand-made files, all-or-nothing
errors naming sheet, row and column, and the Party members sheet (R-ID-1, R-ID-2, R-PB-1)."""

import datetime
import io
import zipfile

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl.utils.datetime import to_excel

from partybuilding.exports import COLUMNS, LEDGER_SHEET, write_ledger
from partybuilding.ledger.selectors import ledger_rows
from partybuilding.ledger_import import (
    NO_HEADER,
    NOT_A_WORKBOOK,
    LedgerImportError,
    RowError,
    import_ledger,
)
from partybuilding.models import PartyMember
from partybuilding.standings.selectors import with_party_building
from registry.models import Organization, Street, SupervisoryUnit
from tests.factories import (
    DistrictFactory,
    IndustryFactory,
    OrganizationFactory,
    PartyMemberFactory,
    StreetFactory,
    SupervisoryUnitFactory,
    credit_code_for,
    id_number_for,
)

pytestmark = pytest.mark.django_db

BASIC = [column.header for column in COLUMNS if column.basic]
MEMBER_HEADERS = [
    "姓名",
    "身份证号",
    "所在社会组织统一社会信用代码",
    "党员类别",
    "人员类型",
    "组织关系",
    "证明信日期",
    "入党日期",
    "转正日期",
]
PNE = "private_non_enterprise"


@pytest.fixture(autouse=True)
def places():
    """朝阳区 with 湖西街道, and 南关区: what the rows below refer to."""
    StreetFactory()
    DistrictFactory(name="南关区", code="220102")


def organization_row(changes=None, **fields) -> dict:
    """A valid ledger row (header → value) for a new private non-enterprise unit."""
    row = {
        "社会组织名称": fields.get("name", "长春市导入测试养老服务中心"),
        "统一社会信用代码": fields.get("code") or credit_code_for(PNE),
        "组织类型": "民办非企业单位",
        "行业类别": "养老",
        "业务主管单位": "长春市民政局",
        "法定代表人": "王建国",
        "联系人": "李晓梅",
        "联系电话": "13904311234",
        "所属区": "朝阳区",
        "所属街道": "湖西街道",
        "专职人员数": 6,
        "成立日期": datetime.date(2014, 4, 15),
        "登记日期": datetime.date(2014, 5, 20),
    }
    row.update(changes or {})
    return row


def row_of(organization: Organization, changes=None) -> dict:
    """The ledger row of an organization already stored."""
    labels = {"social_group": "社会团体", PNE: "民办非企业单位", "foundation": "基金会"}
    row = {
        "社会组织名称": organization.name,
        "统一社会信用代码": organization.credit_code,
        "组织类型": labels[organization.organization_type],
        "行业类别": organization.industry.name,
        "业务主管单位": organization.supervisory_unit.name if organization.supervisory_unit else "",
        "法定代表人": organization.legal_representative,
        "联系人": organization.contact_person,
        "联系电话": organization.contact_phone,
        "所属区": organization.district.name,
        "所属街道": organization.street.name if organization.street else "",
        "专职人员数": organization.full_time_staff,
        "成立日期": organization.established_on,
        "登记日期": organization.registered_on,
    }
    row.update(changes or {})
    return row


def ledger_sheet(rows, *, headers=BASIC, title="长春市社会组织党建工作台账", name=LEDGER_SHEET):
    lines = [[title]] if title else []
    lines.append(list(headers))
    lines += [[row.get(header) for header in headers] for row in rows]
    return name, lines


def member_sheet(rows, *, headers=MEMBER_HEADERS, name="党员名册"):
    return name, [list(headers), *([row.get(header) for header in headers] for row in rows)]


def member_row(code, changes=None) -> dict:
    row = {
        "姓名": "赵志刚",
        "身份证号": id_number_for(),
        "所在社会组织统一社会信用代码": code,
        "党员类别": "正式党员",
        "人员类型": "专职",
        "组织关系": "已转入",
        "入党日期": datetime.date(2005, 7, 1),
    }
    row.update(changes or {})
    return row


def write_book(path, *sheets):
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for name, lines in sheets:
        sheet = workbook.create_sheet(name)
        for line in lines:
            sheet.append(line)
    workbook.save(path)
    return path


def basic_cells(path) -> list[list]:
    """The basic columns of an exported ledger, row by row."""
    sheet = openpyxl.load_workbook(path, read_only=True)[LEDGER_SHEET]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    index = {header: position for position, header in enumerate(rows[0])}
    return [[row[index[header]] for header in BASIC] for row in rows[1:]]


# --- reading back the exported ledger ---------------------------------------------------------


def test_round_trip_export_import_export_keeps_every_basic_column(tmp_path):
    nanguan = DistrictFactory(name="南关区", code="220102")
    bureau_unit = SupervisoryUnitFactory(name="长春市民政局社会组织服务处")
    science = SupervisoryUnitFactory(name="长春市科学技术协会", is_civil_affairs=False)
    social_work = IndustryFactory(code="social_work", name="社工")
    OrganizationFactory(name="长春市至爱护理院", supervisory_unit=bureau_unit, full_time_staff=8)
    OrganizationFactory(
        name="长春市社会工作者协会",
        organization_type="social_group",
        industry=social_work,
        supervisory_unit=None,  # direct registration
        district=nanguan,
        street=StreetFactory(district=nanguan, name="永吉街道"),
        full_time_staff=0,
    )
    OrganizationFactory(
        name="长春市慈善基金会",
        organization_type="foundation",
        supervisory_unit=science,
        street=None,
        established_on=datetime.date(2009, 12, 31),
        registered_on=datetime.date(2010, 2, 1),
    )
    OrganizationFactory(name='=HYPERLINK("http://example.com")测试协会', district=nanguan)
    OrganizationFactory(name="长春市金秋居家养老服务中心", supervisory_unit=bureau_unit)
    before = tmp_path / "before.xlsx"
    write_ledger(before, ledger_rows(Organization.objects.all()), title="t")
    Organization.objects.all().delete()
    bureau_unit.delete()  # the import recreates a unit it does not know

    result = import_ledger(before, by=None)

    assert result.ok, result.report()
    assert (result.created, result.updated, result.supervisory_units_created) == (5, 0, 1)
    recreated = SupervisoryUnit.objects.get(name="长春市民政局社会组织服务处")
    assert recreated.is_civil_affairs is True
    assert Organization.objects.get(name="长春市至爱护理院").bureau_managed is True
    assert Organization.objects.get(name="长春市社会工作者协会").supervisory_unit is None
    after = tmp_path / "after.xlsx"
    write_ledger(after, ledger_rows(Organization.objects.all()), title="t")
    first, second = basic_cells(before), basic_cells(after)
    assert len(first) == 5
    for line, (old, new) in enumerate(zip(first, second, strict=True), start=3):
        for header, old_value, new_value in zip(BASIC, old, new, strict=True):
            assert old_value == new_value, f"row {line}, {header}"


def test_importing_the_same_ledger_again_changes_nothing(tmp_path):
    organizations = [OrganizationFactory() for _ in range(3)]
    path = tmp_path / "ledger.xlsx"
    write_ledger(path, ledger_rows(Organization.objects.all()), title="t")
    history = sum(o.history.count() for o in organizations)

    result = import_ledger(path, by=None)

    assert (result.created, result.updated, result.unchanged) == (0, 0, 3)
    assert sum(o.history.count() for o in organizations) == history


def test_title_row_extra_columns_and_shuffled_column_order_are_read_by_header(tmp_path):
    headers = ["序号", "备注", *reversed(BASIC), "党建状态", "组织覆盖"]
    headers[headers.index("专职人员数")] = "专职\n人员数"  # a wrapped header cell
    headers[headers.index("联系人")] = " 联系人 "
    row = organization_row({"序号": 1, "备注": "新登记", "党建状态": "胡乱填写", "组织覆盖": "是"})
    row |= {"专职\n人员数": 7, " 联系人 ": "周文"}
    lines = [["长春市社会组织党建工作台账"], [], headers, [row.get(h) for h in headers]]
    path = write_book(tmp_path / "ledger.xlsx", ("填表说明", [["请按表头填写"]]), ("Sheet1", lines))

    result = import_ledger(path, by=None)

    assert result.ok, result.report()
    organization = Organization.objects.get(credit_code=row["统一社会信用代码"])
    assert (organization.contact_person, organization.full_time_staff) == ("周文", 7)
    assert organization.industry.name == "养老"
    assert organization.street.name == "湖西街道"
    assert organization.registered_on == datetime.date(2014, 5, 20)


def test_rows_empty_in_every_column_read_are_skipped(tmp_path):
    rows = [organization_row(), {}, {}, organization_row()]
    name, lines = ledger_sheet(rows, headers=["序号", *BASIC])
    lines.append(["合计：2家"])  # a footer in the running-number column
    path = write_book(tmp_path / "ledger.xlsx", (name, lines))

    result = import_ledger(path, by=None)

    assert result.ok, result.report()
    assert result.created == 2


# --- hand-typed cells -------------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["12", 12, 12.0, " 12 ", "12人", "１２"])
def test_staff_numbers_typed_as_text_or_floats_are_read(tmp_path, typed):
    row = organization_row({"专职人员数": typed})
    import_ledger(write_book(tmp_path / "l.xlsx", ledger_sheet([row])), by=None)
    assert Organization.objects.get(credit_code=row["统一社会信用代码"]).full_time_staff == 12


@pytest.mark.parametrize(
    "typed",
    [
        "2014-04-15",
        "2014/4/15",
        "2014.4.15",
        "2014年4月15日",
        " 2014-04-15 00:00:00 ",
        "20140415",
        datetime.date(2014, 4, 15),
        datetime.datetime(2014, 4, 15, 0, 0),
        int(to_excel(datetime.date(2014, 4, 15))),  # 41744, a date cell formatted as General
        to_excel(datetime.date(2014, 4, 15)),
        "41744",
    ],
)
def test_dates_typed_as_text_excel_dates_or_serial_numbers_are_read(tmp_path, typed):
    row = organization_row({"成立日期": typed, "登记日期": "2014-05-20"})
    result = import_ledger(write_book(tmp_path / "l.xlsx", ledger_sheet([row])), by=None)
    assert result.ok, result.report()
    organization = Organization.objects.get(credit_code=row["统一社会信用代码"])
    assert organization.established_on == datetime.date(2014, 4, 15)


def test_codes_with_spaces_and_lower_case_and_phones_typed_as_numbers_are_normalized(tmp_path):
    code = credit_code_for(PNE)
    typed = f" {code[:8].lower()} {code[8:].lower()} "
    row = organization_row({"统一社会信用代码": typed, "联系电话": 13904311234})
    result = import_ledger(write_book(tmp_path / "l.xlsx", ledger_sheet([row])), by=None)
    assert result.ok, result.report()
    organization = Organization.objects.get(credit_code=code)
    assert organization.contact_phone == "13904311234"


def test_the_type_comes_from_the_credit_code_when_the_column_is_left_empty(tmp_path):
    code = credit_code_for("social_group")
    row = organization_row({"统一社会信用代码": code, "组织类型": None})
    result = import_ledger(write_book(tmp_path / "l.xlsx", ledger_sheet([row])), by=None)
    assert result.ok, result.report()
    assert Organization.objects.get(credit_code=code).organization_type == "social_group"


def test_industry_by_code_new_street_and_direct_registration(tmp_path):
    row = organization_row(
        {"行业类别": "social_work", "所属街道": "红星街道", "业务主管单位": "无"}
    )
    result = import_ledger(write_book(tmp_path / "l.xlsx", ledger_sheet([row])), by=None)
    assert result.ok, result.report()
    assert result.streets_created == 1
    organization = Organization.objects.get(credit_code=row["统一社会信用代码"])
    assert organization.industry.code == "social_work"
    assert (organization.street.district.name, organization.street.name) == ("朝阳区", "红星街道")
    assert organization.supervisory_unit is None
    assert organization.bureau_managed is False
    assert "朝阳区红星街道" in organization.address  # the model requires an address


def test_new_supervisory_units_named_after_civil_affairs_make_the_organization_bureau_managed(
    tmp_path,
):
    bureau = organization_row({"业务主管单位": "长春市民间组织管理局"})
    other = organization_row({"业务主管单位": "长春市卫生健康委员会"})
    result = import_ledger(write_book(tmp_path / "l.xlsx", ledger_sheet([bureau, other])), by=None)
    assert result.ok, result.report()
    assert result.supervisory_units_created == 2
    by_code = {o.credit_code: o for o in Organization.objects.all()}
    assert by_code[bureau["统一社会信用代码"]].bureau_managed is True
    assert by_code[other["统一社会信用代码"]].bureau_managed is False


def test_a_name_beginning_with_an_equals_sign_stays_text(tmp_path):
    row = organization_row({"社会组织名称": "=1+1协会"})
    name, lines = ledger_sheet([row])
    path = tmp_path / "l.xlsx"
    write_book(path, (name, lines))
    workbook = openpyxl.load_workbook(path)
    cell = workbook[LEDGER_SHEET].cell(row=3, column=1)
    cell.value, cell.data_type = "=1+1协会", "s"  # typed text, not a formula
    workbook.save(path)
    assert import_ledger(path, by=None).ok
    assert Organization.objects.filter(name="=1+1协会").exists()


# --- errors: reported where they are, nothing written -----------------------------------------


def _bad_check_character(code):
    return {"统一社会信用代码": code[:-1] + ("0" if code[-1] != "0" else "1")}


ERROR_CASES = {
    "bad_check_character": (
        _bad_check_character,
        "统一社会信用代码",
        "统一社会信用代码第18位（校验码）应为",
    ),
    "duplicate_code": (
        lambda code: {"统一社会信用代码": "DUPLICATE"},
        "统一社会信用代码",
        "与第3行",
    ),
    "missing_name": (lambda code: {"社会组织名称": "  "}, "社会组织名称", "不能为空"),
    "staff_not_a_number": (lambda code: {"专职人员数": "十二"}, "专职人员数", "“十二”不是数字"),
    "unknown_district": (lambda code: {"所属区": "东城区"}, "所属区", "未知的所属区“东城区”"),
    "code_type_mismatch": (
        lambda code: {"统一社会信用代码": credit_code_for("social_group")},
        "统一社会信用代码",
        "第2位（机构类别代码）为1，表示社会团体",
    ),
    "unknown_industry": (lambda code: {"行业类别": "餐饮"}, "行业类别", "未知的行业类别“餐饮”"),
    "unknown_type": (lambda code: {"组织类型": "公司"}, "组织类型", "未知的组织类型“公司”"),
    "bad_date": (lambda code: {"成立日期": "2014-13-01"}, "成立日期", "不是有效的日期"),
    "registered_before_established": (
        lambda code: {"登记日期": datetime.date(2013, 1, 1)},
        "登记日期",
        "登记日期不能早于成立日期",
    ),
    "bad_phone": (lambda code: {"联系电话": "12345"}, "联系电话", "不是有效的电话号码"),
    "empty_contact": (lambda code: {"联系人": None}, "联系人", "不能为空"),
}


@pytest.mark.parametrize("kind", ERROR_CASES)
def test_each_error_is_reported_on_its_sheet_row_and_column_and_nothing_is_written(tmp_path, kind):
    make_changes, column, message = ERROR_CASES[kind]
    existing = OrganizationFactory()
    first = organization_row()
    code = credit_code_for(PNE)
    changes = make_changes(code)
    if changes.get("统一社会信用代码") == "DUPLICATE":
        changes["统一社会信用代码"] = first["统一社会信用代码"].lower()
    faulty = organization_row(changes, code=code)
    update = row_of(existing, {"联系人": "孙国华"})
    path = write_book(tmp_path / "l.xlsx", ledger_sheet([first, faulty, update]))

    result = import_ledger(path, by=None)

    assert not result.ok
    assert len(result.errors) == 1, result.report()
    error = result.errors[0]
    assert (error.sheet, error.row, error.column) == (LEDGER_SHEET, 4, column)
    assert message in error.message
    assert Organization.objects.count() == 1
    existing.refresh_from_db()
    assert existing.contact_person != "孙国华"
    assert (result.created, result.updated) == (0, 0)


def test_the_report_has_one_line_per_error_in_chinese(tmp_path):
    good = organization_row()
    bad_code = _bad_check_character(credit_code_for(PNE))["统一社会信用代码"]
    bad = organization_row({"统一社会信用代码": bad_code, "所属区": "东城区"})
    result = import_ledger(write_book(tmp_path / "l.xlsx", ledger_sheet([good, bad])), by=None)

    lines = result.report().splitlines()
    assert lines[0] == "导入失败：发现2处错误，未写入任何数据。请修改后重新导入。"
    expected = "应为{}，当前为{}。".format(*_check_characters(bad_code))
    assert (
        lines[1]
        == f"第4行（党建工作台账）“统一社会信用代码”：统一社会信用代码第18位（校验码）{expected}"
    )
    assert lines[2].startswith("第4行（党建工作台账）“所属区”：未知的所属区“东城区”，可选：")
    assert Organization.objects.count() == 0


def _check_characters(code):
    from stdnum.cn import uscc

    return uscc.calc_check_digit(code[:17]), code[17]


def test_a_new_district_without_the_street_column_keeps_street_and_district_apart(tmp_path):
    existing = OrganizationFactory()  # 朝阳区湖西街道
    headers = [h for h in BASIC if h != "所属街道"]
    row = row_of(existing, {"所属区": "南关区"})
    path = write_book(tmp_path / "l.xlsx", ledger_sheet([row], headers=headers))

    result = import_ledger(path, by=None)

    assert [(e.row, e.column, e.message) for e in result.errors] == [
        (3, "所属街道", "该街道不属于所选的所属区。")
    ]
    existing.refresh_from_db()
    assert existing.district.name == "朝阳区"


def test_a_new_organization_needs_the_date_columns(tmp_path):
    existing = OrganizationFactory()
    headers = [h for h in BASIC if h not in ("成立日期", "登记日期")]
    rows = [row_of(existing, {"联系人": "孙国华"}), organization_row()]
    path = write_book(tmp_path / "l.xlsx", ledger_sheet(rows, headers=headers))

    result = import_ledger(path, by=None)

    assert [(e.row, e.column) for e in result.errors] == [(4, "成立日期"), (4, "登记日期")]
    assert "文件中没有这一列" in result.errors[0].message
    assert Organization.objects.count() == 1


def test_every_faulty_row_is_reported_at_once(tmp_path):
    rows = [organization_row({"所属区": f"第{n}区"}) for n in range(5)]
    result = import_ledger(write_book(tmp_path / "l.xlsx", ledger_sheet(rows)), by=None)
    assert [e.row for e in result.errors] == [3, 4, 5, 6, 7]
    assert Organization.objects.count() == 0


@pytest.mark.parametrize(
    "content",
    [
        b"not a zip",
        b"",
        "社会组织名称,统一社会信用代码\n长春市测试协会,51220100MJ0000011X\n".encode(),
        "zip-without-workbook",
    ],
    ids=["garbage", "empty", "csv_renamed", "zip_without_workbook"],
)
def test_a_file_that_is_not_a_workbook_gives_one_sentence(tmp_path, content):
    if content == "zip-without-workbook":
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("readme.txt", "hello")
        content = buffer.getvalue()
    path = tmp_path / "x.xlsx"
    path.write_bytes(content)
    with pytest.raises(LedgerImportError) as raised:
        import_ledger(path, by=None)
    assert str(raised.value) == NOT_A_WORKBOOK
    assert str(raised.value).count("。") == 1


def test_a_workbook_without_a_ledger_header_is_refused(tmp_path):
    path = write_book(tmp_path / "x.xlsx", ("Sheet1", [["名称", "代码"], ["a", "b"]]))
    with pytest.raises(LedgerImportError, match="没有找到台账表头"):
        import_ledger(path, by=None)
    assert NO_HEADER.endswith("。")


def test_the_content_decides_not_the_file_extension_and_file_objects_work(tmp_path):
    row = organization_row()
    path = write_book(tmp_path / "台账.csv", ledger_sheet([row]))
    assert import_ledger(path, by=None, dry_run=True).ok
    with open(path, "rb") as handle:
        assert import_ledger(handle, by=None).created == 1


def test_dry_run_validates_everything_and_writes_nothing(tmp_path):
    existing = OrganizationFactory()
    rows = [
        organization_row({"业务主管单位": "长春市民政局新设处室", "所属街道": "新建街道"}),
        organization_row({"业务主管单位": existing.supervisory_unit.name}),
        row_of(existing, {"联系人": "孙国华"}),
    ]
    units, streets = SupervisoryUnit.objects.count(), Street.objects.count()

    result = import_ledger(
        write_book(tmp_path / "l.xlsx", ledger_sheet(rows)), by=None, dry_run=True
    )

    assert result.ok
    assert (result.created, result.updated, result.unchanged) == (2, 1, 0)
    assert (result.supervisory_units_created, result.streets_created) == (1, 1)
    assert result.summary().startswith("试导入完成，未写入任何数据：将新建社会组织2家，更新1家")
    assert Organization.objects.count() == 1
    assert (SupervisoryUnit.objects.count(), Street.objects.count()) == (units, streets)
    existing.refresh_from_db()
    assert existing.contact_person != "孙国华"


def test_update_changes_the_contact_person_and_history_names_the_author(tmp_path, clerk):
    existing = OrganizationFactory(contact_person="张三")
    code = existing.credit_code
    row = row_of(existing, {"联系人": "李四", "统一社会信用代码": code.lower()})
    path = write_book(tmp_path / "l.xlsx", ledger_sheet([row]))

    result = import_ledger(path, by=clerk)

    assert result.ok, result.report()
    assert (result.created, result.updated) == (0, 1)
    existing.refresh_from_db()
    assert existing.contact_person == "李四"
    latest = existing.history.latest()
    assert latest.contact_person == "李四"
    assert latest.history_user == clerk


def test_an_update_file_may_hold_only_some_columns(tmp_path):
    existing = OrganizationFactory(full_time_staff=5)
    row = {"社会组织名称": existing.name, "统一社会信用代码": existing.credit_code, "专职人员数": 9}
    headers = ["社会组织名称", "统一社会信用代码", "专职人员数"]
    result = import_ledger(
        write_book(tmp_path / "l.xlsx", ledger_sheet([row], headers=headers)), by=None
    )
    assert result.ok, result.report()
    existing.refresh_from_db()
    assert existing.full_time_staff == 9


def test_reference_lookups_cost_the_same_queries_for_3_or_30_rows(tmp_path):
    stored = OrganizationFactory()
    member = PartyMemberFactory(organization=stored, id_number=id_number_for())

    def queries(count):
        rows = [organization_row({"所属街道": f"新街道{n}"}) for n in range(count)]
        rows[0] = row_of(stored, {"联系人": "孙国华"})
        members = [member_row(row["统一社会信用代码"]) for row in rows]
        members[0] = member_row(stored.credit_code, {"身份证号": member.id_number})
        members.append(member_row(stored.credit_code))
        path = write_book(tmp_path / f"{count}.xlsx", ledger_sheet(rows), member_sheet(members))
        with CaptureQueriesContext(connection) as captured:
            result = import_ledger(path, by=None, dry_run=True)
        assert result.ok, result.report()
        assert (result.updated, result.members_updated) == (1, 1)
        return len(captured)

    assert queries(3) == queries(30)


def test_a_row_refused_while_writing_rolls_everything_back(tmp_path, monkeypatch):
    from partybuilding.ledger_import import importer as imports

    rows = [organization_row({"所属街道": "新建街道"}), organization_row(), organization_row()]
    # As if someone registered the second code between the batch's lookup and its write.
    OrganizationFactory(credit_code=rows[1]["统一社会信用代码"])
    monkeypatch.setattr(imports, "_stored_organizations", lambda codes: {})
    path = write_book(tmp_path / "l.xlsx", ledger_sheet(rows))

    result = import_ledger(path, by=None)

    assert [(e.row, e.column) for e in result.errors] == [(4, "统一社会信用代码")]
    assert (result.created, result.streets_created) == (0, 0)
    assert Organization.objects.count() == 1
    assert not Street.objects.filter(name="新建街道").exists()


# --- the members sheet ------------------------------------------------------------------------


def test_members_sheet_creates_members_that_count_by_r_pb_1(tmp_path):
    organization = organization_row()
    code = organization["统一社会信用代码"]
    stored = OrganizationFactory()
    members = [
        member_row(code),
        member_row(code, {"人员类型": "专职工作人员", "组织关系": "组织关系已转入"}),
        member_row(code, {"人员类型": "兼职"}),
        member_row(code, {"组织关系": "流动党员", "证明信日期": "2018-03-01"}),
        member_row(code, {"组织关系": "未转接"}),  # no letter: does not count
        member_row(code, {"党员类别": "预备党员", "转正日期": "2019/1/1"}),
        member_row(code, {"人员类型": "服务对象"}),  # 老人党员
        member_row(stored.credit_code.lower(), {"人员类型": "志愿者"}),
    ]
    path = write_book(tmp_path / "l.xlsx", ledger_sheet([organization]), member_sheet(members))

    result = import_ledger(path, by=None)

    assert result.ok, result.report()
    assert (result.created, result.members_created) == (1, 8)
    row = with_party_building(Organization.objects.filter(credit_code=code)).get()
    assert row.counted_members == 4
    assert row.probationary_members == 1
    assert PartyMember.objects.filter(organization=stored).count() == 1
    probationary = PartyMember.objects.get(status="probationary")
    assert probationary.full_membership_due_on == datetime.date(2019, 1, 1)
    assert probationary.sex == "male"  # from the ID number


def test_members_sheet_updates_members_by_id_number(tmp_path):
    member = PartyMemberFactory(role="full_time_staff", id_number=id_number_for())
    row = member_row(
        member.organization.credit_code, {"身份证号": member.id_number, "人员类型": "兼职"}
    )
    result = import_ledger(write_book(tmp_path / "l.xlsx", member_sheet([row])), by=None)
    assert result.ok, result.report()
    assert (result.members_created, result.members_updated) == (0, 1)
    member.refresh_from_db()
    assert (member.role, member.name) == ("part_time_staff", "赵志刚")


MEMBER_ERROR_CASES = {
    "bad_id_number": ("身份证号", "身份证号最后一位（校验码）应为"),
    "duplicate_id_number": ("身份证号", "与第2行的身份证号重复"),
    "unknown_organization": ("所在社会组织统一社会信用代码", "没有统一社会信用代码为"),
    "probationary_without_date": ("转正日期", "预备党员必须填写转正日期"),
    "unknown_role": ("人员类型", "未知的人员类型“临时工”"),
}


@pytest.mark.parametrize("kind", MEMBER_ERROR_CASES)
def test_member_errors_are_reported_and_nothing_is_written(tmp_path, kind):
    column, message = MEMBER_ERROR_CASES[kind]
    organization = organization_row()
    code = organization["统一社会信用代码"]
    first = member_row(code)
    faulty = member_row(code)
    if kind == "bad_id_number":
        number = faulty["身份证号"]
        faulty["身份证号"] = number[:17] + ("0" if number[17] != "0" else "1")
    elif kind == "duplicate_id_number":
        faulty["身份证号"] = first["身份证号"]
    elif kind == "unknown_organization":
        faulty["所在社会组织统一社会信用代码"] = credit_code_for(PNE)
    elif kind == "probationary_without_date":
        faulty["党员类别"] = "预备党员"
    else:
        faulty["人员类型"] = "临时工"
    path = write_book(
        tmp_path / "l.xlsx", ledger_sheet([organization]), member_sheet([first, faulty])
    )

    result = import_ledger(path, by=None)

    assert [(e.sheet, e.row, e.column) for e in result.errors] == [("党员名册", 3, column)]
    assert message in result.errors[0].message
    assert Organization.objects.count() == 0
    assert PartyMember.objects.count() == 0


def test_member_errors_never_show_the_id_number(tmp_path):
    organization = OrganizationFactory()
    number = id_number_for()
    rows = [member_row(organization.credit_code, {"身份证号": number}) for _ in range(2)]
    result = import_ledger(write_book(tmp_path / "l.xlsx", member_sheet(rows)), by=None)
    assert not result.ok
    assert number not in result.report()


# --- the management command -------------------------------------------------------------------


def test_command_prints_the_summary(tmp_path):
    path = write_book(tmp_path / "l.xlsx", ledger_sheet([organization_row()]))
    out = io.StringIO()
    call_command("import_ledger", str(path), stdout=out)
    assert out.getvalue().strip().startswith("导入完成：新建社会组织1家")
    assert "共读取1行，用时" in out.getvalue()  # the speed, for the benchmark suite
    assert Organization.objects.count() == 1


def test_command_dry_run_writes_nothing(tmp_path):
    path = write_book(tmp_path / "l.xlsx", ledger_sheet([organization_row()]))
    out = io.StringIO()
    call_command("import_ledger", str(path), "--dry-run", stdout=out)
    assert "试导入完成" in out.getvalue()
    assert Organization.objects.count() == 0


def test_command_exits_non_zero_with_the_report(tmp_path):
    row = organization_row({"所属区": "东城区"})
    path = write_book(tmp_path / "l.xlsx", ledger_sheet([row]))
    with pytest.raises(CommandError) as raised:
        call_command("import_ledger", str(path))
    assert "第3行（党建工作台账）“所属区”：未知的所属区“东城区”，可选：" in str(raised.value)
    assert Organization.objects.count() == 0


def test_command_refuses_a_file_that_is_not_a_workbook(tmp_path):
    path = tmp_path / "x.xlsx"
    path.write_bytes(b"not a zip")
    with pytest.raises(CommandError, match="不是有效的Excel工作簿"):
        call_command("import_ledger", str(path))


def test_row_errors_read_as_one_line():
    error = RowError(
        "党建工作台账", 5, "统一社会信用代码", "统一社会信用代码应为18位，当前为17位。"
    )
    assert (
        str(error)
        == "第5行（党建工作台账）“统一社会信用代码”：统一社会信用代码应为18位，当前为17位。"
    )


def test_a_value_the_model_refuses_is_refused_after_valid_rows_of_the_same_column(tmp_path):
    """The import remembers the model's verdict on values it has seen (speed); a new value is
    still checked by the model's own field, with the model's message, on its row and column."""
    from django.core.exceptions import ValidationError

    field = Organization._meta.get_field("legal_representative")
    too_long = "王" * (field.max_length + 1)
    try:
        field.clean(too_long, None)
    except ValidationError as error:
        expected = error.messages[0]
    rows = [organization_row(name=f"长春市导入测试第{n}养老服务中心") for n in range(3)]
    rows[2]["法定代表人"] = too_long
    path = tmp_path / "ledger.xlsx"
    write_book(path, ledger_sheet(rows))

    result = import_ledger(path)

    assert result.errors == [RowError(LEDGER_SHEET, 5, "法定代表人", expected)]
    assert not Organization.objects.exists()


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [("联系电话", "12345", "不是有效的电话号码"), ("法定代表人", "王" * 51, "50")],
)
def test_an_update_the_model_refuses_is_reported_and_not_written(tmp_path, column, value, message):
    """Stored rows are checked by the same compiled field checks as new ones (`fields`): the
    model's message, on the row and column, and the stored row unchanged."""
    existing = OrganizationFactory()
    before = (existing.contact_phone, existing.legal_representative)
    path = write_book(tmp_path / "l.xlsx", ledger_sheet([row_of(existing, {column: value})]))

    result = import_ledger(path, by=None)

    assert [(e.row, e.column) for e in result.errors] == [(3, column)], result.report()
    assert message in result.errors[0].message
    existing.refresh_from_db()
    assert (existing.contact_phone, existing.legal_representative) == before
