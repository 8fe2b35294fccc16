import time

from django.core.management.base import BaseCommand

from annualcheck.choices import CheckStatus
from annualcheck.exports import export_title, write_annual_checks
from annualcheck.models import AnnualCheck
from annualcheck.selectors import annual_check_rows
from audit.services import COMMAND_USER, audit_export


class Command(BaseCommand):
    help = "Write one year's annual-check results (年检结果) to an .xlsx file."

    def add_arguments(self, parser):
        parser.add_argument("path", help="where to write the workbook, e.g. 年检结果.xlsx")
        parser.add_argument("--year", type=int, required=True, help="the year reported on")

    def handle(self, *args, path, year, **options):
        checks = AnnualCheck.objects.filter(year=year).exclude(status=CheckStatus.DRAFT)
        started = time.perf_counter()
        count = write_annual_checks(
            path, annual_check_rows(checks), title=export_title(year), year=year
        )
        elapsed = time.perf_counter() - started
        audit_export(
            username=COMMAND_USER,
            kind="annual_checks",
            object_type="annualcheck.annualcheck",
            what=export_title(year),
            rows=count,
            filters={"year": year},
        )
        self.stdout.write(f"已导出 {year} 年度 {count} 份年检到 {path}（用时 {elapsed:.2f} 秒）")
