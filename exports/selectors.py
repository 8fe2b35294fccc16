"""Reading export jobs: each user sees their own, and nobody else's (not even a superuser:
an export is the asking user's scope of the data, and the file is theirs)."""

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from .choices import ExportStatus
from .models import ExportJob


def export_jobs_visible_to(user) -> QuerySet:
    """The jobs `user` asked for, newest first."""
    if not user.is_authenticated:
        return ExportJob.objects.none()
    return ExportJob.objects.filter(user=user)


def export_job_status(job: ExportJob) -> dict:
    """What the job page polls: status, progress and, when done, the download link."""
    return {
        "id": job.pk,
        "status": job.status,
        "status_label": job.get_status_display(),
        "rows_total": job.rows_total,
        "rows_written": job.rows_written,
        "percent": job.percent,
        "progress_text": (
            _("Waiting in the queue")
            if job.status == ExportStatus.QUEUED
            else _("%(written)s of %(total)s rows written")
            % {"written": f"{job.rows_written:,}", "total": f"{job.rows_total:,}"}
        ),
        "finished": job.finished,
        "download_url": (
            reverse("exports:download", args=[job.pk])
            if job.status == ExportStatus.DONE and job.file
            else None
        ),
        "error": job.error,
    }
