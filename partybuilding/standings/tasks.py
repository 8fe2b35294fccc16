"""The calendar's side of the standings: on the day a date entered in advance (a member's
leaving, a dispatch's end …) changes an organization's figures, the worker recomputes them.
Queued by the write that set the date (`services.schedule_due_refresh`), for that day."""

from django_tasks import task


@task()
def refresh_due_standings() -> int:
    from .services import standings_refresh_due

    return standings_refresh_due()
