"""Reads of the public pages (信息公开, R-CR-17, R-PUB-1..5 in docs/domain.md).

What a national platform (中国社会组织政务服务平台) shows of a registered organization and
nothing more: its registered items, grade, annual-check results, credit-list entries and
administrative penalties. Never its contacts, Party members, ID numbers, internal remarks, a
proposal or dismissal, who decided; never an application that has not become an organization
(the `Organization` table holds registered organizations only, their registration active or
ended, R-PUB-3).

Everything here is a plain value (strings, dates, lists of dicts): the profile is kept in the
cache as it is returned (disclosure.cache)."""

import unicodedata
from dataclasses import dataclass, field

from django.db.models import Q

from annualcheck.choices import CheckResult, CheckStatus
from annualcheck.models import AnnualCheck
from credit.choices import CreditList, EntryStatus, Ground, PenaltyKind, RemovalPath
from credit.models import Penalty
from credit.selectors import public_entries
from evaluation.choices import EvaluationStatus, Grade
from evaluation.models import Evaluation
from registry.bureau import bureau
from registry.choices import ChangeKind, ChangeStatus, OrganizationStatus, OrganizationType
from registry.credit_codes import ALPHABET, CODE_LENGTH, normalize_credit_code
from registry.models import ChangeApplication, Organization
from registry.models.change import ITEM_LABELS

# R-PUB-3: whose profile is public. Named, not "every status", so a status added later stays
# private until someone decides otherwise.
PUBLIC_STATUSES = (
    OrganizationStatus.ACTIVE,
    OrganizationStatus.DEREGISTERED,
    OrganizationStatus.REVOKED,
)
# The shortest name fragment searched: one character would walk the whole table (the trigram
# index needs two characters to narrow anything, R-PUB-2).
MIN_NAME_LENGTH = 2
MAX_QUERY_LENGTH = 100
PER_PAGE = 20

_ALPHABET = frozenset(ALPHABET)


def _printable(text: str) -> str:
    """`text` without control characters (a NUL ends a SQLite pattern early and is refused by
    PostgreSQL)."""
    return "".join(c for c in str(text or "") if unicodedata.category(c) != "Cc")


def public_organizations():
    return Organization.objects.filter(status__in=PUBLIC_STATUSES)


def credit_code_of(text: str) -> str | None:
    """`text` as a credit code (spaces dropped, full-width made half-width, upper-cased) when
    it has the shape of one, else None."""
    code = normalize_credit_code(_printable(text))
    if len(code) == CODE_LENGTH and _ALPHABET.issuperset(code):
        return code
    return None


def organization_by_code(code: str) -> Organization | None:
    """The public organization of a well-formed `code`, with just what the cache key needs."""
    return (
        public_organizations()
        .filter(credit_code=code)
        .only("pk", "credit_code", "version", "updated_at")
        .first()
    )


@dataclass
class SearchPage:
    """One page of search results: `after` is the credit code the next page starts after (the
    keyset, R-PUB-2: no COUNT(*) over the table, no page numbers)."""

    kind: str  # "code", "name", "" (nothing asked) or "short" (too short a name)
    rows: list[dict] = field(default_factory=list)
    next_after: str | None = None


_LABELS = {
    "organization_type": dict(OrganizationType.choices),
    "status": dict(OrganizationStatus.choices),
}


def _row(values: dict) -> dict:
    return {
        "name": values["name"],
        "credit_code": values["credit_code"],
        "type": str(_LABELS["organization_type"].get(values["organization_type"], "")),
        "status": str(_LABELS["status"].get(values["status"], "")),
        "status_code": values["status"],
        "registered_on": values["registered_on"],
    }


def organization_search(text: str, *, after: str = "", per_page: int = PER_PAGE) -> SearchPage:
    """Organizations by exact credit code (in any of the ways people type one) or by a
    fragment of the name, in name order, `per_page` at a time after the credit code `after`."""
    text = _printable(text)[: MAX_QUERY_LENGTH * 2].strip()[:MAX_QUERY_LENGTH]
    if not text:
        return SearchPage(kind="")
    fields = ("name", "credit_code", "organization_type", "status", "registered_on")
    code = credit_code_of(text)
    if code:
        rows = public_organizations().filter(credit_code=code).values(*fields)
        return SearchPage(kind="code", rows=[_row(values) for values in rows])
    fragment = "".join(text.split())
    if len(fragment) < MIN_NAME_LENGTH:
        return SearchPage(kind="short")
    found = public_organizations().filter(name__contains=fragment)
    start = credit_code_of(after)
    if start:
        last_name = (
            public_organizations().filter(credit_code=start).values_list("name", flat=True).first()
        )
        if last_name is not None:
            found = found.filter(Q(name__gt=last_name) | Q(name=last_name, credit_code__gt=start))
    rows = [
        _row(values)
        for values in found.order_by("name", "credit_code").values(*fields)[: per_page + 1]
    ]
    next_after = rows[per_page - 1]["credit_code"] if len(rows) > per_page else None
    return SearchPage(kind="name", rows=rows[:per_page], next_after=next_after)


# --- The profile ----------------------------------------------------------------------------


def _label(choices, value) -> str:
    return str(dict(choices).get(value, "")) if value else ""


def _grade(organization_id: int) -> dict | None:
    """The latest decided grade (R-EV-1) with its validity; whether it has expired is the
    page's to say on the day it is read (the profile is cached)."""
    evaluation = (
        Evaluation.objects.filter(organization_id=organization_id, status=EvaluationStatus.DECIDED)
        .exclude(grade="")
        .order_by("-year", "-pk")
        .values("year", "grade", "decided_on", "valid_until")
        .first()
    )
    if evaluation is None:
        return None
    return {
        "year": evaluation["year"],
        "grade": _label(Grade.choices, evaluation["grade"]),
        "graded": evaluation["grade"] != Grade.NONE,
        "decided_on": evaluation["decided_on"],
        "valid_until": evaluation["valid_until"],
    }


def _annual_checks(organization_id: int) -> list[dict]:
    rows = (
        AnnualCheck.objects.filter(organization_id=organization_id, status=CheckStatus.REVIEWED)
        .order_by("-year")
        .values("year", "result", "reviewed_on")
    )
    return [
        {
            "year": row["year"],
            "result": _label(CheckResult.choices, row["result"]),
            "reviewed_on": row["reviewed_on"],
        }
        for row in rows
    ]


def _entries(organization) -> list[dict]:
    return [
        {
            "list": _label(CreditList.choices, entry.credit_list),
            "serious": entry.credit_list == CreditList.SERIOUS,
            "ground": _label(Ground.choices, entry.ground),
            "on_list": entry.status in (EntryStatus.LISTED, EntryStatus.REMOVAL_REQUESTED),
            "listed_on": entry.listed_on,
            "decision_number": entry.decision_number,
            "removed_on": entry.removed_on,
            "removal": _label(RemovalPath.choices, entry.removal_path),
        }
        for entry in public_entries(organization)
    ]


def _penalties(organization_id: int) -> list[dict]:
    rows = Penalty.objects.filter(organization_id=organization_id).values(
        "kind", "amount_yuan", "department", "decision_number", "decided_on", "facts", "basis"
    )
    return [{**row, "kind": _label(PenaltyKind.choices, row["kind"])} for row in rows]


def _changes(organization_id: int) -> list[dict]:
    """Approved change registrations: the day and the items changed (the values are on the
    profile as they are now)."""
    rows = (
        ChangeApplication.objects.filter(
            organization_id=organization_id,
            kind=ChangeKind.CHANGE,
            status=ChangeStatus.APPROVED,
            decided_at__isnull=False,
        )
        .order_by("-decided_at", "-pk")
        .values("decided_at", "items")
    )
    return [
        {
            "on": row["decided_at"].date(),
            "items": "、".join(str(ITEM_LABELS[i]) for i in row["items"] or () if i in ITEM_LABELS),
        }
        for row in rows
    ]


def public_profile(organization_id: int) -> dict | None:
    """Everything the public profile shows of one organization, as plain values (constant
    queries: one per section)."""
    organization = (
        public_organizations().select_related("supervisory_unit").filter(pk=organization_id).first()
    )
    if organization is None:
        return None
    return {
        "name": organization.name,
        "credit_code": organization.credit_code,
        "type": _label(OrganizationType.choices, organization.organization_type),
        "status": _label(OrganizationStatus.choices, organization.status),
        "status_code": organization.status,
        "address": organization.address,
        "legal_representative": organization.legal_representative,
        "business_scope": organization.business_scope,
        "registered_capital": organization.registered_capital,
        "supervisory_unit": organization.supervisory_unit.name
        if organization.supervisory_unit_id
        else "",
        "established_on": organization.established_on,
        "registered_on": organization.registered_on,
        "registration_ended_on": organization.registration_ended_on,
        "grade": _grade(organization.pk),
        "annual_checks": _annual_checks(organization.pk),
        "entries": _entries(organization),
        "penalties": _penalties(organization.pk),
        "changes": _changes(organization.pk),
        "authority": bureau().authority_name,
    }
