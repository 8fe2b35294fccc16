"""The ledger page for a clerk with paper in front of them (issue 19): search by name or credit
code (the download takes the same search), each name links to its organization, the row colours
are explained on the page."""

import re

import pytest
from django.urls import reverse

from tests.factories import OrganizationFactory, add_members

pytestmark = pytest.mark.django_db

LEDGER = reverse("partybuilding:ledger")


def names(response):
    return [row["cells"][1] for row in response.context["table"]]


@pytest.fixture
def organizations():
    return {
        "zhiai": OrganizationFactory(name="长春市至爱居家养老服务中心"),
        "jinqiu": OrganizationFactory(name="长春金秋居家养老服务中心"),
        "social": OrganizationFactory(name="长春市社会工作者协会"),
    }


def test_the_ledger_searches_by_name_and_by_credit_code(client, clerk, organizations):
    client.force_login(clerk)
    assert sorted(names(client.get(LEDGER, {"q": "居家养老"}))) == sorted(
        ["长春市至爱居家养老服务中心", "长春金秋居家养老服务中心"]
    )
    assert names(client.get(LEDGER, {"q": "至爱"})) == ["长春市至爱居家养老服务中心"]
    code = organizations["social"].credit_code
    # Read off paper: lower case and spaces are fine, and so is the start of a code.
    assert names(client.get(LEDGER, {"q": f" {code.lower()} "})) == ["长春市社会工作者协会"]
    assert "长春市社会工作者协会" in names(client.get(LEDGER, {"q": code[:12]}))


def test_the_download_takes_the_search_too(client, clerk, organizations):
    from partybuilding.export_views import ledger_count, ledger_params

    client.force_login(clerk)
    response = client.get(LEDGER, {"q": "至爱"})
    assert 'href="/admin/party-building/ledger/download/?q=' in response.content.decode()
    params = ledger_params({"q": "至爱"})
    assert params["filters"] == {"q": "至爱"}
    assert ledger_count(user=clerk, params=params) == 1


def test_names_link_to_the_organization_and_the_colours_are_explained(client, clerk, organizations):
    add_members(organizations["zhiai"], 3)  # three members, no Party organization: 应建未建
    client.force_login(clerk)
    html = client.get(LEDGER).content.decode()
    url = reverse("admin:registry_organization_change", args=[organizations["zhiai"].pk])
    assert f'<a href="{url}">长春市至爱居家养老服务中心</a>' in html
    assert 'class="status-should_build' in html
    assert 'id="ledger-legend"' in html and "应建未建党组织" in html


def test_the_workbench_counts_the_should_build_worklist(client, committee_user, organizations):
    from partybuilding.standings.selectors import should_build_count

    add_members(organizations["zhiai"], 3)
    add_members(organizations["social"], 1)  # one member: a joint-build candidate, not 应建未建
    client.force_login(committee_user)
    listed = names(client.get(LEDGER, {"party_building_status": "should_build"}))
    assert listed == ["长春市至爱居家养老服务中心"]
    assert should_build_count(committee_user) == len(listed)
    html = client.get(reverse("admin:index")).content.decode()
    assert 'id="todo-should-build"' in html and '<span class="todo-count">1</span>' in html


def test_dashboard_figures_link_to_the_organizations_behind_them(client, clerk, organizations):
    add_members(organizations["zhiai"], 3)
    client.force_login(clerk)
    district = organizations["zhiai"].district
    response = client.get(reverse("partybuilding:dashboard"))
    html = response.content.decode()
    should_build = re.search(r'id="figure-should-build-not-built">.*?href="([^"]+)"', html, re.S)
    url = should_build.group(1).replace("&amp;", "&")
    assert names(client.get(url)) == ["长春市至爱居家养老服务中心"]
    row = next(
        row
        for breakdown in response.context["breakdowns"]
        if breakdown["key"] == "district"
        for row in breakdown["rows"]
        if row["pk"] == district.pk
    )
    assert f'href="{row["ledger_url"].replace("&", "&amp;")}"' in html
    listed = names(client.get(row["ledger_url"]))
    assert len(listed) == row["organizations"] and "长春市至爱居家养老服务中心" in listed
    assert names(client.get(row["should_build_url"])) == ["长春市至爱居家养老服务中心"]
