"""Reads of the registry. Who may see what is decided here, in querysets, for every caller."""

import difflib
from typing import NamedTuple

from django.core.exceptions import FieldDoesNotExist
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from accounts import roles

from .choices import ApplicationStatus, DeregistrationStatus, OrganizationStatus
from .models import Application, ApplicationMember, Deregistration, Organization
from .workflow import APPLICATION_WORKFLOW, DEREGISTRATION_WORKFLOW


def sees_every_organization(user) -> bool:
    """Clerks and the committee see every organization (organizations_visible_to)."""
    return bool(
        user
        and user.is_authenticated
        and user.is_active
        and (user.is_superuser or user.has_role(roles.CLERK) or user.has_role(roles.COMMITTEE))
    )


def organizations_visible_to(user) -> QuerySet[Organization]:
    """The organizations `user` may see: clerks and the committee all of them, a supervisory
    unit those it supervises, an organization user its own; anyone else none."""
    queryset = Organization.objects.select_related(
        "industry", "district", "street", "supervisory_unit", "party_building_body"
    )
    if not (user and user.is_authenticated and user.is_active):
        return queryset.none()
    if sees_every_organization(user):
        return queryset
    if user.has_role(roles.SUPERVISORY_UNIT) and user.supervisory_unit_id:
        return queryset.filter(supervisory_unit_id=user.supervisory_unit_id)
    if user.has_role(roles.ORGANIZATION) and user.organization_id:
        return queryset.filter(pk=user.organization_id)
    return queryset.none()


def applications_visible_to(user) -> QuerySet:
    """Registration applications `user` may see: applicants their own (drafts included); clerks
    every submitted one; a supervisory unit those naming it; the committee the approved ones
    (it receives their member forms). Drafts stay private to their applicant."""

    applications = Application.objects.select_related(
        "applicant", "industry", "supervisory_unit", "district", "street", "organization"
    )
    if not (user and user.is_authenticated and user.is_active):
        return applications.none()
    submitted = ~Q(status=ApplicationStatus.DRAFT)
    visible = Q(applicant_id=user.pk)
    if user.is_clerk:
        visible |= submitted
    if user.has_role(roles.SUPERVISORY_UNIT) and user.supervisory_unit_id:
        visible |= submitted & Q(supervisory_unit_id=user.supervisory_unit_id)
    if user.has_role(roles.COMMITTEE):
        visible |= Q(status=ApplicationStatus.APPROVED)
    return applications.filter(visible)


# The applications waiting for someone on the staff side (the workbench's to-do counts and the
# change list's 待办 filter): the supervisory unit's consent, then the clerk's decision (a
# direct registration, with no unit, goes straight to the clerk).
AWAITING_CONSENT = Q(status=ApplicationStatus.SUBMITTED, supervisory_unit__isnull=False)
AWAITING_APPROVAL = Q(status=ApplicationStatus.CONSENTED) | Q(
    status=ApplicationStatus.SUBMITTED, supervisory_unit__isnull=True
)


def application_todo_counts(user) -> dict:
    """{"consent": n, "approval": m}: the applications `user` sees that wait for their unit's
    consent (supervisory-unit users) or the registration authority's decision (clerks); None
    for a count that is not this user's to do. One query."""
    counts = {"consent": None, "approval": None}
    wanted = {}
    if user.has_role(roles.SUPERVISORY_UNIT) and user.supervisory_unit_id:
        wanted["consent"] = Count(
            "pk", filter=AWAITING_CONSENT & Q(supervisory_unit_id=user.supervisory_unit_id)
        )
    if user.is_clerk:
        wanted["approval"] = Count("pk", filter=AWAITING_APPROVAL)
    if wanted:
        counts.update(applications_visible_to(user).order_by().aggregate(**wanted))
    return counts


def application_moves_for(application, user) -> list[str]:
    """The statuses `user` may move `application` to now: the registration table
    (registry.workflow) and the user's part in it, the very check the services make."""
    return APPLICATION_WORKFLOW.moves_for(application, user)


class DiffRow(NamedTuple):
    label: str
    before: str
    after: str


def _lines(text: str) -> list[str]:
    return (text or "").replace("\r\n", "\n").split("\n")


def charter_diff(previous_text: str, current_text: str) -> list[str]:
    """The charter's changed lines as a unified diff (no file headers), empty when unchanged."""
    lines = difflib.unified_diff(_lines(previous_text), _lines(current_text), lineterm="", n=1)
    return [line for line in lines if not line.startswith(("---", "+++"))]


def _changed_charter_lines(previous_text: str, current_text: str) -> tuple[str, str]:
    before, after = [], []
    old, new = _lines(previous_text), _lines(current_text)
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "equal":
            before.extend(old[i1:i2])
            after.extend(new[j1:j2])
    return "\n".join(before), "\n".join(after)


def submission_diff(previous: dict, current: dict) -> list[DiffRow]:
    """What changed between two submissions of an application (their snapshots, see
    registry.services.registration.application_snapshot), as (label, before, after) rows:
    basic fields, the charter's changed lines, the pledge's signature, the "no members"
    statement, and members added, removed or changed (matched by their key, never by the
    ID number). Nothing changed, no rows."""

    previous, current = previous or {}, current or {}
    rows: list[DiffRow] = []

    def label_of(model, name):
        try:
            return str(model._meta.get_field(name).verbose_name)
        except FieldDoesNotExist:  # a field renamed since the snapshot was taken
            return name

    old_basic, new_basic = previous.get("basic", {}), current.get("basic", {})
    for name in dict.fromkeys([*old_basic, *new_basic]):
        before, after = str(old_basic.get(name, "")), str(new_basic.get(name, ""))
        if before != after:
            rows.append(DiffRow(label_of(Application, name), before, after))

    old_charter, new_charter = previous.get("charter_text", ""), current.get("charter_text", "")
    if (old_charter or "") != (new_charter or ""):
        before, after = _changed_charter_lines(old_charter, new_charter)
        rows.append(DiffRow(label_of(Application, "charter_text"), before, after))

    old_pledge, new_pledge = previous.get("pledge", {}), current.get("pledge", {})
    for key, field in (("signed_by", "pledge_signed_by"), ("signed_on", "pledge_signed_on")):
        before, after = str(old_pledge.get(key, "")), str(new_pledge.get(key, ""))
        if before != after:
            rows.append(DiffRow(label_of(Application, field), before, after))

    before = bool(previous.get("no_party_members", False))
    after = bool(current.get("no_party_members", False))
    if before != after:
        rows.append(
            DiffRow(label_of(Application, "no_party_members"), _yes_no(before), _yes_no(after))
        )

    old_members = {m.get("key"): m for m in previous.get("members", [])}
    new_members = {m.get("key"): m for m in current.get("members", [])}
    for key, member in new_members.items():
        if key not in old_members:
            rows.append(
                DiffRow(_("Party member added: %(name)s") % member, "", _member_summary(member))
            )
    for key, member in old_members.items():
        if key not in new_members:
            rows.append(
                DiffRow(_("Party member removed: %(name)s") % member, _member_summary(member), "")
            )
    for key, member in new_members.items():
        old = old_members.get(key)
        if old is None:
            continue
        for name in dict.fromkeys([*old, *member]):
            if name == "key":
                continue
            before, after = str(old.get(name, "")), str(member.get(name, ""))
            if before != after:
                label = _("Party member %(name)s: %(field)s") % {
                    "name": member.get("name", ""),
                    "field": label_of(ApplicationMember, name),
                }
                rows.append(DiffRow(label, before, after))
    return rows


def _yes_no(value: bool) -> str:

    return str(_("yes") if value else _("no"))


def _member_summary(member: dict) -> str:
    parts = (
        member.get(name, "") for name in ("name", "id_number", "status", "role", "relationship")
    )
    return " · ".join(str(part) for part in parts if part)


# --- Deregistration and revocation (R-DEREG-1..9) ----------------------------------------------


def registered_on_day(as_of) -> Q:
    """R-DEREG-8: organizations whose registration stood on `as_of`: active ones, and those
    deregistered or revoked after that day (an organization that ended without a recorded date
    counts on no day). With `registered_on__lte=as_of`, the population of any day's figures."""
    return Q(status=OrganizationStatus.ACTIVE) | Q(registration_ended_on__gt=as_of)


def deregistrations_visible_to(user) -> QuerySet:
    """Deregistrations and revocations `user` may see: an organization its own (drafts
    included); clerks and the committee every filed one; a supervisory unit those it is asked
    to consent to and those of the organizations it supervises. Drafts stay with the
    organization (a revocation is decided at once and never stays a draft)."""
    records = Deregistration.objects.select_related(
        "organization", "supervisory_unit", "applicant", "decided_by"
    )
    if not (user and user.is_authenticated and user.is_active):
        return records.none()
    filed = ~Q(status=DeregistrationStatus.DRAFT)
    visible = Q(pk__in=[])
    if user.has_role(roles.ORGANIZATION) and user.organization_id:
        visible |= Q(organization_id=user.organization_id)
    if user.is_clerk or user.has_role(roles.COMMITTEE):
        visible |= filed
    if user.has_role(roles.SUPERVISORY_UNIT) and user.supervisory_unit_id:
        visible |= filed & (
            Q(supervisory_unit_id=user.supervisory_unit_id)
            | Q(organization__supervisory_unit_id=user.supervisory_unit_id)
        )
    return records.filter(visible)


def deregistration_moves_for(deregistration, user) -> list[str]:
    """The statuses `user` may move `deregistration` to now (registry.workflow's table)."""
    return DEREGISTRATION_WORKFLOW.moves_for(deregistration, user)


# Deregistrations waiting for someone on the staff side (the workbench's to-do counts and the
# change list's filter): the supervisory unit's consent, then the clerk's decision.
DEREGISTRATION_AWAITING_CONSENT = Q(
    status=DeregistrationStatus.SUBMITTED, supervisory_unit__isnull=False
)
DEREGISTRATION_AWAITING_DECISION = Q(status=DeregistrationStatus.CONSENTED) | Q(
    status=DeregistrationStatus.SUBMITTED, supervisory_unit__isnull=True
)


def deregistration_todo_counts(user) -> dict:
    """{"consent": n, "decision": m}, as application_todo_counts: None for a count that is not
    this user's to do. One query."""
    counts = {"consent": None, "decision": None}
    wanted = {}
    if user.has_role(roles.SUPERVISORY_UNIT) and user.supervisory_unit_id:
        wanted["consent"] = Count(
            "pk",
            filter=DEREGISTRATION_AWAITING_CONSENT
            & Q(supervisory_unit_id=user.supervisory_unit_id),
        )
    if user.is_clerk:
        wanted["decision"] = Count("pk", filter=DEREGISTRATION_AWAITING_DECISION)
    if wanted:
        counts.update(deregistrations_visible_to(user).order_by().aggregate(**wanted))
    return counts
