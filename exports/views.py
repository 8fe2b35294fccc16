"""The user's export jobs: the list (我的导出), a job's page with its progress, the JSON the
page polls, and the download, which is the only way to a file (they have no URL of their own).
Another user's job is a 404, never a 403: its existence is not for others to learn."""

from django.contrib import admin
from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from .choices import ExportStatus
from .registry import export_kinds
from .selectors import export_job_status, export_jobs_visible_to

JOBS_PAGE_SIZE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _kind_label(kind: str) -> str:
    registered = export_kinds().get(kind)
    return str(registered.label) if registered else kind


@staff_member_required
def job_list(request):
    page = Paginator(export_jobs_visible_to(request.user), JOBS_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    for job in page.object_list:
        job.kind_label = _kind_label(job.kind)
    return render(
        request,
        "exports/job_list.html",
        {**admin.site.each_context(request), "title": _("My exports"), "page": page},
    )


@staff_member_required
def job_detail(request, pk):
    job = get_object_or_404(export_jobs_visible_to(request.user), pk=pk)
    job.kind_label = _kind_label(job.kind)
    return render(
        request,
        "exports/job_detail.html",
        {
            **admin.site.each_context(request),
            "title": job.filename or job.kind_label,
            "job": job,
            "state": export_job_status(job),
        },
    )


@never_cache
@staff_member_required
def job_status(request, pk):
    job = get_object_or_404(export_jobs_visible_to(request.user), pk=pk)
    return JsonResponse(export_job_status(job))


@staff_member_required
def job_download(request, pk):
    job = get_object_or_404(export_jobs_visible_to(request.user), pk=pk)
    if job.status != ExportStatus.DONE or not job.file:
        raise Http404
    registered = export_kinds().get(job.kind)
    # The user may have lost the role since the job ran: the file is theirs no longer.
    if registered is None or not registered.permitted(request.user):
        raise PermissionDenied
    try:
        handle = job.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(
        handle, as_attachment=True, filename=job.filename or f"{job.kind}.xlsx", content_type=XLSX
    )
