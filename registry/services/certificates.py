"""Registration certificates (R-CERT-1..5 of docs/domain.md): issued at registration, reissued
when what they record changes (the old pair withdrawn), withdrawn (收缴) at deregistration or
revocation. Every issue and withdrawal is a `CertificateEvent` and an audit record."""

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext, gettext_lazy

from audit.choices import AuditAction
from audit.services import audit_record
from core import calendar

from ..bureau import bureau
from ..certificate_selectors import may_issue_certificates
from ..choices import CertificateKind, CertificateReason, CertificateStatus, OrganizationStatus
from ..models import Certificate, CertificateEvent, Organization

ISSUE_REASONS = (
    CertificateReason.REGISTRATION,
    CertificateReason.CHANGE,
    CertificateReason.EXPIRY,
    CertificateReason.LOST,
    CertificateReason.DAMAGED,
)
WITHDRAWAL_REASONS = (CertificateReason.DEREGISTRATION, CertificateReason.REVOCATION)


def valid_until(issued_on: datetime.date) -> datetime.date:
    """The last day of validity: the day before the same date `CERTIFICATE_VALIDITY_YEARS`
    later (29 February becoming 28 February in a common year)."""
    years = settings.REGISTRY["CERTIFICATE_VALIDITY_YEARS"]
    try:
        anniversary = issued_on.replace(year=issued_on.year + years)
    except ValueError:
        anniversary = issued_on.replace(year=issued_on.year + years, day=28)
    return anniversary - datetime.timedelta(days=1)


def _may_issue(user) -> bool:
    # None: a command, or another service's decision that already checked its clerk.
    return user is None or may_issue_certificates(user)


@transaction.atomic
def certificates_issue(
    *,
    organization: Organization,
    by,
    reason: str,
    remarks: str = "",
    issued_on: datetime.date | None = None,
    expected_serials: list[str] | None = None,
) -> list[Certificate]:
    """Issue a new original and duplicate recording the organization as it stands; the valid
    pair before them, if any, is withdrawn for the same reason and points to its successor
    (R-CERT-3). Only a clerk with the right issues; only an active organization gets one.
    `expected_serials`, the valid certificates the clerk's page showed, refuses a second
    reissue sent from the same page (a double click, two clerks at once)."""
    if not _may_issue(by):
        raise PermissionDenied(gettext("Only the registration authority issues certificates."))
    return issue_with_decision(
        organization=organization,
        by=by,
        reason=reason,
        remarks=remarks,
        issued_on=issued_on,
        expected_serials=expected_serials,
    )


@transaction.atomic
def issue_with_decision(
    *,
    organization: Organization,
    by,
    reason: str,
    remarks: str = "",
    issued_on: datetime.date | None = None,
    expected_serials: list[str] | None = None,
) -> list[Certificate]:
    """`certificates_issue` for a service whose own decision already checked the clerk (the
    registration's approval, a change's approval): the certificates go with that decision."""
    if reason not in ISSUE_REASONS:
        raise ValueError(f"not a reason to issue certificates: {reason!r}")
    # The row lock serializes two clerks reissuing the same organization at once; the partial
    # unique constraint stops whatever gets past it.
    organization = (
        Organization.objects.select_for_update(of=("self",))
        .select_related("supervisory_unit")
        .get(pk=organization.pk)
    )
    if organization.status != OrganizationStatus.ACTIVE:
        raise ValidationError(
            gettext("%(name)s is %(status)s: it gets no certificate.")
            % {"name": organization.name, "status": organization.get_status_display()}
        )
    issued_on = issued_on or calendar.today()
    previous = {
        certificate.kind: certificate
        for certificate in organization.certificates.select_for_update().filter(
            status=CertificateStatus.VALID
        )
    }
    if expected_serials is not None and sorted(expected_serials) != sorted(
        certificate.serial for certificate in previous.values()
    ):
        raise ValidationError(
            gettext(
                "The certificates of %(name)s were reissued meanwhile: reload the page to see "
                "the current ones."
            )
            % {"name": organization.name}
        )
    for certificate in previous.values():
        _withdraw(certificate, by=by, reason=reason, on=issued_on, remarks=remarks)
    issued = []
    for kind in (CertificateKind.ORIGINAL, CertificateKind.DUPLICATE):
        certificate = _new_certificate(organization, kind, by, reason, issued_on)
        CertificateEvent.objects.create(
            certificate=certificate,
            action=CertificateEvent.Action.ISSUED,
            reason=reason,
            remarks=remarks,
            by=by,
        )
        if kind in previous:
            previous[kind].replaced_by = certificate
            previous[kind].save(update_fields=["replaced_by"])
        issued.append(certificate)
    _audit(
        organization,
        by,
        gettext_lazy("Certificates %(serials)s of %(name)s issued (%(reason)s)."),
        serials=[c.serial for c in issued],
        reason=reason,
    )
    return issued


def _new_certificate(organization, kind, by, reason, issued_on) -> Certificate:
    unit = organization.supervisory_unit
    fields = dict(
        organization=organization,
        kind=kind,
        issue_reason=reason,
        issued_on=issued_on,
        valid_until=valid_until(issued_on),
        issued_by=by,
        authority_name=bureau().authority_name,
        name=organization.name,
        credit_code=organization.credit_code,
        organization_type=organization.organization_type,
        address=organization.address,
        legal_representative=organization.legal_representative,
        business_scope=organization.business_scope,
        registered_capital=organization.registered_capital,
        supervisory_unit_name=unit.name if unit else "",
        established_on=organization.established_on,
    )
    # Numbers run per year of issue. Two organizations' clerks may take the same next number
    # at once: the unique serial refuses the second, which takes the one after.
    for _attempt in range(5):
        try:
            with transaction.atomic():
                return Certificate.objects.create(serial=_next_serial(issued_on.year), **fields)
        except IntegrityError:
            continue
    raise IntegrityError("no free certificate number after 5 attempts")


def _next_serial(year: int) -> str:
    prefix = f"{year}-"
    last = (
        Certificate.objects.filter(serial__startswith=prefix)
        .order_by("-serial")
        .values_list("serial", flat=True)
        .first()
    )
    number = int(last.removeprefix(prefix)) + 1 if last else 1
    return f"{prefix}{number:06d}"


def _withdraw(certificate: Certificate, *, by, reason: str, on, remarks: str = "") -> None:
    certificate.status = CertificateStatus.WITHDRAWN
    certificate.withdrawn_on = on
    certificate.withdrawal_reason = reason
    certificate.withdrawn_by = by
    certificate.save(update_fields=["status", "withdrawn_on", "withdrawal_reason", "withdrawn_by"])
    CertificateEvent.objects.create(
        certificate=certificate,
        action=CertificateEvent.Action.WITHDRAWN,
        reason=reason,
        remarks=remarks,
        by=by,
    )


@transaction.atomic
def withdraw_with_decision(
    *,
    organization: Organization,
    by,
    reason: str,
    on: datetime.date | None = None,
    remarks: str = "",
) -> list[Certificate]:
    """Record the valid certificates as returned to the authority (收缴) at deregistration or
    revocation (R-CERT-4), as part of that decision (its service checked the clerk). Returns
    those withdrawn (none when there were none)."""
    if reason not in WITHDRAWAL_REASONS:
        raise ValueError(f"not a reason to withdraw certificates: {reason!r}")
    on = on or calendar.today()
    withdrawn = list(
        organization.certificates.select_for_update().filter(status=CertificateStatus.VALID)
    )
    for certificate in withdrawn:
        _withdraw(certificate, by=by, reason=reason, on=on, remarks=remarks)
    if withdrawn:
        _audit(
            organization,
            by,
            gettext_lazy("Certificates %(serials)s of %(name)s withdrawn (%(reason)s)."),
            serials=[c.serial for c in withdrawn],
            reason=reason,
        )
    return withdrawn


def withdraw_at_registration_end(sender, *, organization, deregistration, on, by, **kwargs):
    """Receiver of `organization_registration_ended` (R-CERT-4): the deregistration's or the
    revocation's decision withdraws the valid certificates, on the day they were returned (收缴)
    or, when they were not, on the decision's day, saying so."""
    revoked = deregistration.kind == "revocation"
    returned_on = deregistration.certificate_returned_on
    withdraw_with_decision(
        organization=organization,
        by=by,
        reason=CertificateReason.REVOCATION if revoked else CertificateReason.DEREGISTRATION,
        on=returned_on or on,
        remarks=""
        if returned_on
        else _stored(gettext_lazy("Not returned to the registration authority yet.")),
    )


# The items of a change application (registry.models.change.CHANGE_ITEMS) a certificate prints.
CHANGE_ITEMS_PRINTED = {
    "name",
    "residence",
    "legal_representative",
    "business_scope",
    "registered_capital",
    "supervisory_unit",
}


def reissue_after_change(*, organization, changed, by, **kwargs) -> None:
    """Receiver of `organization_changed` (R-CERT-3): an approved change of an item the
    certificate prints reissues it in the approval's transaction, the old pair withdrawn."""
    if CHANGE_ITEMS_PRINTED.intersection(changed):
        issue_with_decision(organization=organization, by=by, reason=CertificateReason.CHANGE)


def _stored(text) -> str:
    """Words kept in the database are the site's language, not the clerk's browser's."""
    with translation.override(settings.LANGUAGE_CODE):
        return str(text)


def _audit(organization, by, template, *, serials: list[str], reason: str) -> None:
    with translation.override(settings.LANGUAGE_CODE):  # the log's language, as for saves
        summary = str(template) % {
            "serials": "、".join(serials),
            "name": organization.name,
            "reason": CertificateReason(reason).label,
        }
    audit_record(
        action=AuditAction.DATA_CHANGE,
        user=by,
        object_type=Certificate._meta.label_lower,
        object_id=organization.pk,
        summary=summary,
        details={"organization": organization.pk, "certificates": serials, "reason": reason},
    )
