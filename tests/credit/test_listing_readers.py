"""Where people work, the lists show (issue 18 point 1): the ledger's 信用状态 column, the
organization list's 信用状态 filter and its page's listings, the annual-check review page, and
the evaluation's eligibility (R-CR-16). Each with flat queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from accounts import roles
from evaluation.services import eligibility_problems
from partybuilding.exports import LEDGER_SHEET, ledger_headers, write_ledger
from partybuilding.ledger.selectors import LedgerRows, ledger_rows
from partybuilding.ledger_import import import_ledger
from registry.models import Organization
from tests.annualcheck.test_rules import direct_organization, submitted
from tests.evaluation.test_rules import eligible
from tests.factories import (
    IndustryFactory,
    OrganizationFactory,
    PenaltyFactory,
    SupervisoryUnitFactory,
    add_members,
    listed,
    make_user,
)

pytestmark = pytest.mark.django_db

ORGANIZATIONS = reverse("admin:registry_organization_changelist")
LEDGER = reverse("partybuilding:ledger")


def _same_queries(client, url, params, grow, django_assert_max_num_queries):
    client.get(url, params)  # once-a-day work (the standings check) is not the page's
    with django_assert_max_num_queries(40) as one:
        first = client.get(url, params)
    assert first.status_code == 200
    grow()
    with django_assert_max_num_queries(len(one.captured_queries)):
        again = client.get(url, params)
    assert again.status_code == 200
    return first, again


# --- The ledger ---------------------------------------------------------------------------------


def test_the_ledger_shows_each_list_with_the_day_it_was_first_listed(tmp_path):
    abnormal = OrganizationFactory(name="甲协会")
    listed(abnormal, on=datetime.date(2018, 3, 1))
    listed(abnormal, ground="unreachable", on=datetime.date(2018, 5, 1))
    both = OrganizationFactory(name="乙协会")
    listed(both, "serious", on=datetime.date(2019, 1, 2))
    listed(both, on=datetime.date(2018, 4, 1))
    removed = OrganizationFactory(name="丙协会")
    listed(removed, status="removed", removed_on=datetime.date(2018, 9, 1))
    listed(
        OrganizationFactory(name="丁协会"), status="proposed", listed_on=None, term_starts_on=None
    )
    OrganizationFactory(name="戊协会")

    path = tmp_path / "ledger.xlsx"
    write_ledger(path, ledger_rows(Organization.objects.all()), title="台账")
    column = ledger_headers().index("信用状态")
    sheet = load_workbook(path)[LEDGER_SHEET]
    assert sheet.cell(row=2, column=column + 1).value == "信用状态"
    cells = {row[1]: row[column] for row in sheet.iter_rows(min_row=3, values_only=True)}
    assert cells == {
        "甲协会": "活动异常名录（2018-03-01列入）",
        "乙协会": "严重违法失信名单（2019-01-02列入）；活动异常名录（2018-04-01列入）",
        "丙协会": None,
        "丁协会": None,
        "戊协会": None,
    }


def test_a_ledger_of_an_earlier_day_shows_the_lists_of_that_day():
    removed = OrganizationFactory(name="丙协会")
    listed(removed, status="removed", removed_on=datetime.date(2018, 9, 1))
    later = OrganizationFactory(name="己协会")
    listed(later, on=datetime.date(2018, 8, 1))
    rows = {
        row["name"]: row["credit_status"]
        for row in LedgerRows(Organization.objects.all(), as_of=datetime.date(2018, 6, 1))
    }
    assert rows == {"丙协会": "活动异常名录（2018-03-01列入）", "己协会": ""}


def test_the_import_reads_the_ledger_back_without_its_credit_status(tmp_path):
    organization = OrganizationFactory()
    entry = listed(organization)
    path = tmp_path / "ledger.xlsx"
    write_ledger(path, ledger_rows(Organization.objects.all()), title="t")
    history = organization.history.count()

    result = import_ledger(path, by=None)

    assert result.ok, result.report()
    assert (result.created, result.updated, result.unchanged) == (0, 0, 1)
    assert organization.history.count() == history
    entry.refresh_from_db()
    assert entry.status == "listed"


def test_the_ledger_page_shows_the_column_with_flat_queries(
    client, clerk, django_assert_max_num_queries
):
    industry = IndustryFactory()
    first = OrganizationFactory(industry=industry)
    add_members(first, 2)
    listed(first)
    client.force_login(clerk)

    def grow():
        for _ in range(29):
            organization = OrganizationFactory(industry=industry)
            listed(organization, "serious")
            listed(organization)

    one, thirty = _same_queries(
        client, LEDGER, {"industry": industry.pk}, grow, django_assert_max_num_queries
    )
    assert "信用状态" in one.content.decode()
    assert "活动异常名录（2018-03-01列入）" in one.content.decode()
    assert len(thirty.context["table"]) == 30


# --- The organization admin ---------------------------------------------------------------------


def test_the_organization_list_filters_by_credit_status(client, clerk):
    abnormal, serious, neither = (OrganizationFactory() for _ in range(3))
    listed(abnormal)
    listed(serious, "serious")
    listed(neither, status="removed", removed_on=datetime.date(2018, 9, 1))
    client.force_login(clerk)

    def shown(value):
        response = client.get(ORGANIZATIONS, {"credit_status": value})
        return {row.pk for row in response.context["cl"].result_list}

    assert shown("abnormal") == {abnormal.pk}
    assert shown("serious") == {serious.pk}
    assert shown("neither") == {neither.pk}
    page = client.get(ORGANIZATIONS).content.decode()
    assert "信用状态" in page and "列入严重违法失信名单" in page


@pytest.mark.parametrize("params", [{}, {"credit_status": "abnormal"}], ids=["all", "abnormal"])
def test_the_organization_list_costs_the_same_for_1_and_30_rows(
    client, clerk, django_assert_max_num_queries, params
):
    listed(OrganizationFactory())
    client.force_login(clerk)
    _one, thirty = _same_queries(
        client,
        ORGANIZATIONS,
        params,
        lambda: [listed(OrganizationFactory()) for _ in range(29)],
        django_assert_max_num_queries,
    )
    assert thirty.context["cl"].result_count == 30


def test_the_organization_page_shows_its_listings_and_the_facts(client, clerk):
    organization = OrganizationFactory()
    listed(organization, "serious", on=datetime.date(2019, 1, 2))
    listed(organization, on=datetime.date(2018, 3, 1))
    PenaltyFactory(organization=organization)
    client.force_login(clerk)
    page = client.get(reverse("admin:registry_organization_change", args=[organization.pk]))
    html = page.content.decode()
    assert "严重违法失信名单：罚款达到严重失信名单数额" in html or "严重违法失信名单：" in html
    assert "活动异常名录：" in html and "（2018-03-01列入）" in html
    penalties = reverse("admin:credit_penalty_changelist")
    assert f"{penalties}?organization__id__exact={organization.pk}" in html
    other = OrganizationFactory()
    html = client.get(reverse("admin:registry_organization_change", args=[other.pk]))
    assert "未列入活动异常名录或严重违法失信名单。" in html.content.decode()


def test_the_unit_sees_the_listings_of_its_organizations(client):
    unit = SupervisoryUnitFactory()
    organization = OrganizationFactory(supervisory_unit=unit)
    listed(organization)
    client.force_login(make_user(roles.SUPERVISORY_UNIT, supervisory_unit=unit))
    html = client.get(reverse("admin:registry_organization_change", args=[organization.pk]))
    assert "活动异常名录：" in html.content.decode()


# --- The annual-check review --------------------------------------------------------------------


def test_the_clerk_reviewing_an_annual_check_sees_the_listings(
    client, clerk, django_assert_max_num_queries
):
    annual_check = submitted(direct_organization())
    url = reverse("annualcheck:review", args=[annual_check.pk])
    client.force_login(clerk)
    with django_assert_max_num_queries(60) as none:
        html = client.get(url).content.decode()
    assert "信用状态" in html and "未列入活动异常名录或严重违法失信名单。" in html
    listed(annual_check.organization, on=datetime.date(2018, 3, 1))
    listed(annual_check.organization, ground="unreachable", on=datetime.date(2018, 4, 1))
    listed(annual_check.organization, "serious", on=datetime.date(2019, 1, 2))
    with django_assert_max_num_queries(len(none.captured_queries)):
        html = client.get(url).content.decode()
    assert "活动异常名录：未按时报送年度工作报告（2018-03-01列入）" in html or (
        "活动异常名录：" in html and "（2018-03-01列入）" in html
    )
    assert "（2018-04-01列入）" in html and "严重违法失信名单：" in html


# --- Evaluation (R-CR-16) -----------------------------------------------------------------------

AS_OF = datetime.date(2017, 9, 1)


def test_r_cr_16_an_organization_on_the_serious_list_is_not_evaluated(clerk, settings):
    organization = eligible(clerk)
    assert eligibility_problems(organization=organization, year=2017, as_of=AS_OF) == []
    listed(organization, "serious", on=datetime.date(2017, 5, 2))
    assert eligibility_problems(organization=organization, year=2017, as_of=AS_OF) == [
        "自2017年05月02日起列入严重违法失信名单，不能参加评估。"
    ]
    # Listed after the day asked about: not yet a bar.
    assert (
        eligibility_problems(organization=organization, year=2017, as_of=datetime.date(2017, 5, 1))
        == []
    )
    settings.CREDIT = {**settings.CREDIT, "LISTED_BLOCKS_EVALUATION": False}
    assert eligibility_problems(organization=organization, year=2017, as_of=AS_OF) == []


def test_r_cr_16_the_abnormal_list_bars_evaluation_only_where_the_bureau_says_so(clerk, settings):
    organization = eligible(clerk)
    listed(organization, on=datetime.date(2017, 3, 1))
    assert eligibility_problems(organization=organization, year=2017, as_of=AS_OF) == []
    settings.CREDIT = {**settings.CREDIT, "ABNORMAL_BLOCKS_EVALUATION": True}
    assert eligibility_problems(organization=organization, year=2017, as_of=AS_OF) == [
        "自2017年03月01日起列入活动异常名录，不能参加评估。"
    ]


def test_r_cr_16_a_removed_listing_no_longer_bars(clerk):
    organization = eligible(clerk)
    listed(
        organization,
        "serious",
        on=datetime.date(2015, 3, 1),
        status="removed",
        removed_on=datetime.date(2017, 3, 1),
    )
    assert eligibility_problems(organization=organization, year=2017, as_of=AS_OF) == []


def test_r_cr_16_the_bar_costs_one_query(clerk):
    organization = eligible(clerk)
    eligibility_problems(organization=organization, year=2017, as_of=AS_OF)
    listed(organization, "serious", on=datetime.date(2017, 5, 2))
    with CaptureQueriesContext(connection) as listed_queries:
        eligibility_problems(organization=organization, year=2017, as_of=AS_OF)
    assert sum("credit_listentry" in q["sql"] for q in listed_queries.captured_queries) == 1
