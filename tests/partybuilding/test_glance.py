"""An organization's Party-building at a glance on its admin page (issue 19): members, Party
organization, standing, latest annual check and grade, each linking to the list behind it."""

import datetime
import re

import pytest
from django.urls import reverse

from tests.factories import OrganizationFactory, add_members, found_party_organization

pytestmark = pytest.mark.django_db


def glance_links(html):
    table = re.search(r'<table class="party-building-glance".*?</table>', html, re.S).group(0)
    found = re.findall(r'<th scope="row">([^<]+)</th><td>([^<]*)</td><td><a href="([^"]+)"', table)
    return {header: (text, url.replace("&amp;", "&")) for header, text, url in found}


def test_the_organization_page_starts_with_its_party_building(client, clerk):
    organization = OrganizationFactory(name="长春市至爱居家养老服务中心")
    other = OrganizationFactory()
    add_members(organization, 3)
    add_members(other, 2)
    found_party_organization(
        organization, name="长春市至爱居家养老服务中心党支部", founded_on=datetime.date(2017, 3, 1)
    )
    client.force_login(clerk)
    html = client.get(
        reverse("admin:registry_organization_change", args=[organization.pk])
    ).content.decode()
    assert html.index('id="party-building-glance"') < html.index('name="name"')
    rows = glance_links(html)
    members_text, members_url = rows["党员"][0], rows["党员"][1]
    assert "正式党员 3 名" in members_text
    listed = client.get(members_url)
    assert listed.status_code == 200
    assert {m.organization_id for m in listed.context["cl"].result_list} == {organization.pk}
    assert rows["党组织"][0].startswith("长春市至爱居家养老服务中心党支部")
    party_organization = organization.party_organizations.get()
    assert rows["党组织"][1] == reverse(
        "admin:partybuilding_partyorganization_change", args=[party_organization.pk]
    )
    for header in ("最近年检结论", "评估等级"):
        assert rows[header][0] == "暂无"
        assert client.get(rows[header][1]).status_code == 200
