"""Reads of Party-building coverage over many organizations: the dashboard's and the ledger
summary's figures (R-PB-5..7), the industry leads' progress (R-PB-10) and the joint-branch
suggestions (R-PB-3). Today's figures come from the stored standings; these functions only
read them."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Q,
    QuerySet,
    Window,
)
from django.utils.translation import gettext as _

from core import calendar
from registry.choices import OrganizationStatus
from registry.models import District, Industry, Organization

from ..choices import FormationMode, PartyBuildingStatus
from ..models import (
    AGGREGATE_FIGURES,
    CoverageGroup,
    IndustryLead,
    PartyOrganizationGroup,
    Standing,
)
from ..standings.selectors import (
    active_coverages,
    active_party_organizations,
    flag_conditions,
    in_scope,
    with_live_counts,
    with_party_building,
)
from .aggregates import ALREADY, ANY


def _figures(minimum: int) -> dict:
    flags = flag_conditions(minimum)
    return {
        "organizations": Count("pk"),
        "eligible": Count("pk", filter=Q(counted_members__gte=1)),  # R-PB-5
        "standalone_condition": Count("pk", filter=Q(counted_members__gte=minimum)),  # R-PB-2
        "joint_candidates": Count(  # R-PB-3
            "pk", filter=Q(counted_members__gte=1, counted_members__lt=minimum)
        ),
        "needs_dispatch": Count("pk", filter=Q(counted_members=0)),  # R-PB-4
        "should_build_not_built": Count("pk", filter=flags["should_build_not_built"]),
        "should_build_own_warning": Count("pk", filter=flags["should_build_own_warning"]),
        "organization_coverage": Count("pk", filter=flags["organization_covered"]),
        "work_coverage": Count("pk", filter=flags["work_covered"]),
        "open_dispatches": Count("pk", filter=Q(has_open_dispatch=True)),
    }


def _rate(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0


def _with_rates(figures: dict) -> dict:
    figures["organization_coverage_rate"] = _rate(
        figures["organization_coverage"], figures["organizations"]
    )
    figures["work_coverage_rate"] = _rate(figures["work_coverage"], figures["organizations"])
    figures["eligible_rate"] = _rate(figures["eligible"], figures["organizations"])
    return figures


def coverage_figures(
    organizations: QuerySet,
    *,
    as_of: datetime.date | None = None,
    copied: dict | None = None,
) -> dict:
    """The dashboard's and `coverage_report`'s figures over `organizations` (already scoped to
    what the user may see and filtered; `copied` as `standings_of` takes it). Two queries
    whatever the number of organizations: one pass counts every figure per industry and
    district (the totals are their sums), one counts Party organizations by mode. Today's pass
    reads the standings alone; a past day's counts members, coverages and dispatches."""
    today = calendar.today()
    as_of = as_of or today
    minimum = settings.PARTY_BUILDING["STANDALONE_MIN_MEMBERS"]
    names = list(_figures(minimum))
    aggregated = None
    if as_of == today and copied is not None:
        aggregated = aggregated_groups(copied, today)
    if aggregated is not None:
        groups, by_mode = aggregated
    elif as_of == today:
        population = standings_of(organizations, copied=copied).filter(
            status=OrganizationStatus.ACTIVE, registered_on__lte=as_of
        )
        # Only covered organizations can name a Party organization: a smaller join.
        population_ids = population.filter(flag_conditions(minimum)["organization_covered"]).values(
            "organization_id"
        )
    else:
        population = with_live_counts(in_scope(organizations, as_of=as_of), as_of=as_of)
        population_ids = in_scope(organizations, as_of=as_of).values("pk")
    if aggregated is None:
        # Grouped by the ids (integers hash and compare fastest), named from the small tables.
        groups = list(
            population.order_by().values("industry_id", "district_id").annotate(**_figures(minimum))
        )
        by_mode = _party_organizations_by_mode(population_ids, as_of)
    figures = _with_rates(_sum(groups, names))
    industries = {
        row["pk"]: ((row["sort_order"], row["name"]), row["name"])
        for row in Industry.objects.values("pk", "sort_order", "name")
    }
    districts = {
        row["pk"]: ((row["code"], row["name"]), row["name"])
        for row in District.objects.values("pk", "code", "name")
    }
    figures["by_industry"] = _breakdown(groups, "industry_id", industries, names)
    figures["by_district"] = _breakdown(groups, "district_id", districts, names)

    figures["party_organizations"] = sum(by_mode.values())
    figures["by_formation_mode"] = by_mode
    figures["as_of"] = as_of.isoformat()
    return figures


def _party_organizations_by_mode(population_ids: QuerySet, as_of: datetime.date) -> dict:
    by_mode = dict.fromkeys(FormationMode.values, 0)
    # A semi-join (each Party organization once) rather than COUNT(DISTINCT) over the join,
    # which sorts every coverage row of a province.
    covering = (
        active_coverages(as_of)
        .filter(organization__in=population_ids)
        .values("party_organization_id")
    )
    for row in (
        active_party_organizations(as_of)
        .filter(pk__in=covering)
        .order_by()
        .values("formation_mode")
        .annotate(n=Count("pk"))
    ):
        by_mode[row["formation_mode"]] = row["n"]
    return by_mode


def aggregated_groups(copied: dict, today: datetime.date) -> tuple[list, dict] | None:
    """`coverage_figures`' groups and count by mode for today, read from the coverage
    aggregates (`coverage.aggregates`): a few hundred rows whatever the number of
    organizations. `copied` as `standings_of` takes it."""
    keys = {
        "supervisory_unit_key": _key(copied.get("supervisory_unit")),
        "district_key": _key(copied.get("district")),
        "industry_key": _key(copied.get("industry")),
    }
    by_mode = dict.fromkeys(FormationMode.values, 0)
    if copied.get("status", OrganizationStatus.ACTIVE) != OrganizationStatus.ACTIVE:
        return [], by_mode  # the figures are over active organizations (R-PB-7)
    # The unit's rows (-1: those summed over every unit), any district and industry unless
    # the scope names one.
    fixed = {name: value for name, value in keys.items() if value != ANY}
    fixed["supervisory_unit_key"] = keys["supervisory_unit_key"]
    rows = CoverageGroup.objects.filter(
        status=OrganizationStatus.ACTIVE, registered_by__lte=today, **fixed
    ).values_list("district_key", "industry_key", "registered_by", *AGGREGATE_FIGURES)
    merged, registered_since = {}, False
    for district, industry, registered, *values in rows:
        if not values[0]:
            continue
        registered_since |= registered != ALREADY
        total = merged.setdefault((district, industry), [0] * len(values))
        for index, value in enumerate(values):
            total[index] += value
    if registered_since:
        # An organization registered after its standing was counted: the Party
        # organizations' reach does not know it yet.
        return None
    groups = [
        {
            "district_id": district or None,
            "industry_id": industry or None,
            **dict(zip(AGGREGATE_FIGURES, values, strict=True)),
        }  # fmt: skip
        for (district, industry), values in merged.items()
    ]
    for mode, n in PartyOrganizationGroup.objects.filter(**keys).values_list(
        "formation_mode", "party_organizations"
    ):
        by_mode[mode] = n
    return groups, by_mode


def _key(value) -> int:
    return ANY if value is None else getattr(value, "pk", value)


# The organization fields `Standing` copies, by the name the scope form filters them on.
COPIED_FIELDS = {
    "status": "status",
    "district": "district_id",
    "industry": "industry_id",
    "supervisory_unit": "supervisory_unit_id",
}


def standings_of(organizations: QuerySet, *, copied: dict | None = None) -> QuerySet:
    """The standings of `organizations`, by the organizations' ids; or, without a join, by
    `copied`: the conditions on the fields the standings copy ({"district": 3, "status":
    "active"}; {} for all) from a caller that built `organizations` as every organization
    narrowed by those alone (the scope form of a committee looking at a province or one of its
    districts, `ScopeFilterForm.copied_conditions`)."""
    if copied is not None:
        return Standing.objects.filter(
            **{COPIED_FIELDS[name]: getattr(value, "pk", value) for name, value in copied.items()}
        )
    return Standing.objects.filter(organization__in=organizations.values("pk"))


def _sum(groups: list[dict], names: list[str]) -> dict:
    return {name: sum(group[name] for group in groups) for name in names}


def _breakdown(groups: list[dict], key: str, labels: dict, names: list[str]) -> list[dict]:
    """Sum the groups by `key`, in the order and with the name `labels` gives each id."""
    by_key = defaultdict(list)
    for group in groups:
        by_key[group[key]].append(group)
    unnamed = ((), None)  # an id the table no longer has: first, without a name
    ordered = sorted(by_key.items(), key=lambda item: labels.get(item[0], unnamed)[0])
    return [
        _with_rates({"pk": pk, "name": labels.get(pk, unnamed)[1], **_sum(members, names)})
        for pk, members in ordered
    ]


@dataclass
class LeadProgress:
    lead: IndustryLead
    lead_has_party_organization: bool
    driven: int
    driven_covered: int
    driven_work_covered: int

    @property
    def rate(self) -> float:
        return _rate(self.driven_covered, self.driven)


def leads_in_scope(organizations: QuerySet) -> QuerySet:
    """The industry leads whose lead organization is in `organizations`: each lead looks its
    organization up (EXISTS by primary key), rather than reading every organization in scope."""
    return IndustryLead.objects.filter(
        Exists(organizations.filter(pk=OuterRef("lead_organization_id")))
    ).order_by("industry__sort_order", "pk")


def first_leads_in_scope(organizations: QuerySet, limit: int) -> tuple[list[int], int]:
    """The ids of the first `limit` industry leads in scope, and how many leads are in scope,
    in one query (the count a window over the same rows). Only ids: selecting the leads with
    their organizations made the sort read the whole organization row of a province's every
    lead (hundreds) to show ten."""
    rows = list(
        leads_in_scope(organizations)
        .annotate(in_scope=Window(Count("pk")))
        .values_list("pk", "in_scope")[:limit]
    )
    return [pk for pk, _total in rows], (rows[0][1] if rows else 0)


def industry_lead_progress(
    organizations: QuerySet,
    *,
    as_of=None,
    limit: int | None = None,
    lead_ids: list[int] | None = None,
) -> list[LeadProgress]:
    """R-PB-10: each industry lead (the first `limit` of them, or those of `lead_ids` from
    `first_leads_in_scope`) and how far the organizations it drives are covered. Three
    queries: the leads, whom they drive, and the coverage of all of those at once."""
    as_of = as_of or calendar.today()
    if lead_ids is not None:
        if not lead_ids:
            return []
        leads = IndustryLead.objects.filter(pk__in=lead_ids).order_by("industry__sort_order", "pk")
    else:
        leads = leads_in_scope(organizations)
    leads = leads.select_related("industry", "lead_organization")
    leads = list(leads[:limit] if limit is not None else leads)
    if not leads:
        return []
    through = IndustryLead.driven_organizations.through
    driven_by_lead = defaultdict(list)
    for lead_id, organization_id in through.objects.filter(
        industrylead_id__in=[lead.pk for lead in leads]
    ).values_list("industrylead_id", "organization_id"):
        driven_by_lead[lead_id].append(organization_id)
    wanted = {lead.lead_organization_id for lead in leads}.union(*driven_by_lead.values())
    covered = _coverage_flags(wanted, as_of)
    empty = {"organization_covered": False, "work_covered": False}
    progress = []
    for lead in leads:
        driven = [covered.get(pk, empty) for pk in driven_by_lead[lead.pk]]
        progress.append(
            LeadProgress(
                lead=lead,
                lead_has_party_organization=covered.get(lead.lead_organization_id, empty)[
                    "organization_covered"
                ],
                driven=len(driven),
                driven_covered=sum(1 for row in driven if row["organization_covered"]),
                driven_work_covered=sum(1 for row in driven if row["work_covered"]),
            )
        )
    return progress


def _coverage_flags(organization_ids, as_of: datetime.date) -> dict[int, dict]:
    """R-PB-7's two flags of each organization, by id: today's from the standings alone."""
    if as_of == calendar.today():
        rows = Standing.objects.filter(organization_id__in=organization_ids)
        key = "organization_id"
    else:
        rows = with_party_building(
            Organization.objects.filter(pk__in=organization_ids), as_of=as_of
        )
        key = "pk"
    flags = flag_conditions(settings.PARTY_BUILDING["STANDALONE_MIN_MEMBERS"])
    rows = rows.order_by().annotate(
        covered=ExpressionWrapper(flags["organization_covered"], output_field=BooleanField()),
        work=ExpressionWrapper(flags["work_covered"], output_field=BooleanField()),
    )
    return {
        row[key]: {"organization_covered": row["covered"], "work_covered": row["work"]}
        for row in rows.values(key, "covered", "work")
    }


@dataclass
class JointSuggestion:
    organizations: list = field(default_factory=list)
    reason: str = ""


def joint_branch_suggestions(organizations: QuerySet, *, as_of=None) -> list[JointSuggestion]:
    """R-PB-3: group uncovered joint candidates, at most N per group (configurable), preferring
    the same industry and street, then the same industry and district, then the same industry,
    then neighbours of other industries on the same street, then in the same district."""

    as_of = as_of or calendar.today()
    size = settings.PARTY_BUILDING["JOINT_BRANCH_MAX_ORGANIZATIONS"]
    candidates = list(
        with_party_building(in_scope(organizations, as_of=as_of), as_of=as_of)
        .filter(party_building_status=PartyBuildingStatus.JOINT_CANDIDATE)
        .select_related("industry", "district", "street")
        .order_by("industry__sort_order", "district__code", "street__name", "name")
    )
    passes = [
        (lambda o: (o.industry_id, o.street_id), _("same industry, same street")),
        (lambda o: (o.industry_id, o.district_id), _("same industry, same district")),
        (lambda o: (o.industry_id,), _("same industry")),
        (lambda o: (o.street_id,), _("same street")),
        (lambda o: (o.district_id,), _("same district")),
    ]
    suggestions, left = [], candidates
    for key, reason in passes:
        groups = defaultdict(list)
        for organization in left:
            if None not in key(organization):
                groups[key(organization)].append(organization)
        grouped = set()
        for members in groups.values():
            for start in range(0, len(members) - 1, size):
                chunk = members[start : start + size]
                if len(chunk) >= 2:
                    suggestions.append(JointSuggestion(chunk, reason))
                    grouped.update(o.pk for o in chunk)
        left = [o for o in left if o.pk not in grouped]
    if left:
        suggestions.append(JointSuggestion(left, _("no nearby partner yet")))
    return suggestions
