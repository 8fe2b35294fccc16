"""The ledger download: immediate up to the threshold (and kept as a finished job in 我的导出),
a background job on the real database queue above it, the job page, its JSON, the download,
and who may see which job."""

import datetime
import io
import os

import pytest
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from openpyxl import load_workbook

from accounts import roles
from exports.models import ExportJob
from exports.services import export_purge
from partybuilding.exports import LEDGER_SHEET
from tests.factories import IndustryFactory, OrganizationFactory, SupervisoryUnitFactory, make_user

pytestmark = pytest.mark.django_db


def _names(content: bytes) -> list[str]:
    sheet = load_workbook(io.BytesIO(content), read_only=True)[LEDGER_SHEET]
    return [row[1] for row in sheet.iter_rows(min_row=3, values_only=True)]


def _start(client, django_capture_on_commit_callbacks, **query):
    # The service queues the task on commit; run those callbacks as a real commit would.
    with django_capture_on_commit_callbacks(execute=True):
        return client.get(reverse("partybuilding:ledger_download"), query)


def test_small_ledger_download_is_immediate_and_kept_in_my_exports(client, clerk, threshold):
    threshold(2)
    industry = IndustryFactory(code="elderly_care", name="养老")
    OrganizationFactory(name="甲协会", industry=industry)
    OrganizationFactory(name="乙协会", industry=industry)
    OrganizationFactory(name="丙协会", industry=IndustryFactory(code="social_work", name="社工"))
    client.force_login(clerk)
    response = client.get(reverse("partybuilding:ledger_download"), {"industry": industry.pk})
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    assert sorted(_names(b"".join(response.streaming_content))) == ["乙协会", "甲协会"]

    # Answered in the same request, and recorded as a finished job with its file.
    job = ExportJob.objects.get()
    assert (job.user, job.kind, job.status, job.error) == (clerk, "ledger", "done", "")
    assert (job.rows_written, job.rows_total) == (2, 2)
    assert job.params["filters"] == {"industry": str(industry.pk)}
    assert "养老" in job.filename
    assert job.started_at <= job.finished_at
    assert job.file.name.startswith(f"{job.finished_at:%Y/}")
    assert not DBTaskResult.objects.exists()  # nothing queued

    listing = client.get(reverse("exports:list")).content.decode()
    assert job.filename in listing
    assert reverse("exports:download", args=[job.pk]) in listing
    assert f"{timezone.localtime(job.created_at):%Y-%m-%d %H:%M}" in listing
    again = client.get(reverse("exports:download", args=[job.pk]))
    assert again.status_code == 200
    assert sorted(_names(b"".join(again.streaming_content))) == ["乙协会", "甲协会"]


def test_a_small_download_is_not_anothers_to_see(client, clerk, threshold):
    threshold(5)
    OrganizationFactory()
    client.force_login(clerk)
    b"".join(client.get(reverse("partybuilding:ledger_download")).streaming_content)
    job = ExportJob.objects.get()

    client.force_login(make_user(roles.CLERK, username="another-clerk"))
    for name in ("exports:detail", "exports:status", "exports:download"):
        assert client.get(reverse(name, args=[job.pk])).status_code == 404
    assert job.filename not in client.get(reverse("exports:list")).content.decode()


def test_purging_removes_a_small_downloads_job_and_file(client, clerk, threshold):
    threshold(5)
    OrganizationFactory()
    client.force_login(clerk)
    b"".join(client.get(reverse("partybuilding:ledger_download")).streaming_content)
    job = ExportJob.objects.get()
    path = job.file.path
    ExportJob.objects.filter(pk=job.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=40)
    )

    assert export_purge(days=30) == 1

    assert not ExportJob.objects.exists()
    assert not os.path.exists(path)
    assert client.get(reverse("exports:download", args=[job.pk])).status_code == 404


@pytest.mark.django_db(transaction=True)  # db_worker closes connections left in a transaction
def test_large_ledger_download_runs_on_the_worker_and_reaches_its_total(
    client, clerk, threshold, run_worker, django_capture_on_commit_callbacks
):
    threshold(2)
    names = ["甲协会", "乙协会", "丙协会"]
    for name in names:
        OrganizationFactory(name=name)
    client.force_login(clerk)

    response = _start(client, django_capture_on_commit_callbacks)

    job = ExportJob.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("exports:detail", args=[job.pk])
    assert (job.user, job.kind, job.status) == (clerk, "ledger", "queued")
    assert (job.rows_total, job.rows_written) == (0, 0)  # the worker counts
    assert DBTaskResult.objects.filter(id=job.task_id, status="READY").exists()
    queued = client.get(reverse("exports:status", args=[job.pk])).json()
    assert (queued["status"], queued["percent"], queued["download_url"]) == ("queued", 0, None)

    run_worker()

    job.refresh_from_db()
    assert (job.status, job.rows_written, job.rows_total, job.error) == ("done", 3, 3, "")
    assert job.started_at <= job.finished_at
    assert job.file.name.startswith(f"{job.finished_at:%Y/}")
    assert DBTaskResult.objects.get(id=job.task_id).status == "SUCCESSFUL"
    done = client.get(reverse("exports:status", args=[job.pk])).json()
    assert done["percent"] == 100
    assert done["download_url"] == reverse("exports:download", args=[job.pk])
    download = client.get(done["download_url"])
    assert download.status_code == 200
    assert "attachment" in download["Content-Disposition"]
    assert sorted(_names(b"".join(download.streaming_content))) == sorted(names)


@pytest.mark.django_db(transaction=True)  # db_worker closes connections left in a transaction
def test_the_worker_computes_rows_from_the_stored_filters_and_the_users_scope(
    client, threshold, run_worker, django_capture_on_commit_callbacks
):
    threshold(0)
    elderly = IndustryFactory(code="elderly_care", name="养老")
    social = IndustryFactory(code="social_work", name="社工")
    unit = SupervisoryUnitFactory(name="长春市民政局养老服务处")
    OrganizationFactory(name="甲养老院", industry=elderly, supervisory_unit=unit)
    OrganizationFactory(name="乙社工中心", industry=social, supervisory_unit=unit)
    OrganizationFactory(name="丙养老院", industry=elderly)  # another unit's
    client.force_login(make_user(roles.SUPERVISORY_UNIT, supervisory_unit=unit))

    _start(client, django_capture_on_commit_callbacks, industry=elderly.pk)
    run_worker()

    job = ExportJob.objects.get()
    assert job.params["filters"] == {"industry": str(elderly.pk)}
    assert (job.status, job.rows_total) == ("done", 1)
    assert "养老" in job.filename
    download = client.get(reverse("exports:download", args=[job.pk]))
    assert _names(b"".join(download.streaming_content)) == ["甲养老院"]


def test_another_users_job_is_404(client, clerk, threshold, django_capture_on_commit_callbacks):
    threshold(0)
    OrganizationFactory()
    client.force_login(clerk)
    _start(client, django_capture_on_commit_callbacks)
    job = ExportJob.objects.get()
    assert client.get(reverse("exports:detail", args=[job.pk])).status_code == 200

    client.force_login(make_user(roles.CLERK, username="another-clerk"))
    for name in ("exports:detail", "exports:status", "exports:download"):
        assert client.get(reverse(name, args=[job.pk])).status_code == 404
    assert job.filename not in client.get(reverse("exports:list")).content.decode()


@pytest.mark.django_db(transaction=True)  # db_worker closes connections left in a transaction
def test_a_job_whose_user_lost_the_role_fails_with_an_error_on_its_page(
    client, clerk, threshold, run_worker, django_capture_on_commit_callbacks
):
    threshold(0)
    OrganizationFactory()
    client.force_login(clerk)
    _start(client, django_capture_on_commit_callbacks)
    clerk.groups.clear()  # between the request and the worker

    run_worker()

    job = ExportJob.objects.get()
    assert (job.status, job.rows_written, bool(job.file)) == ("failed", 0, False)
    assert job.error == "您已无权导出这些数据。"
    page = client.get(reverse("exports:detail", args=[job.pk])).content.decode()
    assert job.error in page
    assert client.get(reverse("exports:status", args=[job.pk])).json()["error"] == job.error
    assert client.get(reverse("exports:download", args=[job.pk])).status_code == 404


def test_job_page_polls_with_a_static_script_and_no_inline_code(
    client, clerk, threshold, django_capture_on_commit_callbacks
):
    threshold(0)
    OrganizationFactory()
    client.force_login(clerk)
    _start(client, django_capture_on_commit_callbacks)
    job = ExportJob.objects.get()
    page = client.get(reverse("exports:detail", args=[job.pk])).content.decode()
    assert 'src="/static/exports/export-job.js"' in page
    assert f'data-status-url="{reverse("exports:status", args=[job.pk])}"' in page
    assert '<progress id="export-progress" max="100" value="0">' in page
    assert "排队等待中" in page
    assert all("src=" in tag for tag in page.split("<script")[1:])
