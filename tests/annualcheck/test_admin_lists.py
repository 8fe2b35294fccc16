"""The annual-check change list: filters, search, the open-rectification count, flat queries."""

import datetime

import pytest
from django.urls import reverse

from annualcheck.services import annual_check_review
from tests.annualcheck.test_rules import direct_organization, submitted
from tests.factories import DistrictFactory, OrganizationFactory

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:annualcheck_annualcheck_changelist")


def pks(response):
    return {check.pk for check in response.context["cl"].result_list}


def test_filters_search_and_open_rectification_count(client, clerk):
    district = DistrictFactory(name="南关区", code="220102")
    late = submitted(direct_organization(district=district), on=datetime.date(2018, 6, 2))
    on_time = submitted(OrganizationFactory(name="长春市检索用社会服务中心"))
    reviewed = submitted(direct_organization())
    annual_check_review(
        annual_check=reviewed,
        by=clerk,
        result="basically_qualified",
        rectifications=[
            ("问题一", datetime.date(2018, 9, 1)),
            ("问题二", datetime.date(2018, 9, 1)),
        ],
    )
    client.force_login(clerk)
    assert pks(client.get(CHANGELIST)) == {late.pk, on_time.pk, reviewed.pk}
    assert pks(client.get(CHANGELIST, {"late__exact": "1"})) == {late.pk}
    assert pks(client.get(CHANGELIST, {"status__exact": "reviewed"})) == {reviewed.pk}
    assert pks(client.get(CHANGELIST, {"result__exact": "basically_qualified"})) == {reviewed.pk}
    assert pks(client.get(CHANGELIST, {"year": "2017"})) == {late.pk, on_time.pk, reviewed.pk}
    assert pks(client.get(CHANGELIST, {"organization__district__id__exact": district.pk})) == {
        late.pk
    }
    unit = on_time.organization.supervisory_unit
    assert pks(client.get(CHANGELIST, {"organization__supervisory_unit__id__exact": unit.pk})) == {
        on_time.pk
    }
    assert pks(client.get(CHANGELIST, {"q": "检索用"})) == {on_time.pk}
    assert pks(client.get(CHANGELIST, {"q": on_time.organization.credit_code})) == {on_time.pk}
    rows = {c.pk: c for c in client.get(CHANGELIST).context["cl"].result_list}
    assert (rows[reviewed.pk].open_rectification_count, rows[late.pk].open_rectification_count) == (
        2,
        0,
    )


def test_change_list_query_count_does_not_grow_with_rows(
    client, clerk, django_assert_max_num_queries
):
    submitted(direct_organization())
    client.force_login(clerk)
    with django_assert_max_num_queries(20) as one_row:
        assert client.get(CHANGELIST).status_code == 200
    for _ in range(9):
        submitted(direct_organization())
    with django_assert_max_num_queries(len(one_row.captured_queries)) as ten_rows:
        response = client.get(CHANGELIST)
    assert response.context["cl"].result_count == 10
    assert len(ten_rows.captured_queries) == len(one_row.captured_queries)


def test_change_page_query_count_does_not_grow_with_items(
    client, clerk, django_assert_max_num_queries
):
    annual_check = submitted(direct_organization())
    client.force_login(clerk)
    url = reverse("admin:annualcheck_annualcheck_change", args=[annual_check.pk])
    with django_assert_max_num_queries(40) as few:
        assert client.get(url).status_code == 200
    annual_check_review(
        annual_check=annual_check,
        by=clerk,
        result="qualified",
        rectifications=[(f"问题{n}", datetime.date(2018, 9, 1)) for n in range(5)],
    )
    with django_assert_max_num_queries(len(few.captured_queries) + 2):
        assert client.get(url).status_code == 200
