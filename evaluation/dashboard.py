"""The dashboard's evaluation section: R-EV-6 for the latest year with decided evaluations, over
the organizations in the dashboard's scope."""

from partybuilding.dashboard import DashboardPanel

from .models import Evaluation
from .selectors import evaluation_report, latest_decided_year


def _context(request, organizations) -> dict:
    year = latest_decided_year()
    if year is None:
        return {"evaluation_year": None}
    report = evaluation_report(
        year=year,
        evaluations=Evaluation.objects.filter(organization__in=organizations.values("pk")),
    )
    return {
        "evaluation_year": year,
        "evaluation_report": report,
        "evaluation_rate": f"{report['new_3a_plus_party_org_rate'] * 100:.1f}%",
    }


EVALUATION_PANEL = DashboardPanel(template="evaluation/dashboard_panel.html", context=_context)
