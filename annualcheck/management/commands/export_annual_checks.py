import time

from django.core.management.base import BaseCommand
from django.utils.translation import gettext

from annualcheck.choices import CheckStatus
from annualcheck.exports import export_title, write_annual_checks
from annualcheck.models import AnnualCheck
from annualcheck.selectors import annual_check_rows
from audit.downloads import export_to_file


class Command(BaseCommand):
    help = "Write one year's annual-check results (年检结果) to an .xlsx file."

    def add_arguments(self, parser):
        parser.add_argument("path", help="where to write the workbook, e.g. 年检结果.xlsx")
        parser.add_argument("--year", type=int, required=True, help="the year reported on")

    def handle(self, *args, path, year, **options):
        checks = AnnualCheck.objects.filter(year=year).exclude(status=CheckStatus.DRAFT)
        started = time.perf_counter()
        count = export_to_file(
            path,
            write=lambda target: write_annual_checks(
                target, annual_check_rows(checks), title=export_title(year), year=year
            ),
            kind="annual_checks",
            object_type="annualcheck.annualcheck",
            what=export_title(year),
            filters={"year": year},
        )
        elapsed = time.perf_counter() - started
        self.stdout.write(
            gettext(
                "Exported %(count)s annual checks of %(year)s to %(path)s (%(seconds).2f seconds)"
            )
            % {"count": count, "year": year, "path": path, "seconds": elapsed}
        )
