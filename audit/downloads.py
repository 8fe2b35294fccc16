"""One way to hand out a spreadsheet (issue 14): write it, record the export in the audit log,
then give it away, a download in a request or a file for a management command. Every export
is audited (issue 8), so the helper lives in the audit app, below every app that exports; the
apps say only what to write (`write(target) -> rows`) and how the audit record names it."""

import tempfile
from collections.abc import Callable

from django.http import FileResponse

from .services import COMMAND_USER, audit_export, request_ip

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def export_response(
    request,
    *,
    write: Callable[[object], int],
    filename: str,
    kind: str,
    object_type: str,
    what: str,
    filters: dict,
) -> FileResponse:
    """Build the workbook in a temporary file (constant memory) with `write(file)`, which
    returns the data rows written, record the export for the request's user, and stream the
    file as an attachment named `filename`."""
    handle = tempfile.TemporaryFile(suffix=".xlsx")
    rows = write(handle)
    audit_export(
        user=request.user,
        kind=kind,
        object_type=object_type,
        what=what,
        rows=rows,
        filters=filters,
        ip_address=request_ip(request),
    )
    handle.seek(0)
    return FileResponse(handle, as_attachment=True, filename=filename, content_type=XLSX)


def export_to_file(
    path, *, write: Callable[[object], int], kind: str, object_type: str, what: str, filters: dict
) -> int:
    """A management command's export: `write(path)`, then the audit record in the command's
    name (no user, no address); returns the data rows written."""
    rows = write(path)
    audit_export(
        username=COMMAND_USER,
        kind=kind,
        object_type=object_type,
        what=what,
        rows=rows,
        filters=filters,
    )
    return rows
