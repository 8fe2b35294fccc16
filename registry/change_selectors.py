"""Reads of change applications (R-CHG-1..7): who sees which, whose move it is, what changed
between submissions, which are late. Scoping lives here, in querysets, for every caller."""

import datetime

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from accounts import roles
from core import calendar

from .change_workflow import CHANGE_WORKFLOW
from .choices import ChangeStatus as S
from .choices import OrganizationType
from .models import ChangeApplication
from .models.change import ITEM_LABELS
from .selectors import DiffRow, _changed_charter_lines


def changes_visible_to(user) -> QuerySet[ChangeApplication]:
    """An organization's users see their own organization's applications, drafts included;
    clerks every submitted one; a supervisory unit those sent to it for consent; the committee
    the approved ones. Anyone else none."""
    changes = ChangeApplication.objects.select_related(
        "organization",
        "organization__supervisory_unit",
        "applicant",
        "consenting_unit",
        "district",
        "street",
        "supervisory_unit",
        "industry",
    )
    if not (user and user.is_authenticated and user.is_active):
        return changes.none()
    submitted = ~Q(status=S.DRAFT)
    visible = Q(pk__in=[])
    if user.has_role(roles.ORGANIZATION) and user.organization_id:
        visible |= Q(organization_id=user.organization_id)
    if user.is_clerk:
        visible |= submitted
    if user.has_role(roles.SUPERVISORY_UNIT) and user.supervisory_unit_id:
        visible |= submitted & Q(consenting_unit_id=user.supervisory_unit_id)
    if user.has_role(roles.COMMITTEE):
        visible |= Q(status=S.APPROVED)
    return changes.filter(visible)


AWAITING_CONSENT = Q(status=S.SUBMITTED)
AWAITING_DECISION = Q(status=S.FILED)


def change_todo_counts(user) -> dict:
    """{"consent": n, "decision": m}: the change applications waiting for this user's unit or
    for the clerks; None for a count that is not this user's to do. One query."""
    counts = {"consent": None, "decision": None}
    wanted = {}
    if user.has_role(roles.SUPERVISORY_UNIT) and user.supervisory_unit_id:
        wanted["consent"] = Count("pk", filter=AWAITING_CONSENT)
    if user.is_clerk:
        wanted["decision"] = Count("pk", filter=AWAITING_DECISION)
    if wanted:
        counts.update(changes_visible_to(user).order_by().aggregate(**wanted))
    return counts


def change_moves_for(change, user) -> list[str]:
    """The statuses `user` may move `change` to now (the table in registry.change_workflow)."""
    return CHANGE_WORKFLOW.moves_for(change, user)


def filing_state(change, today=None) -> dict:
    """R-CHG-3 for a page: the last day to file after consent, and whether the application is
    late (filed after it, or consented and still not filed after it)."""
    today = today or calendar.today()
    deadline = change.file_by()
    if change.filed_on:
        late = change.filed_late
    else:
        late = bool(deadline and change.status == S.CONSENTED and today > deadline)
    return {
        "deadline": deadline,
        "late": late,
        "days_left": (deadline - today).days if deadline and not change.filed_on else None,
    }


def late_q(today=None) -> Q:
    """Late applications as a filter: filed late, or consented and not filed in time. The
    deadline is per type (no deadline for foundations), so the condition is the rule's."""
    today = today or calendar.today()
    cutoff = today - datetime.timedelta(days=settings.REGISTRY["CHANGE_FILING_DAYS"])
    return Q(filed_late=True) | (
        Q(status=S.CONSENTED, consented_on__lt=cutoff)
        & ~Q(organization__organization_type=OrganizationType.FOUNDATION)
    )


def change_rows(change, *, current: dict | None = None) -> list[DiffRow]:
    """(item, now, after the change) rows of the application: `current` is the values before
    (the organization's now, or the ones kept at approval)."""
    from .services.changes import item_values

    after = item_values(change, change)
    before = current if current is not None else item_values(change, change.organization)
    return [
        DiffRow(str(ITEM_LABELS[item]), before.get(item, ""), after.get(item, ""))
        for item in change.items
    ]


def submission_diff(previous: dict, current: dict) -> list[DiffRow]:
    """What changed between two submissions of a change application (their snapshots,
    registry.services.changes.change_snapshot) as (label, before, after) rows."""
    previous, current = previous or {}, current or {}
    rows = []
    old_items, new_items = previous.get("items", {}), current.get("items", {})
    for item in dict.fromkeys([*old_items, *new_items]):
        before, after = old_items.get(item, ""), new_items.get(item, "")
        if before != after:
            label = ITEM_LABELS.get(item, item)
            rows.append(DiffRow(str(label), before, after))
    if (previous.get("reason") or "") != (current.get("reason") or ""):
        rows.append(
            DiffRow(
                _("reason for the change"), previous.get("reason", ""), current.get("reason", "")
            )
        )
    old_charter, new_charter = previous.get("charter_text", ""), current.get("charter_text", "")
    if (old_charter or "") != (new_charter or ""):
        before, after = _changed_charter_lines(old_charter, new_charter)
        rows.append(DiffRow(_("amended charter"), before, after))
    old_pledge, new_pledge = previous.get("pledge", {}), current.get("pledge", {})
    for key, label in (
        ("signed_by", _("signed by (new legal representative)")),
        ("signed_on", _("signed on")),
    ):
        if old_pledge.get(key, "") != new_pledge.get(key, ""):
            rows.append(DiffRow(label, old_pledge.get(key, ""), new_pledge.get(key, "")))
    return rows
