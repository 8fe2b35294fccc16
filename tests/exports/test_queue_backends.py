"""Which queue runs the exports: production settings pick RQ on Redis when REDIS_URL is set,
and a ledger job really runs through Redis and an RQ worker."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from exports.models import ExportJob
from tests.environments import production_environment
from tests.factories import OrganizationFactory

BASE_DIR = Path(__file__).resolve().parents[2]
# A database index of its own, so the tests never touch another queue's jobs.
TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")

PROBE = """
import json, django
django.setup()
from django.conf import settings
from django.core.management import call_command
from django_tasks import task_backends
call_command("check", verbosity=0)
backend = type(task_backends["default"])
print(json.dumps({
    "backend": f"{backend.__module__}.{backend.__name__}",
    "queues": getattr(settings, "RQ_QUEUES", None),
    "apps": [app for app in settings.INSTALLED_APPS if "rq" in app],
}))
"""


def _production(**environ):
    env = production_environment(**environ)
    done = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=BASE_DIR, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_production_uses_rq_on_redis_when_redis_url_is_set():
    chosen = _production(REDIS_URL="redis://127.0.0.1:6379/0")
    assert chosen["backend"] == "django_tasks_rq.backend.RQBackend"
    assert chosen["queues"]["default"]["URL"] == "redis://127.0.0.1:6379/0"
    assert chosen["apps"] == ["django_rq", "django_tasks_rq"]


def test_production_without_redis_keeps_the_database_queue():
    chosen = _production()
    assert chosen["backend"] == "django_tasks_db.backend.DatabaseBackend"
    assert (chosen["queues"], chosen["apps"]) == (None, [])


@pytest.fixture
def rq_queue(settings):
    import django_rq
    import redis

    try:
        redis.Redis.from_url(TEST_REDIS_URL).ping()
    except redis.ConnectionError:
        pytest.skip(f"no Redis at {TEST_REDIS_URL}")
    settings.RQ_QUEUES = {"default": {"URL": TEST_REDIS_URL}}
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    queue = django_rq.get_queue("default")
    queue.empty()
    yield queue
    queue.empty()


@pytest.mark.django_db
def test_a_ledger_job_runs_through_redis_and_an_rq_worker(
    client, clerk, settings, rq_queue, django_capture_on_commit_callbacks
):
    from django_tasks_rq import Job
    from rq import SimpleWorker

    settings.EXPORTS = {**settings.EXPORTS, "BACKGROUND_THRESHOLD_ROWS": 0}
    OrganizationFactory(name="甲协会")
    client.force_login(clerk)
    with django_capture_on_commit_callbacks(execute=True):
        client.get(reverse("partybuilding:ledger_download"))
    job = ExportJob.objects.get()
    assert rq_queue.job_ids == [job.task_id]

    # In-process (no fork), so the worker shares the test's database transaction.
    SimpleWorker([rq_queue], connection=rq_queue.connection, job_class=Job).work(burst=True)

    job.refresh_from_db()
    assert (job.status, job.rows_written, job.rows_total) == ("done", 1, 1)
    assert Job.fetch(job.task_id, connection=rq_queue.connection).get_status() == "finished"
