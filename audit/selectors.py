"""Reading the audit log: shared by the admin change list and its Excel export."""

from django.db.models import QuerySet
from django.utils import timezone

from .models import AuditRecord


def audit_records() -> QuerySet:
    """Newest first; every column the list and the export show lives on the row itself."""
    return AuditRecord.objects.order_by("-sequence")


def audit_export_rows(queryset: QuerySet):
    """One dict per record for `exports.audit_workbook_write`, streamed."""
    fields = (
        "sequence",
        "occurred_at",
        "username",
        "action",
        "object_type",
        "object_id",
        "summary",
        "ip_address",
        "history_id",
        "hash",
    )
    labels = dict(AuditRecord._meta.get_field("action").choices)
    for row in queryset.values(*fields).iterator(chunk_size=2000):
        row["occurred_at"] = timezone.localtime(row["occurred_at"]).strftime("%Y-%m-%d %H:%M:%S")
        row["action"] = str(labels.get(row["action"], row["action"]))
        yield row
