"""The committee's coverage dashboard (partybuilding.dashboard): figures per domain.md §3
(R-PB-5 eligible, R-PB-6 应建未建, R-PB-7 coverage), scoping, access, query count, assets."""

import datetime
import json
import re

import pytest
from django.db import connection
from django.templatetags.static import static
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts import roles
from partybuilding.services import dispatch_start, industry_lead_designate
from tests.factories import (
    DistrictFactory,
    IndustryFactory,
    OrganizationFactory,
    SupervisoryUnitFactory,
    add_members,
    found_party_organization,
    make_organization_user,
    make_user,
)

pytestmark = pytest.mark.django_db

URL = reverse("partybuilding:dashboard")


def start_dispatch(organization):
    return dispatch_start(
        organization=organization,
        dispatched_branch="市民政局机关派驻党支部",
        instructor_name="孙国华",
        instructor_unit="长春市民政局",
        instructor_phone="13804310001",
        started_on=datetime.date(2017, 3, 1),
        by=None,
    )


@pytest.fixture
def unit():
    return SupervisoryUnitFactory(name="长春市民政局社会组织管理处")


@pytest.fixture
def dataset(unit):
    """Four elderly-care organizations (one standalone, two joint, one 应建未建) and one
    social-work organization without members but with an instructor."""
    elderly = IndustryFactory(code="elderly_care", name="养老", sort_order=1)
    social = IndustryFactory(code="social_work", name="社工", sort_order=2)
    chaoyang = DistrictFactory(name="朝阳区", code="220104")
    nanguan = DistrictFactory(name="南关区", code="220102")
    standalone = OrganizationFactory(
        name="长春至爱护理院", industry=elderly, district=chaoyang, supervisory_unit=unit
    )
    add_members(standalone, 3)
    found_party_organization(standalone, mode="standalone", name="长春至爱护理院党支部")
    joint = [
        OrganizationFactory(name="长春金秋居家养老服务中心", industry=elderly, district=nanguan),
        OrganizationFactory(name="长春夕阳红养老院", industry=elderly, district=nanguan),
    ]
    for organization in joint:
        add_members(organization, 1)
    found_party_organization(*joint, mode="joint", name="金秋联合党支部")
    not_built = OrganizationFactory(
        name="长春康乐养老服务中心", industry=elderly, district=chaoyang, supervisory_unit=unit
    )
    add_members(not_built, 3)
    dispatched = OrganizationFactory(
        name="长春阳光社工服务中心", industry=social, district=chaoyang
    )
    start_dispatch(dispatched)
    industry_lead_designate(
        industry=elderly,
        lead_organization=standalone,
        driven_organizations=[*joint, not_built],
        designated_on=datetime.date(2017, 1, 1),
        by=None,
    )
    return {
        "elderly": elderly,
        "social": social,
        "standalone": standalone,
        "joint": joint,
        "not_built": not_built,
        "dispatched": dispatched,
    }


def tile(html: str, key: str) -> dict:
    """The value, rate and classes of one figure tile of the page."""
    match = re.search(
        rf'<div class="(figure[^"]*)" id="figure-{key}">(.*?)</div>\s*</div>', html, re.S
    )
    assert match, f"no figure tile {key!r}"
    value = re.search(r'<div class="value">([^<]*)</div>', match.group(2))
    rate = re.search(r'<div class="rate">([^<]*)', match.group(2))
    return {
        "classes": match.group(1).split(),
        "value": value.group(1).strip(),
        "rate": rate.group(1).strip() if rate else None,
    }


def table_rows(html: str, table_id: str) -> list[list[str]]:
    body = re.search(rf'<table id="{table_id}"[^>]*>.*?<tbody>(.*?)</tbody>', html, re.S)
    assert body, f"no table {table_id!r}"
    return [
        [
            re.sub(r"<[^>]+>", "", cell).strip()
            for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        ]
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body.group(1), re.S)
    ]


@pytest.mark.parametrize("role", [roles.COMMITTEE, roles.CLERK])
def test_committee_and_clerks_see_the_figures(client, dataset, role):
    client.force_login(make_user(role))
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()

    figures = response.context["figures"]
    assert figures["organizations"] == 5
    assert figures["eligible"] == 4  # R-PB-5: the social-work one has no member
    assert figures["should_build_not_built"] == 1  # R-PB-6
    assert figures["organization_coverage"] == 3  # R-PB-7
    assert figures["work_coverage"] == 4  # R-PB-7: the instructor counts for work coverage
    assert figures["by_formation_mode"]["standalone"] == 1
    assert figures["by_formation_mode"]["joint"] == 1

    assert tile(html, "organizations")["value"] == "5"
    assert tile(html, "eligible") == {"classes": ["figure"], "value": "4", "rate": "80.0%"}
    assert tile(html, "party-organizations")["value"] == "2"
    not_built = tile(html, "should-build-not-built")
    assert not_built["value"] == "1" and "figure-alert" in not_built["classes"]
    assert tile(html, "organization-coverage")["rate"] == "60.0%"
    assert tile(html, "organization-coverage")["value"] == "3"
    assert tile(html, "work-coverage") == {"classes": ["figure"], "value": "4", "rate": "80.0%"}
    assert tile(html, "open-dispatches")["value"] == "1"

    modes = {row[0]: row[1] for row in table_rows(html, "by-formation-mode")}
    assert sorted(modes.values()) == ["0", "0", "1", "1"]

    industries = table_rows(html, "by-industry")
    assert [row[0] for row in industries] == ["养老", "社工"]
    # name, organizations, eligible, eligible rate, 应建未建, org. coverage, rate, work, rate
    assert industries[0] == ["养老", "4", "4", "100.0%", "1", "3", "75.0%", "3", "75.0%"]
    assert industries[1] == ["社工", "1", "0", "0.0%", "0", "0", "0.0%", "1", "100.0%"]
    districts = {row[0]: row for row in table_rows(html, "by-district")}
    assert districts["南关区"][1:] == ["2", "2", "100.0%", "0", "2", "100.0%", "2", "100.0%"]
    assert districts["朝阳区"][1:] == ["3", "2", "66.7%", "1", "1", "33.3%", "2", "66.7%"]

    # R-PB-10: the lead drives three organizations, two of them covered.
    (lead,) = table_rows(html, "industry-leads")
    assert lead[0:2] == ["养老", "长春至爱护理院"]
    assert lead[3:] == ["3", "2", "66.7%"]
    assert 'data-value="1"' in html

    data = json.loads(re.search(r'id="dashboard-data"[^>]*>(.*?)</script>', html, re.S).group(1))
    assert data["industry"] == {
        "labels": ["养老", "社工"],
        "organization": [75.0, 0.0],
        "work": [75.0, 100.0],
    }
    assert sum(data["modes"]["values"]) == 2
    # The rules are said in words; rule ids are for code and tests (issue 19).
    assert "有1名以上计入的正式党员即符合党建条件" in html
    assert not re.search(r"R-[A-Z]+-\d", html)


def test_ledger_links_carry_the_scope(client, dataset, committee_user):
    client.force_login(committee_user)
    query = f"industry={dataset['elderly'].pk}&status=active"
    response = client.get(f"{URL}?{query}")
    html = response.content.decode()
    escaped = query.replace("&", "&amp;")
    assert f'href="{reverse("partybuilding:ledger")}?{escaped}"' in html
    assert f'href="{reverse("partybuilding:ledger_download")}?{escaped}"' in html


def test_the_industry_filter_narrows_the_figures(client, dataset, committee_user):
    client.force_login(committee_user)
    response = client.get(URL, {"industry": dataset["social"].pk})
    assert response.status_code == 200
    html = response.content.decode()
    assert tile(html, "organizations")["value"] == "1"
    assert tile(html, "eligible")["value"] == "0"
    assert tile(html, "party-organizations")["value"] == "0"
    not_built = tile(html, "should-build-not-built")
    assert not_built["value"] == "0" and "figure-alert" not in not_built["classes"]
    assert tile(html, "work-coverage") == {"classes": ["figure"], "value": "1", "rate": "100.0%"}
    assert [row[0] for row in table_rows(html, "by-industry")] == ["社工"]
    assert "长春至爱护理院" not in html  # the elderly-care lead is out of scope

    response = client.get(URL, {"industry": dataset["elderly"].pk})
    html = response.content.decode()
    assert tile(html, "organizations")["value"] == "4"
    assert tile(html, "organization-coverage")["rate"] == "75.0%"
    assert tile(html, "open-dispatches")["value"] == "0"


def test_a_supervisory_unit_sees_only_its_organizations(client, dataset, unit):
    client.force_login(make_user(roles.SUPERVISORY_UNIT, supervisory_unit=unit))
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert tile(html, "organizations")["value"] == "2"
    assert tile(html, "party-organizations")["value"] == "1"
    assert tile(html, "should-build-not-built")["value"] == "1"
    assert tile(html, "organization-coverage") == {
        "classes": ["figure"],
        "value": "1",
        "rate": "50.0%",
    }
    assert tile(html, "open-dispatches")["value"] == "0"
    assert [row[0] for row in table_rows(html, "by-industry")] == ["养老"]
    assert "社工" not in [row[0] for row in table_rows(html, "by-industry")]
    assert "南关区" not in [row[0] for row in table_rows(html, "by-district")]


def test_organization_users_and_anonymous_users_cannot_open_it(client, dataset):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))

    client.force_login(make_organization_user(dataset["standalone"]))
    response = client.get(URL)
    assert response.status_code in (302, 403)
    if response.status_code == 302:
        assert response["Location"].startswith(reverse("admin:login"))
    html = response.content.decode()
    assert 'id="figures"' not in html
    assert "长春至爱护理院" not in html and "dashboard-data" not in html


def build(count: int, start: int = 0):
    """`count` organizations spread over industries and districts, each kind of coverage."""
    industries = [
        IndustryFactory(code="elderly_care", name="养老", sort_order=1),
        IndustryFactory(code="social_work", name="社工", sort_order=2),
        IndustryFactory(code="community", name="社区", sort_order=3),
    ]
    districts = [
        DistrictFactory(name="朝阳区", code="220104"),
        DistrictFactory(name="南关区", code="220102"),
    ]
    made = []
    for number in range(start, start + count):
        organization = OrganizationFactory(
            industry=industries[number % 3], district=districts[number % 2]
        )
        made.append(organization)
        kind = number % 3
        if kind == 0:
            add_members(organization, 3)
            found_party_organization(organization)
        elif kind == 1:
            add_members(organization, 1)
        else:
            start_dispatch(organization)
    joint = [o for number, o in enumerate(made, start=start) if number % 3 == 1]
    for pair in range(0, len(joint) - 1, 2):
        found_party_organization(*joint[pair : pair + 2], mode="joint")
    industry_lead_designate(
        industry=industries[0],
        lead_organization=made[0],
        driven_organizations=made[1:],
        designated_on=datetime.date(2017, 1, 1),
        by=None,
    )
    return made


def test_query_count_does_not_grow_with_the_organizations(
    client, committee_user, django_assert_max_num_queries
):
    build(3)
    client.force_login(committee_user)
    client.get(URL)  # warm caches (content types, permissions) before counting
    with CaptureQueriesContext(connection) as three:
        assert client.get(URL).status_code == 200
    build(27, start=3)
    with django_assert_max_num_queries(len(three)):
        response = client.get(URL)
    assert response.context["figures"]["organizations"] == 30


def test_charts_use_the_vendored_chart_js_and_no_inline_script(client, dataset, committee_user):
    client.force_login(committee_user)
    html = client.get(URL).content.decode()
    sources = re.findall(r'<script[^>]*\ssrc="([^"]+)"', html)
    assert static("vendor/chartjs-4.6.1/chart.umd.min.js") in sources
    assert static("js/dashboard.js") in sources
    for source in sources:
        assert "cdn" not in source.lower()
        assert not source.startswith(("http:", "https:", "//"))
    # Content Security Policy ready: every script is a file or json_script data.
    for tag in re.findall(r"<script[^>]*>", html):
        assert " src=" in tag or 'type="application/json"' in tag, tag


@pytest.mark.parametrize("role", [roles.COMMITTEE, roles.CLERK])
def test_the_admin_index_links_to_the_dashboard_and_the_ledger(client, role):
    client.force_login(make_user(role))
    html = client.get(reverse("admin:index")).content.decode()
    assert f'href="{URL}"' in html
    assert f'href="{reverse("partybuilding:ledger")}"' in html


def test_an_invalid_filter_shows_an_empty_scope_not_an_error(client, dataset, committee_user):
    client.force_login(committee_user)
    response = client.get(URL, {"industry": "999999"})
    assert response.status_code == 200
    html = response.content.decode()
    assert tile(html, "organizations")["value"] == "0"
    assert tile(html, "organization-coverage")["rate"] == "0.0%"
    assert "长春至爱护理院" not in html
