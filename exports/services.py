"""Starting, running and purging background exports."""

import datetime
import logging
import os
import secrets
from functools import wraps

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from audit.services import audit_export

from .choices import ExportStatus
from .models import ExportJob
from .registry import export_kind
from .storage import export_storage

logger = logging.getLogger(__name__)

# A province's ledger takes minutes; a job pending for longer than this is presumed lost.
PENDING_JOINS_WITHIN = datetime.timedelta(hours=1)


def _in_site_language(function):
    """Errors are stored in the site's language (Chinese), whatever the worker or the request
    happens to have active: the stored text is what every later page shows."""

    @wraps(function)
    def wrapped(*args, **kwargs):
        with translation.override(settings.LANGUAGE_CODE):
            return function(*args, **kwargs)

    return wrapped


@transaction.atomic
def export_start(*, user, kind: str, params: dict) -> ExportJob:
    """Queue an export of `kind` for `user`, or return the same export still pending; a worker
    writes it once the transaction commits (export_run), and counts its rows there: a full
    count can take a while at a province."""
    export = export_kind(kind)
    if not export.permitted(user):
        raise PermissionDenied
    # A second click on the same download joins the job already on its way.
    # Only a recent one: a job whose worker died stays "running" and must not capture new ones.
    pending = ExportJob.objects.filter(
        user=user,
        kind=kind,
        params=params,
        status__in=[ExportStatus.QUEUED, ExportStatus.RUNNING],
        created_at__gte=timezone.now() - PENDING_JOINS_WITHIN,
    ).first()
    if pending is not None:
        return pending
    job = ExportJob.objects.create(
        user=user, kind=kind, params=params, filename=export.filename(params)
    )
    # After commit: a Redis worker could otherwise pick the task before the row exists.
    transaction.on_commit(lambda: _enqueue(job.pk))
    return job


@_in_site_language
def _enqueue(job_id: int) -> None:
    from .tasks import run_export

    try:
        result = run_export.enqueue(job_id)
    except Exception:
        logger.exception("Could not queue export job %s", job_id)
        _fail(job_id, _("The export queue is not available. Please try again later."))
        return
    ExportJob.objects.filter(pk=job_id).update(task_id=str(result.id)[:64])


@_in_site_language
def export_run(*, job_id: int) -> ExportJob | None:
    """Write a queued export (the worker's side). The user's permission is checked again and
    the rows are computed from the stored filters under the user's scope of today, so a user
    who lost a role gets nothing. Not atomic: rows_written must be visible while it runs."""
    claimed = ExportJob.objects.filter(pk=job_id, status=ExportStatus.QUEUED).update(
        status=ExportStatus.RUNNING, started_at=timezone.now()
    )
    job = ExportJob.objects.select_related("user").filter(pk=job_id).first()
    if not claimed or job is None:
        return job  # purged, or a retried task of a job that already ran
    try:
        export = export_kind(job.kind)
    except KeyError:
        return _fail(job.pk, _("This kind of export is not available."))
    if not (job.user.is_active and export.permitted(job.user)):
        return _fail(job.pk, _("You are no longer allowed to export this data."))

    def progress(rows_written: int) -> None:
        ExportJob.objects.filter(pk=job.pk).update(rows_written=rows_written)

    name = f"{timezone.now():%Y/%m}/{job.kind}-{job.pk}-{secrets.token_hex(8)}.xlsx"
    path = export_storage.path(name)
    try:
        rows_total = export.count(user=job.user, params=job.params)
        ExportJob.objects.filter(pk=job.pk).update(rows_total=rows_total)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        rows = export.write(path, user=job.user, params=job.params, progress=progress)
    except Exception:
        if os.path.exists(path):
            os.remove(path)
        # The user reads a plain sentence; the traceback goes to the log and the task result.
        logger.exception("Export job %s failed", job.pk)
        _fail(job.pk, _("The export failed. Please try again or ask the administrator."))
        raise
    return _finished(job, export, name=name, rows=rows)


@_in_site_language
def export_now(*, user, kind: str, params: dict, ip_address: str | None = None) -> ExportJob:
    """Write a small export at once, in the request, and keep it as a finished job: it shows in
    the user's list (我的导出) with its time, filters and rows, can be downloaded again while
    the file is kept (export_purge), and is audited once, like a background one."""
    export = export_kind(kind)
    if not export.permitted(user):
        raise PermissionDenied
    started = timezone.now()
    job = ExportJob.objects.create(
        user=user,
        kind=kind,
        params=params,
        filename=export.filename(params),
        status=ExportStatus.RUNNING,
        started_at=started,
    )
    name = f"{started:%Y/%m}/{kind}-{job.pk}-{secrets.token_hex(8)}.xlsx"
    path = export_storage.path(name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    try:
        rows = export.write(path, user=user, params=params)
    except Exception:
        if os.path.exists(path):
            os.remove(path)
        job.delete()
        raise
    return _finished(job, export, name=name, rows=rows, ip_address=ip_address)


def _finished(job: ExportJob, export, *, name: str, rows: int, ip_address=None) -> ExportJob:
    """The job marked done with its file, and the export's audit record (issue 8: every
    export), in one write: the same for a queued export and one written at once."""
    with transaction.atomic():
        ExportJob.objects.filter(pk=job.pk).update(
            status=ExportStatus.DONE,
            file=name,
            rows_written=rows,
            rows_total=rows,  # rows may have come or gone between the count and the write
            finished_at=timezone.now(),
        )
        audit_export(
            user=job.user,
            kind=job.kind,
            object_type="exports.exportjob",
            object_id=job.pk,
            what=str(export.label),
            rows=rows,
            filters=job.params,
            ip_address=ip_address,
        )
    job.refresh_from_db()
    return job


def _fail(job_id: int, error: str) -> ExportJob | None:
    ExportJob.objects.filter(pk=job_id).update(
        status=ExportStatus.FAILED, error=error, finished_at=timezone.now()
    )
    return ExportJob.objects.filter(pk=job_id).first()


def export_purge(*, days: int) -> int:
    """Delete the jobs created more than `days` days ago, and their files; return how many."""
    cutoff = timezone.now() - datetime.timedelta(days=days)
    old = ExportJob.objects.filter(created_at__lt=cutoff)
    count = 0
    for job in old.only("pk", "file").iterator(chunk_size=500):
        if job.file:
            job.file.delete(save=False)
        count += 1
    old.delete()
    return count
