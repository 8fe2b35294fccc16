"""The ledger download, and the ledger as an export kind (exports.registry).

A download of at most EXPORTS["BACKGROUND_THRESHOLD_ROWS"] organizations is written at once and
sent in the same response; a larger one becomes a background job and the user is sent to its
progress page. Both are export jobs, so both show in 我的导出 and can be downloaded again.
Both write with the same function from the same parameters (the scope form's filters and the
as-of date), and both scope by organizations_visible_to(user): in the worker that is the asking
user's scope at the time the job runs, not what was true when it was queued."""

import datetime

from django.conf import settings
from django.http import FileResponse
from django.shortcuts import redirect
from django.utils.functional import lazy

from accounts.access import can_read_party_building, staff_page
from audit.services import request_ip
from core import calendar
from exports.registry import register_export_kind
from exports.services import export_now, export_start
from registry.bureau import bureau
from registry.selectors import organizations_visible_to

from .coverage.selectors import coverage_figures
from .exports import write_ledger
from .forms import LedgerFilterForm
from .ledger.selectors import ledger_rows

LEDGER = "ledger"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def ledger_params(query) -> dict:
    """What a ledger export needs to be written again later: the scope form's filters as given
    in the query string, and the date it is as of."""
    return {
        # NUL is never part of a filter, and PostgreSQL's JSON refuses it.
        "filters": {
            name: query[name].replace("\x00", "")
            for name in LedgerFilterForm.base_fields
            if query.get(name)
        },
        "as_of": calendar.today().isoformat(),
    }


def _scope(user, params):
    form = LedgerFilterForm(params.get("filters") or {})
    as_of = datetime.date.fromisoformat(params["as_of"]) if params.get("as_of") else None
    return form, form.filter(organizations_visible_to(user), as_of=as_of)


def ledger_count(*, user, params, up_to: int | None = None) -> int:
    """One row per organization in scope: a COUNT over organizations, no ledger annotations,
    stopped at `up_to` (a LIMIT under the COUNT) when the caller only needs to compare."""
    organizations = _scope(user, params)[1].order_by()
    if up_to is not None:
        organizations = organizations.values("pk")[:up_to]
    return organizations.count()


def ledger_write(target, *, user, params, progress=None) -> int:
    as_of = datetime.date.fromisoformat(params["as_of"])
    form, organizations = _scope(user, params)
    return write_ledger(
        target,
        ledger_rows(organizations, as_of=as_of),
        title=bureau().ledger_title,
        summary=coverage_figures(organizations, as_of=as_of, copied=form.copied_conditions(user)),
        as_of=as_of,
        progress=progress,
        user=user,
    )


def ledger_filename(params) -> str:
    form = LedgerFilterForm(params.get("filters") or {})
    scope = form.describe()
    stamp = params["as_of"].replace("-", "")
    title = bureau().ledger_title
    return f"{title}{'（' + scope + '）' if scope else ''}{stamp}.xlsx"


register_export_kind(
    LEDGER,
    label=lazy(lambda: bureau().ledger_title, str)(),  # read when shown, not at start-up
    permitted=can_read_party_building,
    count=ledger_count,
    write=ledger_write,
    filename=ledger_filename,
)


@staff_page(can_read_party_building)
def ledger_download(request):
    params = ledger_params(request.GET)
    threshold = settings.EXPORTS["BACKGROUND_THRESHOLD_ROWS"]
    if ledger_count(user=request.user, params=params, up_to=threshold + 1) > threshold:
        job = export_start(user=request.user, kind=LEDGER, params=params)
        return redirect("exports:detail", job.pk)
    # Small enough to answer at once, and still kept as a finished job in 我的导出.
    job = export_now(user=request.user, kind=LEDGER, params=params, ip_address=request_ip(request))
    return FileResponse(
        job.file.open("rb"), as_attachment=True, filename=job.filename, content_type=XLSX
    )
