"""The base of every bulk-write service: rows written around save() (core.bulk_sql) still get
their history rows, and each history row its audit record, as a save() would have.

A bulk write skips save() and simple_history's signal, so the receiver that audits each history
row (`audit.receivers`) never runs. `BulkWrite` remembers the `history_date` each bulk history
insert shares and, at `record_changes()`, appends one `data_change` record per history row,
linked to it exactly as `audit.receivers` links a save()'s, in bulk (`audit_record_many`: one
chain lock, inserts by the thousand), reading the history rows back in slices so memory stays
flat however many rows were written.

The domain services build on it (`registry.services.bulk`, `partybuilding.bulk`): they add their
rules and send their "changed in bulk" signal once, when the write ends."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.utils import translation
from django.utils.translation import gettext as _

from core import bulk_sql

from .choices import AuditAction
from .receivers import CHANGE_WORDS, HISTORY_TYPES
from .services import COMMAND_USER, audit_record_many

READ_CHUNK = 2000


class BulkWrite:
    """One bulk write: inserts and updates of many rows, in the caller's transaction, by `by`
    (a user, or None for a command) from `ip_address`."""

    def __init__(self, *, by=None, ip_address=None):
        self.by, self.ip_address = by, ip_address
        # (model, history date) of each bulk history insert, for the audit log.
        self.histories: list[tuple[type, object]] = []

    def insert(self, model, instances, *, key: tuple[str, ...]) -> None:
        """INSERT the new `instances` (their primary keys set, read back by the unique `key`)
        and their "+" history rows."""
        bulk_sql.insert(model, instances, key=key)
        self._history(model, instances, "+")

    def update(self, model, instances, fields) -> None:
        """UPDATE `fields` of the stored `instances` (their version moved on) and write their
        "~" history rows."""
        bulk_sql.update(model, instances, fields)
        self._history(model, instances, "~")

    def _history(self, model, instances, history_type: str) -> None:
        stamp = bulk_sql.history(model, instances, history_type=history_type, by=self.by)
        # Two inserts of one model may share a microsecond; the audit reads each date once.
        if stamp is not None and (model, stamp) not in self.histories[-4:]:
            self.histories.append((model, stamp))

    def record_changes(self, details: dict | None = None) -> int:
        """One `data_change` audit record per history row written so far, worded under the
        site's language as `audit.receivers` words a save()'s; `details` are added to each
        (the ledger import names its own record there). Returns how many were written."""
        if not self.histories:
            return 0  # not even the chain's lock
        with translation.override(settings.LANGUAGE_CODE):
            words = {key: str(value) for key, value in CHANGE_WORDS.items()}
            # Consumed here, under the site's language: the summaries are worded as it is.
            return audit_record_many(self._changes(words, details or {}))

    def _changes(self, words, extra):
        """One data_change record per history row written, streamed."""
        by, ip_address = self.by, self.ip_address
        user_id = getattr(by, "pk", None)
        template = _("%(change)s %(model)s %(object)s")  # as audit.receivers words a save()
        for model, stamp in self.histories:
            history_model = model.history.model
            content_type = ContentType.objects.get_for_model(history_model)
            object_type = f"{model._meta.app_label}.{model._meta.model_name}"
            verbose_name = str(model._meta.verbose_name)
            rows = (
                history_model.objects.filter(history_date=stamp, history_user_id=user_id)
                .order_by("history_id")
                # The field that names a row in the summary: "name", unless the model says
                # otherwise (`audit_label_field`, e.g. a list entry's evidence key).
                .values_list(
                    "history_id", "id", "history_type", getattr(model, "audit_label_field", "name")
                )
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
                            **extra,
                        },
                        "ip_address": ip_address,
                        "history_content_type": content_type,
                        "history_id": history_id,
                    }
