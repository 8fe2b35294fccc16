import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext

from core import calendar
from credit.services.proposals import propose_entries


class Command(BaseCommand):
    help = (
        "Propose abnormal-list and serious-list entries from the data, and remove the entries "
        "whose term has ended (the daily job; R-CR-3, R-CR-10..12)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", help="the day to run for (YYYY-MM-DD); default today")

    def handle(self, *args, date=None, **options):
        try:
            today = datetime.date.fromisoformat(date) if date else calendar.today()
        except ValueError as error:
            raise CommandError(gettext("Give the date as YYYY-MM-DD.")) from error
        outcome = propose_entries(today)
        self.stdout.write(
            gettext("%(proposed)s entries proposed, %(expired)s removed at the end of their term")
            % {"proposed": outcome.total, "expired": outcome.expired}
        )
