"""What a token may read (R-API-1): each list is the holder's own scope in the admin, the same
`*_visible_to(user)` selectors, narrowed by the caller's filters. The API adds no scope of its
own and widens none."""

import datetime
import re

from django.db.models import QuerySet

from annualcheck.selectors import annual_checks_visible_to
from credit.selectors import entries_visible_to
from evaluation.selectors import evaluations_visible_to
from partybuilding.member_forms.selectors import member_form_copies_visible_to, with_overdue_flag
from partybuilding.standings.selectors import with_party_building
from registry.selectors import organizations_visible_to

# The shape of a credit code (R-ID-1): anything else finds nothing, and reaches no query.
CREDIT_CODE_SHAPE = re.compile(r"[0-9A-Z]{18}")


def _credit_code(value: str) -> str | None:
    code = (value or "").strip().upper()
    return code if CREDIT_CODE_SHAPE.fullmatch(code) else None


def api_organizations(
    user,
    *,
    status: str | None = None,
    district: int | None = None,
    industry: int | None = None,
    updated_since: datetime.datetime | None = None,
) -> QuerySet:
    """The organizations `user` sees, with today's Party-building standing (one join)."""
    organizations = organizations_visible_to(user)
    if status:
        organizations = organizations.filter(status=status)
    if district:
        organizations = organizations.filter(district_id=district)
    if industry:
        organizations = organizations.filter(industry_id=industry)
    if updated_since:
        organizations = organizations.filter(updated_at__gte=updated_since)
    return with_party_building(organizations)


def api_organization(user, credit_code: str):
    """The organization with this credit code if `user` sees it, else None (the same answer
    for one out of scope as for one that does not exist)."""
    code = _credit_code(credit_code)
    return api_organizations(user).filter(credit_code=code).first() if code else None


def _of_organization(queryset: QuerySet, credit_code: str | None) -> QuerySet:
    if credit_code:
        code = _credit_code(credit_code)
        return queryset.filter(organization__credit_code=code) if code else queryset.none()
    return queryset


def api_annual_checks(user, *, year: int | None = None, credit_code: str | None = None):
    checks = _of_organization(annual_checks_visible_to(user), credit_code)
    return checks.filter(year=year) if year else checks


def api_evaluations(user, *, year: int | None = None, credit_code: str | None = None):
    evaluations = _of_organization(evaluations_visible_to(user), credit_code)
    return evaluations.filter(year=year) if year else evaluations


def api_credit_entries(
    user, *, credit_list: str | None = None, status: str | None = None, credit_code=None
):
    entries = _of_organization(entries_visible_to(user), credit_code)
    if credit_list:
        entries = entries.filter(credit_list=credit_list)
    return entries.filter(status=status) if status else entries


def api_member_form_copies(user, *, pending: bool = True, credit_code: str | None = None):
    """The member-form copies addressed to `user` (R-REG-3), those awaiting acknowledgement
    unless `pending` is False."""
    copies = with_overdue_flag(_of_organization(member_form_copies_visible_to(user), credit_code))
    return copies.filter(acknowledged_at__isnull=True) if pending else copies
