"""Reads of credit supervision: who sees which list entries, what is on a list today, and what
the public may see (R-CR-2)."""

from collections import defaultdict

from django.db.models import Count, Q, QuerySet

from accounts import roles
from registry.selectors import organizations_visible_to, sees_every_organization

from .choices import ON_LIST_STATUSES, PUBLIC_STATUSES, CreditList, EntryStatus
from .models import EntryAnswer, ListEntry


def entries_visible_to(user) -> QuerySet[ListEntry]:
    """List entries `user` may see: clerks and the committee all of them, a supervisory unit
    those of the organizations it supervises, an organization user its own once they are
    decided (a proposal or a dismissal is the bureau's internal work); anyone else none."""
    entries = ListEntry.objects.select_related(
        "organization", "organization__supervisory_unit", "decided_by"
    )
    if not (user and user.is_authenticated and user.is_active):
        return entries.none()
    if sees_every_organization(user):
        return entries
    if user.has_role(roles.SUPERVISORY_UNIT) and user.supervisory_unit_id:
        return entries.filter(organization__supervisory_unit_id=user.supervisory_unit_id)
    if user.has_role(roles.ORGANIZATION) and user.organization_id:
        return entries.filter(organization_id=user.organization_id, status__in=PUBLIC_STATUSES)
    return entries.none()


def on_list_condition(credit_list: str | None = None, prefix: str = "") -> Q:
    """Entries on a list today (either list when `credit_list` is None), as a condition that
    `prefix` (e.g. "credit_list_entries__") applies from a related model."""
    condition = Q(**{f"{prefix}status__in": ON_LIST_STATUSES})
    if credit_list:
        condition &= Q(**{f"{prefix}credit_list": credit_list})
    return condition


def current_listings(organization_ids) -> dict[int, list[ListEntry]]:
    """The entries on a list today of each of `organization_ids`, one query, serious first."""
    found = defaultdict(list)
    entries = ListEntry.objects.filter(
        on_list_condition(), organization_id__in=list(organization_ids)
    ).order_by("organization_id", "-credit_list", "listed_on", "pk")
    for entry in entries:
        found[entry.organization_id].append(entry)
    return dict(found)


def is_on_serious_list(organization_id: int) -> bool:
    return ListEntry.objects.filter(
        on_list_condition(CreditList.SERIOUS), organization_id=organization_id
    ).exists()


def public_entries(organization) -> QuerySet[ListEntry]:
    """What the public sees of an organization's listings (R-CR-17): decided entries only,
    with their list, ground, dates and decisions; never a proposal, a dismissal or who
    decided."""
    return (
        ListEntry.objects.filter(organization=organization, status__in=PUBLIC_STATUSES)
        .only(
            "credit_list",
            "ground",
            "status",
            "listed_on",
            "decision_number",
            "removed_on",
            "removal_path",
            "organization_id",
        )
        .order_by("-listed_on", "-pk")
    )


def organizations_with_entries_visible_to(user) -> QuerySet:
    """The organizations `user` sees that are on a list today (admin filters, the ledger)."""
    return (
        organizations_visible_to(user)
        .filter(on_list_condition(prefix="credit_list_entries__"))
        .distinct()
    )


# --- The workflow's pages (credit.workflow) ---------------------------------------------------

# Entries waiting for the clerk: proposals to decide, removal requests to verify.
AWAITING_DECISION = Q(status=EntryStatus.PROPOSED)
AWAITING_REMOVAL = Q(status=EntryStatus.REMOVAL_REQUESTED)


def entry_moves_for(entry: ListEntry, user) -> list[str]:
    """The statuses `user` may move `entry` to now (from credit.workflow's one table)."""
    from .workflow import ENTRY_WORKFLOW

    return ENTRY_WORKFLOW.moves_for(entry, user)


def credit_todo_counts(user) -> dict:
    """The clerk's credit to-do counts (the workbench): proposals and removal requests, one
    query; None for the counts of a user who does not act on them."""
    if not (user and user.is_authenticated and user.is_active and user.is_clerk):
        return {"proposed": None, "removal": None}
    counts = (
        entries_visible_to(user)
        .order_by()
        .aggregate(
            proposed=Count("pk", filter=AWAITING_DECISION),
            removal=Count("pk", filter=AWAITING_REMOVAL),
        )
    )
    return counts


def answers_visible_to(user) -> QuerySet:
    """The answers to the entries `user` sees."""
    return EntryAnswer.objects.filter(
        entry__in=entries_visible_to(user).values("pk")
    ).select_related("entry", "entry__organization")


def entry_answers(entry: ListEntry) -> QuerySet:
    return entry.answers.select_related("submitted_by", "replied_by").order_by("submitted_at", "pk")


def entry_timeline(entry: ListEntry) -> QuerySet:
    return entry.events.select_related("actor").order_by("at", "pk")


def own_entries(user) -> QuerySet[ListEntry]:
    """The organization user's own decided entries (the portal): never another's, never a
    proposal or a dismissal."""
    if not (user and user.is_authenticated and user.organization_id):
        return ListEntry.objects.none()
    return entries_visible_to(user).filter(
        organization_id=user.organization_id, status__in=PUBLIC_STATUSES
    )
