from django.core.management.base import BaseCommand, CommandError

from partybuilding.ledger_import import LedgerImportError, import_ledger


class Command(BaseCommand):
    help = (
        "Import the Party-building ledger (台账) from an .xlsx file: organizations by credit code, "
        "Party members by ID number. Nothing is written if any row has an error."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="the workbook to read, e.g. 台账.xlsx")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="check every row and report what would change, without writing",
        )

    def handle(self, *args, path, dry_run=False, **options):
        try:
            # No user runs the command: history rows record no author.
            result = import_ledger(path, by=None, dry_run=dry_run)
        except LedgerImportError as error:
            raise CommandError(str(error)) from None
        if not result.ok:
            # A non-zero exit, so scripts notice; the report names every faulty cell.
            raise CommandError(result.report())
        self.stdout.write(result.summary())
        # Rows, seconds and rows per second, for people and for the benchmark suite.
        self.stdout.write(result.timing())
