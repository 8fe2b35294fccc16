"""domain.md §3, one test (at least) per rule id, computed through the selectors."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from partybuilding.choices import PartyBuildingStatus
from partybuilding.coverage.selectors import coverage_figures
from partybuilding.services import (
    dispatch_start,
    party_organization_dissolve,
    party_organization_found,
    party_organization_warnings,
)
from partybuilding.standings.selectors import with_party_building
from registry.models import Organization
from tests.factories import (
    OrganizationFactory,
    PartyMemberFactory,
    add_members,
    found_party_organization,
)

pytestmark = pytest.mark.django_db


def status_of(organization):
    return with_party_building(Organization.objects.filter(pk=organization.pk)).get()


def start_dispatch(organization, started_on=datetime.date(2017, 3, 1)):
    return dispatch_start(
        organization=organization,
        dispatched_branch="市民政局机关派驻党支部",
        instructor_name="孙国华",
        instructor_unit="长春市民政局",
        instructor_phone="13804310001",
        started_on=started_on,
        by=None,
    )


def test_r_pb_1_only_full_active_staff_members_with_a_transferred_relation_or_letter_count():
    organization = OrganizationFactory()
    counted = [
        PartyMemberFactory(organization=organization),
        PartyMemberFactory(organization=organization, role="part_time_staff"),
        PartyMemberFactory(
            organization=organization,
            relationship="floating",
            certificate_letter_on=datetime.date(2018, 3, 1),
        ),
        PartyMemberFactory(
            organization=organization,
            role="part_time_staff",
            relationship="held_elsewhere",
            certificate_letter_on=datetime.date(2018, 3, 1),
        ),
    ]
    # None of these count:
    PartyMemberFactory(
        organization=organization,
        status="probationary",
        full_membership_due_on=datetime.date(2019, 1, 1),
    )
    PartyMemberFactory(organization=organization, relationship="floating")  # no letter
    PartyMemberFactory(
        organization=organization, role="part_time_staff", relationship="held_elsewhere"
    )  # no letter
    PartyMemberFactory(organization=organization, role="service_recipient")  # 老人党员
    PartyMemberFactory(organization=organization, role="volunteer")
    PartyMemberFactory(
        organization=organization, left_on=datetime.date(2018, 1, 1), left_reason="调离"
    )
    row = status_of(organization)
    assert row.counted_members == len(counted) == 4
    assert row.full_members == 6  # full staff members still active, counted or not
    assert row.probationary_members == 1


def test_r_pb_2_three_counted_members_meet_the_standalone_condition():
    organization = OrganizationFactory()
    add_members(organization, 2)
    assert status_of(organization).party_building_status == PartyBuildingStatus.JOINT_CANDIDATE
    add_members(organization, 1)
    row = status_of(organization)
    assert row.counted_members == 3
    assert row.party_building_status == PartyBuildingStatus.SHOULD_BUILD


@pytest.mark.parametrize("members", [1, 2])
def test_r_pb_3_one_or_two_counted_members_make_a_joint_candidate(members):
    organization = OrganizationFactory()
    add_members(organization, members)
    assert status_of(organization).party_building_status == PartyBuildingStatus.JOINT_CANDIDATE


def test_r_pb_4_no_counted_member_needs_dispatched_help():
    organization = OrganizationFactory()
    PartyMemberFactory(organization=organization, role="service_recipient")
    row = status_of(organization)
    assert row.counted_members == 0
    assert row.party_building_status == PartyBuildingStatus.NEEDS_DISPATCH


def test_r_pb_5_eligible_means_at_least_one_counted_member():
    with_one, with_none = OrganizationFactory(), OrganizationFactory()
    add_members(with_one, 1)
    PartyMemberFactory(
        organization=with_none,
        status="probationary",
        full_membership_due_on=datetime.date(2019, 1, 1),
    )
    figures = coverage_figures(Organization.objects.all())
    assert figures["organizations"] == 2
    assert figures["eligible"] == 1


def test_r_pb_6_should_build_but_has_not_and_the_joint_only_warning():
    unbuilt, joint_only, partner, own = (OrganizationFactory() for _ in range(4))
    for organization in (unbuilt, joint_only, own):
        add_members(organization, 3)
    found_party_organization(joint_only, partner, mode="joint")
    found_party_organization(own)
    assert status_of(unbuilt).should_build_not_built is True
    assert status_of(joint_only).should_build_not_built is False
    assert status_of(joint_only).should_build_own_warning is True
    assert status_of(own).should_build_not_built is False
    assert status_of(own).should_build_own_warning is False
    figures = coverage_figures(Organization.objects.all())
    assert figures["should_build_not_built"] == 1
    assert figures["should_build_own_warning"] == 1


def test_r_pb_7_organization_and_work_coverage_over_active_organizations():
    own, joint_a, joint_b, dispatched, nothing = (OrganizationFactory() for _ in range(5))
    OrganizationFactory(status="deregistered")  # outside every rate
    add_members(own, 3)
    found_party_organization(own)
    found_party_organization(joint_a, joint_b, mode="joint")
    start_dispatch(dispatched)
    dissolved = OrganizationFactory()
    party_organization_dissolve(
        party_organization=found_party_organization(dissolved),
        dissolved_on=datetime.date(2018, 1, 1),
        by=None,
    )
    figures = coverage_figures(Organization.objects.all())
    assert figures["organizations"] == 6
    assert figures["organization_coverage"] == 3
    assert figures["work_coverage"] == 4
    assert figures["organization_coverage_rate"] == 0.5
    assert figures["work_coverage_rate"] == round(4 / 6, 4)
    assert status_of(nothing).work_covered is False
    assert status_of(dissolved).organization_covered is False


def test_r_pb_8_a_standalone_party_organization_covers_exactly_one():
    first, second = OrganizationFactory(), OrganizationFactory()
    with pytest.raises(ValidationError, match="exactly one|只能覆盖一个"):
        found_party_organization(first, second, mode="standalone")
    party_organization = found_party_organization(first)
    assert list(party_organization.organizations.all()) == [first]
    assert status_of(first).party_building_status == PartyBuildingStatus.COVERED_OWN
    with pytest.raises(ValidationError):
        found_party_organization(first)  # it already has its own


def test_r_pb_9_a_joint_party_organization_covers_two_or_more():
    first, second = OrganizationFactory(), OrganizationFactory()
    with pytest.raises(ValidationError):
        found_party_organization(first, mode="joint")
    found_party_organization(first, second, mode="joint")
    assert status_of(second).party_building_status == PartyBuildingStatus.COVERED_JOINT
    assert coverage_figures(Organization.objects.all())["by_formation_mode"]["joint"] == 1


def test_r_pb_11_founding_ends_the_open_dispatch_that_day():
    organization = OrganizationFactory()
    dispatch = start_dispatch(organization)
    assert status_of(organization).instructor_name == "孙国华"
    founded_on = datetime.date(2018, 4, 20)
    party_organization = found_party_organization(
        organization, mode="dispatched", founded_on=founded_on
    )
    dispatch.refresh_from_db()
    assert dispatch.ended_on == founded_on
    assert party_organization.name in dispatch.end_reason
    row = status_of(organization)
    assert row.has_open_dispatch is False
    assert row.party_building_status == PartyBuildingStatus.COVERED_OWN
    assert dispatch.history.latest().ended_on == founded_on  # audited like any change


def test_r_pb_11_no_dispatch_to_an_organization_already_covered():
    organization = OrganizationFactory()
    found_party_organization(organization)
    with pytest.raises(ValidationError):
        start_dispatch(organization)


def test_r_pb_12_size_tiers_warn_but_do_not_block():
    organization = OrganizationFactory()
    party_organization = found_party_organization(organization)
    members = add_members(organization, 55)
    for member in members:
        member.party_organization = party_organization
        member.save()
    warnings = party_organization_warnings(party_organization=party_organization)
    assert any("55" in warning for warning in warnings)
    party_organization.kind = "general_branch"
    assert party_organization_warnings(party_organization=party_organization) == []


def test_figures_can_be_taken_as_of_a_past_date():
    organization = OrganizationFactory()
    add_members(organization, 3)
    found_party_organization(organization, founded_on=datetime.date(2018, 5, 1))
    before = coverage_figures(Organization.objects.all(), as_of=datetime.date(2018, 4, 30))
    after = coverage_figures(Organization.objects.all(), as_of=datetime.date(2018, 5, 1))
    assert (before["should_build_not_built"], before["organization_coverage"]) == (1, 0)
    assert (after["should_build_not_built"], after["organization_coverage"]) == (0, 1)


def test_coverage_figures_cost_a_constant_number_of_queries(django_assert_num_queries):
    for _ in range(3):
        organization = OrganizationFactory()
        add_members(organization, 3)
        found_party_organization(organization)
    # every figure per industry and district (the totals are their sums), the industries' and
    # districts' names, Party organizations by mode: reading refreshes no standing
    with django_assert_num_queries(4):
        coverage_figures(Organization.objects.all())
    for _ in range(10):
        found_party_organization(OrganizationFactory(), OrganizationFactory(), mode="joint")
    with django_assert_num_queries(4):
        figures = coverage_figures(Organization.objects.all())
    assert figures["organizations"] == 23
    assert figures["party_organizations"] == 13


def test_founding_rejects_inactive_organizations():
    organization = OrganizationFactory(status="revoked")
    with pytest.raises(ValidationError):
        party_organization_found(
            name="某党支部",
            kind="branch",
            formation_mode="standalone",
            organizations=[organization],
            founded_on=datetime.date(2018, 1, 1),
            by=None,
        )


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        (
            [{"status": "full", "role": "full_time_staff", "relationship": "transferred"}] * 3,
            PartyBuildingStatus.SHOULD_BUILD,
        ),
        (
            [
                {
                    "status": "full",
                    "role": "part_time_staff",
                    "relationship": "floating",
                    "certificate_letter_on": datetime.date(2018, 1, 1),
                }
            ],
            PartyBuildingStatus.JOINT_CANDIDATE,
        ),
        (
            [
                {
                    "status": "probationary",
                    "role": "full_time_staff",
                    "relationship": "transferred",
                },
                {"status": "full", "role": "service_recipient", "relationship": "transferred"},
                {"status": "full", "role": "full_time_staff", "relationship": "floating"},
            ],
            PartyBuildingStatus.NEEDS_DISPATCH,
        ),
    ],
)
def test_r_pb_1_the_plain_rule_agrees_with_the_database(rows, expected):
    from partybuilding.rules import member_form_consequence

    counted, condition, sentence = member_form_consequence(rows)
    assert condition == expected
    organization = OrganizationFactory()
    for row in rows:
        PartyMemberFactory(organization=organization, **row)
    assert status_of(organization).counted_members == counted
    assert status_of(organization).party_building_status == expected
    # Said in words; the rule id stays in the code (issue 19).
    assert "R-PB-" not in sentence and "党组织" in sentence
