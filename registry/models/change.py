"""Change registration (变更登记) and charter amendments (章程核准), rules R-CHG-1..7 of
docs/domain.md: an organization applies, its supervisory unit consents, it files the consented
application with the registration authority, a clerk decides. The moves are one table in
registry.change_workflow; the writes are registry.services.changes."""

import datetime

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.workflow_records import WorkflowEvent, WorkflowSubmission

from ..choices import ChangeKind, ChangeStatus

S = ChangeStatus

# The registered items a change application may change (R-CHG-1), each with the Organization
# fields it writes: the residence is the address with its district and street.
CHANGE_ITEMS = {
    "name": ("name",),
    "residence": ("district", "street", "address"),
    "legal_representative": ("legal_representative",),
    "business_scope": ("business_scope",),
    "registered_capital": ("registered_capital",),
    "supervisory_unit": ("supervisory_unit",),
    "industry": ("industry",),
}
ITEM_LABELS = {
    "name": _("name"),
    "residence": _("residence"),
    "legal_representative": _("legal representative"),
    "business_scope": _("business scope"),
    "registered_capital": _("registered capital"),
    "supervisory_unit": _("business supervisory unit"),
    "industry": _("industry"),
}
# Items whose change moves the organization's Party-building responsibility (R-CHG-6).
PARTY_BUILDING_ITEMS = ("supervisory_unit", "residence", "industry")


class ChangeApplication(models.Model):
    """An organization's application to change registered items, or to have its amended
    charter approved (核准), from draft to decision."""

    EDITABLE = (S.DRAFT, S.RETURNED)

    organization = models.ForeignKey(
        "registry.Organization",
        verbose_name=_("social organization"),
        on_delete=models.PROTECT,
        related_name="change_applications",
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("applicant"),
        on_delete=models.PROTECT,
        related_name="change_applications",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ChangeKind.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=S.choices, default=S.DRAFT, db_index=True
    )
    # Step 1: which registered items change (keys of CHANGE_ITEMS), and why.
    items = models.JSONField(_("items changed"), default=list, blank=True)
    reason = models.TextField(_("reason for the change"), blank=True)
    # Step 2: the new values, for the items chosen.
    name = models.CharField(_("new name"), max_length=200, blank=True)
    district = models.ForeignKey(
        "registry.District",
        verbose_name=_("new district"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    street = models.ForeignKey(
        "registry.Street",
        verbose_name=_("new street"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    address = models.CharField(_("new address"), max_length=200, blank=True)
    legal_representative = models.CharField(
        _("new legal representative"), max_length=50, blank=True
    )
    business_scope = models.TextField(_("new business scope"), blank=True)
    registered_capital = models.DecimalField(
        _("new registered capital (yuan)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    supervisory_unit = models.ForeignKey(
        "registry.SupervisoryUnit",
        verbose_name=_("new business supervisory unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    direct_registration = models.BooleanField(
        _("no supervisory unit any more (direct registration)"), default=False
    )
    industry = models.ForeignKey(
        "registry.Industry",
        verbose_name=_("new industry"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # A charter amendment: the amended charter (R-REG-1 holds: the Party-building clause stays).
    charter_text = models.TextField(_("amended charter"), blank=True)
    # A new legal representative signs the Party-building pledge again (R-CHG-5).
    pledge_text = models.TextField(_("Party-building pledge"), blank=True)
    pledge_signed_by = models.CharField(
        _("signed by (new legal representative)"), max_length=50, blank=True
    )
    pledge_signed_on = models.DateField(_("signed on"), null=True, blank=True)
    # Review. The unit that consents is the organization's unit when it was submitted.
    consenting_unit = models.ForeignKey(
        "registry.SupervisoryUnit",
        verbose_name=_("consenting supervisory unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="change_applications_to_consent",
    )
    supervisory_opinion = models.TextField(_("supervisory unit's opinion"), blank=True)
    consented_on = models.DateField(_("consented on"), null=True, blank=True)
    filed_on = models.DateField(_("filed with the authority on"), null=True, blank=True)
    filed_late = models.BooleanField(_("filed late"), default=False)
    remarks = models.TextField(_("remarks to the applicant"), blank=True)
    party_building_body = models.ForeignKey(
        "registry.PartyBuildingBody",
        verbose_name=_("Party-building body after the change"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # The organization's values of the changed fields just before approval (display form), so
    # the decision, its print and a reprinted certificate say what the change replaced.
    previous_values = models.JSONField(_("values before the change"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=0, editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("change application")
        verbose_name_plural = _("change applications")
        ordering = ["-updated_at"]
        indexes = [models.Index(fields=["-updated_at", "-id"], name="change_list_order")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ChangeStatus.values), name="change_status_known"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=ChangeKind.values), name="change_kind_known"
            ),
            models.CheckConstraint(
                condition=Q(direct_registration=False) | Q(supervisory_unit__isnull=True),
                name="change_direct_has_no_unit",
                violation_error_message=_("A direct registration has no supervisory unit."),
            ),
        ]

    def __str__(self):
        return f"{self.reference} {self.organization}"

    @property
    def reference(self) -> str:
        """The number on paper: BG (变更) or ZC (章程) + year + sequence."""
        prefix = "ZC" if self.kind == ChangeKind.CHARTER else "BG"
        year = self.created_at.year if self.created_at else ""
        return f"{prefix}{year}{self.pk or 0:06d}"

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE

    @property
    def is_charter(self) -> bool:
        return self.kind == ChangeKind.CHARTER

    @property
    def needs_consent(self) -> bool:
        return self.consenting_unit_id is not None

    @property
    def changes_legal_representative(self) -> bool:
        return not self.is_charter and "legal_representative" in (self.items or ())

    def file_by(self) -> datetime.date | None:
        """R-CHG-3: the last day to file with the registration authority after consent, or
        None when no deadline runs (no consent yet, or a type without one)."""
        from ..rules import change_filing_deadline

        return change_filing_deadline(
            organization_type=self.organization.organization_type, consented_on=self.consented_on
        )


class ChangeSubmission(WorkflowSubmission):
    """What was submitted each time, so a reviewer sees what changed after a return."""

    change = models.ForeignKey(
        ChangeApplication, on_delete=models.CASCADE, related_name="submissions"
    )

    class Meta:
        verbose_name = _("change submission")
        verbose_name_plural = _("change submissions")
        ordering = ["change", "number"]
        constraints = [
            models.UniqueConstraint(fields=["change", "number"], name="change_submission_number"),
        ]

    def __str__(self):
        return f"{self.change.reference} #{self.number}"


class ChangeEvent(WorkflowEvent):
    change = models.ForeignKey(ChangeApplication, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(_("from"), max_length=20, choices=ChangeStatus.choices)
    to_status = models.CharField(_("to"), max_length=20, choices=ChangeStatus.choices)

    class Meta:
        verbose_name = _("change application event")
        verbose_name_plural = _("change application events")
        ordering = ["change", "at", "pk"]
