from django.conf import settings
from django.core.management.base import BaseCommand

from exports.services import export_purge


class Command(BaseCommand):
    help = "Delete export jobs (and their files) older than --days days."

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=settings.EXPORTS["KEEP_DAYS"],
            help="Keep jobs created within this many days (default: EXPORTS['KEEP_DAYS']).",
        )

    def handle(self, *args, days, **options):
        deleted = export_purge(days=days)
        self.stdout.write(f"Deleted {deleted} export job(s) older than {days} day(s).")
