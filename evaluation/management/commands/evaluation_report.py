import json

from django.core.management.base import BaseCommand
from django.utils.translation import gettext

from evaluation.choices import GRADE_ORDER, Grade
from evaluation.selectors import evaluation_report


class Command(BaseCommand):
    help = "Print a year's evaluation statistics: grades and the R-EV-6 Party coverage share."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True, help="evaluation year")
        parser.add_argument("--json", action="store_true", help="print one JSON object")

    def handle(self, *args, year, json=False, **options):
        report = evaluation_report(year=year)
        if json:
            self.stdout.write(_json_dumps(report))
            return
        write = self.stdout.write
        grades = "、".join(
            f"{Grade(grade).label} {report['by_grade'][grade.value]}" for grade in GRADE_ORDER
        )
        lines = [
            (gettext("Grade evaluations of social organizations, %(value)s"), year),
            (gettext("Evaluated: %(value)s"), report["evaluated"]),
            (gettext("By grade: %(value)s"), grades),
            (gettext("Downgraded for Party building: %(value)s"), report["downgraded"]),
            (gettext("Newly 3A or better: %(value)s"), report["new_3a_plus"]),
            (
                gettext("Of which with Party organization coverage: %(value)s"),
                report["new_3a_plus_with_party_org"],
            ),
            (gettext("Coverage: %(value)s"), f"{report['new_3a_plus_party_org_rate']:.1%}"),
        ]
        for line, value in lines:
            write(line % {"value": value})


def _json_dumps(report: dict) -> str:
    return json.dumps(report, ensure_ascii=False, indent=2)
