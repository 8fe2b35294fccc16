"""The audit log of a ledger import (issue 13, point 6): the import's bulk writes skip save()
and simple_history's signal, so the receiver that audits each history row never runs; the
importer records them here instead, in its own transaction, just before it commits:

- one record for the import: who, the file, and what it did on each sheet (created, updated,
  unchanged), the reference data it added and the rows read;
- one `data_change` record per history row the import wrote (organizations, members, new
  supervisory units and streets), linked to that row exactly as `audit.receivers` links a
  save()'s, and naming the import's record (`details["import"]`).

The per-row records are appended in bulk (`audit_record_many`: one chain lock, inserts by the
thousand), reading the history rows back batch by batch by the `history_date` each bulk history
insert shares, so memory stays flat however large the file."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.utils import translation
from django.utils.translation import gettext as _

from audit.choices import AuditAction
from audit.receivers import CHANGE_WORDS, HISTORY_TYPES
from audit.services import COMMAND_USER, audit_record, audit_record_many

#: object_type of the import's own record: what was imported, not one model's row.
IMPORT_OBJECT_TYPE = "partybuilding.ledger"
READ_CHUNK = 2000


def audit_import(*, result, by, file_name: str, ip_address, histories, sheets) -> None:
    """Record a written (not dry-run, not failed) import. `histories` lists (model, history
    date) of every bulk history insert; `sheets` the sheet titles by kind."""
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
        summary = _("%(who)s imported the ledger %(file)s: %(counts)s") % {
            "who": who,
            "file": file_name or "-",
            "counts": result.summary().removeprefix("导入完成："),
        }
        words = {key: str(value) for key, value in CHANGE_WORDS.items()}
        record = audit_record(
            action=AuditAction.DATA_CHANGE,
            user=by,
            username=COMMAND_USER if by is None else "",
            object_type=IMPORT_OBJECT_TYPE,
            summary=summary,
            details=details,
            ip_address=ip_address,
        )
        # Consumed here, under the site's language: the summaries are worded as it is.
        audit_record_many(
            _changes(histories, by=by, ip_address=ip_address, words=words, link=record.sequence)
        )


def _changes(histories, *, by, ip_address, words, link):
    """One data_change record per history row the import wrote, streamed."""
    user_id = getattr(by, "pk", None)
    template = _("%(change)s %(model)s %(object)s")  # as audit.receivers words a save()
    for model, stamp in histories:
        history_model = model.history.model
        content_type = ContentType.objects.get_for_model(history_model)
        object_type = f"{model._meta.app_label}.{model._meta.model_name}"
        verbose_name = str(model._meta.verbose_name)
        rows = (
            history_model.objects.filter(history_date=stamp, history_user_id=user_id)
            .order_by("history_id")
            .values_list("history_id", "id", "history_type", "name")
        )
        last = 0
        while True:  # in slices, so that memory stays flat for any batch size
            chunk = list(rows.filter(history_id__gt=last)[:READ_CHUNK])
            if not chunk:
                break
            last = chunk[-1][0]
            for history_id, pk, history_type, name in chunk:
                yield {
                    "action": AuditAction.DATA_CHANGE,
                    "user": by,
                    "username": "" if by is not None else COMMAND_USER,
                    "object_type": object_type,
                    "object_id": pk,
                    "summary": template
                    % {
                        "change": words.get(history_type, history_type),
                        "model": verbose_name,
                        "object": str(name)[:200],
                    },
                    "details": {
                        "history_type": history_type,
                        "operation": HISTORY_TYPES.get(history_type),
                        "import": link,
                    },
                    "ip_address": ip_address,
                    "history_content_type": content_type,
                    "history_id": history_id,
                }
