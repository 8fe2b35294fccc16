"""The dashboard's evaluation section: R-EV-6 for the latest year with decided evaluations, over
the organizations in the dashboard's scope."""

from django.db.models import Exists, OuterRef

from partybuilding.dashboard import DashboardPanel

from .aggregates import aggregated_grade_counts
from .models import Evaluation
from .selectors import evaluation_report, grade_report, latest_decided_year


def _context(request, organizations, copied) -> dict:
    year = latest_decided_year()
    if year is None:
        return {"evaluation_year": None}
    if copied is not None:
        # A scope of the fields the standings copy: the evaluation aggregates answer it.
        report = grade_report(year, aggregated_grade_counts(year, copied))
    else:
        report = evaluation_report(
            year=year,
            # Each of the year's evaluations looks its organization up (EXISTS by primary
            # key) rather than reading every organization in scope.
            evaluations=Evaluation.objects.filter(
                Exists(organizations.filter(pk=OuterRef("organization_id")))
            ),
        )
    return {
        "evaluation_year": year,
        "evaluation_report": report,
        "evaluation_rate": f"{report['new_3a_plus_party_org_rate'] * 100:.1f}%",
    }


EVALUATION_PANEL = DashboardPanel(template="evaluation/dashboard_panel.html", context=_context)
