"""The organization change list at a province's size: flat query counts, a count that never
runs over the whole table, credit codes found on their index, no facet counts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.translation import gettext as _

from core.pagination import AT_LEAST, ESTIMATE, EXACT, LargeTablePaginator
from registry.models import Organization
from tests.factories import IndustryFactory, OrganizationFactory

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:registry_organization_changelist")
POSTGRESQL = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the estimate is PostgreSQL's planner's"
)


class SmallCapPaginator(LargeTablePaginator):
    count_cap = 5


def _page_query(queries) -> str:
    marker = 'ORDER BY "registry_organization"."name"'
    return next(q["sql"] for q in queries.captured_queries if marker in q["sql"])


def _counts(queries) -> list[str]:
    return [q["sql"] for q in queries if "COUNT(" in q["sql"].upper()]


@pytest.mark.parametrize(
    "params",
    [{}, {"q": "测试社会服务"}, {"industry__id__exact": "__industry__", "status__exact": "active"}],
    ids=["plain", "search", "filters"],
)
def test_change_list_queries_are_the_same_for_1_and_30_rows(
    client, clerk, django_assert_max_num_queries, params
):
    industry = IndustryFactory()
    params = {k: (industry.pk if v == "__industry__" else v) for k, v in params.items()}
    OrganizationFactory(industry=industry)
    client.force_login(clerk)
    with django_assert_max_num_queries(13) as one_row:
        response = client.get(CHANGELIST, params)
    assert response.context["cl"].result_count == 1
    OrganizationFactory.create_batch(29, industry=industry)
    # session, user, role, permissions, the capped count, the page, each filter's choices
    with django_assert_max_num_queries(len(one_row.captured_queries)) as thirty_rows:
        response = client.get(CHANGELIST, params)
    assert response.context["cl"].result_count == 30
    assert len(thirty_rows.captured_queries) == len(one_row.captured_queries)


def test_change_list_never_counts_the_whole_table(client, clerk):
    OrganizationFactory.create_batch(3)
    client.force_login(clerk)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(CHANGELIST, {"q": "测试"})
    counts = _counts(queries.captured_queries)
    # One count, bounded: show_full_result_count is off and the paginator stops at its cap.
    assert len(counts) == 1
    assert f"LIMIT {LargeTablePaginator.count_cap + 1}" in counts[0]
    assert response.context["cl"].result_count == 3


def test_facet_counts_are_never_computed(client, clerk):
    OrganizationFactory.create_batch(2)
    client.force_login(clerk)
    response = client.get(CHANGELIST, {"_facets": "1"})
    assert response.context["cl"].add_facets is False


def test_credit_code_search_is_an_exact_match(client, clerk):
    wanted, other = OrganizationFactory(), OrganizationFactory()
    client.force_login(clerk)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(CHANGELIST, {"q": f" {wanted.credit_code.lower()} "})
    assert list(response.context["cl"].result_list) == [wanted]
    page_query = _page_query(queries)
    assert f'"registry_organization"."credit_code" = \'{wanted.credit_code}\'' in page_query
    assert "LIKE" not in page_query
    assert other.credit_code not in response.content.decode()


def test_credit_code_prefix_search_is_a_prefix_match(client, clerk):
    wanted = OrganizationFactory()
    client.force_login(clerk)
    prefix = wanted.credit_code[:12]
    with CaptureQueriesContext(connection) as queries:
        response = client.get(CHANGELIST, {"q": prefix})
    assert wanted in response.context["cl"].result_list
    page_query = _page_query(queries)
    # A prefix (LIKE 'x%') can use the index; a contains (LIKE '%x%') cannot.
    assert f"'{prefix}%'" in page_query
    assert f"'%{prefix}" not in page_query


def test_the_count_is_exact_up_to_the_cap():
    OrganizationFactory.create_batch(5)
    paginator = SmallCapPaginator(Organization.objects.order_by("pk"), 2)
    assert paginator.count == 5
    assert paginator.count_kind == EXACT
    assert paginator.count_label == "5"
    assert paginator.num_pages == 3


@pytest.mark.skipif(connection.vendor == "postgresql", reason="PostgreSQL estimates instead")
def test_past_the_cap_the_count_says_at_least():
    OrganizationFactory.create_batch(8)
    paginator = SmallCapPaginator(Organization.objects.order_by("pk"), 2)
    with CaptureQueriesContext(connection) as queries:
        assert paginator.count == 6
    assert paginator.count_kind == AT_LEAST
    assert paginator.count_label == "5+"
    assert len(queries.captured_queries) == 1
    assert "LIMIT 6" in queries.captured_queries[0]["sql"]
    # The pages up to the cap stay reachable.
    assert [o.pk for o in paginator.page(3).object_list] == [
        o.pk for o in Organization.objects.order_by("pk")[4:6]
    ]


def _analyze():
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {Organization._meta.db_table}")


@POSTGRESQL
def test_past_the_cap_postgresql_shows_the_table_statistics():
    OrganizationFactory.create_batch(30)
    _analyze()
    paginator = SmallCapPaginator(Organization.objects.order_by("pk"), 10)
    with CaptureQueriesContext(connection) as queries:
        assert paginator.count == 30
    assert paginator.count_kind == ESTIMATE
    assert paginator.count_label == _("about %(count)s") % {"count": "30"}
    assert "reltuples" in queries.captured_queries[0]["sql"]
    # Under the cap the page costs the same two queries.
    under = LargeTablePaginator(Organization.objects.order_by("pk"), 100)
    with CaptureQueriesContext(connection) as under_queries:
        assert under.count == 30
    assert under.count_kind == EXACT
    assert len(under_queries.captured_queries) == len(queries.captured_queries) == 2


@POSTGRESQL
def test_past_the_cap_postgresql_shows_the_planner_estimate_for_a_filter():
    OrganizationFactory.create_batch(30)
    _analyze()
    paginator = SmallCapPaginator(Organization.objects.filter(status="active"), 10)
    with CaptureQueriesContext(connection) as queries:
        count = paginator.count
    assert paginator.count_kind == ESTIMATE
    assert count > 5
    assert queries.captured_queries[0]["sql"].startswith("EXPLAIN")


def test_short_words_are_found_anywhere_in_the_name(client, clerk):
    # Two characters have no trigram; they are still matched inside the name, word by word.
    wanted = OrganizationFactory(name="长春市金秋居家养老服务中心")
    OrganizationFactory(name="长春市养老服务协会")
    OrganizationFactory(name="长春市社会工作者协会")
    client.force_login(clerk)
    response = client.get(CHANGELIST, {"q": "金秋 养老"})
    assert list(response.context["cl"].result_list) == [wanted]
    response = client.get(CHANGELIST, {"q": "养老"})
    assert len(response.context["cl"].result_list) == 2


def test_the_label_groups_thousands():
    # zh_Hans number formats have no thousands separator; a province's counts need one.
    assert LargeTablePaginator(list(range(12_345)), 100).count_label == "12,345"
