"""The ledger gains 最近年检结论 (with year), and the R-AC-4 reason when the clerk departed."""

import datetime

import pytest
from openpyxl import load_workbook

from annualcheck.choices import CheckResult
from annualcheck.services import annual_check_review
from partybuilding.exports import LEDGER_SHEET, ledger_headers, write_ledger
from partybuilding.ledger.selectors import ledger_rows
from registry.models import Organization
from tests.annualcheck.test_rules import direct_organization, submitted
from tests.factories import add_members

pytestmark = pytest.mark.django_db


def test_ledger_shows_the_latest_result_and_the_reason_for_an_exception(tmp_path, clerk):
    unbuilt = direct_organization(name="甲养老院")
    add_members(unbuilt, 3)
    annual_check = submitted(
        unbuilt,
        party_organization_name="",
        no_party_organization_reason="正在筹建",
        work_coverage="指导员联系",
    )
    annual_check_review(
        annual_check=annual_check,
        by=clerk,
        result="basically_qualified",
        reason="已提交组建申请",
        today=datetime.date(2018, 5, 20),
    )
    direct_organization(name="乙养老院")  # never checked: empty cell

    path = tmp_path / "ledger.xlsx"
    write_ledger(path, ledger_rows(Organization.objects.all()), title="台账")
    sheet = load_workbook(path)[LEDGER_SHEET]
    headers = ledger_headers()
    column = headers.index("最近年检结论")
    rows = {row[1]: row for row in sheet.iter_rows(min_row=3, values_only=True)}
    label = CheckResult.BASICALLY_QUALIFIED.label  # 基本合格 in the zh_Hans catalogue
    assert rows["甲养老院"][column] == f"2017年 {label}（已提交组建申请）"
    assert rows["乙养老院"][column] is None
