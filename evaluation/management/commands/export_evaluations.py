import time

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import translation

from audit.services import COMMAND_USER, audit_export
from evaluation.exports import title_for, write_evaluations
from evaluation.models import Evaluation
from evaluation.selectors import evaluation_rows


class Command(BaseCommand):
    help = "Write a year's grade evaluations (等级评估结果) to an .xlsx file."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True, help="evaluation year")
        parser.add_argument("path", help="where to write the workbook, e.g. 评估结果.xlsx")

    def handle(self, *args, year, path, **options):
        started = time.perf_counter()
        with translation.override(settings.LANGUAGE_CODE):
            count = write_evaluations(
                path,
                evaluation_rows(Evaluation.objects.filter(year=year)),
                title=title_for(year),
                year=year,
            )
        elapsed = time.perf_counter() - started
        audit_export(
            username=COMMAND_USER,
            kind="evaluations",
            object_type="evaluation.evaluation",
            what=title_for(year),
            rows=count,
            filters={"year": year},
        )
        self.stdout.write(
            f"已导出 {year} 年度 {count} 条评估记录到 {path}（用时 {elapsed:.2f} 秒）"
        )
