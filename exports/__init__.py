"""Excel exports too large for a request, run as background jobs (issue 7).

Why django-tasks and not Celery: it is the `django.tasks` API that Django 6.0 ships, so the
code (`@task`, `.enqueue`) stays when the project moves up and only the import changes. Its
backends cover both of our deployments with one code path:
- the embedded default (`make run`, SQLite, no Redis) uses `django_tasks_db.DatabaseBackend`:
  the queue is a table in the project's own database and `manage.py db_worker` runs it, which
  `make run` starts beside runserver. Nothing else to install or keep running.
- production sets REDIS_URL and gets `django_tasks_rq.RQBackend`: RQ on Redis, workers
  started with `manage.py rqworker --job-class django_tasks_rq.Job default`.
Celery would need a Redis broker even on a laptop (or an eager mode that is no queue at all),
plus its own worker, beat and configuration for what is one kind of job.

Since version 0.12 django-tasks itself carries only the dummy and immediate backends; the
database and RQ backends are the packages django-tasks-db and django-tasks-rq by the same
author.

The export itself is not tied to the queue: ExportJob holds who asked, what, and the progress;
the task only carries the job's id, and the worker recomputes the rows from the stored filters
under the asking user's permissions (see services.export_run)."""
