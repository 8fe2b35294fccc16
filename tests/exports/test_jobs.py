"""The job machinery with a kind of the tests' own: progress while the worker writes, a write
that fails, the list of one's jobs, and purge_exports."""

import datetime
import io
import os

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from openpyxl import load_workbook

from core.spreadsheets import PROGRESS_EVERY_ROWS, Column, formats, open_workbook, write_table
from exports.models import ExportJob
from exports.registry import register_export_kind, unregister_export_kind
from exports.services import export_start

pytestmark = pytest.mark.django_db

COLUMNS = [Column("序号", None, 6, "number"), Column("名称", "name", 20)]


@pytest.fixture
def numbers_kind():
    """An export of `params["rows"]` numbered rows; records (rows_written, rows_total) as the
    database had them at each progress call."""
    seen = []

    def write(target, *, user, params, progress):
        if params.get("fail"):
            raise OSError("磁盘已满")

        def watched(rows_written):
            progress(rows_written)
            running = ExportJob.objects.filter(status="running")
            seen.append(running.values_list("rows_written", "rows_total").get())

        workbook = open_workbook(target)
        try:
            return write_table(
                workbook,
                formats(workbook),
                sheet_name="数字",
                title="数字",
                columns=COLUMNS,
                rows=({"name": f"第{n}行"} for n in range(params["rows"])),
                progress=watched,
            )
        finally:
            workbook.close()

    register_export_kind(
        "numbers",
        label="数字",
        permitted=lambda user: user.is_staff,
        count=lambda *, user, params: params["rows"],
        write=write,
        filename=lambda params: "数字.xlsx",
    )
    yield seen
    unregister_export_kind("numbers")


def _start(user, django_capture_on_commit_callbacks, **params):
    with django_capture_on_commit_callbacks(execute=True):
        return export_start(user=user, kind="numbers", params=params)


@pytest.mark.django_db(transaction=True)  # db_worker closes connections left in a transaction
def test_progress_is_saved_every_few_thousand_rows_and_reaches_the_total(
    client, clerk, numbers_kind, run_worker, django_capture_on_commit_callbacks
):
    rows = 2 * PROGRESS_EVERY_ROWS + 7
    job = _start(clerk, django_capture_on_commit_callbacks, rows=rows)
    assert (job.status, job.rows_total, job.rows_written) == ("queued", 0, 0)

    run_worker()

    assert numbers_kind == [
        (PROGRESS_EVERY_ROWS, rows),
        (2 * PROGRESS_EVERY_ROWS, rows),
        (rows, rows),
    ]
    job.refresh_from_db()
    assert (job.status, job.rows_written, job.percent) == ("done", rows, 100)
    client.force_login(clerk)
    download = client.get(reverse("exports:download", args=[job.pk]))
    sheet = load_workbook(io.BytesIO(b"".join(download.streaming_content)), read_only=True)["数字"]
    assert sheet.max_row == rows + 2  # title and header rows
    assert download["Content-Disposition"].endswith("%E6%95%B0%E5%AD%97.xlsx")


@pytest.mark.django_db(transaction=True)  # db_worker closes connections left in a transaction
def test_a_write_that_raises_fails_the_job_and_the_task_and_leaves_no_file(
    client, clerk, numbers_kind, run_worker, django_capture_on_commit_callbacks, private_media
):
    job = _start(clerk, django_capture_on_commit_callbacks, rows=3, fail=True)

    run_worker()

    job.refresh_from_db()
    assert job.status == "failed"
    assert job.error == "导出失败，请重试或联系系统管理员。"
    assert job.finished_at is not None and not job.file
    task = DBTaskResult.objects.get(id=job.task_id)
    assert (task.status, task.exception_class_path) == ("FAILED", "builtins.OSError")
    assert "磁盘已满" in task.traceback
    assert not [path for path in private_media.rglob("*") if path.is_file()]
    client.force_login(clerk)
    assert job.error in client.get(reverse("exports:detail", args=[job.pk])).content.decode()


def test_my_exports_lists_only_my_jobs(client, clerk, committee_user, numbers_kind):
    mine = ExportJob.objects.create(user=clerk, kind="numbers", filename="我的.xlsx")
    ExportJob.objects.create(user=committee_user, kind="numbers", filename="别人的.xlsx")
    client.force_login(clerk)
    page = client.get(reverse("exports:list")).content.decode()
    assert "我的.xlsx" in page and reverse("exports:detail", args=[mine.pk]) in page
    assert "别人的.xlsx" not in page


@pytest.mark.django_db(transaction=True)  # db_worker closes connections left in a transaction
def test_purge_exports_deletes_old_jobs_and_their_files(
    clerk, numbers_kind, run_worker, django_capture_on_commit_callbacks
):
    old = _start(clerk, django_capture_on_commit_callbacks, rows=1)
    recent = _start(clerk, django_capture_on_commit_callbacks, rows=2)
    run_worker()
    old.refresh_from_db()
    path = old.file.path
    ExportJob.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=8)
    )
    out = io.StringIO()

    call_command("purge_exports", "--days", "7", stdout=out)

    assert "1" in out.getvalue()
    assert list(ExportJob.objects.values_list("pk", flat=True)) == [recent.pk]
    assert not os.path.exists(path)
    recent.refresh_from_db()
    assert recent.file.storage.exists(recent.file.name)


def test_the_same_export_asked_twice_while_pending_is_one_job(
    clerk, committee_user, numbers_kind, django_capture_on_commit_callbacks
):
    first = _start(clerk, django_capture_on_commit_callbacks, rows=3)
    again = _start(clerk, django_capture_on_commit_callbacks, rows=3)
    other_rows = _start(clerk, django_capture_on_commit_callbacks, rows=4)
    other_user = _start(committee_user, django_capture_on_commit_callbacks, rows=3)
    assert again.pk == first.pk
    assert len({first.pk, other_rows.pk, other_user.pk}) == 3
    ExportJob.objects.filter(pk=first.pk).update(
        created_at=timezone.now() - datetime.timedelta(hours=2)
    )
    lost = _start(clerk, django_capture_on_commit_callbacks, rows=3)
    ExportJob.objects.filter(pk=lost.pk).update(status="done")
    assert (
        len({first.pk, lost.pk, _start(clerk, django_capture_on_commit_callbacks, rows=3).pk}) == 3
    )


def test_the_admin_lists_jobs_read_only(client, clerk, numbers_kind):
    from accounts.models import User

    job = ExportJob.objects.create(user=clerk, kind="numbers", filename="数字.xlsx")
    admin = User.objects.create_superuser("export-admin", password="Test-password-2018")
    client.force_login(admin)
    listing = client.get(reverse("admin:exports_exportjob_changelist"))
    change = reverse("admin:exports_exportjob_change", args=[job.pk])
    assert listing.status_code == 200 and change in listing.content.decode()
    assert client.get(change).status_code == 200
    assert client.get(reverse("admin:exports_exportjob_add")).status_code == 403
