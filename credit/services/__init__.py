"""Writes of credit supervision (R-CR-5..13): every move of a list entry goes through the shared
mover (core.workflow) with its table in credit.workflow — the version the page showed, the
move, the actor's part, a ListEntryEvent row, the history naming the user. The daily job's
proposals are in `services.proposals`."""

import datetime
import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext, pgettext

from core import calendar
from registry.choices import OrganizationStatus

from .. import evidence, rules
from ..choices import (
    LIST_OF_GROUND,
    ON_LIST_STATUSES,
    CreditList,
    EntryStatus,
    Ground,
    RemovalPath,
)
from ..models import EntryAnswer, ListEntry, ListEntryEvent
from ..signals import entry_decided
from ..workflow import CLERK, ENTRY_WORKFLOW, ORGANIZATION, entry_acts_as

S = EntryStatus


def _locked(entry: ListEntry) -> ListEntry:
    return ListEntry.objects.select_for_update().select_related("organization").get(pk=entry.pk)


def _from(entry: ListEntry, status: str, to: str) -> None:
    """Two moves reach "listed" (a confirmation, a refused removal): each only from its own
    status, so that one page cannot make the other's move."""
    if entry.status != status:
        raise ENTRY_WORKFLOW.refusal(entry, to)


def _required(value: str, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: message})
    return value


def _decided(entry: ListEntry, to_status: str, by, reason: str) -> None:
    entry_decided.send(sender=ListEntry, entry=entry, to_status=to_status, by=by, reason=reason)


def decision_text(*, facts: str, reasons: str, basis: str, rights: str) -> str:
    """R-CR-7: what the organization is told — the facts, the reasons, the basis and its rights —
    in one text, each part under its heading."""
    parts = (
        (gettext("Facts"), facts),
        (gettext("Reasons"), reasons),
        (gettext("Basis"), basis),
        (gettext("Rights"), rights),
    )
    separator = pgettext("label separator", ": ")
    return "\n".join(f"{heading}{separator}{text.strip()}" for heading, text in parts)


def _restart_terms(entry: ListEntry, day: datetime.date, by) -> None:
    """R-CR-6: a new ground confirmed while the organization is listed restarts the term of its
    listings on the same list; a new ground of either list restarts its serious-list terms too
    (R-CR-13 (a) asks for a term without any new ground)."""
    lists = [entry.credit_list, CreditList.SERIOUS]
    others = (
        ListEntry.objects.select_for_update()
        .filter(
            organization_id=entry.organization_id,
            credit_list__in=lists,
            status__in=ON_LIST_STATUSES,
        )
        .exclude(pk=entry.pk)
    )
    for other in others:
        if other.term_starts_on != day:
            other.term_starts_on = day
            other._history_user = by
            other.save()


@transaction.atomic
def entry_confirm(
    *,
    entry: ListEntry,
    by,
    decision_number: str,
    facts: str,
    reasons: str,
    basis: str,
    rights: str,
    expected_version: int | None = None,
) -> ListEntry:
    """The clerk lists the organization (R-CR-7): the decision's number and its text. A serious
    entry for the abnormal list's term (R-CR-11) takes every abnormal entry of the organization
    off that list, moved to this one. The term of its other listings restarts (R-CR-6)."""
    entry = _locked(entry)
    _from(entry, S.PROPOSED, S.LISTED)
    number = _required(decision_number, "decision_number", gettext("Give the decision number."))
    for name, value in (("facts", facts), ("reasons", reasons), ("basis", basis)):
        _required(value, name, gettext("Say this part of the decision."))
    _required(rights, "rights", gettext("Tell the organization its rights."))
    today = calendar.today()
    entry.decision_number = number
    entry.decision_text = decision_text(facts=facts, reasons=reasons, basis=basis, rights=rights)
    entry.listed_on = today
    entry.term_starts_on = today
    entry.decided_by = by
    ENTRY_WORKFLOW.move(
        entry, S.LISTED, by, reason=entry.decision_text, expected_version=expected_version
    )
    if entry.ground == Ground.ABNORMAL_TERM:
        _escalate(entry, by, today)
    _restart_terms(entry, today, by)
    _decided(entry, S.LISTED, by, entry.decision_text)
    return entry


def _escalate(serious: ListEntry, by, today: datetime.date) -> None:
    """R-CR-11: the organization leaves the abnormal list, moved to the serious one."""
    abnormal = ListEntry.objects.select_for_update().filter(
        organization_id=serious.organization_id,
        credit_list=CreditList.ABNORMAL,
        status__in=ON_LIST_STATUSES,
    )
    reason = gettext("Moved to the serious-violation list by decision %(number)s.") % {
        "number": serious.decision_number
    }
    for entry in abnormal:
        entry.escalated_to = serious
        entry.removed_on = today
        entry.removal_path = RemovalPath.ESCALATED
        entry.removal_reason = reason
        ENTRY_WORKFLOW.move(entry, S.ESCALATED, by, reason=reason)
        _decided(entry, S.ESCALATED, by, reason)


@transaction.atomic
def entry_propose(*, organization, ground: str, facts: str, by) -> ListEntry:
    """A clerk's own proposal (a ground no data shows: a court's defaulter list, a falsified
    change, a charity's fundraising case…), decided afterwards like the job's."""
    facts = _required(facts, "facts", gettext("Say what the proposal rests on."))
    if not entry_acts_as(by, CLERK, None):
        raise PermissionDenied(gettext("You may not take this step."))
    if organization.registration_ended_on is not None and ground != Ground.REVOKED:
        raise ValidationError(
            {"organization": gettext("The organization's registration has ended.")}
        )
    today = calendar.today()
    entry = ListEntry(
        organization=organization,
        credit_list=LIST_OF_GROUND[ground],
        ground=ground,
        evidence_key=f"clerk:{uuid.uuid4().hex}",
        evidence=[evidence.item(evidence.CLERK_NOTE, today, text=facts)],
        proposed_on=today,
        proposed_by_job=False,
    )
    entry._history_user = by
    entry.save()
    ENTRY_WORKFLOW.log(entry, by, from_status="", to_status=entry.status, reason=facts)
    return entry


@transaction.atomic
def entry_dismiss(
    *, entry: ListEntry, by, reason: str, expected_version: int | None = None
) -> ListEntry:
    """The clerk does not list (e.g. R-CR-5: a certificate that the organization is not directly
    responsible). The proposal stays, dismissed: the daily job does not propose its fact again."""
    entry = _locked(entry)
    reason = _required(reason, "reason", gettext("Give the reason for not listing."))
    entry.dismissal_reason = reason
    entry.decided_by = by
    ENTRY_WORKFLOW.move(entry, S.DISMISSED, by, reason=reason, expected_version=expected_version)
    return entry


def removal_request_problem(entry: ListEntry, today: datetime.date | None = None) -> str:
    """Why the organization cannot apply for removal now, or "" when it can: an entry that
    expires leaves by itself (R-CR-10); a serious entry after its term only (R-CR-13 (a))."""
    today = today or calendar.today()
    if rules.expires(entry):
        return gettext(
            "This listing needs no correction: it leaves the list by itself on %(date)s."
        ) % {"date": calendar.long_date(rules.expiry_date(entry))}
    term_end = rules.serious_term_end(entry)
    if term_end and today < term_end:
        return gettext(
            "Removal from the serious-violation list can be applied for from %(date)s, after the "
            "term without a new ground."
        ) % {"date": calendar.long_date(term_end)}
    return ""


@transaction.atomic
def entry_removal_request(
    *, entry: ListEntry, by, what_was_done: str, expected_version: int | None = None
) -> ListEntry:
    """The organization applies for removal, saying what it did (R-CR-9, R-CR-13 (a))."""
    entry = _locked(entry)
    text = _required(what_was_done, "what_was_done", gettext("Say what the organization has done."))
    if not entry_acts_as(by, ORGANIZATION, entry):
        raise PermissionDenied(gettext("You may not take this step."))
    problem = removal_request_problem(entry)
    if problem:
        raise ValidationError(problem, code="transition")
    entry.removal_requested_on = calendar.today()
    ENTRY_WORKFLOW.move(
        entry, S.REMOVAL_REQUESTED, by, reason=text, expected_version=expected_version
    )
    return entry


@transaction.atomic
def entry_removal_refuse(
    *, entry: ListEntry, by, reason: str, expected_version: int | None = None
) -> ListEntry:
    """The clerk refuses the removal request: the entry stays listed, with the reason."""
    entry = _locked(entry)
    _from(entry, S.REMOVAL_REQUESTED, S.LISTED)
    reason = _required(reason, "reason", gettext("Give the reason for refusing."))
    entry.removal_requested_on = None
    ENTRY_WORKFLOW.move(entry, S.LISTED, by, reason=reason, expected_version=expected_version)
    _decided(entry, S.LISTED, by, reason)
    return entry


def removal_paths(entry: ListEntry) -> list[str]:
    """The removal paths a clerk may choose for `entry` (its list and status)."""
    if entry.credit_list == CreditList.ABNORMAL:
        paths = [RemovalPath.CORRECTED] if entry.status == S.REMOVAL_REQUESTED else []
        if rules.expires(entry):
            paths.append(RemovalPath.EXPIRED)
    else:
        paths = [RemovalPath.SERIOUS_TERM] if entry.status == S.REMOVAL_REQUESTED else []
        paths.append(RemovalPath.DEREGISTERED)
    return [*paths, RemovalPath.ERROR]


def removal_problem(entry: ListEntry, path: str, verified_on, today: datetime.date) -> str:
    """Why `entry` cannot be removed by `path` today, or ""."""
    if path not in removal_paths(entry):
        return gettext("This way of removal does not apply to this listing.")
    if path in (RemovalPath.CORRECTED, RemovalPath.SERIOUS_TERM):
        if verified_on is None:
            return gettext("Give the day the facts were verified.")
        if verified_on > today or (
            entry.removal_requested_on and verified_on < entry.removal_requested_on
        ):
            return gettext("The facts are verified between the application and today.")
    if path == RemovalPath.EXPIRED and rules.expiry_date(entry) > today:
        return gettext("The term ends on %(date)s.") % {
            "date": calendar.long_date(rules.expiry_date(entry))
        }
    if path == RemovalPath.SERIOUS_TERM:
        if rules.serious_term_end(entry) > today:
            return gettext("The term ends on %(date)s.") % {
                "date": calendar.long_date(rules.serious_term_end(entry))
            }
        if new_ground_since(entry):
            return gettext("The organization was listed again during the term.")
    if (
        path == RemovalPath.DEREGISTERED
        and entry.organization.status != OrganizationStatus.DEREGISTERED
    ):
        return gettext("The organization's deregistration is not completed.")
    return ""


def new_ground_since(entry: ListEntry) -> bool:
    """R-CR-13 (a): another listing of the organization, on either list, since the term began."""
    return (
        ListEntry.objects.filter(
            organization_id=entry.organization_id, listed_on__gt=entry.term_starts_on
        )
        .exclude(pk=entry.pk)
        .exclude(escalated_to=entry)
        .exists()
    )


@transaction.atomic
def entry_remove(
    *,
    entry: ListEntry,
    by,
    path: str,
    reason: str,
    verified_on: datetime.date | None = None,
    expected_version: int | None = None,
) -> ListEntry:
    """The clerk removes the entry (移出): on application after the correction is verified
    (R-CR-9), at the term's end (R-CR-10), in error on objection (R-CR-8), after the serious
    term or the deregistration (R-CR-13)."""
    entry = _locked(entry)
    reason = _required(reason, "reason", gettext("Give the removal decision."))
    today = calendar.today()
    problem = removal_problem(entry, path, verified_on, today)
    if problem:
        raise ValidationError(problem, code="removal")
    entry.removal_verified_on = verified_on
    entry.removed_on = today
    entry.removal_path = path
    entry.removal_reason = reason
    entry.decided_by = by
    ENTRY_WORKFLOW.move(entry, S.REMOVED, by, reason=reason, expected_version=expected_version)
    _decided(entry, S.REMOVED, by, reason)
    return entry


@transaction.atomic
def entry_answer_submit(*, entry: ListEntry, by, kind: str, text: str) -> EntryAnswer:
    """The organization's statement or objection on one of its listings (R-CR-7, R-CR-8)."""
    entry = _locked(entry)
    text = _required(text, "text", gettext("Write what the organization says."))
    if not entry_acts_as(by, ORGANIZATION, entry):
        raise PermissionDenied(gettext("You may not take this step."))
    if entry.status not in ON_LIST_STATUSES:
        raise ValidationError(gettext("This listing has ended."), code="transition")
    return EntryAnswer.objects.create(entry=entry, kind=kind, text=text, submitted_by=by)


@transaction.atomic
def entry_answer_reply(*, answer: EntryAnswer, by, reply: str) -> EntryAnswer:
    """The clerk's reply to an answer."""
    answer = EntryAnswer.objects.select_for_update().select_related("entry").get(pk=answer.pk)
    reply = _required(reply, "reply", gettext("Write the reply."))
    if not entry_acts_as(by, CLERK, answer.entry):
        raise PermissionDenied(gettext("You may not take this step."))
    answer.reply, answer.replied_by, answer.replied_at = reply, by, timezone.now()
    answer.save(update_fields=["reply", "replied_by", "replied_at"])
    return answer


def entry_events(entry: ListEntry):
    return ListEntryEvent.objects.filter(entry=entry).select_related("actor")
