"""The end of an organization's registration (R-DEREG-1..9): deregistration (注销登记) on the
organization's application, after its liquidation (清算) and its supervisory unit's consent, or
revocation (撤销登记) by the registration authority. Both are decided by a clerk and leave the
same record: the decision, its date, who made it, the events, the certificate and seal
returned (收缴), and a notice to print. The moves are one table in registry.workflow."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.workflow_records import WorkflowEvent

from ..choices import DeregistrationKind, DeregistrationReason, DeregistrationStatus

S = DeregistrationStatus
# The statuses of a record still under way: an organization has at most one.
OPEN_STATUSES = (S.DRAFT, S.SUBMITTED, S.CONSENTED, S.RETURNED)


class Deregistration(models.Model):
    EDITABLE = (S.DRAFT, S.RETURNED)

    organization = models.ForeignKey(
        "registry.Organization",
        verbose_name=_("social organization"),
        on_delete=models.PROTECT,
        related_name="deregistrations",
    )
    kind = models.CharField(
        _("kind"),
        max_length=20,
        choices=DeregistrationKind.choices,
        default=DeregistrationKind.DEREGISTRATION,
    )
    status = models.CharField(
        _("status"), max_length=20, choices=S.choices, default=S.DRAFT, db_index=True
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("applicant"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # The supervisory unit whose consent it needs (R-DEREG-2): the organization's at filing;
    # empty for a directly registered organization.
    supervisory_unit = models.ForeignKey(
        "registry.SupervisoryUnit",
        verbose_name=_("business supervisory unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="deregistrations",
    )
    # Step 1: why (R-DEREG-1).
    reason = models.CharField(
        _("reason for deregistration"),
        max_length=30,
        choices=DeregistrationReason.choices,
        blank=True,
    )
    reason_details = models.TextField(_("explanation of the reason"), blank=True)
    resolved_on = models.DateField(
        _("date of the resolution to terminate"),
        null=True,
        blank=True,
        help_text=_("The date the members' (representatives') assembly or board so resolved."),
    )
    # Step 2: the liquidation (R-DEREG-3).
    liquidation_group = models.TextField(
        _("liquidation group"),
        blank=True,
        help_text=_("Its members, one a line: name and position."),
    )
    liquidation_started_on = models.DateField(_("liquidation started on"), null=True, blank=True)
    liquidation_ended_on = models.DateField(_("liquidation ended on"), null=True, blank=True)
    liquidation_report = models.TextField(
        _("liquidation report"),
        blank=True,
        help_text=_("Debts settled, assets, the auditor's conclusion."),
    )
    remaining_assets = models.TextField(
        _("disposal of the remaining assets"),
        blank=True,
        help_text=_("To whom the remaining assets go, as the charter says."),
    )
    # Submission (R-DEREG-4).
    submitted_on = models.DateField(_("applied on"), null=True, blank=True)
    late = models.BooleanField(
        _("filed late"),
        default=False,
        help_text=_("Applied more than the regulations' deadline after the liquidation ended."),
    )
    # Review.
    supervisory_opinion = models.TextField(_("supervisory unit's opinion"), blank=True)
    consented_on = models.DateField(_("consented on"), null=True, blank=True)
    remarks = models.TextField(_("remarks to the applicant"), blank=True)
    # The decision (R-DEREG-6, R-DEREG-9).
    decision_reason = models.TextField(_("grounds of the decision"), blank=True)
    decided_on = models.DateField(_("registration ended on"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("deciding clerk"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # R-DEREG-6: what the registration authority took back (收缴). A later certificate model
    # (issue 17 point 4) links its withdrawn certificates to this record.
    certificate_returned_on = models.DateField(_("certificate returned on"), null=True, blank=True)
    seal_returned_on = models.DateField(_("seal returned on"), null=True, blank=True)
    returns_note = models.CharField(
        _("note on the returns"),
        max_length=200,
        blank=True,
        help_text=_("E.g. the original and the duplicate of the certificate, the financial seal."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    version = models.PositiveIntegerField(_("version"), default=0, editable=False)
    history = HistoricalRecords(user_model=settings.AUTH_USER_MODEL)

    class Meta:
        verbose_name = _("deregistration")
        verbose_name_plural = _("deregistrations")
        ordering = ["-updated_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=S.values), name="deregistration_status_known"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=DeregistrationKind.values), name="deregistration_kind_known"
            ),
            models.UniqueConstraint(
                fields=["organization"],
                condition=Q(status__in=OPEN_STATUSES),
                name="deregistration_one_open",
                violation_error_message=_(
                    "This organization already has a deregistration under way."
                ),
            ),
            models.CheckConstraint(
                condition=Q(liquidation_ended_on__isnull=True)
                | Q(liquidation_started_on__isnull=True)
                | Q(liquidation_ended_on__gte=models.F("liquidation_started_on")),
                name="deregistration_liquidation_ends_after_start",
                violation_error_message=_("The liquidation cannot end before it started."),
            ),
        ]

    def __str__(self):
        return f"{self.reference} {self.organization}"

    @property
    def reference(self) -> str:
        """The number on the notice: ZX (注销) or CX (撤销) + year + sequence."""
        prefix = "CX" if self.kind == DeregistrationKind.REVOCATION else "ZX"
        year = self.created_at.year if self.created_at else ""
        return f"{prefix}{year}{self.pk or 0:06d}"

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE

    @property
    def needs_consent(self) -> bool:
        return self.supervisory_unit_id is not None

    @property
    def is_revocation(self) -> bool:
        return self.kind == DeregistrationKind.REVOCATION

    def application_deadline(self) -> datetime.date | None:
        """R-DEREG-4: the last day to apply, the regulations' days after the liquidation."""
        if self.liquidation_ended_on is None:
            return None
        days = settings.REGISTRY["DEREGISTRATION_DAYS_AFTER_LIQUIDATION"]
        return self.liquidation_ended_on + datetime.timedelta(days=days)


class DeregistrationEvent(WorkflowEvent):
    deregistration = models.ForeignKey(
        Deregistration, on_delete=models.CASCADE, related_name="events"
    )
    from_status = models.CharField(_("from"), max_length=20, choices=S.choices)
    to_status = models.CharField(_("to"), max_length=20, choices=S.choices)

    class Meta:
        verbose_name = _("deregistration event")
        verbose_name_plural = _("deregistration events")
        ordering = ["deregistration", "at", "pk"]
