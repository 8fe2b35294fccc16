"""R-PB-10 industry leads, R-PB-3 joint-branch suggestions, and coverage_report's contract."""

import datetime
import io
import json

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from partybuilding.coverage.selectors import industry_lead_progress, joint_branch_suggestions
from partybuilding.services import industry_lead_designate
from registry.models import Organization
from tests.factories import (
    DistrictFactory,
    IndustryFactory,
    OrganizationFactory,
    StreetFactory,
    add_members,
    found_party_organization,
)

pytestmark = pytest.mark.django_db


def test_r_pb_10_lead_progress_counts_the_driven_organizations_covered():
    social = IndustryFactory(code="social_work", name="社工")
    lead = OrganizationFactory(name="长春市社会工作者协会", industry=social)
    add_members(lead, 3)
    found_party_organization(lead, mode="lead", name="长春市社会工作者协会党支部")
    agencies = OrganizationFactory.create_batch(13, industry=social)
    for agency in agencies[:4]:
        add_members(agency, 3)
        found_party_organization(agency)
    found_party_organization(agencies[4], agencies[5], mode="joint")
    industry_lead_designate(
        industry=social,
        lead_organization=lead,
        driven_organizations=agencies,
        designated_on=datetime.date(2018, 5, 1),
        by=None,
    )
    [progress] = industry_lead_progress(Organization.objects.all())
    assert progress.lead.lead_organization == lead
    assert progress.lead_has_party_organization is True
    assert (progress.driven, progress.driven_covered) == (13, 6)
    assert progress.rate == round(6 / 13, 4)


def test_r_pb_10_lead_led_party_organizations_are_counted_by_mode():
    lead = OrganizationFactory()
    found_party_organization(lead, mode="lead")
    out = io.StringIO()
    call_command("coverage_report", json=True, stdout=out)
    assert json.loads(out.getvalue())["by_formation_mode"]["lead"] == 1


def test_r_pb_3_suggestions_group_same_industry_and_street_first():
    elderly = IndustryFactory(code="elderly_care", name="养老")
    social = IndustryFactory(code="social_work", name="社工")
    chaoyang = DistrictFactory(name="朝阳区", code="220104")
    huxi = StreetFactory(district=chaoyang, name="湖西街道")
    hongqi = StreetFactory(district=chaoyang, name="红旗街道")
    same_street = [
        OrganizationFactory(industry=elderly, district=chaoyang, street=huxi) for _ in range(2)
    ]
    same_district = [
        OrganizationFactory(industry=social, district=chaoyang, street=street)
        for street in (huxi, hongqi)
    ]
    covered = OrganizationFactory(industry=elderly, district=chaoyang, street=huxi)
    for organization in [*same_street, *same_district, covered]:
        add_members(organization, 1)
    found_party_organization(covered, OrganizationFactory(), mode="joint")
    suggestions = joint_branch_suggestions(Organization.objects.all())
    groups = [(set(s.organizations), s.reason) for s in suggestions]
    assert (set(same_street), "同行业、同街道") in groups or (
        set(same_street),
        "same industry, same street",
    ) in groups
    assert any(group == set(same_district) for group, _reason in groups)
    assert all(covered not in group for group, _reason in groups)


@override_settings(
    PARTY_BUILDING={
        "STANDALONE_MIN_MEMBERS": 3,
        "JOINT_BRANCH_MAX_ORGANIZATIONS": 5,
        "GENERAL_BRANCH_FROM": 50,
        "COMMITTEE_FROM": 100,
        "LEDGER_TITLE": "台账",
    }
)
def test_r_pb_3_suggested_groups_hold_at_most_five():
    elderly = IndustryFactory(code="elderly_care", name="养老")
    organizations = OrganizationFactory.create_batch(12, industry=elderly)
    for organization in organizations:
        add_members(organization, 2)
    suggestions = joint_branch_suggestions(Organization.objects.all())
    assert all(len(s.organizations) <= 5 for s in suggestions)
    assert sum(len(s.organizations) for s in suggestions) == 12


def test_suggestions_page_lists_the_groups(client, committee_user):
    elderly = IndustryFactory(code="elderly_care", name="养老")
    for name in ("甲居家养老服务中心", "乙居家养老服务中心"):
        add_members(OrganizationFactory(name=name, industry=elderly), 1)
    client.force_login(committee_user)
    page = client.get(reverse("partybuilding:joint_suggestions")).content.decode()
    assert "甲居家养老服务中心" in page and "乙居家养老服务中心" in page


def test_coverage_report_json_has_the_documented_keys():
    add_members(OrganizationFactory(), 3)
    out = io.StringIO()
    call_command("coverage_report", json=True, stdout=out)
    figures = json.loads(out.getvalue())
    for key in (
        "organizations",
        "eligible",
        "party_organizations",
        "by_formation_mode",
        "should_build_not_built",
        "organization_coverage",
        "work_coverage",
        "organization_coverage_rate",
        "work_coverage_rate",
    ):
        assert key in figures
    assert set(figures["by_formation_mode"]) == {"standalone", "joint", "lead", "dispatched"}
    assert figures["should_build_not_built"] == 1


def test_coverage_report_text_is_chinese():
    OrganizationFactory()
    out = io.StringIO()
    call_command("coverage_report", stdout=out)
    assert "社会组织：1" in out.getvalue()
    assert "组织覆盖率：0.0%" in out.getvalue()
