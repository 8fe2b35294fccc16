"""The year's results as Excel (the ledger's streaming builder pattern)."""

import datetime
import io

import openpyxl
import pytest
from django.core.management import call_command
from django.urls import reverse

from accounts import roles
from annualcheck.exports import HEADERS, write_annual_checks
from annualcheck.models import AnnualCheck
from annualcheck.selectors import annual_check_rows
from annualcheck.services import annual_check_review
from tests.annualcheck.test_rules import direct_organization, submitted
from tests.factories import OrganizationFactory, add_members, make_user

pytestmark = pytest.mark.django_db

FORMULA_NAME = '=HYPERLINK("http://evil.example","点我")'


def workbook_of(data: bytes):
    return openpyxl.load_workbook(io.BytesIO(data))


def make_checks(clerk):
    plain = submitted(direct_organization(name=FORMULA_NAME))
    annual_check_review(
        annual_check=plain,
        by=clerk,
        result="basically_qualified",
        rectifications=[("问题一", datetime.date(2018, 9, 1))],
    )
    organization = direct_organization(name="长春市应建未建协会")
    add_members(organization, 3)
    unbuilt = submitted(
        organization,
        party_organization_name="",
        no_party_organization_reason="正在筹建",
        work_coverage="由党建指导员联系",
    )
    annual_check_review(annual_check=unbuilt, by=clerk, result="qualified", reason="已提交申请")
    pending = submitted(
        OrganizationFactory(name="长春市待审社会服务中心"), on=datetime.date(2018, 4, 2)
    )
    return plain, unbuilt, pending


def rows_by_name(sheet):
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    return {row[1]: dict(zip(HEADERS, row, strict=False)) for row in rows}


def test_the_workbook_title_header_rows_and_text(clerk):
    make_checks(clerk)
    target = io.BytesIO()
    count = write_annual_checks(
        target, annual_check_rows(AnnualCheck.objects.filter(year=2017)), year=2017
    )
    assert count == 3
    sheet = workbook_of(target.getvalue()).active
    assert sheet["A1"].value == "2017年度社会组织年检结果"
    assert [cell.value for cell in sheet[2]] == HEADERS
    assert sheet.freeze_panes == "C3"
    assert sheet.auto_filter.ref == "A2:Q5"
    rows = rows_by_name(sheet)
    plain = rows[FORMULA_NAME]
    assert sheet.cell(row=3, column=2).data_type == "s"  # a string, not a formula
    assert (plain["年检结论"], plain["整改事项数"], plain["未销号整改数"]) == ("基本合格", 1, 1)
    assert (plain["应建未建"], plain["是否逾期"], plain["党组织名称"]) == ("否", "否", "某党支部")
    unbuilt = rows["长春市应建未建协会"]
    assert (unbuilt["年检结论"], unbuilt["规则默认结论"], unbuilt["结论理由"]) == (
        "合格",
        "不合格",
        "已提交申请",
    )
    assert unbuilt["应建未建"] == "是"
    pending = rows["长春市待审社会服务中心"]
    assert (pending["是否逾期"], pending["年检结论"], pending["应建未建"]) == ("是", None, "否")
    assert pending["状态"]  # the status label


def test_rows_are_streamed_without_per_row_queries(clerk, django_assert_num_queries):
    make_checks(clerk)
    with django_assert_num_queries(1):
        rows = list(annual_check_rows(AnnualCheck.objects.all()))
    assert len(rows) == 3


def test_the_command_writes_the_file(clerk, tmp_path):
    make_checks(clerk)
    path = tmp_path / "年检结果.xlsx"
    out = io.StringIO()
    call_command("export_annual_checks", "--year", "2017", str(path), stdout=out)
    assert "3" in out.getvalue()
    sheet = openpyxl.load_workbook(path).active
    assert sheet["A1"].value == "2017年度社会组织年检结果"
    assert sheet.max_row == 5


def test_the_download_is_scoped_and_the_admin_action_exports(client, clerk):
    plain, _unbuilt, pending = make_checks(clerk)
    unit_user = make_user(
        roles.SUPERVISORY_UNIT, supervisory_unit=pending.organization.supervisory_unit
    )
    client.force_login(unit_user)
    response = client.get(reverse("annualcheck:results_download"), {"year": 2017})
    assert response.status_code == 200
    rows = rows_by_name(workbook_of(b"".join(response.streaming_content)).active)
    assert set(rows) == {"长春市待审社会服务中心"}

    client.force_login(clerk)
    response = client.post(
        reverse("admin:annualcheck_annualcheck_changelist"),
        {"action": "export_results", "_selected_action": [plain.pk]},
    )
    assert response.status_code == 200
    sheet = workbook_of(b"".join(response.streaming_content)).active
    assert set(rows_by_name(sheet)) == {FORMULA_NAME}
