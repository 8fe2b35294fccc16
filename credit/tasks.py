"""The daily job of credit supervision, on the task queue: the proposals from data and the
removals at the end of a term (credit.services.proposals). A scheduler (cron, or the worker's
host) enqueues it once a day; `manage.py credit_proposals` runs the same for a given date."""

from django_tasks import task


@task()
def propose_credit_entries(day: str | None = None) -> dict:
    import datetime

    from core import calendar

    from .services.proposals import propose_entries

    today = datetime.date.fromisoformat(day) if day else calendar.today()
    outcome = propose_entries(today)
    return {"proposed": outcome.proposed, "expired": outcome.expired}
