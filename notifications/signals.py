"""`reminders_wanted`: sent once a day (notifications.reminders.send_reminders) with `today`;
each receiver, in the app that owns the dates, returns a list of `Reminder`s
(notifications.services.Reminder) for `notify`. Connected in the upper apps' ready()."""

from django.dispatch import Signal

reminders_wanted = Signal()
