"""The ledger's extension columns (最近年检结论, 评估等级) are read per chunk of rows, one query
per extension, and still show the latest reviewed check and decided evaluation as of the date."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from annualcheck.models import AnnualCheck
from evaluation.models import Evaluation, Scheme
from partybuilding.exports import LEDGER_SHEET, ledger_headers, write_ledger
from partybuilding.ledger.selectors import LEDGER_EXTENSIONS, ledger_rows
from registry.models import Organization
from tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db

D = datetime.date


def _check(organization, year, *, reviewed_on=None, result="qualified", reason=""):
    reviewed = reviewed_on is not None
    return AnnualCheck.objects.create(
        organization=organization,
        year=year,
        status="reviewed" if reviewed else "submitted",
        result=result if reviewed else "",
        result_reason=reason,
        reviewed_on=reviewed_on,
    )


def _evaluation(organization, year, *, decided_on=None, grade="4A", valid_until=None):
    scheme = Scheme.objects.filter(year__lte=year).order_by("-year").first()
    scheme = scheme or Scheme.objects.create(year=year, name=f"{year}年评估方案")
    return Evaluation.objects.create(
        organization=organization,
        year=year,
        scheme=scheme,
        status="decided" if decided_on else "scoring",
        grade=grade if decided_on else "",
        decided_on=decided_on,
        valid_until=valid_until,
    )


@pytest.fixture
def histories():
    """One organization with two reviewed checks and a third under way, two decided
    evaluations and a third being scored; one organization with nothing."""
    rated = OrganizationFactory(name="甲协会")
    _check(rated, 2015, reviewed_on=D(2016, 5, 1), result="unqualified")
    _check(rated, 2016, reviewed_on=D(2017, 5, 1), result="basically_qualified", reason="整改中")
    _check(rated, 2017)  # submitted, not reviewed
    _evaluation(rated, 2015, decided_on=D(2015, 12, 1), grade="3A", valid_until=D(2020, 12, 1))
    _evaluation(rated, 2017, decided_on=D(2017, 12, 1), grade="5A", valid_until=D(2022, 12, 1))
    _evaluation(rated, 2018)  # scoring
    OrganizationFactory(name="乙协会")
    return rated


def _texts(as_of):
    rows = {row["name"]: row for row in ledger_rows(Organization.objects.all(), as_of=as_of)}
    return {
        name: {extension.field: row[extension.field] for extension in LEDGER_EXTENSIONS}
        for name, row in rows.items()
    }


def test_a_row_shows_the_latest_reviewed_check_and_decided_evaluation_as_of_the_date(histories):
    later = _texts(D(2018, 6, 1))["甲协会"]
    assert later["latest_annual_check"].startswith("2016年 ")
    assert later["latest_annual_check"].endswith("（整改中）")
    assert later["evaluation_grade"] == "2017年 5A（有效期至2022-12-01）"

    # Before the 2016 check was reviewed and the 2017 grade decided: the earlier ones.
    earlier = _texts(D(2017, 1, 1))["甲协会"]
    assert earlier["latest_annual_check"].startswith("2015年 ")
    assert earlier["evaluation_grade"] == "2015年 3A（有效期至2020-12-01）"

    nothing = {"latest_annual_check": "", "evaluation_grade": "", "credit_status": ""}
    assert _texts(D(2015, 1, 1))["甲协会"] == nothing
    assert _texts(D(2018, 6, 1))["乙协会"] == nothing


def test_the_workbook_and_the_dict_rows_agree(tmp_path, histories):
    as_of = D(2018, 6, 1)
    path = tmp_path / "ledger.xlsx"
    write_ledger(path, ledger_rows(Organization.objects.all(), as_of=as_of), title="台账")
    headers = ledger_headers()
    sheet = load_workbook(path, read_only=True)[LEDGER_SHEET]
    lines = {row[1]: row for row in sheet.iter_rows(min_row=3, values_only=True)}
    for name, texts in _texts(as_of).items():
        for extension in LEDGER_EXTENSIONS:
            assert lines[name][headers.index(extension.header)] == (texts[extension.field] or None)


def test_the_ledger_page_shows_the_enriched_columns(client, clerk, histories):
    _evaluation(histories, 2019, decided_on=D(2019, 12, 1), grade="2A")
    client.force_login(clerk)
    response = client.get(reverse("partybuilding:ledger"))
    column = [c.header for c in response.context["columns"]].index("评估等级")
    cells = {line["pk"]: line["cells"] for line in response.context["table"]}
    assert cells[histories.pk][column] == "2019年 2A"


def _export_queries(tmp_path, chunk_size=2000) -> int:
    with CaptureQueriesContext(connection) as queries:
        write_ledger(
            tmp_path / "ledger.xlsx",
            ledger_rows(Organization.objects.all(), chunk_size=chunk_size),
            title="台账",
        )
    return len(queries)


def _organizations_with_histories(count):
    for _ in range(count):
        organization = OrganizationFactory()
        _check(organization, 2016, reviewed_on=D(2017, 5, 1))
        _evaluation(organization, 2016, decided_on=D(2016, 12, 1))


def test_export_queries_do_not_grow_with_the_rows(tmp_path):
    _organizations_with_histories(4)
    few = _export_queries(tmp_path)
    _organizations_with_histories(8)
    assert _export_queries(tmp_path) == few


def test_export_queries_are_one_per_extension_and_chunk(tmp_path):
    _organizations_with_histories(4)
    one_chunk = _export_queries(tmp_path, chunk_size=4)
    _organizations_with_histories(8)
    three_chunks = _export_queries(tmp_path, chunk_size=4)
    assert three_chunks == one_chunk + 2 * len(LEDGER_EXTENSIONS)
