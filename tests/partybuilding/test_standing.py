"""The stored Party-building figures (`Standing`) must always equal the live count for today:
every write path refreshes them, and a date set in advance makes them fall due that day."""

import datetime

import pytest
from django.utils import timezone

from partybuilding.coverage.selectors import coverage_figures, standings_of
from partybuilding.models import PartyMember, Standing
from partybuilding.receivers import fill_standings_after_migrate
from partybuilding.services import dispatch_end, party_organization_dissolve
from partybuilding.standings.selectors import (
    STANDING_FIELDS,
    with_live_counts,
    with_party_building,
    with_stored_counts,
)
from partybuilding.standings.services import standings_refresh, standings_refresh_due
from registry.models import Organization
from tests.factories import (
    OrganizationFactory,
    PartyMemberFactory,
    add_members,
    found_party_organization,
    id_number_for,
)
from tests.partybuilding.test_rules import start_dispatch

pytestmark = pytest.mark.django_db


def stored_and_live(today=None):
    today = today or timezone.localdate()
    organizations = Organization.objects.order_by("pk")
    stored = list(with_stored_counts(organizations).values("pk", *STANDING_FIELDS))
    live = list(with_live_counts(organizations, as_of=today).values("pk", *STANDING_FIELDS))
    return stored, live


@pytest.fixture
def mixed_population():
    standalone, joint_a, joint_b, dispatched, empty, recipients = OrganizationFactory.create_batch(
        6
    )
    add_members(standalone, 4)
    add_members(joint_a, 1)
    add_members(joint_b, 2, status="probationary", full_membership_due_on=datetime.date(2030, 1, 1))
    add_members(recipients, 5, role="service_recipient")
    found_party_organization(standalone)
    found_party_organization(joint_a, joint_b, mode="joint")
    start_dispatch(dispatched)
    return standalone, joint_a, joint_b, dispatched, empty, recipients


def test_stored_figures_equal_the_live_count_after_service_writes(mixed_population):
    stored, live = stored_and_live()
    assert stored == live
    standalone = Organization.objects.get(pk=mixed_population[0].pk)
    row = with_party_building(Organization.objects.filter(pk=standalone.pk)).get()
    assert (row.counted_members, row.has_own_party_organization) == (4, True)
    assert Standing.objects.get(organization=standalone).valid_until is None


def test_every_organization_has_a_row_with_the_fields_figures_are_scoped_by():
    organization = OrganizationFactory()
    standing = Standing.objects.get(organization=organization)
    assert (standing.status, standing.registered_on) == ("active", organization.registered_on)
    assert (standing.district_id, standing.industry_id) == (
        organization.district_id,
        organization.industry_id,
    )
    row = with_party_building(Organization.objects.filter(pk=organization.pk)).get()
    assert (row.counted_members, row.organization_covered, row.party_building_status) == (
        0,
        False,
        "needs_dispatch",
    )


def test_an_organization_saved_carries_its_changes_into_the_figures():
    organization, other = OrganizationFactory.create_batch(2)
    add_members(organization, 3)
    assert coverage_figures(Organization.objects.all())["standalone_condition"] == 1
    organization.status = "deregistered"
    organization.district = other.district
    organization.save()
    standing = Standing.objects.get(organization=organization)
    assert (standing.status, standing.district_id) == ("deregistered", other.district_id)
    figures = coverage_figures(Organization.objects.all())
    assert (figures["organizations"], figures["standalone_condition"]) == (1, 0)


def test_todays_figures_from_standings_equal_yesterdays_counted_live(mixed_population):
    # Everything in the fixture is dated years ago: nothing changed overnight.
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    organizations = Organization.objects.all()
    today_figures = coverage_figures(organizations)
    live_figures = coverage_figures(organizations, as_of=yesterday)
    today_figures.pop("as_of"), live_figures.pop("as_of")
    assert today_figures == live_figures
    assert today_figures["party_organizations"] == 2
    narrowed = Organization.objects.filter(pk__in=[mixed_population[0].pk])
    assert coverage_figures(narrowed)["organizations"] == 1


def test_standings_of_organizations_narrowed_by_copied_fields_need_no_join():
    first, second = OrganizationFactory.create_batch(2)
    for copied in (
        {},
        {"status": "active", "district": first.district},
        {"industry": first.industry_id},
    ):
        organizations = Organization.objects.filter(**copied)
        standings = standings_of(organizations, copied=copied)
        assert "registry_organization" not in str(standings.query)
        assert {s.organization_id for s in standings} == {o.pk for o in organizations}
    for organizations in (
        Organization.objects.filter(supervisory_unit=first.supervisory_unit),
        Organization.objects.filter(district__name=first.district.name),
        Organization.objects.exclude(status="revoked"),
    ):
        standings = standings_of(organizations)
        assert "registry_organization" in str(standings.query)
        assert {s.organization_id for s in standings} == {o.pk for o in organizations}


def test_the_scope_form_names_its_copied_conditions_only_for_who_sees_every_organization(
    clerk,
):
    from partybuilding.forms import LedgerFilterForm, ScopeFilterForm
    from tests.factories import make_user

    organization = OrganizationFactory()
    district = {"district": str(organization.district_id)}
    assert ScopeFilterForm({}).copied_conditions(clerk) == {"status": "active"}
    assert ScopeFilterForm({**district, "status": "all"}).copied_conditions(clerk) == {
        "district": organization.district_id
    }
    unit = make_user("supervisory_unit", supervisory_unit=organization.supervisory_unit)
    assert ScopeFilterForm(district).copied_conditions(unit) is None
    narrowed = {"supervisory_unit": str(organization.supervisory_unit_id)}
    assert ScopeFilterForm(narrowed).copied_conditions(clerk) == {
        "supervisory_unit": organization.supervisory_unit_id,
        "status": "active",
    }
    computed = {"party_building_status": "should_build"}
    assert ScopeFilterForm(computed).copied_conditions(clerk) is None
    assert LedgerFilterForm({"q": organization.name}).copied_conditions(clerk) is None


def test_moving_a_member_refreshes_both_organizations():
    old, new = OrganizationFactory.create_batch(2)
    member = PartyMemberFactory(organization=old)
    member.organization = new
    member.save()
    counts = dict(Standing.objects.values_list("organization_id", "counted_members"))
    assert counts == {old.pk: 0, new.pk: 1}


def test_deleting_a_member_refreshes_its_organization():
    member = PartyMemberFactory()
    member.delete()
    assert Standing.objects.get(organization=member.organization).counted_members == 0


def test_coverage_added_and_removed_through_the_relation():
    first, second = OrganizationFactory.create_batch(2)
    party_organization = found_party_organization(first, second, mode="joint")
    party_organization.organizations.remove(second)
    assert stored_and_live()[0] == stored_and_live()[1]
    assert not Standing.objects.get(organization=second).has_joint_party_organization
    second.party_organizations.add(party_organization)
    assert Standing.objects.get(organization=second).has_joint_party_organization
    party_organization.organizations.clear()
    assert not Standing.objects.filter(has_joint_party_organization=True).exists()


def test_dissolving_and_renaming_a_party_organization_refreshes_what_it_covers():
    organization = OrganizationFactory()
    add_members(organization, 3)
    party_organization = found_party_organization(organization, name="旧名称党支部")
    party_organization.name = "新名称党支部"
    party_organization.save()
    assert Standing.objects.get(organization=organization).party_organization_name == (
        "新名称党支部"
    )
    party_organization_dissolve(
        party_organization=party_organization, dissolved_on=timezone.localdate(), by=None
    )
    row = with_party_building(Organization.objects.filter(pk=organization.pk)).get()
    assert (row.has_own_party_organization, row.should_build_not_built) == (False, True)


def test_a_date_set_in_advance_makes_the_row_fall_due_that_day():
    today = timezone.localdate()
    organization = OrganizationFactory()
    leaving = add_members(organization, 3)[0]
    leaving.left_on, leaving.left_reason = today + datetime.timedelta(days=3), "调动"
    leaving.save()
    dispatch = start_dispatch(organization)
    dispatch_end(
        dispatch=dispatch, ended_on=today + datetime.timedelta(days=10), reason="期满", by=None
    )
    standing = Standing.objects.get(organization=organization)
    assert (standing.counted_members, standing.has_open_dispatch) == (3, True)
    assert standing.valid_until == today + datetime.timedelta(days=3)

    later = today + datetime.timedelta(days=3)
    assert standings_refresh_due(later) == 1
    standing.refresh_from_db()
    assert (standing.counted_members, standing.computed_on) == (2, later)
    assert standing.valid_until == today + datetime.timedelta(days=10)
    assert standings_refresh_due(later) == 0
    stored, live = stored_and_live(later)
    assert stored == live


def test_bulk_writes_are_put_right_by_an_explicit_refresh():
    organization = OrganizationFactory()
    PartyMember.objects.bulk_create(
        PartyMember(
            organization=organization,
            name=f"党员{n}",
            id_number=id_number_for(),
            birth_date=datetime.date(1980, 1, 1),
            status="full",
            role="full_time_staff",
            relationship="transferred",
        )
        for n in range(3)
    )
    assert Standing.objects.get(organization=organization).counted_members == 0
    assert standings_refresh([organization.pk]) == 1
    assert Standing.objects.get(organization=organization).counted_members == 3


def test_refreshing_all_walks_every_organization_in_chunks(mixed_population):
    Standing.objects.all().delete()
    assert standings_refresh(chunk_size=4) == Organization.objects.count()
    stored, live = stored_and_live()
    assert stored == live


def test_organizations_without_a_row_get_theirs_after_migrate(mixed_population):
    Standing.objects.filter(organization__in=mixed_population[:3]).delete()
    fill_standings_after_migrate(sender=None, using="default")
    stored, live = stored_and_live()
    assert stored == live
    assert Standing.objects.count() == 6


def test_the_refresh_command_puts_every_row_right(mixed_population):
    from io import StringIO

    from django.core.management import call_command

    Standing.objects.update(counted_members=99, has_open_dispatch=True)
    out = StringIO()
    call_command("refresh_standings", stdout=out)
    assert "6 家" in out.getvalue()
    stored, live = stored_and_live()
    assert stored == live
