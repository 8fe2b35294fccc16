import json

from django.core.management.base import BaseCommand
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from partybuilding.coverage.selectors import coverage_figures
from registry.models import Organization

LABELS = [
    ("organizations", _("Social organizations")),
    ("eligible", _("Meeting the Party-building condition")),
    ("standalone_condition", _("Able to build their own organization")),
    ("joint_candidates", _("To join a joint organization")),
    ("needs_dispatch", _("To be helped by a dispatched instructor")),
    ("party_organizations", _("Party organizations")),
    ("should_build_not_built", _("Should build, not built")),
    ("organization_coverage", _("Organization coverage")),
    ("work_coverage", _("Work coverage")),
]
MODES = [
    ("standalone", _("Built on its own")),
    ("joint", _("Built jointly")),
    ("lead", _("Built led by a leading organization")),
    ("dispatched", _("Built after a dispatched instructor's help")),
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
        line = gettext("%(label)s: %(value)s")
        for key, label in LABELS:
            self.stdout.write(line % {"label": label, "value": figures[key]})
        for key, label in MODES:
            value = figures["by_formation_mode"][key]
            self.stdout.write("  " + line % {"label": label, "value": value})
        for key, label in (
            ("organization_coverage_rate", gettext("Organization coverage rate")),
            ("work_coverage_rate", gettext("Work coverage rate")),
        ):
            self.stdout.write(line % {"label": label, "value": f"{figures[key]:.1%}"})


def _dumps(figures):
    return json.dumps(figures, ensure_ascii=False, indent=2)
