"""The demo's clock: the services the demo calls for something that happened on a day of 2018
run as on that day.

The services date what they record by the product's "today" (`core.calendar.today`, which in
demo mode is `REGISTRY["DEMO_TODAY"]`, the demo's own date); `on_day` sets that date for the
block, as the demo's day moves through the spring of 2018, and dates the history rows written
meanwhile on it too, so that the ledger "as of" an earlier day (R-CHG-4, read from the
organizations' history) tells the values before a change from those after it. Timestamps the
services take from the wall clock (when a row was created, an event's moment) stay the
moment of seeding, as they do for the registration demo."""

import datetime
from contextlib import contextmanager

from django.conf import settings
from django.test.utils import override_settings
from django.utils import timezone
from simple_history.signals import pre_create_historical_record

DISPATCH_UID = "demo.clock.history_dated"


def history_moment(day: datetime.date) -> datetime.datetime:
    """The moment of `day` a history row written "on" it carries: office hours, local time."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10, 0)))


@contextmanager
def history_dated(day: datetime.date):
    """History rows written in the block are dated on `day` (nothing else changes)."""
    moment = history_moment(day)

    def date_the_row(sender, history_instance, **kwargs):
        history_instance.history_date = moment

    pre_create_historical_record.connect(date_the_row, weak=False, dispatch_uid=DISPATCH_UID)
    try:
        yield
    finally:
        pre_create_historical_record.disconnect(dispatch_uid=DISPATCH_UID)


@contextmanager
def on_day(day: datetime.date):
    """Run the block as on `day`: the product's today is `day` (demo mode, the demo's date) and
    the history rows written are dated on it."""
    registry = {**settings.REGISTRY, "DEMO_TODAY": day.isoformat()}
    accounts = {**settings.ACCOUNTS, "DEMO_MODE": True}
    with override_settings(REGISTRY=registry, ACCOUNTS=accounts), history_dated(day):
        yield
