import time

from django.core.management.base import BaseCommand
from django.utils.translation import gettext

from audit.downloads import export_to_file
from partybuilding.coverage.selectors import coverage_figures
from partybuilding.exports import write_ledger
from partybuilding.ledger.selectors import ledger_rows
from registry.bureau import bureau
from registry.choices import OrganizationStatus
from registry.models import Organization


class Command(BaseCommand):
    help = "Write the Party-building ledger (台账) of all active organizations to an .xlsx file."

    def add_arguments(self, parser):
        parser.add_argument("path", help="where to write the workbook, e.g. 台账.xlsx")
        parser.add_argument(
            "--all-statuses",
            action="store_true",
            help="include deregistered and revoked organizations",
        )

    def handle(self, *args, path, all_statuses=False, **options):
        organizations, copied = Organization.objects.all(), {}
        if not all_statuses:
            copied = {"status": OrganizationStatus.ACTIVE}
            organizations = organizations.filter(**copied)
        title = bureau().ledger_title
        started = time.perf_counter()
        count = export_to_file(
            path,
            write=lambda target: write_ledger(
                target,
                ledger_rows(organizations),
                title=title,
                summary=coverage_figures(organizations, copied=copied),
            ),
            kind="ledger",
            object_type="registry.organization",
            what=title,
            filters={"all_statuses": all_statuses},
        )
        elapsed = time.perf_counter() - started
        self.stdout.write(
            gettext("Exported %(count)s organizations to %(path)s (%(seconds).2f seconds)")
            % {"count": count, "path": path, "seconds": elapsed}
        )
