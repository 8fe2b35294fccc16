"""R-AC-2's dates, from settings.ANNUAL_CHECK."""

import datetime

from django.conf import settings


def month_day(year: int, value: str) -> datetime.date:
    month, day = (int(part) for part in value.split("-"))
    return datetime.date(year, month, day)


def exemption_cutoff(year: int) -> datetime.date:
    """Organizations registered after this date need not file for `year`."""
    return month_day(year, settings.ANNUAL_CHECK["EXEMPT_IF_REGISTERED_AFTER"])
