"""The end of an organization's registration (R-DEREG-1..9): the organization's application for
deregistration (注销登记) with its liquidation, the supervisory unit's consent, the clerk's
decision with the certificate and seal returned (收缴); and the clerk's revocation (撤销登记).

Every move goes through the shared mover (core.workflow) with the table in registry.workflow.
The Party-building side is asked through the `deregistration_blockers` signal (partybuilding
answers, the registry never imports it) and told through `organization_registration_ended`."""

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext

from core import calendar
from core.concurrency import version_check_and_bump

from ..choices import DeregistrationKind, OrganizationStatus
from ..choices import DeregistrationStatus as S
from ..models import Deregistration, Organization
from ..models.application import APPLICANT
from ..models.deregistration import OPEN_STATUSES
from ..signals import deregistration_blockers, organization_registration_ended
from ..workflow import DEREGISTRATION_WORKFLOW, deregistration_acts_as
from . import organization_update

# The wizard's steps, numbered as the problems name them.
REASON_STEP, LIQUIDATION_STEP, REVIEW_STEP = 1, 2, 3
REASON_FIELDS = ("reason", "reason_details", "resolved_on")
LIQUIDATION_FIELDS = (
    "liquidation_group",
    "liquidation_started_on",
    "liquidation_ended_on",
    "liquidation_report",
    "remaining_assets",
)
STEP_FIELDS = {REASON_STEP: REASON_FIELDS, LIQUIDATION_STEP: LIQUIDATION_FIELDS}


@dataclass(frozen=True)
class Problem:
    """One thing that stops the application from being submitted: the wizard step where the
    applicant puts it right, the field, and the message."""

    step: int
    field: str
    message: str

    def __str__(self):
        return self.message


def _locked(deregistration: Deregistration) -> Deregistration:
    return Deregistration.objects.select_for_update().get(pk=deregistration.pk)


def _organization_locked(organization: Organization) -> Organization:
    return Organization.objects.select_for_update().get(pk=organization.pk)


def _require_active(organization: Organization) -> None:
    if organization.status != OrganizationStatus.ACTIVE:
        raise ValidationError(
            gettext("The registration of %(name)s has already ended.")
            % {"name": organization.name},
            code="transition",
        )


def _require_no_open(organization: Organization) -> None:
    if organization.deregistrations.filter(status__in=OPEN_STATUSES).exists():
        raise ValidationError(
            gettext("This organization already has a deregistration under way."),
            code="transition",
        )


# --- The organization's application ------------------------------------------------------------


@transaction.atomic
def deregistration_start(*, organization: Organization, by) -> Deregistration:
    """A new draft for `organization`, by one of its own users; refused while one is under way
    or once its registration has ended."""
    organization = _organization_locked(organization)
    draft = Deregistration(organization=organization, applicant=by)
    if not deregistration_acts_as(by, APPLICANT, draft):
        raise PermissionDenied(gettext("Only the organization itself applies for deregistration."))
    _require_active(organization)
    _require_no_open(organization)
    draft.supervisory_unit_id = organization.supervisory_unit_id
    draft._history_user = by
    draft.save()
    return draft


def _require_editable(deregistration: Deregistration, by) -> None:
    if not deregistration_acts_as(by, APPLICANT, deregistration):
        raise PermissionDenied(gettext("You can only change your own organization's application."))
    if not deregistration.is_editable:
        raise ValidationError(
            gettext(
                "The application has been submitted; it cannot be changed while it is reviewed."
            ),
            code="not_editable",
        )


@transaction.atomic
def deregistration_save_step(
    *, deregistration: Deregistration, by, expected_version: int | None = None, **fields
) -> Deregistration:
    """Keep what the organization entered on one step (the wizard's draft between visits);
    refused when the record changed since the page showed `expected_version`. Each field is
    checked as the model checks it, so nothing wrong is kept."""
    deregistration = _locked(deregistration)
    _require_editable(deregistration, by)
    allowed = set(REASON_FIELDS) | set(LIQUIDATION_FIELDS)
    unknown = set(fields) - allowed
    if unknown:
        raise ValueError(f"not a field of the application: {sorted(unknown)}")
    version_check_and_bump(deregistration, expected_version)
    for name, value in fields.items():
        setattr(deregistration, name, value)
    deregistration.full_clean(exclude=["organization", "applicant", "supervisory_unit"])
    deregistration._history_user = by
    deregistration.save()
    return deregistration


def deregistration_problems(
    deregistration: Deregistration, *, today: datetime.date | None = None
) -> list[Problem]:
    """What stops the application from being submitted, step by step (R-DEREG-1, R-DEREG-3)."""
    today = today or calendar.today()
    d = deregistration
    problems = []
    if not d.reason:
        problems.append(Problem(REASON_STEP, "reason", gettext("Choose the reason.")))
    if not d.reason_details.strip():
        problems.append(
            Problem(REASON_STEP, "reason_details", gettext("Explain the reason in a few words."))
        )
    if d.resolved_on is None:
        problems.append(
            Problem(REASON_STEP, "resolved_on", gettext("Give the date of the resolution."))
        )
    if not d.liquidation_group.strip():
        problems.append(
            Problem(
                LIQUIDATION_STEP,
                "liquidation_group",
                gettext("Name the members of the liquidation group."),
            )
        )
    if d.liquidation_started_on is None:
        problems.append(
            Problem(
                LIQUIDATION_STEP,
                "liquidation_started_on",
                gettext("Give the date the liquidation started."),
            )
        )
    if d.liquidation_ended_on is None:
        problems.append(
            Problem(
                LIQUIDATION_STEP,
                "liquidation_ended_on",
                gettext(
                    "Give the date the liquidation ended: deregistration is applied for "
                    "after the liquidation."
                ),
            )
        )
    elif d.liquidation_ended_on > today:
        problems.append(
            Problem(
                LIQUIDATION_STEP,
                "liquidation_ended_on",
                gettext("The liquidation has not ended yet: apply after it has ended."),
            )
        )
    if d.resolved_on and d.liquidation_started_on and d.liquidation_started_on < d.resolved_on:
        problems.append(
            Problem(
                LIQUIDATION_STEP,
                "liquidation_started_on",
                gettext("The liquidation cannot start before the resolution to terminate."),
            )
        )
    if not d.liquidation_report.strip():
        problems.append(
            Problem(
                LIQUIDATION_STEP,
                "liquidation_report",
                gettext("Summarize the liquidation report."),
            )
        )
    if not d.remaining_assets.strip():
        problems.append(
            Problem(
                LIQUIDATION_STEP,
                "remaining_assets",
                gettext("Say how the remaining assets are disposed of."),
            )
        )
    return problems


def is_late(deregistration: Deregistration, applied_on: datetime.date) -> bool:
    """R-DEREG-4: applied after the deadline that follows the end of the liquidation."""
    deadline = deregistration.application_deadline()
    return deadline is not None and applied_on > deadline


@transaction.atomic
def deregistration_submit(
    *, deregistration: Deregistration, by, expected_version: int | None = None
) -> Deregistration:
    """Submit (or resubmit after a return): complete, then frozen until reviewed. A late
    application is accepted and marked late (R-DEREG-4)."""
    deregistration = _locked(deregistration)
    version_check_and_bump(deregistration, expected_version)
    _require_editable(deregistration, by)
    problems = deregistration_problems(deregistration)
    if problems:
        raise ValidationError([problem.message for problem in problems], code="incomplete")
    # The day it was first filed counts: a correction after a return does not make it late.
    deregistration.submitted_on = deregistration.submitted_on or calendar.today()
    deregistration.late = is_late(deregistration, deregistration.submitted_on)
    # The consent is asked of the organization's supervisory unit as it is now.
    deregistration.supervisory_unit_id = deregistration.organization.supervisory_unit_id
    DEREGISTRATION_WORKFLOW.move(deregistration, S.SUBMITTED, by, expected_version=expected_version)
    return deregistration


# --- Review --------------------------------------------------------------------------------------


def _move_saying_why(
    deregistration, to, by, text, *, kept_in, missing, expected_version, **other_changes
):
    deregistration = _locked(deregistration)
    version_check_and_bump(deregistration, expected_version)
    text = (text or "").strip()
    if not text:
        raise missing
    setattr(deregistration, kept_in, text)
    for name, value in other_changes.items():
        setattr(deregistration, name, value)
    DEREGISTRATION_WORKFLOW.move(
        deregistration, to, by, reason=text, expected_version=expected_version
    )
    return deregistration


@transaction.atomic
def deregistration_consent(*, deregistration, by, opinion: str, expected_version=None):
    """R-DEREG-2: the supervisory unit's consent, before the clerk may decide."""
    return _move_saying_why(
        deregistration,
        S.CONSENTED,
        by,
        opinion,
        kept_in="supervisory_opinion",
        missing=ValidationError(
            gettext("Give the business supervisory unit's opinion."), code="opinion"
        ),
        expected_version=expected_version,
        consented_on=calendar.today(),
    )


@transaction.atomic
def deregistration_return(*, deregistration, by, remarks: str, expected_version=None):
    """Back to the organization for correction, saying what to correct."""
    return _move_saying_why(
        deregistration,
        S.RETURNED,
        by,
        remarks,
        kept_in="remarks",
        missing=ValidationError(
            gettext("Say what to correct when returning the application."), code="remarks"
        ),
        expected_version=expected_version,
    )


@transaction.atomic
def deregistration_reject(*, deregistration, by, reason: str, expected_version=None):
    """Refuse the deregistration, saying why; the organization stays registered."""
    return _move_saying_why(
        deregistration,
        S.REJECTED,
        by,
        reason,
        kept_in="decision_reason",
        missing=ValidationError(gettext("Say why deregistration is refused."), code="reason"),
        expected_version=expected_version,
        decided_on=calendar.today(),
        decided_by=by,
    )


def party_building_blockers(organization: Organization, on: datetime.date) -> list[str]:
    """R-DEREG-5: what the Party-building records still hold open for `organization` (its own
    Party organization not dissolved or transferred, members not transferred out), as the
    receivers of `deregistration_blockers` answer."""
    blockers = []
    for _receiver, answer in deregistration_blockers.send(
        sender=Organization, organization=organization, on=on
    ):
        blockers.extend(answer or [])
    return blockers


def _check_decision_dates(
    deregistration, *, decided_on, certificate_returned_on, seal_returned_on, required: bool
) -> None:
    errors = {}
    today = calendar.today()
    if decided_on is None:
        errors["decided_on"] = gettext("Give the date of the decision.")
    elif decided_on > today:
        errors["decided_on"] = gettext("The decision cannot be dated in the future.")
    elif decided_on < deregistration.organization.registered_on:
        errors["decided_on"] = gettext(
            "The registration cannot end before the organization was registered."
        )
    elif deregistration.submitted_on and decided_on < deregistration.submitted_on:
        errors["decided_on"] = gettext("The decision cannot precede the application.")
    for name, value in (
        ("certificate_returned_on", certificate_returned_on),
        ("seal_returned_on", seal_returned_on),
    ):
        if value is None:
            if required:
                errors[name] = gettext("Record the date the registration authority took it back.")
        elif value > today:
            errors[name] = gettext("This date cannot be in the future.")
    if errors:
        raise ValidationError(errors)


def _end_registration(deregistration, *, by, decided_on, status) -> None:
    organization = _organization_locked(deregistration.organization)
    _require_active(organization)
    organization_update(
        organization=organization,
        by=by,
        status=status,
        registration_ended_on=decided_on,
    )
    deregistration.organization = organization
    organization_registration_ended.send(
        sender=Organization,
        organization=organization,
        deregistration=deregistration,
        on=decided_on,
        by=by,
    )


@transaction.atomic
def deregistration_complete(
    *,
    deregistration: Deregistration,
    by,
    decided_on: datetime.date,
    certificate_returned_on: datetime.date | None,
    seal_returned_on: datetime.date | None,
    returns_note: str = "",
    expected_version: int | None = None,
) -> Deregistration:
    """The clerk's decision to deregister (R-DEREG-5, R-DEREG-6): refused while the
    Party-building records hold anything open, and unless the certificate and the seal are
    recorded as returned. The organization is then deregistered from `decided_on`."""
    deregistration = _locked(deregistration)
    version_check_and_bump(deregistration, expected_version)
    if DEREGISTRATION_WORKFLOW.actors(deregistration, S.COMPLETED) is None:
        raise DEREGISTRATION_WORKFLOW.refusal(deregistration, S.COMPLETED)
    _check_decision_dates(
        deregistration,
        decided_on=decided_on,
        certificate_returned_on=certificate_returned_on,
        seal_returned_on=seal_returned_on,
        required=True,
    )
    blockers = party_building_blockers(deregistration.organization, decided_on)
    if blockers:
        raise ValidationError(
            [
                gettext(
                    "The Party-building records must be settled before the deregistration: %(what)s"
                )
                % {"what": blocker}
                for blocker in blockers
            ],
            code="party_building",
        )
    deregistration.decided_on = decided_on
    deregistration.decided_by = by
    deregistration.certificate_returned_on = certificate_returned_on
    deregistration.seal_returned_on = seal_returned_on
    deregistration.returns_note = returns_note.strip()
    DEREGISTRATION_WORKFLOW.move(deregistration, S.COMPLETED, by, expected_version=expected_version)
    _end_registration(
        deregistration, by=by, decided_on=decided_on, status=OrganizationStatus.DEREGISTERED
    )
    return deregistration


@transaction.atomic
def revocation_decide(
    *,
    organization: Organization,
    by,
    decided_on: datetime.date,
    decision_reason: str,
    certificate_returned_on: datetime.date | None = None,
    seal_returned_on: datetime.date | None = None,
    returns_note: str = "",
    expected_version: int | None = None,
) -> Deregistration:
    """R-DEREG-9: the registration authority revokes the registration (撤销登记), e.g. of an
    organization on the annual-check revocation review list. Recorded as a deregistration is:
    the decision, its grounds, date and author, the events, the returns, the notice. The
    certificate and seal may still be outstanding (a revoked organization does not always hand
    them in); the Party-building records are told the same way. `expected_version` is the
    organization's, as the page showed it."""
    organization = _organization_locked(organization)
    version_check_and_bump(organization, expected_version)
    _require_active(organization)
    _require_no_open(organization)
    reason = (decision_reason or "").strip()
    revocation = Deregistration(
        organization=organization,
        kind=DeregistrationKind.REVOCATION,
        supervisory_unit_id=organization.supervisory_unit_id,
    )
    if not deregistration_acts_as(by, "clerk", revocation):
        raise PermissionDenied(gettext("You may not take this step."))
    if not reason:
        raise ValidationError({"decision_reason": gettext("Give the grounds of the revocation.")})
    _check_decision_dates(
        revocation,
        decided_on=decided_on,
        certificate_returned_on=certificate_returned_on,
        seal_returned_on=seal_returned_on,
        required=False,
    )
    revocation.decision_reason = reason
    revocation.decided_on = decided_on
    revocation.decided_by = by
    revocation.certificate_returned_on = certificate_returned_on
    revocation.seal_returned_on = seal_returned_on
    revocation.returns_note = returns_note.strip()
    revocation._history_user = by
    revocation.save()
    DEREGISTRATION_WORKFLOW.move(revocation, S.COMPLETED, by, reason=reason)
    _end_registration(revocation, by=by, decided_on=decided_on, status=OrganizationStatus.REVOKED)
    return revocation
