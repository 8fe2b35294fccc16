"""Reads of the annual check."""

import datetime

from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)

from core import calendar
from core.queries import correlated_count
from registry.models import Organization

from .choices import CheckResult, CheckStatus, RectificationStatus
from .models import AnnualCheck, Rectification
from .rules import exemption_cutoff
from .workflow import ANNUAL_CHECK_WORKFLOW, RECTIFICATION_WORKFLOW


def overdue_rectifications(today: datetime.date | None = None) -> QuerySet:
    """R-AC-5: items past their deadline and not closed."""
    return Rectification.objects.filter(overdue_condition(today)).select_related(
        "annual_check__organization"
    )


def overdue_condition(today: datetime.date | None = None) -> Q:
    """R-AC-5 as a condition on rectification items (lists filter on it, counts count it)."""
    today = today or calendar.today()
    return Q(due_on__lt=today) & ~Q(status=RectificationStatus.CLOSED)


def with_overdue_flag(rectifications: QuerySet, today: datetime.date | None = None) -> QuerySet:
    """`rectifications`, each with `is_overdue` by R-AC-5 (overdue_condition): the flag every
    list and page shows, so none restates the rule."""
    return rectifications.annotate(
        is_overdue=Case(
            When(overdue_condition(today), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        )
    )


def years_reported(checks: QuerySet) -> list[int]:
    """The years `checks` report on, latest first: the year pickers of the results download and
    the revocation review offer exactly the years with data (one query)."""
    return list(checks.order_by("-year").values_list("year", flat=True).distinct())


def default_year(years: list[int], *, today: datetime.date | None = None) -> int:
    """The year a year-bound page opens on: last year (the one organizations report on now) when
    it has data, else the latest year with data before it, else last year."""
    last_year = (today or calendar.today()).year - 1
    earlier = [year for year in years if year <= last_year]
    if last_year in years or not earlier:
        return last_year
    return earlier[0]


def revocation_review_candidates(*, year: int) -> QuerySet:
    """R-AC-6: 不合格 in `year` after 不合格 in the year before, or after missing it (when it was
    due: registered by 30 June of that year)."""
    unqualified = AnnualCheck.objects.filter(result=CheckResult.UNQUALIFIED)
    this_year = unqualified.filter(organization=OuterRef("pk"), year=year)
    last_year_unqualified = unqualified.filter(organization=OuterRef("pk"), year=year - 1)
    last_year_reviewed = AnnualCheck.objects.filter(
        organization=OuterRef("pk"), year=year - 1, result__gt=""
    )
    due_last_year = Q(registered_on__lte=exemption_cutoff(year - 1))
    return (
        Organization.objects.filter(Exists(this_year))
        .filter(Exists(last_year_unqualified) | (due_last_year & ~Exists(last_year_reviewed)))
        .order_by("name")
    )


def annual_checks_visible_to(user) -> QuerySet:
    """Clerks and the committee see every submitted check; a supervisory unit those of the
    organizations it supervises; an organization its own (drafts included). Other
    organizations' drafts are never shown to staff."""
    from accounts import roles

    from .choices import CheckStatus

    checks = AnnualCheck.objects.select_related(
        "organization",
        "organization__industry",
        "organization__district",
        "organization__supervisory_unit",
        "reviewed_by",
    )
    if not (user and user.is_authenticated and user.is_active):
        return checks.none()
    visible = Q(pk__in=[])
    if user.has_role(roles.ORGANIZATION) and user.organization_id:
        visible |= Q(organization_id=user.organization_id)
    filed = ~Q(status=CheckStatus.DRAFT)
    if user.is_clerk or user.has_role(roles.COMMITTEE):
        visible |= filed
    if user.has_role(roles.SUPERVISORY_UNIT) and user.supervisory_unit_id:
        visible |= filed & Q(organization__supervisory_unit_id=user.supervisory_unit_id)
    return checks.filter(visible)


# --- Admin lists, the review buttons and the results export -----------------------------------


def rectification_counts() -> dict:
    """Correlated counts (not joins): the change list's totals stay plain COUNT(*)s."""
    return {
        "rectification_count": correlated_count(Rectification.objects.all(), "annual_check"),
        "open_rectification_count": correlated_count(
            Rectification.objects.exclude(status=RectificationStatus.CLOSED), "annual_check"
        ),
    }


def annual_check_moves_for(annual_check: AnnualCheck, user) -> list[str]:
    """The statuses `user` may move `annual_check` to now: the table in annualcheck.workflow and
    the user's part in it, the very check the services make."""
    return ANNUAL_CHECK_WORKFLOW.moves_for(annual_check, user)


def rectification_moves_for(rectification, user) -> list[str]:
    """The statuses `user` may move a rectification item to now (annualcheck.workflow)."""
    return RECTIFICATION_WORKFLOW.moves_for(rectification, user)


ANNUAL_CHECK_ROW_FIELDS = (
    "pk",
    "year",
    "organization__name",
    "organization__credit_code",
    "organization__organization_type",
    "organization__industry__name",
    "organization__supervisory_unit__name",
    "organization__district__name",
    "submitted_on",
    "late",
    "status",
    "result",
    "default_result",
    "result_reason",
    "rectification_count",
    "open_rectification_count",
    "party_building__party_organization_name",
)


def annual_check_rows(queryset: QuerySet, *, chunk_size: int = 2000):
    """The year's results, one dict per check, streamed in chunks (no per-row queries)."""
    return (
        queryset.annotate(**rectification_counts())
        .order_by("year", "organization__name", "pk")
        .values(*ANNUAL_CHECK_ROW_FIELDS)
        .iterator(chunk_size=chunk_size)
    )


def results_by_organization(organization_ids, years) -> dict:
    """{organization_id: {year: result}} for the revocation review list (one query)."""
    results: dict = {}
    rows = AnnualCheck.objects.filter(organization_id__in=organization_ids, year__in=years)
    for organization_id, year, result, status in rows.values_list(
        "organization_id", "year", "result", "status"
    ):
        results.setdefault(organization_id, {})[year] = (result, status)
    return results


def rectifications_visible_to(user) -> QuerySet:
    """The rectification items `user` may see: those of the annual checks they see (the one
    scope of the admin's list, the clerk's pages and the counts)."""
    return Rectification.objects.select_related("annual_check__organization").filter(
        annual_check__in=annual_checks_visible_to(user).values("pk")
    )


def overdue_rectifications_visible_to(user, today: datetime.date | None = None) -> QuerySet:
    return rectifications_visible_to(user).filter(overdue_condition(today))


# The checks waiting for someone on the staff side (the workbench's to-do counts and the change
# list's 待办 filter): the supervisory unit's pre-review, then the clerk's review (a direct
# registration's check goes straight to the clerk).
AWAITING_PRE_REVIEW = Q(status=CheckStatus.SUBMITTED, needs_pre_review=True)
AWAITING_REVIEW = Q(status=CheckStatus.PRE_REVIEWED) | Q(
    status=CheckStatus.SUBMITTED, needs_pre_review=False
)


def annual_check_todo_counts(user, today: datetime.date | None = None) -> dict:
    """The annual-check side of `user`'s to-do list, each over what `user` may see; None for a
    count that is not this user's to do. Two queries: checks, then rectification items.

    pre_review: checks waiting for the user's supervisory unit; review: checks waiting for the
    registration authority (clerks); overdue: rectification items past their deadline (R-AC-5);
    answered: items the organization answered, for the clerk to close or reopen."""
    from accounts import roles

    counts = {"pre_review": None, "review": None, "overdue": 0, "answered": None}
    wanted = {}
    if user.has_role(roles.SUPERVISORY_UNIT) and user.supervisory_unit_id:
        wanted["pre_review"] = Count(
            "pk",
            filter=AWAITING_PRE_REVIEW
            & Q(organization__supervisory_unit_id=user.supervisory_unit_id),
        )
    if user.is_clerk:
        wanted["review"] = Count("pk", filter=AWAITING_REVIEW)
    if wanted:
        counts.update(annual_checks_visible_to(user).order_by().aggregate(**wanted))
    items = {"overdue": Count("pk", filter=overdue_condition(today))}
    if user.is_clerk:
        items["answered"] = Count("pk", filter=Q(status=RectificationStatus.ANSWERED))
    counts.update(rectifications_visible_to(user).order_by().aggregate(**items))
    return counts
