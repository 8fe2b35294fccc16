"""The audit log as an Excel workbook (core.spreadsheets: streamed, text never a formula)."""

from django.utils import timezone
from django.utils.translation import gettext as _

from core.spreadsheets import Column, formats, open_workbook, write_table


def audit_columns() -> list[Column]:
    return [
        Column(_("No."), None, 8, "number"),
        Column(_("sequence number"), "sequence", 10, "number"),
        Column(_("occurred at"), "occurred_at", 20),
        Column(_("username"), "username", 22),
        Column(_("action"), "action", 14),
        Column(_("object type"), "object_type", 24),
        Column(_("object id"), "object_id", 14),
        Column(_("summary"), "summary", 50),
        Column(_("IP address"), "ip_address", 16),
        Column(_("history record id"), "history_id", 12, "number"),
        Column(_("hash"), "hash", 66),
    ]


def audit_workbook_write(target, rows) -> int:
    """Write `rows` (from `selectors.audit_export_rows`) to `target`; returns the row count."""
    workbook = open_workbook(target)
    count = write_table(
        workbook,
        formats(workbook),
        sheet_name=_("Audit log"),
        title=_("Audit log (exported %(time)s)")
        % {"time": timezone.localtime().strftime("%Y-%m-%d %H:%M")},
        columns=audit_columns(),
        rows=rows,
    )
    workbook.close()
    return count
