"""The committee's coverage dashboard: the figures of domain.md §3 (R-PB-5, R-PB-6, R-PB-7) over
the organizations the user may see, narrowed by the same scope form as the ledger. Thin: the
selectors compute (a constant number of queries whatever the number of organizations), this
view only adds display strings and the chart data that static/js/dashboard.js draws."""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.access import can_read_party_building, staff_page
from core import calendar

from .choices import FormationMode, PartyBuildingStatus
from .coverage.selectors import coverage_figures, first_leads_in_scope, industry_lead_progress
from .views import scoped_organizations

# The industry leads the dashboard lists (the first, in industry order).
DASHBOARD_LEADS = 10

RATES = ("eligible_rate", "organization_coverage_rate", "work_coverage_rate")


@dataclass(frozen=True)
class DashboardPanel:
    """A section a higher app adds to the dashboard (evaluation statistics …): its template and
    a function giving the template's context for the organizations in scope: context(request,
    organizations, copied), `copied` the scope as conditions on the fields the standings copy
    (`ScopeFilterForm.copied_conditions`; None when it is not only those) for a panel that
    reads aggregates keyed like the coverage aggregates. This app cannot import those apps;
    they register here from their AppConfig.ready()."""

    template: str
    context: Callable[[HttpRequest, QuerySet, dict | None], dict]


DASHBOARD_PANELS: list[DashboardPanel] = []


def register_dashboard_panel(panel: DashboardPanel) -> None:
    if panel not in DASHBOARD_PANELS:
        DASHBOARD_PANELS.append(panel)


def percent(rate: float) -> str:
    """0.6338 → "63.4%"."""
    return f"{rate * 100:.1f}%"


def _chart_percent(rate: float) -> float:
    return round(rate * 100, 1)


def _with_percents(row: dict) -> dict:
    return {**row, **{f"{name}_percent": percent(row[name]) for name in RATES}}


def _breakdown_chart(rows: list[dict]) -> dict:
    return {
        "labels": [row["name"] or _("(not filled in)") for row in rows],
        "organization": [_chart_percent(row["organization_coverage_rate"]) for row in rows],
        "work": [_chart_percent(row["work_coverage_rate"]) for row in rows],
    }


def chart_data(figures: dict) -> dict:
    """What the charts draw, as plain JSON (passed with json_script, never inline code)."""
    modes = figures["by_formation_mode"]
    return {
        "labels": {
            "organization_coverage": _("Organization coverage rate"),
            "work_coverage": _("Work coverage rate"),
        },
        "modes": {
            "labels": [str(FormationMode(mode).label) for mode in modes],
            "values": list(modes.values()),
        },
        "industry": _breakdown_chart(figures["by_industry"]),
        "district": _breakdown_chart(figures["by_district"]),
    }


def ledger_links(request) -> Callable[..., str]:
    """link(**narrowed): the ledger of the organizations behind a figure, the dashboard's scope
    narrowed. The ledger's address is looked up once for the page's many links."""
    ledger = reverse("partybuilding:ledger")
    scope = request.GET

    def link(**narrowed) -> str:
        query = scope.copy()
        for name, value in narrowed.items():
            query[name] = value
        encoded = query.urlencode()
        return f"{ledger}{'?' + encoded if encoded else ''}"

    return link


def _with_ledger_links(row: dict, link: Callable[..., str], key: str) -> dict:
    if row.get("pk") is None:
        return row
    row["ledger_url"] = link(**{key: row["pk"]})
    row["should_build_url"] = link(
        **{key: row["pk"], "party_building_status": PartyBuildingStatus.SHOULD_BUILD}
    )
    return row


@staff_page(can_read_party_building)
def dashboard(request):
    form, organizations = scoped_organizations(request)
    as_of = calendar.today()
    copied = form.copied_conditions(request.user)
    figures = _with_percents(coverage_figures(organizations, as_of=as_of, copied=copied))
    link = ledger_links(request)
    lead_ids, leads_total = first_leads_in_scope(organizations, DASHBOARD_LEADS)
    by_mode = [
        {"mode": mode, "label": FormationMode(mode).label, "count": count}
        for mode, count in figures["by_formation_mode"].items()
    ]
    return render(
        request,
        "partybuilding/dashboard.html",
        {
            **admin.site.each_context(request),
            "title": _("Party-building coverage of social organizations"),
            "form": form,
            "figures": figures,
            "by_mode": by_mode,
            "breakdowns": [
                {
                    "key": "industry",
                    "title": _("By industry"),
                    "heading": _("Industry"),
                    "chart_label": _("Coverage rates by industry"),
                    "rows": [
                        _with_ledger_links(_with_percents(row), link, "industry")
                        for row in figures["by_industry"]
                    ],
                },
                {
                    "key": "district",
                    "title": _("By district"),
                    "heading": _("District"),
                    "chart_label": _("Coverage rates by district"),
                    "rows": [
                        _with_ledger_links(_with_percents(row), link, "district")
                        for row in figures["by_district"]
                    ],
                },
            ],
            "panels": [
                {"template": panel.template, **panel.context(request, organizations, copied)}
                for panel in DASHBOARD_PANELS
            ],
            "leads": [
                {"progress": progress, "rate_percent": percent(progress.rate)}
                for progress in industry_lead_progress(
                    organizations, as_of=as_of, lead_ids=lead_ids
                )
            ],
            # A province has hundreds of leads: the dashboard shows the first, the list all.
            "leads_total": leads_total,
            "leads_shown": DASHBOARD_LEADS,
            "leads_url": reverse("admin:partybuilding_industrylead_changelist"),
            "chart_data": chart_data(figures),
            "ledger_url": link(),
            "should_build_url": link(party_building_status=PartyBuildingStatus.SHOULD_BUILD),
            "as_of": as_of,
            "query": request.GET.urlencode(),
        },
    )
