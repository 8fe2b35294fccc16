"""Registration workflow (R-REG-1..5): drafts, submission, consent, return, rejection, approval.

Every move goes through `_move`, that is the shared mover (core.workflow) with the registration
table (registry.workflow): the version the page showed, the move, the actor's right to make it,
an ApplicationEvent row."""

import hashlib
import re
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.db.models.functions import Substr
from django.utils import timezone
from django.utils.translation import gettext

from accounts.services import organization_user_ensure
from core import calendar
from core.concurrency import version_check_and_bump
from core.identity import mask_id_number

from ..bureau import bureau
from ..choices import ApplicationStatus as S
from ..choices import CertificateReason
from ..credit_codes import TYPE_DIGITS, make_credit_code, validate_credit_code
from ..models import (
    Application,
    ApplicationEvent,
    ApplicationMember,
    ApplicationSubmission,
    Organization,
    RegistrationTemplate,
)
from ..models.application import CLERK
from ..models.member import MEMBER_DETAIL_FIELDS
from ..signals import organization_registered
from ..workflow import APPLICATION_WORKFLOW, application_acts_as
from . import certificates, organization_create

BASIC_FIELDS = (
    "name",
    "organization_type",
    "industry",
    "direct_registration",
    "supervisory_unit",
    "legal_representative",
    "contact_person",
    "contact_phone",
    "address",
    "district",
    "street",
    "full_time_staff",
)


def _move(
    application: Application, to: str, by, reason: str = "", expected_version: int | None = None
) -> ApplicationEvent:
    if (application.status, to) == (S.SUBMITTED, S.APPROVED) and application.needs_consent:
        raise ValidationError(
            gettext(
                "The business supervisory unit gives its consent before the application "
                "can be approved."
            ),
            code="consent_first",
        )
    return APPLICATION_WORKFLOW.move(
        application, to, by, reason=reason, expected_version=expected_version
    )


def _locked(application: Application) -> Application:
    """Re-read the row under a lock: two clerks acting at once see each other's decision."""
    return Application.objects.select_for_update().get(pk=application.pk)


@transaction.atomic
def application_start(*, applicant) -> Application:
    """A new draft, its charter and pledge prefilled from the bureau's templates (R-REG-1/2)."""
    template = RegistrationTemplate.current()
    application = Application(
        applicant=applicant,
        charter_text=template.charter_template,
        pledge_text=template.pledge_text,
    )
    application._history_user = applicant
    application.save()
    return application


def _require_editable(application: Application, by) -> None:
    if by.pk != application.applicant_id:
        raise PermissionDenied(gettext("You can only change your own application."))
    if not application.is_editable:
        raise ValidationError(
            gettext(
                "The application has been submitted; it cannot be changed while it is reviewed."
            ),
            code="not_editable",
        )


@transaction.atomic
def application_save_step(
    *, application: Application, by, expected_version: int | None = None, **fields
) -> Application:
    """Keep what the applicant entered so far (the wizard's draft between visits); refused
    when the application changed since the step's page was built from `expected_version`."""
    application = _locked(application)
    _require_editable(application, by)
    version_check_and_bump(application, expected_version)
    if fields.get("name") and fields["name"] != application.name:
        template = RegistrationTemplate.current()
        # The name appears in the charter and the pledge: keep them in step with it, unless
        # the applicant has already edited the text (then only the old name is replaced).
        for attribute, text in (
            ("charter_text", template.charter_template),
            ("pledge_text", template.pledge_text),
        ):
            current = getattr(application, attribute)
            if not current or "{name}" in current:
                current = text
            elif application.name:
                current = current.replace(application.name, "{name}")
            setattr(application, attribute, current.replace("{name}", fields["name"]))
    for field, value in fields.items():
        setattr(application, field, value)
    if application.direct_registration:
        application.supervisory_unit = None
    application.full_clean()
    application._history_user = by
    application.save()
    return application


@transaction.atomic
def application_replace_members(
    *,
    application: Application,
    by,
    members: list[dict],
    no_party_members: bool,
    expected_version: int | None = None,
) -> Application:
    """The member form: its rows, or the explicit statement that there is none (R-REG-2)."""
    application = _locked(application)
    _require_editable(application, by)
    version_check_and_bump(application, expected_version)
    if members and no_party_members:
        raise ValidationError(
            gettext(
                "Party members are entered: the organization cannot also state that it has none."
            ),
            code="contradiction",
        )
    application.members.all().delete()
    for position, row in enumerate(members):
        member = ApplicationMember(
            application=application,
            position=position,
            **{k: row.get(k) for k in MEMBER_DETAIL_FIELDS if k in row},
        )
        member.full_clean(exclude=["application"])
        member.save()
    application.no_party_members = no_party_members
    application._history_user = by
    application.save()
    return application


def charter_has_clause(charter: str, clause: str) -> bool:
    """R-REG-1, ignoring white space and line breaks (people reflow text when they edit)."""
    squeeze = re.compile(r"\s+")
    return squeeze.sub("", clause) in squeeze.sub("", charter or "")


# The template's instructions to the applicant, e.g. （请填写本组织的宗旨）, （请逐项填写）.
PLACEHOLDER = re.compile(r"[（(]请[^（）()]*[）)]")


def charter_placeholders(charter: str) -> list[str]:
    """The template's fill-in instructions still in the charter, in order, each once."""
    return list(dict.fromkeys(PLACEHOLDER.findall(charter or "")))


@dataclass(frozen=True)
class Problem:
    """One thing that stops an application from being submitted: the wizard step (1 to 4)
    where the applicant puts it right, and the message saying what to do."""

    step: int
    message: str

    def __str__(self):
        return self.message


def application_problems(application: Application) -> list[Problem]:
    """What stops the application from being submitted, step by step."""
    problems = []
    labels = {f.name: str(f.verbose_name) for f in Application._meta.fields}
    required = [
        "name",
        "organization_type",
        "industry",
        "legal_representative",
        "contact_person",
        "contact_phone",
        "address",
        "district",
        "full_time_staff",
    ]
    for field in required:
        if getattr(application, field) in (None, ""):
            message = gettext("Step 1, basic information: fill in “%(field)s”.")
            problems.append(Problem(1, message % {"field": labels[field]}))
    if not application.direct_registration and not application.supervisory_unit_id:
        message = gettext(
            "Step 1, basic information: choose the business supervisory unit, or direct "
            "registration."
        )
        problems.append(Problem(1, message))
    clause = RegistrationTemplate.current().party_building_clause
    if not charter_has_clause(application.charter_text, clause):
        message = gettext(
            "Step 2, charter: the charter must contain the Party-building clause; put it back."
        )
        problems.append(Problem(2, message))
    if "{name}" in (application.charter_text or ""):
        message = gettext("Step 2, charter: the charter still contains “{name}”.")
        problems.append(Problem(2, message))
    if not (application.pledge_signed_by and application.pledge_signed_on):
        message = gettext(
            "Step 3, Party-building pledge: the legal representative signs it with his or her "
            "name and the date."
        )
        problems.append(Problem(3, message))
    elif application.pledge_signed_by.strip() != application.legal_representative.strip():
        message = gettext(
            "Step 3, Party-building pledge: the signatory must be the legal representative, "
            "“%(name)s”."
        )
        problems.append(Problem(3, message % {"name": application.legal_representative}))
    if not application.members.exists() and not application.no_party_members:
        message = gettext(
            "Step 4, Party members of the new organization: enter the Party members one by one, "
            "or state that the organization has none."
        )
        problems.append(Problem(4, message))
    return problems


def _member_key(id_number: str) -> str:
    # Snapshots compare members without keeping their ID numbers (R-ID-2: stored once).
    return hashlib.sha256(f"{settings.SECRET_KEY}:{id_number}".encode()).hexdigest()[:16]


def application_snapshot(application: Application) -> dict:
    """The application as submitted, in display form, for comparing submissions."""
    basic = {}
    for field in BASIC_FIELDS:
        value = getattr(application, field)
        basic[field] = str(value) if value not in (None, "") else ""
    for choice_field in ("organization_type",):
        basic[choice_field] = str(getattr(application, f"get_{choice_field}_display")())
    members = [
        {
            "key": _member_key(m.id_number),
            "name": m.name,
            "id_number": mask_id_number(m.id_number),
            "status": m.get_status_display(),
            "role": m.get_role_display(),
            "relationship": m.get_relationship_display(),
            "certificate_letter_on": m.certificate_letter_on.isoformat()
            if m.certificate_letter_on
            else "",
        }
        for m in application.members.all()
    ]
    return {
        "basic": basic,
        "charter_text": application.charter_text,
        "pledge": {
            "signed_by": application.pledge_signed_by,
            "signed_on": application.pledge_signed_on.isoformat()
            if application.pledge_signed_on
            else "",
        },
        "no_party_members": application.no_party_members,
        "members": members,
    }


@transaction.atomic
def application_submit(
    *, application: Application, by, expected_version: int | None = None
) -> Application:
    """Submit (or resubmit after a return): complete, then frozen until reviewed. Refused
    when someone changed it (say, a clerk returned it) since the page showed `expected_version`."""
    application = _locked(application)
    version_check_and_bump(application, expected_version)
    problems = application_problems(application)
    if problems:
        raise ValidationError([problem.message for problem in problems], code="incomplete")
    number = application.submissions.count() + 1
    now = timezone.now()
    ApplicationSubmission.objects.create(
        application=application,
        number=number,
        submitted_at=now,
        snapshot=application_snapshot(application),
    )
    application.submitted_at = now
    _move(
        application,
        S.SUBMITTED,
        by,
        reason="" if number == 1 else gettext("Submission %(number)d") % {"number": number},
        expected_version=expected_version,
    )
    return application


def _move_saying_why(
    application: Application,
    to: str,
    by,
    text: str,
    *,
    kept_in: str,
    missing: ValidationError,
    expected_version: int | None,
    **other_changes,
) -> Application:
    """A review step that must say why: `text` (refused with `missing` when empty) is kept in
    the field `kept_in`, saved with `other_changes`, and is the event's reason."""
    application = _locked(application)
    version_check_and_bump(application, expected_version)
    if not text.strip():
        raise missing
    for field, value in {kept_in: text.strip(), **other_changes}.items():
        setattr(application, field, value)
    _move(application, to, by, text.strip(), expected_version)
    return application


@transaction.atomic
def application_consent(
    *, application: Application, by, opinion: str, expected_version: int | None = None
) -> Application:
    """The supervisory unit's consent, recorded before the clerk may approve."""
    return _move_saying_why(
        application,
        S.CONSENTED,
        by,
        opinion,
        missing=ValidationError(
            gettext("Give the business supervisory unit's opinion."), code="opinion"
        ),
        expected_version=expected_version,
        kept_in="supervisory_opinion",
    )


@transaction.atomic
def application_return(
    *, application: Application, by, remarks: str, expected_version: int | None = None
) -> Application:
    """Back to the applicant for correction, saying what to correct."""
    return _move_saying_why(
        application,
        S.RETURNED,
        by,
        remarks,
        missing=ValidationError(
            gettext("Say what to correct when returning the application."), code="remarks"
        ),
        expected_version=expected_version,
        kept_in="remarks",
    )


@transaction.atomic
def application_reject(
    *, application: Application, by, reason: str, expected_version: int | None = None
) -> Application:
    """Registration refused, for the reason given (kept in the remarks)."""
    return _move_saying_why(
        application,
        S.REJECTED,
        by,
        reason,
        missing=ValidationError(
            gettext("Give the reason for refusing registration."), code="reason"
        ),
        expected_version=expected_version,
        kept_in="remarks",
        decided_at=timezone.now(),
    )


def credit_code_propose(*, organization_type: str) -> str:
    """R-REG-5: the next free code of the bureau's series: authority 5, the type digit, the
    region, the prefix and a sequence, with both check characters."""
    profile = bureau()
    region, prefix = profile.region_code, profile.organization_code_prefix
    width = 8 - len(prefix)
    # Organization codes are unique whatever the type digit, so the series spans all types.
    in_series = Q()
    for digit in ("1", "2", "3", "9"):
        in_series |= Q(credit_code__startswith=f"5{digit}{region}{prefix}")
    start = 9 + len(prefix)  # 1-based position of the sequence in the code
    highest = Organization.objects.filter(in_series).aggregate(
        top=Max(Substr("credit_code", start, width))
    )["top"]
    sequence = int(highest) + 1 if highest and highest.isdigit() else 1
    while True:
        code = make_credit_code(
            type_digit=TYPE_DIGITS[organization_type],
            region=region,
            organization_code_body=f"{prefix}{sequence:0{width}d}",
        )
        if not Organization.objects.filter(credit_code__startswith=code[:16]).exists():
            return code
        sequence += 1


@transaction.atomic
def application_approve(
    *,
    application: Application,
    by,
    credit_code: str = "",
    registered_on=None,
    expected_version: int | None = None,
) -> Organization:
    """Approve: the registry creates the organization with its credit code (R-REG-5), gives the
    applicant an organization account (credit code as username, same password), and sends
    `organization_registered`, on which the Party-building app files the member form (R-REG-3)."""
    application = _locked(application)
    version_check_and_bump(application, expected_version)
    if APPLICATION_WORKFLOW.actors(application, S.APPROVED) is None:
        _move(application, S.APPROVED, by)  # raises the explanatory error
    if not application_acts_as(by, CLERK, application):
        raise PermissionDenied(gettext("Only the registration authority approves registrations."))
    code = credit_code.strip() if credit_code else ""
    if code:
        code = validate_credit_code(code, organization_type=application.organization_type)
    else:
        code = credit_code_propose(organization_type=application.organization_type)
    registered_on = registered_on or calendar.today()
    organization = organization_create(
        by=by,
        name=application.name,
        credit_code=code,
        organization_type=application.organization_type,
        industry=application.industry,
        supervisory_unit=application.supervisory_unit,
        legal_representative=application.legal_representative,
        contact_person=application.contact_person,
        contact_phone=application.contact_phone,
        address=application.address,
        district=application.district,
        street=application.street,
        full_time_staff=application.full_time_staff or 0,
        established_on=registered_on,
        registered_on=registered_on,
    )
    application.organization = organization
    application.decided_at = timezone.now()
    _move(
        application,
        S.APPROVED,
        by,
        reason=gettext("Unified social credit code %(code)s") % {"code": code},
        expected_version=expected_version,
    )
    organization_user_ensure(
        organization=organization,
        encoded_password=application.applicant.password,
        by=by,
        how=gettext("registration approval"),
    )
    # R-CERT-1: the certificates go with the approval.
    certificates.issue_with_decision(
        organization=organization,
        by=by,
        reason=CertificateReason.REGISTRATION,
        issued_on=registered_on,
    )
    organization_registered.send(
        sender=Organization, organization=organization, application=application, by=by
    )
    return organization
