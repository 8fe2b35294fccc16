import json

from django.core.management.base import BaseCommand

from evaluation.choices import GRADE_ORDER
from evaluation.selectors import evaluation_report

GRADE_NAMES = {"none": "无等级"}


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
        write(f"{year}年度社会组织等级评估")
        write(f"评估数：{report['evaluated']}")
        grades = "、".join(
            f"{GRADE_NAMES.get(grade.value, grade.value)} {report['by_grade'][grade.value]}"
            for grade in GRADE_ORDER
        )
        write(f"各等级：{grades}")
        write(f"因党建降级：{report['downgraded']}")
        write(f"新评3A以上：{report['new_3a_plus']}")
        write(f"其中有党组织覆盖：{report['new_3a_plus_with_party_org']}")
        write(f"覆盖率：{report['new_3a_plus_party_org_rate']:.1%}")


def _json_dumps(report: dict) -> str:
    return json.dumps(report, ensure_ascii=False, indent=2)
