"""Reads of registration certificates (R-CERT-1..5): who sees which, the public check."""

from django.db.models import QuerySet

from .choices import CertificateStatus
from .models import Certificate
from .selectors import organizations_visible_to


def certificates_visible_to(user) -> QuerySet[Certificate]:
    """The certificates of the organizations `user` sees (registry.selectors), newest first."""
    return Certificate.objects.select_related("organization", "replaced_by").filter(
        organization__in=organizations_visible_to(user).values("pk")
    )


def may_issue_certificates(user) -> bool:
    return bool(
        user
        and user.is_authenticated
        and user.is_active
        and user.is_clerk
        and user.has_perm("registry.add_certificate")
    )


def current_certificates(organization) -> list[Certificate]:
    """The valid original and duplicate, original first."""
    return sorted(
        organization.certificates.filter(status=CertificateStatus.VALID),
        key=lambda certificate: certificate.kind != "original",
    )


def certificate_for_public(token: str) -> Certificate | None:
    """The certificate a printed QR code names, for anyone: None for an unknown token."""
    return (
        Certificate.objects.select_related("organization", "replaced_by")
        .filter(token=token)
        .first()
    )
