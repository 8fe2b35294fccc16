"""Reads of the stored Party-building figures (`Standing`) and of the live counts they store:
every rule of domain.md §3 that classifies an organization is computed here, in the database,
so a ledger or a dashboard costs the same few queries for 71 organizations or a province's
worth. Pass `as_of` for the state on a past date. These functions only read: the standings are
kept current by the writes (`standings.services`) and by the calendar (`standings.tasks`)."""

import datetime
from collections import defaultdict

from django.conf import settings
from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from core import calendar
from core.queries import correlated_count
from registry.choices import OrganizationStatus
from registry.selectors import organizations_visible_to, registered_on_day

from ..choices import (
    OWN_MODES,
    STAFF_ROLES,
    FormationMode,
    MemberStatus,
    PartyBuildingStatus,
    Relationship,
)
from ..models import Coverage, Dispatch, PartyMember, PartyOrganization


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


def active_members(as_of: datetime.date) -> QuerySet:
    return PartyMember.objects.filter(
        Q(left_on__isnull=True) | Q(left_on__gt=as_of),
        Q(joined_party_on__isnull=True) | Q(joined_party_on__lte=as_of),
    )


def active_party_organizations(as_of: datetime.date | None = None) -> QuerySet:
    as_of = as_of or calendar.today()
    return PartyOrganization.objects.filter(
        Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=as_of), founded_on__lte=as_of
    )


def active_coverages(as_of: datetime.date) -> QuerySet:
    return Coverage.objects.filter(
        Q(party_organization__dissolved_on__isnull=True)
        | Q(party_organization__dissolved_on__gt=as_of),
        Q(ended_on__isnull=True) | Q(ended_on__gt=as_of),
        party_organization__founded_on__lte=as_of,
    )


def open_dispatches(as_of: datetime.date) -> QuerySet:
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
    today = calendar.today()
    as_of = as_of or today
    if as_of == today:
        queryset = with_stored_counts(queryset)
    else:
        queryset = with_live_counts(queryset, as_of=as_of)
    return with_status(queryset)


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
    (R-PB-1, R-PB-7); `standings.services.standings_refresh` stores what this computes for today."""
    members = active_members(as_of)
    coverages = active_coverages(as_of).filter(organization=OuterRef("pk"))
    dispatches = open_dispatches(as_of).filter(organization=OuterRef("pk"))
    # Own organization first, then the oldest: the one a ledger line names.
    first_coverage = _with_own_first(coverages).order_by(*COVERAGE_ORDER)

    return queryset.annotate(
        counted_members=correlated_count(members.filter(counted_member_q()), "organization"),
        full_members=correlated_count(
            members.filter(status=MemberStatus.FULL, role__in=STAFF_ROLES), "organization"
        ),
        probationary_members=correlated_count(
            members.filter(status=MemberStatus.PROBATIONARY, role__in=STAFF_ROLES), "organization"
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


def with_status(queryset: QuerySet) -> QuerySet:
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
        active_members(as_of)
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
        _with_own_first(active_coverages(as_of).filter(organizations))
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
        open_dispatches(as_of)
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
        Q(party_organization__founded_on__gt=after)
        | Q(party_organization__dissolved_on__gt=after)
        | Q(ended_on__gt=after),
        organizations,
    ).values_list(
        "organization_id",
        "party_organization__founded_on",
        "party_organization__dissolved_on",
        "ended_on",
    ):
        note(*row)
    for row in Dispatch.objects.filter(
        Q(started_on__gt=after) | Q(ended_on__gt=after), organizations
    ).values_list("organization_id", "started_on", "ended_on"):
        note(*row)
    return first


def in_scope(queryset: QuerySet, *, as_of: datetime.date | None = None) -> QuerySet:
    """Organizations registered on `as_of`: registered by then and not deregistered or revoked
    by then (R-DEREG-8), the population the figures are over (R-PB-7)."""
    as_of = as_of or calendar.today()
    return queryset.filter(registered_on_day(as_of), registered_on__lte=as_of)


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
