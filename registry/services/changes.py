"""Change registration (变更登记) and charter amendments (章程核准), R-CHG-1..7 of docs/domain.md.

Every move goes through the shared mover (core.workflow) with the change table
(registry.change_workflow). Approval writes the change to the organization through
`organization_update`, so its history, the audit log, the Party-building standing and the
ledger follow, and sends `organization_changed` for the Party-building app (R-CHG-6)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from core import calendar
from core.concurrency import version_check_and_bump

from ..change_workflow import APPLICANT, CHANGE_WORKFLOW, CLERK, change_acts_as
from ..choices import ChangeKind, OrganizationStatus
from ..choices import ChangeStatus as S
from ..models import ChangeApplication, ChangeSubmission, Organization, RegistrationTemplate
from ..models.change import CHANGE_ITEMS
from ..signals import organization_changed
from . import organization_update
from .change_problems import (  # noqa: F401  (the wizard and the pages import them from here)
    CHARTER,
    ITEMS,
    PLEDGE,
    VALUES,
    ChangeProblem,
    change_problems,
    current_charter,
)

OPEN = (S.DRAFT, S.SUBMITTED, S.CONSENTED, S.FILED, S.RETURNED)


def _locked(change: ChangeApplication) -> ChangeApplication:
    return ChangeApplication.objects.select_for_update().get(pk=change.pk)


def _require_applicant(change: ChangeApplication, by) -> None:
    if not change_acts_as(by, APPLICANT, change):
        raise PermissionDenied(gettext("You can only change your own organization's application."))


def _require_editable(change: ChangeApplication, by) -> None:
    _require_applicant(change, by)
    if not change.is_editable:
        raise ValidationError(
            gettext(
                "The application has been submitted; it cannot be changed while it is reviewed."
            ),
            code="not_editable",
        )


@transaction.atomic
def change_start(*, organization: Organization, by, kind: str) -> ChangeApplication:
    """A new draft of `kind` for the organization, or the one of that kind still open (one at
    a time: two open changes of one item could not both be decided on the same values). A
    charter amendment starts from the charter in force."""
    if kind not in ChangeKind.values:
        raise ValidationError(gettext("Choose what the application is for."), code="kind")
    probe = ChangeApplication(organization=organization, kind=kind)
    _require_applicant(probe, by)
    if organization.status != OrganizationStatus.ACTIVE:
        raise ValidationError(
            gettext("Only an active organization can apply for a change."), code="inactive"
        )
    Organization.objects.select_for_update().filter(pk=organization.pk).first()
    existing = (
        ChangeApplication.objects.filter(organization=organization, kind=kind, status__in=OPEN)
        .order_by("-pk")
        .first()
    )
    if existing is not None:
        return existing
    change = ChangeApplication(
        organization=organization,
        applicant=by,
        kind=kind,
        charter_text=current_charter(organization) if kind == ChangeKind.CHARTER else "",
    )
    change._history_user = by
    change.save()
    return change


@transaction.atomic
def change_save_step(
    *, change: ChangeApplication, by, expected_version: int | None = None, **fields
) -> ChangeApplication:
    """Keep what the organization entered so far (the wizard's draft between visits)."""
    change = _locked(change)
    _require_editable(change, by)
    version_check_and_bump(change, expected_version)
    unknown = [item for item in fields.get("items", ()) if item not in CHANGE_ITEMS]
    if unknown or (change.is_charter and fields.get("items")):
        raise ValidationError(
            gettext("Step 1, items changed: choose among the registered items listed."),
            code="items",
        )
    for field, value in fields.items():
        setattr(change, field, value)
    if change.direct_registration:
        change.supervisory_unit = None
    if change.changes_legal_representative and "legal_representative" in fields:
        template = RegistrationTemplate.current()
        name = change.name if "name" in change.items and change.name else None
        change.pledge_text = template.pledge_text.replace(
            "{name}", name or change.organization.name
        )
    change.full_clean()
    change._history_user = by
    change.save()
    return change


def _display(value) -> str:
    return "" if value in (None, "") else str(value)


def item_values(change: ChangeApplication, source) -> dict[str, str]:
    """{item: value in display form} of the change's items, read from `source` (the change
    for the new values, the organization for the current ones)."""
    values = {}
    for item in change.items:
        if item == "supervisory_unit" and source is change and change.direct_registration:
            values[item] = gettext("none (direct registration)")
            continue
        if item == "residence":
            values[item] = _residence(source)
            continue
        values[item] = _display(getattr(source, CHANGE_ITEMS[item][0]))
    return values


def _residence(source) -> str:
    """The district and street, then the address ("district street · address"), as the
    portal's organization page shows a residence: a street's own display names its district
    too, so the three fields run together repeated the district."""
    where = "".join(
        part
        for part in (_display(source.district), source.street.name if source.street_id else "")
        if part
    )
    return " · ".join(part for part in (where, _display(source.address)) if part)


def change_snapshot(change: ChangeApplication) -> dict:
    """The application as submitted, in display form, for comparing submissions."""
    return {
        "kind": change.kind,
        "reason": change.reason,
        "items": item_values(change, change),
        "charter_text": change.charter_text if change.is_charter else "",
        "pledge": {
            "signed_by": change.pledge_signed_by,
            "signed_on": change.pledge_signed_on.isoformat() if change.pledge_signed_on else "",
        },
    }


@transaction.atomic
def change_submit(
    *, change: ChangeApplication, by, expected_version: int | None = None
) -> ChangeApplication:
    """Submit (or resubmit after a return): to the organization's supervisory unit for its
    consent, or, for an organization without one, filed with the registration authority."""
    change = _locked(change)
    _require_applicant(change, by)
    version_check_and_bump(change, expected_version)
    problems = change_problems(change)
    if problems:
        raise ValidationError([problem.message for problem in problems], code="incomplete")
    now = timezone.now()
    ChangeSubmission.objects.create(
        change=change,
        number=change.submissions.count() + 1,
        submitted_at=now,
        snapshot=change_snapshot(change),
    )
    change.submitted_at = now
    change.consenting_unit_id = change.organization.supervisory_unit_id
    change.consented_on = None
    change.supervisory_opinion = ""
    if change.needs_consent:
        CHANGE_WORKFLOW.move(change, S.SUBMITTED, by, expected_version=expected_version)
    else:
        change.filed_on, change.filed_late = calendar.today(), False
        CHANGE_WORKFLOW.move(change, S.FILED, by, expected_version=expected_version)
    return change


def _move_saying_why(change, to, by, text, *, missing, kept_in, expected_version, **other):
    change = _locked(change)
    version_check_and_bump(change, expected_version)
    if not text.strip():
        raise missing
    for field, value in {kept_in: text.strip(), **other}.items():
        setattr(change, field, value)
    CHANGE_WORKFLOW.move(change, to, by, reason=text.strip(), expected_version=expected_version)
    return change


@transaction.atomic
def change_consent(
    *, change: ChangeApplication, by, opinion: str, expected_version: int | None = None
) -> ChangeApplication:
    """The supervisory unit's consent (审查同意): the filing deadline runs from today (R-CHG-3)."""
    return _move_saying_why(
        change,
        S.CONSENTED,
        by,
        opinion,
        missing=ValidationError(
            gettext("Give the business supervisory unit's opinion."), code="opinion"
        ),
        kept_in="supervisory_opinion",
        expected_version=expected_version,
        consented_on=calendar.today(),
    )


@transaction.atomic
def change_file(
    *, change: ChangeApplication, by, expected_version: int | None = None
) -> ChangeApplication:
    """The organization files the consented application with the registration authority. Late
    filing is accepted and marked late (R-CHG-3)."""
    change = _locked(change)
    version_check_and_bump(change, expected_version)
    today = calendar.today()
    deadline = change.file_by()
    change.filed_on = today
    change.filed_late = bool(deadline and today > deadline)
    reason = ""
    if change.filed_late:
        reason = gettext("Filed after the deadline of %(date)s.") % {"date": deadline.isoformat()}
    CHANGE_WORKFLOW.move(change, S.FILED, by, reason=reason, expected_version=expected_version)
    return change


@transaction.atomic
def change_return(
    *, change: ChangeApplication, by, remarks: str, expected_version: int | None = None
) -> ChangeApplication:
    """Back to the organization for correction, saying what to correct."""
    return _move_saying_why(
        change,
        S.RETURNED,
        by,
        remarks,
        missing=ValidationError(
            gettext("Say what to correct when returning the application."), code="remarks"
        ),
        kept_in="remarks",
        expected_version=expected_version,
    )


@transaction.atomic
def change_reject(
    *, change: ChangeApplication, by, reason: str, expected_version: int | None = None
) -> ChangeApplication:
    """Refused (by the supervisory unit before consent, or by the clerk), for the reason given."""
    return _move_saying_why(
        change,
        S.REJECTED,
        by,
        reason,
        missing=ValidationError(gettext("Give the reason for refusing."), code="reason"),
        kept_in="remarks",
        expected_version=expected_version,
        decided_at=timezone.now(),
    )


def organization_changes(change: ChangeApplication) -> dict:
    """The Organization fields the approved change writes, with their new values."""
    changes = {}
    for item in change.items:
        for field in CHANGE_ITEMS[item]:
            changes[field] = getattr(change, field)
    if "residence" in change.items and "street" not in changes:
        changes["street"] = None
    return changes


@transaction.atomic
def change_approve(
    *,
    change: ChangeApplication,
    by,
    party_building_body=None,
    expected_version: int | None = None,
) -> ChangeApplication:
    """Approve: the change is written to the organization through its service (history,
    audit, standings, ledger follow: R-CHG-4); a charter amendment becomes the charter in force.
    `party_building_body`: where the organization's Party-building responsibility lies after
    the change (R-CHG-6), unchanged when None."""
    change = _locked(change)
    version_check_and_bump(change, expected_version)
    if CHANGE_WORKFLOW.actors(change, S.APPROVED) is None:
        raise CHANGE_WORKFLOW.refusal(change, S.APPROVED)
    if not change_acts_as(by, CLERK, change):
        raise PermissionDenied(gettext("Only the registration authority approves changes."))
    organization = Organization.objects.select_for_update().get(pk=change.organization_id)
    if organization.status != OrganizationStatus.ACTIVE:
        raise ValidationError(
            gettext("The organization is no longer active: the change cannot be approved."),
            code="inactive",
        )
    before = item_values(change, organization)
    previous_body = organization.party_building_body
    fields = {} if change.is_charter else organization_changes(change)
    if party_building_body is not None and party_building_body != organization.party_building_body:
        fields["party_building_body"] = party_building_body
        change.party_building_body = party_building_body
    if fields:
        try:
            organization_update(organization=organization, by=by, **fields)
        except ValidationError as error:
            raise ValidationError(
                gettext("The change cannot be written to the organization: %(errors)s")
                % {"errors": "; ".join(error.messages)},
                code="organization",
            ) from error
    change.previous_values = before
    change.decided_at = timezone.now()
    CHANGE_WORKFLOW.move(change, S.APPROVED, by, expected_version=expected_version)
    after = item_values(change, organization)
    organization_changed.send(
        sender=Organization,
        organization=organization,
        change=change,
        changed={item: (before[item], after[item]) for item in change.items},
        by=by,
        previous_party_building_body=previous_body,
    )
    return change
