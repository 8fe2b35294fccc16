"""R-EV-6 statistics (`evaluation_report`) and the Excel export of a year's evaluations."""

import datetime
import io
import json

import openpyxl
import pytest
from django.core.management import call_command

from evaluation.exports import HEADERS, write_evaluations
from evaluation.models import Evaluation
from evaluation.selectors import evaluation_rows
from evaluation.services import evaluation_decide, evaluation_open
from tests.evaluation.test_rules import eligible, scored
from tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db

AS_OF = datetime.date(2017, 9, 1)
DECIDED = datetime.date(2017, 12, 1)


def decided(clerk, *, covered, total_other, party=None):
    organization = eligible(clerk, covered=covered, members=3 if covered else 0)
    evaluation = evaluation_open(organization=organization, year=2017, by=clerk, as_of=AS_OF)
    scored(evaluation, clerk, total_other=total_other, party=party)
    return evaluation_decide(evaluation=evaluation, by=clerk, decided_on=DECIDED)


@pytest.fixture
def dataset(clerk):
    """2017: a covered 4A, a covered 3A, an uncovered 5A by score → 4A (R-EV-3), an uncovered
    2A by score → 1A, and one ineligible (registered last year)."""
    first = decided(clerk, covered=True, total_other=800, party=1.0)  # 850 → 4A
    decided(clerk, covered=True, total_other=680, party=1.0)  # 730 → 3A
    decided(clerk, covered=False, total_other=860, party=1.0)  # 910 → 5A → 4A
    decided(clerk, covered=False, total_other=600, party=1.0)  # 650 → 2A → 1A
    young = OrganizationFactory(
        supervisory_unit=None,
        name='=HYPERLINK("http://x")新社会组织',
        registered_on=datetime.date(2016, 10, 1),
        established_on=datetime.date(2016, 10, 1),
    )
    evaluation_open(organization=young, year=2017, by=clerk, as_of=AS_OF)
    return first


def report(*args):
    out = io.StringIO()
    call_command("evaluation_report", "--year", "2017", *args, stdout=out)
    return out.getvalue()


def test_json_report_counts_grades_and_the_party_coverage_share(dataset):
    figures = json.loads(report("--json"))
    assert figures["year"] == 2017
    assert figures["evaluated"] == 4  # decided only; the ineligible one is not evaluated
    assert figures["by_grade"] == {"5A": 0, "4A": 2, "3A": 1, "2A": 0, "1A": 1, "none": 0}
    assert figures["downgraded"] == 2
    assert figures["new_3a_plus"] == 3
    assert figures["new_3a_plus_with_party_org"] == 2
    assert figures["new_3a_plus_party_org_rate"] == 0.6667


def test_json_report_keeps_chinese_unescaped(dataset):
    output = report("--json")
    assert "\\u" not in output
    assert output.startswith("{\n  ")


def test_text_report_is_in_chinese(dataset):
    output = report()
    assert "2017年度社会组织等级评估" in output
    assert "评估数：4" in output
    assert "各等级：5A 0、4A 2、3A 1、2A 0、1A 1、无等级 0" in output
    assert "新评3A以上：3" in output
    assert "其中有党组织覆盖：2" in output
    assert "覆盖率：66.7%" in output


def test_report_of_a_year_without_evaluations_is_zero(db):
    figures = json.loads(report("--json"))
    assert figures["evaluated"] == figures["new_3a_plus"] == 0
    assert figures["new_3a_plus_party_org_rate"] == 0.0


def read(target):
    target.seek(0)
    return openpyxl.load_workbook(target).active


def test_export_has_title_frozen_header_autofilter_and_rows(dataset):
    target = io.BytesIO()
    count = write_evaluations(
        target, evaluation_rows(Evaluation.objects.filter(year=2017)), year=2017
    )
    assert count == 5
    sheet = read(target)
    assert sheet.cell(1, 1).value == "2017年度社会组织等级评估结果"
    assert [c.value for c in sheet[2]] == HEADERS
    assert sheet.freeze_panes == "C3"
    assert sheet.auto_filter.ref == "A2:O7"
    rows = [dict(zip(HEADERS, (c.value for c in line), strict=True)) for line in sheet.iter_rows(3)]
    assert [row["序号"] for row in rows] == [1, 2, 3, 4, 5]
    best = rows[0]  # the uncovered 910, downgraded
    assert (best["总分"], best["按分数等级"], best["评估等级"]) == (910, "5A", "4A")
    assert (best["是否降级"], best["有党组织覆盖"]) == ("是", "否")
    assert "无党组织覆盖，降为 4A" in best["说明"]
    assert best["评定日期"].date() == DECIDED
    assert best["有效期至"].date() == datetime.date(2022, 12, 1)
    covered = next(row for row in rows if row["总分"] == 850)
    assert (covered["评估等级"], covered["是否降级"], covered["有党组织覆盖"]) == ("4A", "否", "是")
    assert covered["统一社会信用代码"] == dataset.organization.credit_code
    ineligible = rows[-1]
    assert ineligible["总分"] is None and ineligible["评估等级"] is None
    assert "登记未满2年" in ineligible["不具备评估资格原因"]


def test_export_writes_text_as_text_never_formulas(dataset):
    target = io.BytesIO()
    write_evaluations(target, evaluation_rows(Evaluation.objects.filter(year=2017)), year=2017)
    target.seek(0)
    sheet = openpyxl.load_workbook(target).active
    names = [sheet.cell(row, 2) for row in range(3, 8)]
    formula = next(cell for cell in names if str(cell.value).startswith("="))
    assert formula.data_type == "s"
    assert sheet.cell(3, 3).data_type == "s"  # the credit code stays text


def test_export_command_writes_the_file(dataset, tmp_path):
    path = tmp_path / "评估结果.xlsx"
    out = io.StringIO()
    call_command("export_evaluations", "--year", "2017", str(path), stdout=out)
    assert "已导出 2017 年度 5 条评估记录" in out.getvalue()
    sheet = openpyxl.load_workbook(path).active
    assert sheet.cell(1, 1).value == "2017年度社会组织等级评估结果"
    assert sheet.max_row == 7


def test_the_statistics_page_offers_the_years_results_as_excel(client, clerk, committee_user):
    import io

    from django.urls import reverse
    from openpyxl import load_workbook

    from evaluation.services import evaluation_decide, evaluation_open
    from tests.evaluation.test_rules import eligible, scored

    organization = eligible(clerk)
    evaluation = evaluation_open(
        organization=organization, year=2017, by=clerk, as_of=datetime.date(2017, 9, 1)
    )
    scored(evaluation, clerk, total_other=800)
    evaluation_decide(evaluation=evaluation, by=clerk, decided_on=datetime.date(2017, 12, 1))
    client.force_login(committee_user)
    page = client.get(reverse("evaluation:statistics"), {"year": 2017}).content.decode()
    assert reverse("evaluation:results_download") in page
    response = client.get(reverse("evaluation:results_download"), {"year": 2017})
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    values = [cell for row in workbook.worksheets[0].iter_rows(values_only=True) for cell in row]
    assert organization.name in values
