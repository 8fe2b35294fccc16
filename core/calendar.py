"""Working days (工作日) for deadlines counted the way offices count them: weekends off, public
holidays off, and the weekend days made working days by the State Council's schedule (调休)."""

import datetime

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext


def _dates(name: str) -> set[datetime.date]:
    return {datetime.date.fromisoformat(d) for d in settings.REGISTRY.get(name, [])}


def is_working_day(day: datetime.date) -> bool:
    if day in _dates("EXTRA_WORKING_DAYS"):
        return True
    return day.weekday() < 5 and day not in _dates("HOLIDAYS")


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """Working days after `start` up to and including `end` (0 when end <= start)."""
    count, day = 0, start
    while day < end:
        day += datetime.timedelta(days=1)
        count += is_working_day(day)
    return count


def working_days_before(end: datetime.date, days: int) -> datetime.date:
    """The latest date from which `days` working days have passed by `end`."""
    count, day = 0, end
    while count < days:
        count += is_working_day(day)
        day -= datetime.timedelta(days=1)
    return day


def today() -> datetime.date:
    """The date the product works on: today's local date, or, in demo mode only, the demo's own
    date (settings.REGISTRY["DEMO_TODAY"], e.g. 2018-07-01 for the mid-2018 Changchun demo), so
    that deadlines, overdue flags, expiring grades and default years follow the data's years.
    Production never runs in demo mode, so there today's date is the only truth."""
    demo_today = settings.REGISTRY.get("DEMO_TODAY")
    if demo_today and settings.ACCOUNTS.get("DEMO_MODE"):
        return datetime.date.fromisoformat(demo_today)
    return timezone.localdate()


def long_date(day: datetime.date) -> str:
    """A date in a sentence, the way the active language writes it (2016年05月01日)."""
    return day.strftime(gettext("%B %d, %Y"))
