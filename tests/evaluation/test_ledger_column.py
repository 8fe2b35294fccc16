"""The ledger gains 评估等级: the latest decided grade with its year and expiry."""

import datetime

import pytest
from openpyxl import load_workbook

from evaluation.services import evaluation_decide, evaluation_open
from partybuilding.exports import LEDGER_SHEET, ledger_headers, write_ledger
from partybuilding.ledger.selectors import ledger_rows
from registry.models import Organization
from tests.evaluation.test_rules import checked, eligible, scored

pytestmark = pytest.mark.django_db


def test_ledger_shows_the_latest_grade_with_year_and_expiry(tmp_path, clerk):
    rated = eligible(clerk)
    evaluation = evaluation_open(
        organization=rated, year=2017, by=clerk, as_of=datetime.date(2017, 9, 1)
    )
    scored(evaluation, clerk, total_other=770)
    evaluation_decide(evaluation=evaluation, by=clerk, decided_on=datetime.date(2017, 12, 1))

    scoring = eligible(clerk)  # opened, not decided: empty cell
    checked(scoring, clerk, {2017: "qualified"})
    evaluation_open(organization=scoring, year=2018, by=clerk, as_of=datetime.date(2018, 6, 1))

    path = tmp_path / "ledger.xlsx"
    write_ledger(path, ledger_rows(Organization.objects.all()), title="台账")
    sheet = load_workbook(path)[LEDGER_SHEET]
    column = ledger_headers().index("评估等级")
    rows = {row[1]: row for row in sheet.iter_rows(min_row=3, values_only=True)}
    # Five years after 2017-12-01 the grade has expired (issue 19: 已过期, not shown as current).
    assert rows[rated.name][column] == "2017年 4A（已过期，有效期至2022-12-01）"
    assert rows[scoring.name][column] is None
