"""Registration certificates (登记证书), rules R-CERT-1..5 of docs/domain.md: the original (正本)
and the duplicate (副本) issued at registration, reissued after a change of what they record,
withdrawn (收缴) at deregistration or revocation. Each keeps what it printed, so a withdrawn
certificate still shows what it said; every issue and withdrawal is a `CertificateEvent`.
The writes are registry.services.certificates."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ..choices import CertificateKind, CertificateReason, CertificateStatus, OrganizationType


def new_verification_token() -> str:
    # The public page is found by this, not by the serial: a printed QR code cannot be guessed
    # from another certificate's, so a forged certificate cannot point at a real page.
    return secrets.token_urlsafe(18)


class Certificate(models.Model):
    organization = models.ForeignKey(
        "registry.Organization",
        verbose_name=_("social organization"),
        on_delete=models.PROTECT,
        related_name="certificates",
    )
    kind = models.CharField(
        _("original or duplicate"), max_length=20, choices=CertificateKind.choices
    )
    serial = models.CharField(_("certificate number"), max_length=20, unique=True)
    token = models.CharField(
        max_length=32, unique=True, default=new_verification_token, editable=False
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=CertificateStatus.choices,
        default=CertificateStatus.VALID,
        db_index=True,
    )
    issue_reason = models.CharField(
        _("issued for"), max_length=20, choices=CertificateReason.choices
    )
    issued_on = models.DateField(_("issued on"))
    valid_until = models.DateField(_("valid until"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    authority_name = models.CharField(_("registration authority"), max_length=100)
    # What the certificate records (R-CERT-2), as printed: the organization may change later.
    name = models.CharField(_("name"), max_length=200, db_index=True)
    credit_code = models.CharField(_("unified social credit code"), max_length=18, db_index=True)
    organization_type = models.CharField(
        _("organization type"), max_length=30, choices=OrganizationType.choices
    )
    address = models.CharField(_("residence"), max_length=200)
    legal_representative = models.CharField(_("legal representative"), max_length=50)
    business_scope = models.TextField(_("business scope"), blank=True)
    registered_capital = models.DecimalField(
        _("registered capital (yuan)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    supervisory_unit_name = models.CharField(
        _("business supervisory unit"), max_length=200, blank=True
    )
    established_on = models.DateField(_("established on"))
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    withdrawal_reason = models.CharField(
        _("withdrawn for"), max_length=20, choices=CertificateReason.choices, blank=True
    )
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("withdrawn by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    replaced_by = models.ForeignKey(
        "self",
        verbose_name=_("replaced by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("registration certificate")
        verbose_name_plural = _("registration certificates")
        ordering = ["-issued_on", "-id"]
        indexes = [models.Index(fields=["-issued_on", "-id"], name="certificate_newest_first")]
        constraints = [
            # R-CERT-3: one valid original and one valid duplicate at a time, whatever races.
            models.UniqueConstraint(
                fields=["organization", "kind"],
                condition=Q(status=CertificateStatus.VALID),
                name="one_valid_certificate_per_copy",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=CertificateKind.values), name="certificate_kind_known"
            ),
            models.CheckConstraint(
                condition=Q(status=CertificateStatus.VALID, withdrawn_on__isnull=True)
                | Q(status=CertificateStatus.WITHDRAWN, withdrawn_on__isnull=False),
                name="certificate_withdrawn_has_a_date",
            ),
            models.CheckConstraint(
                condition=Q(valid_until__gte=models.F("issued_on")),
                name="certificate_valid_after_issue",
            ),
        ]

    def __str__(self):
        return f"{self.name} {self.get_kind_display()} {self.serial}"


class CertificateEvent(models.Model):
    """An issue or a withdrawal (R-CERT-5): who, when, why."""

    class Action(models.TextChoices):
        ISSUED = "issued", _("issued")
        WITHDRAWN = "withdrawn", _("withdrawn")

    certificate = models.ForeignKey(
        Certificate,
        verbose_name=_("registration certificate"),
        on_delete=models.CASCADE,
        related_name="events",
    )
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    reason = models.CharField(_("reason"), max_length=20, choices=CertificateReason.choices)
    remarks = models.TextField(_("remarks"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("certificate event")
        verbose_name_plural = _("certificate events")
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.certificate} {self.get_action_display()}"
