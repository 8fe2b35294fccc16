import json

from django.core.management.base import BaseCommand

from partybuilding.coverage.selectors import coverage_figures
from registry.models import Organization

LABELS = [
    ("organizations", "社会组织"),
    ("eligible", "符合党建条件"),
    ("standalone_condition", "具备单独组建条件"),
    ("joint_candidates", "联合组建对象"),
    ("needs_dispatch", "派驻帮建对象"),
    ("party_organizations", "党组织"),
    ("should_build_not_built", "应建未建"),
    ("organization_coverage", "组织覆盖"),
    ("work_coverage", "工作覆盖"),
]
MODES = [
    ("standalone", "单独组建"),
    ("joint", "联合组建"),
    ("lead", "龙头带建"),
    ("dispatched", "派驻帮建后组建"),
]


class Command(BaseCommand):
    help = "Print the Party-building coverage figures (the dashboard's) for all organizations."

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="print one JSON object")
        parser.add_argument(
            "--bureau-managed", action="store_true", help="only bureau-managed (局管) organizations"
        )

    def handle(self, *args, json=False, bureau_managed=False, **options):
        organizations, copied = Organization.objects.all(), {}  # every one: no join
        if bureau_managed:
            organizations, copied = organizations.filter(bureau_managed=True), None
        figures = coverage_figures(organizations, copied=copied)
        if json:
            self.stdout.write(_dumps(figures))
            return
        for key, label in LABELS:
            self.stdout.write(f"{label}：{figures[key]}")
        for key, label in MODES:
            self.stdout.write(f"  {label}：{figures['by_formation_mode'][key]}")
        self.stdout.write(f"组织覆盖率：{figures['organization_coverage_rate']:.1%}")
        self.stdout.write(f"工作覆盖率：{figures['work_coverage_rate']:.1%}")


def _dumps(figures):
    return json.dumps(figures, ensure_ascii=False, indent=2)
