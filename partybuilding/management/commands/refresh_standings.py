import time

from django.core.management.base import BaseCommand
from django.utils.translation import gettext

from partybuilding.standings.services import standings_refresh, standings_refresh_due


class Command(BaseCommand):
    help = (
        "Recompute every organization's stored Party-building figures (党建状况). The product "
        "keeps them current by itself; run this after writing to the database around it "
        "(SQL, a restore from an older backup). With --due, only those a date entered in "
        "advance has changed by today (the background worker does this on the day; run it "
        "daily from cron where no worker runs)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--due",
            action="store_true",
            help="only the standings that fell due by today",
        )

    def handle(self, *args, due=False, **options):
        started = time.perf_counter()
        count = standings_refresh_due() if due else standings_refresh()
        elapsed = time.perf_counter() - started
        self.stdout.write(
            gettext(
                "Recomputed the Party-building standing of %(count)s organizations "
                "(%(seconds).1f seconds)"
            )
            % {"count": count, "seconds": elapsed}
        )
