"""The coverage aggregates (issue 16): the dashboard's figures by district, industry,
supervisory unit and status, moved in the transaction of every write of a standing, equal a
full recount after every kind of write, and give the figures the per-organization path gives."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from partybuilding.coverage.aggregates import aggregates_rebuild, aggregates_verify
from partybuilding.coverage.selectors import coverage_figures
from partybuilding.models import Coverage, CoverageGroup, PartyOrganizationGroup
from partybuilding.standings import services as standing_services
from registry.models import Organization
from tests.factories import (
    DistrictFactory,
    IndustryFactory,
    OrganizationFactory,
    SupervisoryUnitFactory,
    add_members,
    found_party_organization,
)

pytestmark = pytest.mark.django_db


def scopes():
    """Every shape of scope the aggregates answer, over the first values in use."""
    first = Organization.objects.filter(status="active").order_by("pk").first()
    yield {}
    yield {"status": "active"}
    yield {"status": "deregistered"}
    if first is None:
        return
    yield {"district": first.district_id}
    yield {"industry": first.industry_id}
    yield {"supervisory_unit": first.supervisory_unit_id}
    yield {"district": first.district_id, "industry": first.industry_id}
    yield {
        "district": first.district_id,
        "industry": first.industry_id,
        "supervisory_unit": first.supervisory_unit_id,
        "status": "active",
    }


def per_organization(copied: dict):
    """The scope as a plain queryset: what the figures fall back on."""
    fields = {"district": "district_id", "industry": "industry_id"}
    fields["supervisory_unit"] = "supervisory_unit_id"
    fields["status"] = "status"
    return Organization.objects.filter(**{fields[name]: value for name, value in copied.items()})


def assert_recounted(today=None):
    """The aggregates equal a full recount, and every scope's figures read from them equal
    the figures counted organization by organization."""
    assert aggregates_verify(today) == []
    for copied in scopes():
        aggregated = coverage_figures(Organization.objects.all(), copied=copied)
        counted = coverage_figures(per_organization(copied))
        assert aggregated == counted, copied


@pytest.fixture
def places():
    districts = [DistrictFactory(name="朝阳区", code="220104")]
    districts.append(DistrictFactory(name="南关区", code="220102"))
    industries = [IndustryFactory(code="elderly_care", name="养老", sort_order=1)]
    industries.append(IndustryFactory(code="social_work", name="社工", sort_order=2))
    units = [SupervisoryUnitFactory(name="长春市民政局社会组织管理处")]
    units.append(SupervisoryUnitFactory(name="长春市科学技术协会", is_civil_affairs=False))
    return {"districts": districts, "industries": industries, "units": units}


def organization(places, district=0, industry=0, unit=0, **fields):
    return OrganizationFactory(
        district=places["districts"][district],
        industry=places["industries"][industry],
        supervisory_unit=places["units"][unit],
        **fields,
    )


def test_the_aggregates_follow_saves_moves_and_deletes(places):
    own = organization(places)
    add_members(own, 3)
    found_party_organization(own, mode="standalone")
    partners = [organization(places, 1, 0), organization(places, 1, 1, 1)]
    for partner in partners:
        add_members(partner, 1)
    joint = found_party_organization(*partners, mode="joint")
    should_build = organization(places, 0, 1)
    members = add_members(should_build, 4)
    empty = organization(places, 1, 1, 1)
    assert_recounted()
    assert CoverageGroup.objects.exists() and PartyOrganizationGroup.objects.exists()

    # An organization moving district, industry and supervisory unit moves between groups.
    moved = partners[0]
    moved.district, moved.industry = places["districts"][0], places["industries"][1]
    moved.supervisory_unit = places["units"][1]
    moved.save()
    assert_recounted()

    partners[1].status = "deregistered"  # out of the figures, and out of the joint's reach
    partners[1].save()
    assert_recounted()

    members[0].delete()  # 4 → 3 members: still able to build its own
    members[1].delete()  # 2: a joint candidate now
    assert_recounted()

    joint.formation_mode = "lead"
    joint.save()
    assert_recounted()

    Coverage.objects.get(organization=moved).delete()
    assert_recounted()

    empty.delete()  # its standing goes with it
    assert_recounted()
    assert coverage_figures(Organization.objects.all(), copied={})["organizations"] == 3


def test_the_dashboard_reads_the_aggregates_in_a_fixed_number_of_queries(places):
    for index in range(4):
        add_members(organization(places, index % 2, index % 2, index % 2), index)
    with CaptureQueriesContext(connection) as queries:
        figures = coverage_figures(Organization.objects.all(), copied={})
    # The groups, the Party organizations by mode, the names of industries and districts.
    assert len(queries) == 4
    assert all("partybuilding_standing" not in query["sql"] for query in queries.captured_queries)
    assert figures["organizations"] == 4
    # What it reads is the aggregates: a wrong row there shows (the verification finds it).
    CoverageGroup.objects.filter(supervisory_unit_key=-1).update(organizations=0)
    assert coverage_figures(Organization.objects.all(), copied={})["organizations"] == 0
    assert aggregates_verify() != []


def test_the_aggregates_follow_the_ledger_import(places, tmp_path):
    from partybuilding.ledger_import import import_ledger
    from tests.factories import StreetFactory
    from tests.partybuilding.test_ledger_import import (
        ledger_sheet,
        member_row,
        member_sheet,
        organization_row,
        row_of,
        write_book,
    )

    StreetFactory(district=places["districts"][0], name="湖西街道")
    SupervisoryUnitFactory(name="长春市民政局")
    stored = organization(places)
    add_members(stored, 2)
    assert_recounted()
    new = organization_row(name="长春市导入测试养老服务中心")
    moved = row_of(stored, {"所属区": "南关区", "所属街道": ""})
    code = new["统一社会信用代码"]
    path = write_book(
        tmp_path / "ledger.xlsx",
        ledger_sheet([new, moved]),
        member_sheet([member_row(code), member_row(code), member_row(code)]),
    )
    result = import_ledger(path, by=None)
    assert result.ok, result.report()
    assert Organization.objects.get(pk=stored.pk).district == places["districts"][1]
    assert_recounted()


@pytest.fixture
def on(settings):
    def move_to(day: datetime.date):
        settings.ACCOUNTS = {**settings.ACCOUNTS, "DEMO_MODE": True}
        settings.REGISTRY = {**settings.REGISTRY, "DEMO_TODAY": day.isoformat()}

    return move_to


def test_the_aggregates_follow_standings_falling_due(places, on):
    today = datetime.date(2018, 7, 2)
    later = today + datetime.timedelta(days=3)
    standing_services._queued_due_dates.clear()
    on(today)
    leaving = organization(places)
    member = add_members(leaving, 3)[0]
    member.left_on, member.left_reason = later, "调动"
    member.save()
    dissolving = organization(places, 1, 1, 1)
    add_members(dissolving, 1)
    party_organization = found_party_organization(dissolving, mode="standalone")
    party_organization.dissolved_on = later
    party_organization.save()
    assert_recounted(today)
    assert coverage_figures(Organization.objects.all(), copied={})["standalone_condition"] == 1

    on(later)
    assert standing_services.standings_refresh_due() == 2
    assert_recounted(later)
    figures = coverage_figures(Organization.objects.all(), copied={})
    assert figures["standalone_condition"] == 0
    assert figures["party_organizations"] == 0
    standing_services._queued_due_dates.clear()


def test_the_command_rebuilds_and_verifies(places):
    add_members(organization(places), 3)
    out = StringIO()
    call_command("coverage_aggregates", "--verify", stdout=out)
    CoverageGroup.objects.filter(supervisory_unit_key=-1).update(eligible=7)
    with pytest.raises(CommandError) as refused:
        call_command("coverage_aggregates", "--verify", stdout=(out := StringIO()))
    assert "coverage_aggregates" in str(refused.value)
    assert "朝阳区" in out.getvalue() and "养老" in out.getvalue()
    assert "7/" in out.getvalue()
    call_command("coverage_aggregates", stdout=StringIO())
    assert aggregates_verify() == []


def test_a_rebuild_gives_what_the_writes_kept(places):
    for index in range(6):
        made = organization(places, index % 2, index // 3, index % 2)
        add_members(made, index)
        if index % 3 == 0:
            found_party_organization(made, mode="standalone")
    kept = set(CoverageGroup.objects.exclude(organizations=0).values_list())
    by_mode = set(PartyOrganizationGroup.objects.exclude(party_organizations=0).values_list())
    aggregates_rebuild()
    fields = [f.name for f in CoverageGroup._meta.fields if f.name != "id"]
    rebuilt = set(CoverageGroup.objects.values_list(*fields))
    assert {row[1:] for row in kept} == rebuilt
    assert {row[1:] for row in by_mode} == set(
        PartyOrganizationGroup.objects.values_list(
            "supervisory_unit_key",
            "district_key",
            "industry_key",
            "formation_mode",
            "party_organizations",
        )
    )


def test_the_ledger_pages_by_the_aggregates_segments_in_the_ledgers_order(
    places, client, clerk, monkeypatch, django_assert_max_num_queries
):
    from partybuilding import views
    from partybuilding.ledger.pages import LedgerSegments
    from partybuilding.ledger.selectors import ledger_queryset

    for index in range(13):
        organization(places, index % 2, (index // 2) % 2, index % 2, name=f"长春市第{index:02}协会")
    organization(places, 1, 1, 0, status="deregistered")
    # Functional zones have no division code: their rows share a segment, merged by name.
    zones = [DistrictFactory(name="高新区", code=""), DistrictFactory(name="净月区", code="")]
    for index in range(8):
        OrganizationFactory(
            district=zones[index % 2],
            industry=places["industries"][0],
            supervisory_unit=places["units"][0],
            name=f"长春市开发区第{7 - index:02}协会",
        )
    for copied in scopes():
        organizations = per_organization(copied)
        if "status" not in copied:
            organizations = organizations.filter(status="active")
            copied = {**copied, "status": "active"}
        expected = list(ledger_queryset(organizations).values_list("pk", flat=True))
        segments = LedgerSegments(organizations, copied)
        assert len(segments) == len(expected)
        for start in range(0, len(expected) + 1, 3):
            assert segments[start : start + 4] == expected[start : start + 4], copied

    monkeypatch.setattr(views, "LEDGER_PAGE_SIZE", 5)
    client.force_login(clerk)
    url = views.reverse("partybuilding:ledger")
    client.get(url)  # warm caches
    response = client.get(url, {"page": 2})
    page = response.context["page"]
    assert page.paginator.count == 21 and page.paginator.count_is_exact
    active = Organization.objects.filter(status="active")
    expected = list(ledger_queryset(active).values_list("pk", flat=True))
    assert [row["pk"] for row in response.context["table"]] == expected[5:10]

    # The first page costs the same queries whatever the number of organizations.
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for index in range(20):
        organization(places, index % 2, index % 2, 0, name=f"长春市新增第{index:02}协会")
    with django_assert_max_num_queries(len(few)):
        assert client.get(url).context["page"].paginator.count == 41


def test_the_dashboard_lists_the_first_leads_and_links_to_all(places, client, committee_user):
    from partybuilding.dashboard import DASHBOARD_LEADS
    from partybuilding.services import industry_lead_designate

    for index in range(DASHBOARD_LEADS + 2):
        industry_lead_designate(
            industry=places["industries"][0],
            lead_organization=organization(places, name=f"长春市龙头第{index:02}协会"),
            driven_organizations=[],
            designated_on=datetime.date(2017, 1, 1),
            by=None,
        )
    client.force_login(committee_user)
    response = client.get(views_reverse("partybuilding:dashboard"))
    assert len(response.context["leads"]) == DASHBOARD_LEADS
    assert response.context["leads_total"] == DASHBOARD_LEADS + 2
    html = response.content.decode()
    assert 'id="leads-more"' in html
    assert views_reverse("admin:partybuilding_industrylead_changelist") in html


def views_reverse(name):
    from django.urls import reverse

    return reverse(name)
