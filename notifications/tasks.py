"""The queue's side of the daily reminders (the project's task queue, django-tasks). The day
travels as ISO text so any backend can serialize it; none means the product's today."""

import datetime

from django_tasks import task


@task()
def send_reminders(day: str | None = None) -> int:
    from .reminders import send_reminders as run

    return run(datetime.date.fromisoformat(day) if day else None)
