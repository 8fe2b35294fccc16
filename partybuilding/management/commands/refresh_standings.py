import time

from django.core.management.base import BaseCommand
from django.utils.translation import gettext

from partybuilding.services import standings_refresh


class Command(BaseCommand):
    help = (
        "Recompute every organization's stored Party-building figures (党建状况). The product "
        "keeps them current by itself; run this after writing to the database around it "
        "(SQL, a restore from an older backup)."
    )

    def handle(self, *args, **options):
        started = time.perf_counter()
        count = standings_refresh()
        elapsed = time.perf_counter() - started
        self.stdout.write(
            gettext(
                "Recomputed the Party-building standing of %(count)s organizations "
                "(%(seconds).1f seconds)"
            )
            % {"count": count, "seconds": elapsed}
        )
