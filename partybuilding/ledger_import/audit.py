"""The audit log of a ledger import (issue 13, point 6), written in the import's transaction just
before it commits:

- one record for the import, here: who, the file, and what it did on each sheet (created,
  updated, unchanged), the reference data it added and the rows read;
- one `data_change` record per history row the import wrote (organizations, members, new
  supervisory units and streets), by the bulk-write services (`audit.bulk.BulkWrite`), each
  naming the import's record (`details["import"]`)."""

from __future__ import annotations

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from audit.choices import AuditAction
from audit.services import COMMAND_USER, audit_record

#: object_type of the import's own record: what was imported, not one model's row.
IMPORT_OBJECT_TYPE = "partybuilding.ledger"


def audit_import(*, result, by, file_name: str, ip_address, sheets) -> dict:
    """Record a written (not dry-run, not failed) import; `sheets` are the sheet titles by kind.
    Returns the details each of its per-row records carries: the import's sequence."""
    who = by.get_username() if by is not None else COMMAND_USER
    details = {
        "operation": "import",
        "file": file_name,
        "organizations": {
            "sheets": sheets.get("organizations", []),
            "created": result.created,
            "updated": result.updated,
            "unchanged": result.unchanged,
        },
        "members": {
            "sheets": sheets.get("members", []),
            "created": result.members_created,
            "updated": result.members_updated,
            "unchanged": result.members_unchanged,
        },
        "supervisory_units_created": result.supervisory_units_created,
        "streets_created": result.streets_created,
        "rows": result.rows,
    }
    with translation.override(settings.LANGUAGE_CODE):
        summary = _("%(who)s imported the ledger %(file)s: %(counts)s.") % {
            "who": who,
            "file": file_name or "-",
            "counts": result.counts(),
        }
        record = audit_record(
            action=AuditAction.DATA_CHANGE,
            user=by,
            username=COMMAND_USER if by is None else "",
            object_type=IMPORT_OBJECT_TYPE,
            summary=summary,
            details=details,
            ip_address=ip_address,
        )
    return {"import": record.sequence}
