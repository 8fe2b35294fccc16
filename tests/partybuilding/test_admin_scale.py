"""The Party-member change list, the Party-organization change list and the ledger page at a
province's size: flat query counts, bounded counts, searches on indexes, a paginated ledger."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.pagination import LargeTablePaginator
from tests.factories import (
    IndustryFactory,
    OrganizationFactory,
    PartyMemberFactory,
    add_members,
    found_party_organization,
)

pytestmark = pytest.mark.django_db

MEMBERS = reverse("admin:partybuilding_partymember_changelist")
PARTY_ORGANIZATIONS = reverse("admin:partybuilding_partyorganization_changelist")
LEDGER = reverse("partybuilding:ledger")


def _same_queries_for_1_and_30(client, url, params, grow, django_assert_max_num_queries):
    client.get(url, params)  # once-a-day work (the standings check) is not the page's
    with django_assert_max_num_queries(20) as one:
        response = client.get(url, params)
    assert response.status_code == 200
    grow()
    with django_assert_max_num_queries(len(one.captured_queries)) as thirty:
        again = client.get(url, params)
    assert again.status_code == 200
    assert len(thirty.captured_queries) == len(one.captured_queries)
    return response, again


@pytest.mark.parametrize(
    "params",
    [{}, {"q": "王"}, {"active": "yes", "status__exact": "full"}],
    ids=["plain", "search", "filters"],
)
def test_member_list_queries_are_the_same_for_1_and_30_rows(
    client, clerk, django_assert_max_num_queries, params
):
    organization = OrganizationFactory()
    PartyMemberFactory(organization=organization, name="王建国")
    client.force_login(clerk)
    one, thirty = _same_queries_for_1_and_30(
        client,
        MEMBERS,
        params,
        lambda: PartyMemberFactory.create_batch(29, name="王丽", organization=organization),
        django_assert_max_num_queries,
    )
    assert one.context["cl"].result_count == 1
    assert thirty.context["cl"].result_count == 30


def test_member_list_count_is_bounded(client, clerk):
    PartyMemberFactory.create_batch(2)
    client.force_login(clerk)
    with CaptureQueriesContext(connection) as queries:
        client.get(MEMBERS)
    counts = [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"].upper()]
    assert len(counts) == 1
    assert f"LIMIT {LargeTablePaginator.count_cap + 1}" in counts[0]


def test_member_search_by_credit_code_is_an_exact_match_on_the_organization(client, clerk):
    wanted = OrganizationFactory()
    members = add_members(wanted, 2)
    add_members(OrganizationFactory(), 1)
    client.force_login(clerk)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(MEMBERS, {"q": wanted.credit_code.lower()})
    assert set(response.context["cl"].result_list) == set(members)
    page = next(
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].startswith('SELECT "partybuilding_partymember"."id"')
    )
    assert f'"registry_organization"."credit_code" = \'{wanted.credit_code}\'' in page
    assert "LIKE" not in page


def test_member_search_by_id_number_is_an_exact_match(client, clerk):
    wanted, other = PartyMemberFactory(), PartyMemberFactory()
    client.force_login(clerk)
    response = client.get(MEMBERS, {"q": wanted.id_number})
    assert list(response.context["cl"].result_list) == [wanted]
    assert other not in response.context["cl"].result_list


def test_member_search_by_name_contains_three_characters_prefixes_fewer(client, clerk):
    wanted = PartyMemberFactory(name="欧阳明华")
    PartyMemberFactory(name="李明华")
    PartyMemberFactory(name="李秀英")
    client.force_login(clerk)

    def found(term):
        return {
            member.name for member in client.get(MEMBERS, {"q": term}).context["cl"].result_list
        }

    assert found("阳明华") == {wanted.name}
    # Under three characters there is no trigram: a surname or a two-character name, as a prefix.
    assert found("欧阳") == {wanted.name}
    assert found("李") == {"李明华", "李秀英"}
    assert found("明华") == set()


def test_party_organization_list_counts_only_its_page(client, clerk, django_assert_max_num_queries):
    organization = OrganizationFactory()
    party_organization = found_party_organization(organization)
    add_members(organization, 3, party_organization=party_organization)
    add_members(
        organization,
        1,
        party_organization=party_organization,
        left_on=datetime.date(2020, 1, 1),
        left_reason="调离",
    )
    client.force_login(clerk)

    def grow():
        for _ in range(29):
            found_party_organization(OrganizationFactory())

    one, thirty = _same_queries_for_1_and_30(
        client, PARTY_ORGANIZATIONS, {}, grow, django_assert_max_num_queries
    )
    (row,) = one.context["cl"].result_list
    assert (row.organization_count, row.member_count) == (1, 3)
    assert thirty.context["cl"].result_count == 30


@pytest.mark.parametrize("params", [{}, {"industry": "__industry__"}], ids=["all", "industry"])
def test_ledger_page_queries_are_the_same_for_1_and_30_rows(
    client, clerk, django_assert_max_num_queries, params
):
    industry = IndustryFactory()
    params = {k: (industry.pk if v == "__industry__" else v) for k, v in params.items()}
    add_members(OrganizationFactory(industry=industry), 2)
    client.force_login(clerk)

    def grow():
        for _ in range(29):
            add_members(OrganizationFactory(industry=industry), 1)

    one, thirty = _same_queries_for_1_and_30(
        client, LEDGER, params, grow, django_assert_max_num_queries
    )
    assert len(one.context["table"]) == 1
    assert len(thirty.context["table"]) == 30


def test_ledger_page_is_paginated_and_keeps_its_filters(client, clerk):
    industry = IndustryFactory()
    organizations = OrganizationFactory.create_batch(101, industry=industry)
    client.force_login(clerk)
    first = client.get(LEDGER, {"industry": industry.pk})
    assert len(first.context["table"]) == 100
    assert first.context["page"].paginator.count_label == "101"
    assert f"?industry={industry.pk}&amp;page=2" in first.content.decode()
    second = client.get(LEDGER, {"industry": industry.pk, "page": 2})
    (row,) = second.context["table"]
    assert row["cells"][0] == 101  # the row number goes on from the first page
    last = sorted(organizations, key=lambda o: (o.name, o.pk))[-1]
    assert row["pk"] == last.pk
