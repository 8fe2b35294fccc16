"""A new bureau's first import (issue 15): into a database that has only run `migrate` (no
seed_demo), the ledger this system exported from the demo is taken back whole, and districts
and streets are matched however a clerk writes them."""

import io

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from partybuilding.exports import COLUMNS, LEDGER_SHEET
from partybuilding.ledger_import import import_ledger
from registry.models import District, Organization, Street
from tests.factories import credit_code_for

pytestmark = pytest.mark.django_db

BASIC = [column.header for column in COLUMNS if column.basic]


@pytest.fixture(scope="module")
def demo_ledger(django_db_setup, django_db_blocker, tmp_path_factory):
    """The ledger exported from the demo: seeded and exported inside a transaction that is then
    rolled back, so every test of this module starts from the migrate-only database."""
    from django.db import transaction

    path = tmp_path_factory.mktemp("demo") / "台账.xlsx"
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", password="Demo-pass-2018", stdout=io.StringIO())
        call_command("export_ledger", str(path), stdout=io.StringIO())
        transaction.set_rollback(True)
    return path


def basic_rows(path) -> list[tuple]:
    """The columns the import reads back, row by row, from the header on."""
    sheet = openpyxl.load_workbook(path, read_only=True)[LEDGER_SHEET]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    index = {header: position for position, header in enumerate(rows[0])}
    return [tuple(row[index[header]] for header in BASIC) for row in rows]


def test_the_demos_ledger_round_trips_through_an_empty_install(demo_ledger, tmp_path):
    assert not Organization.objects.exists()  # only `migrate` has run
    exported = basic_rows(demo_ledger)
    districts = {row[BASIC.index("所属区")] for row in exported[1:]}
    assert "南关区" in districts  # the row all 71 were once refused on

    result = import_ledger(demo_ledger, by=None)

    assert result.ok, result.report()
    assert result.created == len(exported) - 1
    again = tmp_path / "again.xlsx"
    call_command("export_ledger", str(again), stdout=io.StringIO())
    assert basic_rows(again) == exported


def test_the_import_command_takes_the_demo_ledger_into_an_empty_install(demo_ledger):
    out = io.StringIO()
    call_command("import_ledger", str(demo_ledger), stdout=out)
    assert "导入完成" in out.getvalue()
    assert not District.objects.filter(code="").exclude(kind="functional_zone").exists()
    assert Organization.objects.filter(district__code="220102").exists()


def ledger(
    path,
    rows,
    headers=(
        "社会组织名称",
        "统一社会信用代码",
        "组织类型",
        "行业类别",
        "业务主管单位",
        "法定代表人",
        "联系人",
        "联系电话",
        "所属区",
        "所属街道",
        "成立日期",
        "登记日期",
        "住所",
    ),
):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = LEDGER_SHEET
    sheet.append(list(headers))
    for number, (district, street) in enumerate(rows):
        sheet.append(
            [
                f"长春市第{number + 1}社区服务中心",
                credit_code_for("private_non_enterprise"),
                "民办非企业单位",
                "社区",
                "长春市民政局",
                "王建国",
                "李晓梅",
                "13904311234",
                district,
                street,
                "2014-04-15",
                "2014-05-20",
                "长春市人民大街1号",
            ]
        )
    workbook.save(path)
    return path


@pytest.mark.parametrize(
    ("district", "street"),
    [
        ("南关区", "南岭街道"),
        ("南关", "南岭"),
        ("长春市南关区", "南关区南岭街道"),
        ("吉林省长春市南关区", "南岭街道"),
        (" 长春市 南关区 ", " 南岭 街道 "),
        ("220102", "220102001000"),
        ("２２０１０２", "南岭街道"),
    ],
)
def test_the_usual_ways_of_writing_a_district_and_street_all_import(tmp_path, district, street):
    streets_before = Street.objects.count()
    result = import_ledger(ledger(tmp_path / "l.xlsx", [(district, street)]), by=None)
    assert result.ok, result.report()
    organization = Organization.objects.get()
    assert (organization.district.code, organization.street.code) == ("220102", "220102001000")
    assert Street.objects.count() == streets_before  # matched, not duplicated


def test_an_unknown_district_is_refused_naming_the_allowed_ones(tmp_path):
    with pytest.raises(CommandError) as raised:
        call_command(
            "import_ledger",
            str(ledger(tmp_path / "l.xlsx", [("东城区", "")])),
            stdout=io.StringIO(),
        )
    message = str(raised.value)
    assert "未知的所属区“东城区”，可选：" in message
    for name in District.objects.values_list("name", flat=True):
        assert name in message
    assert not Organization.objects.exists()


def test_an_unknown_street_code_is_refused_and_a_new_street_name_is_added(tmp_path):
    result = import_ledger(ledger(tmp_path / "l.xlsx", [("南关区", "220103001000")]), by=None)
    assert not result.ok
    assert "南关区没有代码为“220103001000”的街道（乡镇）" in result.report()

    result = import_ledger(ledger(tmp_path / "m.xlsx", [("南关区", "新建街道")]), by=None)
    assert result.ok, result.report()
    assert Street.objects.get(name="新建街道").district.code == "220102"
