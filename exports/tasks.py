"""The queue's side of an export: the task carries only the job's id (what to write, and for
whom, is in the ExportJob row), so any backend can serialize it."""

from django_tasks import task


@task()
def run_export(job_id: int) -> None:
    from .services import export_run

    export_run(job_id=job_id)
