import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext

from notifications.reminders import send_reminders
from notifications.tasks import send_reminders as send_reminders_task


class Command(BaseCommand):
    help = (
        "Write the day's reminders (annual-check deadlines, rectifications, grade expiry, "
        "unacknowledged copies, probationary members) into each user's notifications. Run it "
        "daily from cron; run twice, it writes nothing twice. --queue hands it to the worker."
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", help="the day to remind for, YYYY-MM-DD (default today)")
        parser.add_argument(
            "--queue", action="store_true", help="queue the task for the worker instead"
        )

    def handle(self, *args, date=None, queue=False, **options):
        day = None
        if date:
            try:
                day = datetime.date.fromisoformat(date)
            except ValueError:
                raise CommandError(gettext("Give the date as YYYY-MM-DD.")) from None
        if queue:
            send_reminders_task.enqueue(day.isoformat() if day else None)
            self.stdout.write(gettext("Queued the reminders."))
            return
        count = send_reminders(day)
        self.stdout.write(gettext("Wrote %(count)s new notifications.") % {"count": count})
