"""Reads of the Party-building app. Every rule of domain.md §3 that classifies organizations is
computed here, in the database, so a ledger or a dashboard costs the same few queries for 71
organizations or a province's worth. Pass `as_of` for the state on a past date."""

import datetime
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.expressions import Col
from django.db.models.functions import Coalesce
from django.db.models.lookups import Exact
from django.utils.translation import gettext as _

from accounts import roles
from core import calendar
from core.calendar import working_days_before
from registry.choices import CopyKind, OrganizationStatus
from registry.models import District, Industry, Organization
from registry.selectors import organizations_visible_to

from .choices import STAFF_ROLES, FormationMode, MemberStatus, PartyBuildingStatus, Relationship
from .models import (
    Coverage,
    Dispatch,
    IndustryLead,
    MemberFormCopy,
    PartyMember,
    PartyOrganization,
    Standing,
)

OWN_MODES = (FormationMode.STANDALONE, FormationMode.LEAD, FormationMode.DISPATCHED)


def _today():
    return calendar.today()


def counted_member_q(prefix: str = "") -> Q:
    """R-PB-1: a full, active member on the staff, whose relationship is transferred in or who
    has a certificate letter on file. Probationary members and service recipients never count."""
    return Q(
        **{
            f"{prefix}status": MemberStatus.FULL,
            f"{prefix}role__in": STAFF_ROLES,
        }
    ) & (
        Q(**{f"{prefix}relationship": Relationship.TRANSFERRED})
        | Q(**{f"{prefix}certificate_letter_on__isnull": False})
    )


def _active_members(as_of: datetime.date) -> QuerySet:
    return PartyMember.objects.filter(
        Q(left_on__isnull=True) | Q(left_on__gt=as_of),
        Q(joined_party_on__isnull=True) | Q(joined_party_on__lte=as_of),
    )


def active_party_organizations(as_of: datetime.date | None = None) -> QuerySet:
    as_of = as_of or _today()
    return PartyOrganization.objects.filter(
        Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=as_of), founded_on__lte=as_of
    )


def _active_coverages(as_of: datetime.date) -> QuerySet:
    return Coverage.objects.filter(
        Q(party_organization__dissolved_on__isnull=True)
        | Q(party_organization__dissolved_on__gt=as_of),
        party_organization__founded_on__lte=as_of,
    )


def _open_dispatches(as_of: datetime.date) -> QuerySet:
    return Dispatch.objects.filter(
        Q(ended_on__isnull=True) | Q(ended_on__gt=as_of), started_on__lte=as_of
    )


def flag_conditions(minimum: int) -> dict[str, Q]:
    """The derived flags as conditions on the base annotations. Aggregates filter on these
    directly: Django drops derived boolean annotations from an aggregate's inner query."""
    own, joint = Q(has_own_party_organization=True), Q(has_joint_party_organization=True)
    return {
        "organization_covered": own | joint,  # R-PB-7
        "work_covered": own | joint | Q(has_open_dispatch=True),  # R-PB-7
        "should_build_not_built": Q(counted_members__gte=minimum) & ~own & ~joint,  # R-PB-6
        "should_build_own_warning": Q(counted_members__gte=minimum) & ~own & joint,  # R-PB-6
    }


def _count(queryset: QuerySet) -> Coalesce:
    counted = (
        queryset.filter(organization=OuterRef("pk"))
        .order_by()
        .values("organization")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


STANDING_FIELDS = (
    "counted_members",
    "full_members",
    "probationary_members",
    "has_own_party_organization",
    "has_joint_party_organization",
    "has_open_dispatch",
    "party_organization_name",
    "party_organization_mode",
    "instructor_name",
)


def with_party_building(queryset: QuerySet, *, as_of: datetime.date | None = None) -> QuerySet:
    """Annotate organizations with their Party-building figures and status (R-PB-1..7):

    counted_members, full_members, probationary_members, has_own_party_organization,
    has_joint_party_organization, has_open_dispatch, organization_covered, work_covered,
    party_organization_name, party_organization_mode, instructor_name, party_building_status,
    should_build_not_built (R-PB-6), should_build_own_warning ("应单独组建").

    Today's figures are read from the precomputed `Standing` rows (one join, whatever the number
    of members); any other day's are computed from the members, coverages and dispatches."""
    today = _today()
    as_of = as_of or today
    if as_of == today:
        standings_ensure_current(today)
        queryset = with_stored_counts(queryset)
    else:
        queryset = with_live_counts(queryset, as_of=as_of)
    return _with_status(queryset)


def standings_ensure_current(today: datetime.date) -> None:
    from .services import standings_refresh_due

    standings_refresh_due(today)


def with_stored_counts(queryset: QuerySet) -> QuerySet:
    """The base figures from `Standing`; an organization without a row has no members, Party
    organization or dispatch yet (rows are written whenever one of those is)."""
    defaults = {
        "counted_members": Value(0),
        "full_members": Value(0),
        "probationary_members": Value(0),
        "has_own_party_organization": Value(False),
        "has_joint_party_organization": Value(False),
        "has_open_dispatch": Value(False),
    }
    annotations = {}
    for name in STANDING_FIELDS:
        column = F(f"party_building_standing__{name}")
        annotations[name] = Coalesce(column, defaults[name]) if name in defaults else column
    return queryset.annotate(**annotations)


# The Party organization a ledger line names: its own first, then the oldest. The instructor:
# the latest dispatch's.
COVERAGE_ORDER = ("own", "party_organization__founded_on", "pk")
INSTRUCTOR_ORDER = ("-started_on", "-pk")


def _with_own_first(coverages: QuerySet) -> QuerySet:
    return coverages.annotate(
        own=Case(When(party_organization__formation_mode__in=OWN_MODES, then=0), default=1)
    )


def with_live_counts(queryset: QuerySet, *, as_of: datetime.date) -> QuerySet:
    """The base figures counted from the members, coverages and dispatches in force on `as_of`
    (R-PB-1, R-PB-7); `services.standings_refresh` stores what this computes for today."""
    members = _active_members(as_of)
    coverages = _active_coverages(as_of).filter(organization=OuterRef("pk"))
    dispatches = _open_dispatches(as_of).filter(organization=OuterRef("pk"))
    # Own organization first, then the oldest: the one a ledger line names.
    first_coverage = _with_own_first(coverages).order_by(*COVERAGE_ORDER)

    return queryset.annotate(
        counted_members=_count(members.filter(counted_member_q())),
        full_members=_count(members.filter(status=MemberStatus.FULL, role__in=STAFF_ROLES)),
        probationary_members=_count(
            members.filter(status=MemberStatus.PROBATIONARY, role__in=STAFF_ROLES)
        ),
        has_own_party_organization=Exists(
            coverages.filter(party_organization__formation_mode__in=OWN_MODES)
        ),
        has_joint_party_organization=Exists(
            coverages.filter(party_organization__formation_mode=FormationMode.JOINT)
        ),
        has_open_dispatch=Exists(dispatches),
        party_organization_name=Subquery(
            first_coverage.values("party_organization__name")[:1], output_field=CharField()
        ),
        party_organization_mode=Subquery(
            first_coverage.values("party_organization__formation_mode")[:1],
            output_field=CharField(),
        ),
        instructor_name=Subquery(
            dispatches.order_by(*INSTRUCTOR_ORDER).values("instructor_name")[:1],
            output_field=CharField(),
        ),
    )


def _with_status(queryset: QuerySet) -> QuerySet:
    minimum = settings.PARTY_BUILDING["STANDALONE_MIN_MEMBERS"]
    flags = flag_conditions(minimum)
    return queryset.annotate(
        **{
            name: ExpressionWrapper(condition, output_field=BooleanField())
            for name, condition in flags.items()
        },
        # R-PB-2..4 for the uncovered, how it is covered for the others.
        party_building_status=Case(
            When(has_own_party_organization=True, then=Value(PartyBuildingStatus.COVERED_OWN)),
            When(has_joint_party_organization=True, then=Value(PartyBuildingStatus.COVERED_JOINT)),
            When(counted_members__gte=minimum, then=Value(PartyBuildingStatus.SHOULD_BUILD)),
            When(counted_members__gte=1, then=Value(PartyBuildingStatus.JOINT_CANDIDATE)),
            default=Value(PartyBuildingStatus.NEEDS_DISPATCH),
            output_field=CharField(),
        ),
    )


EMPTY_STANDING = {
    "counted_members": 0,
    "full_members": 0,
    "probationary_members": 0,
    "has_own_party_organization": False,
    "has_joint_party_organization": False,
    "has_open_dispatch": False,
    "party_organization_name": None,
    "party_organization_mode": None,
    "instructor_name": None,
}


def standing_figures(organizations: Q, *, as_of: datetime.date) -> dict[int, dict]:
    """What `with_live_counts` computes, for many organizations at once: one grouped pass over
    members, one over coverages and one over dispatches (`organizations` is a condition on
    `organization_id`), instead of a subquery per organization. Organizations with none of
    them are absent."""
    figures = defaultdict(lambda: dict(EMPTY_STANDING))
    for row in (
        _active_members(as_of)
        .filter(organizations)
        .order_by()
        .values("organization_id")
        .annotate(
            counted=Count("pk", filter=counted_member_q()),
            full=Count("pk", filter=Q(status=MemberStatus.FULL, role__in=STAFF_ROLES)),
            probationary=Count(
                "pk", filter=Q(status=MemberStatus.PROBATIONARY, role__in=STAFF_ROLES)
            ),
        )
    ):
        entry = figures[row["organization_id"]]
        entry["counted_members"] = row["counted"]
        entry["full_members"] = row["full"]
        entry["probationary_members"] = row["probationary"]
    coverages = (
        _with_own_first(_active_coverages(as_of).filter(organizations))
        .order_by("organization_id", *COVERAGE_ORDER)
        .values_list(
            "organization_id", "party_organization__name", "party_organization__formation_mode"
        )
    )
    for organization_id, name, mode in coverages:
        entry = figures[organization_id]
        if entry["party_organization_name"] is None:
            entry["party_organization_name"], entry["party_organization_mode"] = name, mode
        entry["has_own_party_organization"] |= mode in OWN_MODES
        entry["has_joint_party_organization"] |= mode == FormationMode.JOINT
    dispatches = (
        _open_dispatches(as_of)
        .filter(organizations)
        .order_by("organization_id", *INSTRUCTOR_ORDER)
        .values_list("organization_id", "instructor_name")
    )
    for organization_id, instructor_name in dispatches:
        entry = figures[organization_id]
        if not entry["has_open_dispatch"]:
            entry["has_open_dispatch"], entry["instructor_name"] = True, instructor_name
    return figures


def standing_boundaries(organizations: Q, after: datetime.date) -> dict[int, datetime.date]:
    """For each organization, the first date after `after` on which one of its members,
    coverages or dispatches starts or ends: the day its figures can next change by themselves."""
    first: dict[int, datetime.date] = {}

    def note(organization_id, *dates):
        for date in dates:
            if date is not None and date > after:
                known = first.get(organization_id)
                first[organization_id] = date if known is None else min(known, date)

    for row in PartyMember.objects.filter(
        Q(left_on__gt=after) | Q(joined_party_on__gt=after), organizations
    ).values_list("organization_id", "left_on", "joined_party_on"):
        note(*row)
    for row in Coverage.objects.filter(
        Q(party_organization__founded_on__gt=after) | Q(party_organization__dissolved_on__gt=after),
        organizations,
    ).values_list(
        "organization_id", "party_organization__founded_on", "party_organization__dissolved_on"
    ):
        note(*row)
    for row in Dispatch.objects.filter(
        Q(started_on__gt=after) | Q(ended_on__gt=after), organizations
    ).values_list("organization_id", "started_on", "ended_on"):
        note(*row)
    return first


def in_scope(queryset: QuerySet, *, as_of: datetime.date | None = None) -> QuerySet:
    """Active organizations registered by `as_of`: the population the figures are over (R-PB-7)."""
    as_of = as_of or _today()
    return queryset.filter(status=OrganizationStatus.ACTIVE, registered_on__lte=as_of)


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


def coverage_figures(organizations: QuerySet, *, as_of: datetime.date | None = None) -> dict:
    """The dashboard's and `coverage_report`'s figures over `organizations` (already scoped to
    what the user may see and filtered). Two queries whatever the number of organizations: one
    pass counts every figure per industry and district (the totals are their sums), one counts
    Party organizations by mode. Today's pass reads the standings alone; a past day's counts
    members, coverages and dispatches."""
    today = _today()
    as_of = as_of or today
    minimum = settings.PARTY_BUILDING["STANDALONE_MIN_MEMBERS"]
    if as_of == today:
        standings_ensure_current(today)
        population = standings_of(organizations).filter(
            status=OrganizationStatus.ACTIVE, registered_on__lte=as_of
        )
        # Only covered organizations can name a Party organization: a smaller join.
        population_ids = population.filter(flag_conditions(minimum)["organization_covered"]).values(
            "organization_id"
        )
    else:
        population = with_live_counts(in_scope(organizations, as_of=as_of), as_of=as_of)
        population_ids = in_scope(organizations, as_of=as_of).values("pk")
    # Grouped by the ids (integers hash and compare fastest), named from the small tables after.
    groups = list(
        population.order_by().values("industry_id", "district_id").annotate(**_figures(minimum))
    )
    names = list(_figures(minimum))
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

    by_mode = dict.fromkeys(FormationMode.values, 0)
    # A semi-join (each Party organization once) rather than COUNT(DISTINCT) over the join,
    # which sorts every coverage row of a province.
    covering = Coverage.objects.filter(organization__in=population_ids).values(
        "party_organization_id"
    )
    for row in (
        active_party_organizations(as_of)
        .filter(pk__in=covering)
        .order_by()
        .values("formation_mode")
        .annotate(n=Count("pk"))
    ):
        by_mode[row["formation_mode"]] = row["n"]
    figures["party_organizations"] = sum(by_mode.values())
    figures["by_formation_mode"] = by_mode
    figures["as_of"] = as_of.isoformat()
    return figures


def standings_of(organizations: QuerySet) -> QuerySet:
    """The standings of `organizations`. Without a join when the queryset is narrowed only by
    fields the standings copy (status, district, industry: a committee looking at a province
    or one of its districts); otherwise by the organizations' ids."""
    conditions = _copied_conditions(organizations)
    if conditions is not None:
        return Standing.objects.filter(**conditions)
    return Standing.objects.filter(organization__in=organizations.values("pk"))


COPIED_FIELDS = {"status": "status", "district": "district_id", "industry": "industry_id"}


def _copied_conditions(organizations: QuerySet) -> dict | None:
    """`organizations`' conditions as conditions on the standings' copies, or None if it has
    any other (a supervisory unit, an id list …)."""
    query = organizations.query
    if organizations.model is not Organization or query.is_sliced or query.distinct:
        return None
    if query.combinator or query.where.negated or query.where.connector != "AND":
        return None
    conditions = {}
    for condition in query.where.children:
        if not (isinstance(condition, Exact) and isinstance(condition.lhs, Col)):
            return None
        copy = COPIED_FIELDS.get(condition.lhs.target.name)
        if copy is None or condition.lhs.alias != query.base_table:
            return None
        conditions[copy] = getattr(condition.rhs, "pk", condition.rhs)
    return conditions


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


def industry_lead_progress(organizations: QuerySet, *, as_of=None) -> list[LeadProgress]:
    """R-PB-10: each industry lead and how far the organizations it drives are covered. Three
    queries: the leads, whom they drive, and the coverage of all of those at once."""
    as_of = as_of or _today()
    leads = list(
        IndustryLead.objects.filter(lead_organization__in=organizations.values("pk"))
        .select_related("industry", "lead_organization")
        .order_by("industry__sort_order")
    )
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
    if as_of == _today():
        standings_ensure_current(as_of)
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

    as_of = as_of or _today()
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


LEDGER_FIELDS = (
    "pk",
    "name",
    "credit_code",
    "organization_type",
    "industry__name",
    "supervisory_unit__name",
    "legal_representative",
    "contact_person",
    "contact_phone",
    "district__name",
    "street__name",
    "full_time_staff",
    "established_on",
    "registered_on",
    "full_members",
    "probationary_members",
    "counted_members",
    "party_organization_name",
    "party_organization_mode",
    "instructor_name",
    "party_building_status",
    "organization_covered",
    "work_covered",
    "should_build_own_warning",
)


@dataclass(frozen=True)
class LedgerExtension:
    """A column a higher app adds to the ledger (annual-check result, grade …). The ledger
    cannot import those apps; they register here from their AppConfig.ready().

    Its figures are read per chunk of rows, not per row: `latest(organization_ids, as_of)` reads
    in one query the values of `fields` for every organization that has any (by id), and
    `display(row)` turns a row holding those fields into the cell text."""

    header: str
    field: str
    width: int
    fields: tuple[str, ...]  # the values `latest` reads and `display` needs
    latest: Callable[[list[int], datetime.date], dict[int, tuple]]
    display: Callable[[dict], str]

    def enrich(self, rows: list[dict], as_of: datetime.date) -> None:
        """Set `fields` on each row (a dict with "pk"), from one query for all of them."""
        latest = self.latest([row["pk"] for row in rows], as_of)
        empty = (None,) * len(self.fields)
        for row in rows:
            row.update(zip(self.fields, latest.get(row["pk"], empty), strict=True))

    def texts(self, organization_ids: list[int], as_of: datetime.date) -> dict[int, str]:
        """The cell text of every organization that has one, from one query."""
        shown = {}  # the same few (year, result) pairs recur on every line
        texts = {}
        for pk, values in self.latest(organization_ids, as_of).items():
            if values not in shown:
                shown[values] = self.display(dict(zip(self.fields, values, strict=True)))
            texts[pk] = shown[values]
        return texts


LEDGER_EXTENSIONS: list[LedgerExtension] = []


def register_ledger_extension(extension: LedgerExtension) -> None:
    if all(existing.field != extension.field for existing in LEDGER_EXTENSIONS):
        LEDGER_EXTENSIONS.append(extension)


def latest_by_organization(
    queryset: QuerySet, organization_ids: list[int], fields: tuple[str, ...]
) -> dict[int, tuple]:
    """The values of `fields` of each organization's row with the highest year, by organization
    id, for `organization_ids`: one query ordered by organization and year, the first row of
    each organization kept."""
    from django.db import connection
    from django.db.models.expressions import RawSQL

    if not organization_ids:
        return {}
    if connection.vendor == "postgresql":
        # One array parameter: an IN list of thousands of placeholders costs more to build
        # and parse than the query takes; "= ANY" is one index scan over all of them.
        # The array as its text: joined in C, not adapted element by element.
        column = f"{connection.ops.quote_name(queryset.model._meta.db_table)}.organization_id"
        ids = "{" + ",".join(map(str, organization_ids)) + "}"
        queryset = queryset.filter(
            RawSQL(f"{column} = ANY(%s::bigint[])", (ids,), output_field=BooleanField())
        )
    else:
        queryset = queryset.filter(organization_id__in=organization_ids)
    rows = queryset.order_by("organization_id", "-year").values_list("organization_id", *fields)
    latest = {}
    for organization_id, *values in rows:
        if organization_id not in latest:
            latest[organization_id] = tuple(values)
    return latest


def _ledger_ordered(organizations: QuerySet, as_of: datetime.date) -> QuerySet:
    queryset = with_party_building(organizations, as_of=as_of)
    return queryset.order_by("industry__sort_order", "district__code", "name", "pk")


def ledger_queryset(organizations: QuerySet, *, as_of=None) -> QuerySet:
    """The ledger's rows as dicts, ordered, without the extensions' fields: those are read per
    page or chunk by `ledger_enrich`, one query per extension whatever the row count."""
    return _ledger_ordered(organizations, as_of or _today()).values(*LEDGER_FIELDS)


def ledger_enrich(rows: list[dict], *, as_of=None) -> list[dict]:
    """Add every registered extension's fields to `rows` (ledger_queryset dicts)."""
    as_of = as_of or _today()
    for extension in LEDGER_EXTENSIONS:
        extension.enrich(rows, as_of)
    return rows


class LedgerRows:
    """The ledger streamed from the database in chunks of `chunk_size` organizations, each
    chunk enriched by the extensions with one query apiece: memory stays flat at any size.

    Iterating gives one dict per organization (LEDGER_FIELDS and the extensions' fields);
    `chunks()` gives, for the workbook, each chunk as tuples in LEDGER_FIELDS order with, per
    extension, its cell texts by organization id."""

    def __init__(self, organizations: QuerySet, *, as_of=None, chunk_size: int = 5000):
        self.organizations = organizations
        self.as_of = as_of or _today()
        self.chunk_size = chunk_size

    def _batches(self, queryset: QuerySet):
        from itertools import islice

        rows = queryset.iterator(chunk_size=self.chunk_size)
        while batch := list(islice(rows, self.chunk_size)):
            yield batch

    def __iter__(self):
        queryset = _ledger_ordered(self.organizations, self.as_of).values(*LEDGER_FIELDS)
        for batch in self._batches(queryset):
            yield from ledger_enrich(batch, as_of=self.as_of)

    def chunks(self, *, prefetch: bool = False):
        """With `prefetch`, on PostgreSQL and outside a transaction, the chunks are read ahead
        by a thread with a connection of its own while the caller writes the previous ones."""
        from django.db import connection

        if prefetch and connection.vendor == "postgresql" and not connection.in_atomic_block:
            return _read_ahead(self._streamed_chunks)
        return self._chunks()

    def _with_texts(self, batch):
        ids = [row[0] for row in batch]
        return batch, [extension.texts(ids, self.as_of) for extension in LEDGER_EXTENSIONS]

    def _chunks(self):
        ordered = _ledger_ordered(self.organizations, self.as_of)
        for batch in self._batches(ordered.values_list(*LEDGER_FIELDS)):
            yield self._with_texts(batch)

    def _streamed_chunks(self):
        """`_chunks` through a named cursor in a transaction of its own: without one the
        server computes and stores the whole result before the first row (WITH HOLD). The
        driver's tuples are used as they come (no per-row conversion: the types match)."""
        from django.db import connection, transaction

        ordered = _ledger_ordered(self.organizations, self.as_of).values_list(*LEDGER_FIELDS)
        sql, params = ordered.query.get_compiler(connection=connection).as_sql()
        with transaction.atomic():
            connection.ensure_connection()
            with connection.connection.cursor(name="ledger_rows") as cursor:
                cursor.execute(sql, params)
                names = [column.name for column in cursor.description]
                order = None
                if names != list(LEDGER_FIELDS):
                    from operator import itemgetter

                    order = itemgetter(*[names.index(name) for name in LEDGER_FIELDS])
                while batch := cursor.fetchmany(self.chunk_size):
                    if order is not None:
                        batch = [order(row) for row in batch]
                    yield self._with_texts(batch)


_READ_AHEAD_CHUNKS = 2  # a few chunks in memory, whatever the row count


def _read_ahead(produce):
    """Iterate `produce()` in a thread (its own database connection) a few items ahead."""
    import queue
    import threading

    from django.db import connection

    items = queue.Queue(maxsize=_READ_AHEAD_CHUNKS)
    stop = threading.Event()
    done = object()

    def put(item) -> bool:
        while not stop.is_set():
            try:
                items.put(item, timeout=0.2)
                return True
            except queue.Full:
                continue
        return False

    def run():
        produced = produce()
        try:
            for item in produced:
                if not put(item):
                    return
            put(done)
        except BaseException as error:  # re-raised in the caller's thread
            put(error)
        finally:
            produced.close()
            connection.close()  # this thread's own connection

    thread = threading.Thread(target=run, name="ledger-read-ahead", daemon=True)
    thread.start()
    try:
        while (item := items.get()) is not done:
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        thread.join()


def ledger_rows(organizations: QuerySet, *, as_of=None, chunk_size: int = 5000) -> LedgerRows:
    """The ledger, one dict per organization, streamed from the database in chunks."""
    return LedgerRows(organizations, as_of=as_of, chunk_size=chunk_size)


def party_members_visible_to(user) -> QuerySet:
    """Members of the organizations `user` may see (the registry's scoping, reused)."""
    return PartyMember.objects.filter(organization__in=organizations_visible_to(user).values("pk"))


def party_organizations_visible_to(user) -> QuerySet:
    """Party organizations covering at least one organization `user` may see."""
    if user.is_superuser or getattr(user, "is_clerk", False):
        return PartyOrganization.objects.all()
    return PartyOrganization.objects.filter(
        coverages__organization__in=organizations_visible_to(user).values("pk")
    ).distinct()


def member_form_copies_visible_to(user) -> QuerySet:
    """Clerks see every copy; a supervisory unit its own copies; the committee its copies."""

    copies = MemberFormCopy.objects.select_related(
        "organization",
        "application",
        "supervisory_unit",
        "party_building_body",
        "acknowledged_by",
    )
    if not (user and user.is_authenticated and user.is_active):
        return copies.none()
    if user.is_clerk:
        return copies
    visible = Q(pk__in=[])
    if user.has_role(roles.SUPERVISORY_UNIT) and user.supervisory_unit_id:
        visible |= Q(kind=CopyKind.SUPERVISORY_UNIT, supervisory_unit_id=user.supervisory_unit_id)
    if user.has_role(roles.COMMITTEE):
        visible |= Q(kind=CopyKind.COMMITTEE)
    return copies.filter(visible)


def overdue_cutoff(today: datetime.date | None = None) -> datetime.date:
    """Copies filed on or before this date and still unacknowledged are overdue (R-REG-3)."""

    days = settings.REGISTRY["ACKNOWLEDGE_WITHIN_WORKING_DAYS"]
    return working_days_before(today or _today(), days + 1)


def overdue_copies(copies: QuerySet, today: datetime.date | None = None) -> QuerySet:
    return copies.filter(acknowledged_at__isnull=True, filed_on__lte=overdue_cutoff(today))


def with_overdue_flag(copies: QuerySet, today: datetime.date | None = None) -> QuerySet:
    """Annotate copies with `is_overdue`: unacknowledged and filed on or before the cutoff
    (R-REG-3), so a list can show and sort by the flag without a query per row."""
    cutoff = overdue_cutoff(today)
    return copies.annotate(
        is_overdue=ExpressionWrapper(
            Q(acknowledged_at__isnull=True, filed_on__lte=cutoff), output_field=BooleanField()
        )
    )


def member_form_copy_counts(user, today: datetime.date | None = None) -> dict:
    """For the workbench: how many copies `user` sees are unacknowledged, and how many of those
    are overdue (R-REG-3). One query."""
    cutoff = overdue_cutoff(today)
    return (
        member_form_copies_visible_to(user)
        .filter(acknowledged_at__isnull=True)
        .aggregate(pending=Count("pk"), overdue=Count("pk", filter=Q(filed_on__lte=cutoff)))
    )


def party_building_glance(organization_id: int, *, as_of=None) -> dict | None:
    """One organization's Party-building at a glance (its admin page, the portal's home):
    its ledger row with labels (members, Party organization, instructor, standing) and the
    columns other apps registered (最近年检结论, 评估等级) as `extensions`, a list of
    (field, header, text). The ledger's figures in the ledger's constant number of queries."""
    from registry.models import Organization

    from .exports import display_labels, prepare_row

    rows = ledger_enrich(
        list(ledger_queryset(Organization.objects.filter(pk=organization_id), as_of=as_of)),
        as_of=as_of,
    )
    if not rows:
        return None
    row = prepare_row(rows[0], *display_labels())
    row["extensions"] = [
        (extension.field, extension.header, row[extension.field]) for extension in LEDGER_EXTENSIONS
    ]
    return row


def should_build_count(user) -> int:
    """应建未建 (R-PB-6) among the active organizations `user` sees: the workbench's count of
    the ledger's should-build worklist (the same condition as the ledger's filter). One query."""
    organizations = organizations_visible_to(user).filter(status=OrganizationStatus.ACTIVE)
    return (
        with_party_building(organizations)
        .filter(party_building_status=PartyBuildingStatus.SHOULD_BUILD)
        .order_by()
        .count()
    )
