"""Bulk writes of Party members and Party organizations: the Party-building side of
`registry.services.bulk`, on the same base (`audit.bulk.BulkWrite`: COPY or executemany,
history rows, versions, audit records). Once, when the write ends, `party_records_changed_in_bulk`
names the social organizations whose Party-building figures changed; the standings listen to it
as they listen to the registry's `organizations_changed_in_bulk` (`PartyBuildingConfig.ready`)."""

from __future__ import annotations

from audit.bulk import BulkWrite

from .models import Coverage, PartyMember, PartyOrganization
from .signals import party_records_changed_in_bulk

#: Filled by the model's clean() from the ID number whenever a member is checked, so written
#: with every change.
MEMBER_DERIVED_FIELDS = {"sex", "birth_date"}


class PartyBulkWrite(BulkWrite):
    """One bulk write of Party members and Party organizations by `by`. Call `finish()` once,
    when every row is written, still inside the transaction."""

    def __init__(self, *, by=None, ip_address=None):
        super().__init__(by=by, ip_address=ip_address)
        self.organization_ids: set[int] = set()
        self.finished = False

    def insert_members(self, members) -> None:
        self.insert(PartyMember, members, key=("id_number_digest",))
        self.organization_ids.update(member.organization_id for member in members)

    def update_members(self, members, fields, *, previous_organization_ids=()) -> None:
        """Write `fields` of the stored `members`; `previous_organization_ids` are those of the
        organizations members moved away from, whose figures change too."""
        self.update(PartyMember, members, {*fields, *MEMBER_DERIVED_FIELDS})
        self.organization_ids.update(member.organization_id for member in members)
        self.organization_ids.update(previous_organization_ids)

    def insert_party_organizations(self, party_organizations) -> None:
        """New Party organizations (their coverages are written by the caller, after)."""
        self.insert(PartyOrganization, party_organizations, key=("name",))

    def update_party_organizations(self, party_organizations, fields) -> None:
        self.update(PartyOrganization, party_organizations, fields)
        self.organization_ids.update(
            Coverage.objects.filter(
                party_organization__in=[p.pk for p in party_organizations]
            ).values_list("organization_id", flat=True)
        )

    def finish(
        self, *, audit: bool = True, details: dict | None = None, refreshed_elsewhere=()
    ) -> None:
        """Send `party_records_changed_in_bulk` for the organizations not in
        `refreshed_elsewhere` (those of a registry bulk write of the same transaction that
        finishes after this one: their figures are refreshed then), then record the audit
        log's entries with `details` added to each (unless `audit` is False: a dry run that
        will be rolled back, or a caller that records them itself with `record_changes`)."""
        if self.finished:
            raise RuntimeError("A bulk write is finished once.")
        self.finished = True
        changed = self.organization_ids - set(refreshed_elsewhere)
        changed.discard(None)
        if changed:
            party_records_changed_in_bulk.send(
                sender=PartyMember, organization_ids=frozenset(changed), by=self.by
            )
        if audit:
            self.record_changes(details)
