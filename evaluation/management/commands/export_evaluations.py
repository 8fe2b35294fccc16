import time

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import translation
from django.utils.translation import gettext

from audit.downloads import export_to_file
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

        def write(target):
            with translation.override(settings.LANGUAGE_CODE):
                return write_evaluations(
                    target,
                    evaluation_rows(Evaluation.objects.filter(year=year)),
                    title=title_for(year),
                    year=year,
                )

        count = export_to_file(
            path,
            write=write,
            kind="evaluations",
            object_type="evaluation.evaluation",
            what=title_for(year),
            filters={"year": year},
        )
        elapsed = time.perf_counter() - started
        self.stdout.write(
            gettext(
                "Exported %(count)s evaluations of %(year)s to %(path)s (%(seconds).2f seconds)"
            )
            % {"count": count, "year": year, "path": path, "seconds": elapsed}
        )
