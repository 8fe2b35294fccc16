"""Bulk writes of organizations and the reference data they name (supervisory units, streets),
for the ledger import and any other writer of thousands of rows at once.

`OrganizationsBulkWrite` owns what a save() would have done for each row: the fast SQL (COPY on
PostgreSQL, executemany on SQLite, `core.bulk_sql`), the history rows, the optimistic-locking
version of every changed row (core.concurrency), the bureau-managed flag (registry.rules), the
audit records (`audit.bulk.BulkWrite`), and, once when the write ends, the
`organizations_changed_in_bulk` signal instead of a post_save per row (the Party-building
figures listen to it). The caller checks its rows through the model's own rules first
(`registry.rules`, field checks), and runs the write in its own transaction."""

from __future__ import annotations

from audit.bulk import BulkWrite

from ..models import Organization, Street, SupervisoryUnit
from ..rules import is_bureau_managed
from ..signals import organizations_changed_in_bulk

#: The unique key each model's new rows are found again by, to learn their primary keys.
KEYS = {
    Organization: ("credit_code",),
    SupervisoryUnit: ("name",),
    Street: ("district_id", "name"),
}


class OrganizationsBulkWrite(BulkWrite):
    """One bulk write of organizations (and new supervisory units and streets) by `by`.
    Call `finish()` once, when every row is written, still inside the transaction."""

    def __init__(self, *, by=None, ip_address=None):
        super().__init__(by=by, ip_address=ip_address)
        self.organization_ids: set[int] = set()
        self.finished = False

    def insert_reference(self, instances) -> None:
        """New supervisory units or streets (one model a call), before the organizations
        naming them."""
        if instances:
            model = type(instances[0])
            self.insert(model, instances, key=KEYS[model])

    def insert_organizations(self, organizations) -> None:
        _settle_bureau_managed(organizations)
        self.insert(Organization, organizations, key=KEYS[Organization])
        self.organization_ids.update(organization.pk for organization in organizations)

    def update_organizations(self, organizations, fields) -> None:
        """Write `fields` of the stored `organizations` (bureau_managed always: it follows the
        supervisory unit)."""
        _settle_bureau_managed(organizations)
        self.update(Organization, organizations, {*fields, "bureau_managed"})
        self.organization_ids.update(organization.pk for organization in organizations)

    def finish(self, *, audit: bool = True, details: dict | None = None) -> None:
        """Send `organizations_changed_in_bulk`, then record the audit log's entries with
        `details` added to each (unless `audit` is False: a dry run that will be rolled back,
        or a caller that records them itself with `record_changes`)."""
        if self.finished:
            raise RuntimeError("A bulk write is finished once.")
        self.finished = True
        if self.organization_ids:
            organizations_changed_in_bulk.send(
                sender=Organization,
                organization_ids=frozenset(self.organization_ids),
                by=self.by,
            )
        if audit:
            self.record_changes(details)


def _settle_bureau_managed(organizations) -> None:
    """What Organization.clean() decides, decided again: a new supervisory unit of the same
    write had no key when the row was checked."""
    field = Organization._meta.get_field("supervisory_unit")
    for organization in organizations:
        unit = field.get_cached_value(organization, None)
        if unit is None and organization.supervisory_unit_id is not None:
            unit = organization.supervisory_unit
        organization.bureau_managed = is_bureau_managed(unit)
