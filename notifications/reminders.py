"""The daily reminders: ask every app for its `Reminder`s and write them (R-NTF-1..6)."""

import datetime
import logging

from django.conf import settings
from django.utils import translation

from core import calendar

from .services import notify_all
from .signals import reminders_wanted

logger = logging.getLogger(__name__)


def collect_reminders(today: datetime.date) -> list:
    """Every receiver's reminders for `today`. A receiver that fails is logged and skipped: the
    others' reminders still go out."""
    reminders = []
    for receiver, answer in reminders_wanted.send_robust(sender=None, today=today):
        if isinstance(answer, Exception):
            logger.error("Reminders of %r failed", receiver, exc_info=answer)
            continue
        reminders.extend(answer or [])
    return reminders


def send_reminders(today: datetime.date | None = None) -> int:
    """Write the day's reminders; returns how many notifications are new (0 when run twice)."""
    today = today or calendar.today()
    # Written in the product's language, whatever the worker's or the shell's is.
    with translation.override(settings.LANGUAGE_CODE):
        return len(notify_all(collect_reminders(today)))
