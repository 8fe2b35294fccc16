"""The Party-building bulk-write service (issue 14, point 4): members and Party organizations
written around save() get their history rows and audit records, and one
`party_records_changed_in_bulk` when the write ends, which refreshes the figures of every
organization whose members changed (the ones members left included)."""

import datetime

import pytest
from django.db import transaction

from audit.choices import AuditAction
from audit.models import AuditRecord
from core.id_numbers import id_number_digest
from partybuilding.bulk import PartyBulkWrite
from partybuilding.models import PartyMember, PartyOrganization, Standing
from partybuilding.signals import party_records_changed_in_bulk
from tests.factories import (
    OrganizationFactory,
    PartyMemberFactory,
    PartyOrganizationFactory,
    found_party_organization,
    id_number_for,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent():
    calls = []

    def receiver(sender, signal, **kwargs):
        calls.append(kwargs)

    party_records_changed_in_bulk.connect(receiver, dispatch_uid="test.party_bulk.sent")
    yield calls
    party_records_changed_in_bulk.disconnect(dispatch_uid="test.party_bulk.sent")


def new_member(organization, **fields) -> PartyMember:
    member = PartyMember(
        name=fields.pop("name", "王建国"),
        id_number=id_number_for(),
        status="full",
        role="full_time_staff",
        relationship="transferred",
        organization=organization,
        joined_party_on=datetime.date(2005, 7, 1),
        **fields,
    )
    member.clean()  # sex and birth date from the number, as the import's checks leave them
    return member


def last_sequence() -> int:
    return AuditRecord.objects.order_by("-sequence").values_list("sequence", flat=True).first() or 0


def counted(organization) -> int:
    return Standing.objects.get(organization=organization).counted_members


def test_new_members_get_history_audit_records_and_their_organization_its_figures(clerk, sent):
    organization = OrganizationFactory()
    members = [new_member(organization, name=f"党员{n}") for n in range(3)]
    before = last_sequence()

    with transaction.atomic():
        write = PartyBulkWrite(by=clerk, ip_address="10.0.0.9")
        write.insert_members(members[:1])
        write.insert_members(members[1:])
        write.finish()

    assert all(member.pk for member in members)
    stored = PartyMember.objects.get(pk=members[0].pk)
    assert stored.id_number_digest == id_number_digest(members[0].id_number)
    history = PartyMember.history.filter(id__in=[m.pk for m in members])
    assert sorted(history.values_list("history_type", "history_user_id")) == [("+", clerk.pk)] * 3
    records = AuditRecord.objects.filter(action=AuditAction.DATA_CHANGE, sequence__gt=before)
    assert (
        sorted(records.values_list("object_type", "ip_address"))
        == [("partybuilding.partymember", "10.0.0.9")] * 3
    )
    assert sent == [{"organization_ids": frozenset({organization.pk}), "by": clerk}]
    assert counted(organization) == 3


def test_a_member_moved_changes_the_figures_of_both_organizations(sent):
    old, new = OrganizationFactory(), OrganizationFactory()
    member = PartyMemberFactory(organization=old)
    assert counted(old) == 1
    member.organization = new

    with transaction.atomic():
        write = PartyBulkWrite(by=None)
        write.update_members([member], {"organization"}, previous_organization_ids={old.pk})
        write.finish(audit=False)

    assert (counted(old), counted(new)) == (0, 1)
    assert sent == [{"organization_ids": frozenset({old.pk, new.pk}), "by": None}]
    latest = PartyMember.history.filter(id=member.pk).order_by("-history_id").first()
    assert (latest.history_type, latest.organization_id) == ("~", new.pk)


def test_organizations_refreshed_by_a_registry_write_of_the_same_transaction_are_left_to_it(sent):
    organization = OrganizationFactory()
    with transaction.atomic():
        write = PartyBulkWrite(by=None)
        write.insert_members([new_member(organization)])
        write.finish(audit=False, refreshed_elsewhere={organization.pk})
    assert sent == []


def test_party_organizations_in_bulk(clerk, sent):
    organization = OrganizationFactory()
    party_organization = found_party_organization(organization)
    party_organization.name = "改名后的党支部"
    fresh = PartyOrganizationFactory.build(name="新建的党支部")

    with transaction.atomic():
        write = PartyBulkWrite(by=clerk)
        write.insert_party_organizations([fresh])
        write.update_party_organizations([party_organization], {"name"})
        write.finish()

    assert PartyOrganization.objects.get(pk=fresh.pk).name == "新建的党支部"
    assert PartyOrganization.history.filter(id=fresh.pk, history_type="+").exists()
    assert PartyOrganization.history.filter(id=party_organization.pk, history_type="~").exists()
    # The organizations it covers: their stored figures carry its name.
    assert sent == [{"organization_ids": frozenset({organization.pk}), "by": clerk}]
    standing = Standing.objects.get(organization=organization)
    assert standing.party_organization_name == "改名后的党支部"
