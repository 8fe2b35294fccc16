"""Registration (登记): an application filed online, reviewed, and approved into an organization.
Rules R-REG-1..5 of docs/domain.md; the workflow's moves are one
table in registry.workflow."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.validators import validate_phone
from core.workflow_records import WorkflowEvent, WorkflowSubmission

from ..choices import (
    ApplicationStatus,
    OrganizationType,
)
from .member import MemberDetails

APPLICANT, SUPERVISOR, CLERK = "applicant", "supervisory_unit", "clerk"
S = ApplicationStatus


class RegistrationTemplate(models.Model):
    """The bureau's texts: the charter template with its Party-building clause (R-REG-1) and the
    Party-building pledge (R-REG-2). One row; edited in the admin."""

    charter_template = models.TextField(
        _("charter template"),
        help_text=_(
            "{name} is replaced by the organization's name. It must contain the "
            "Party-building clause."
        ),
    )
    party_building_clause = models.TextField(_("Party-building clause"))
    pledge_text = models.TextField(
        _("Party-building pledge"), help_text=_("{name} is replaced by the organization's name.")
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("registration template")
        verbose_name_plural = _("registration templates")

    def __str__(self):
        return str(_("registration template"))

    @classmethod
    def current(cls) -> "RegistrationTemplate":
        return cls.objects.order_by("pk").first()


class Application(models.Model):
    """An application to register a social organization, from draft to decision."""

    # Its moves and who makes them: the transition table in registry.workflow.
    EDITABLE = (S.DRAFT, S.RETURNED)

    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("applicant"),
        on_delete=models.PROTECT,
        related_name="applications",
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ApplicationStatus.choices,
        default=S.DRAFT,
        db_index=True,
    )
    # Step 1, basic information. Blank while a draft; application_submit checks completeness.
    name = models.CharField(_("name"), max_length=200, blank=True)
    organization_type = models.CharField(
        _("organization type"), max_length=30, blank=True, choices=OrganizationType.choices
    )
    industry = models.ForeignKey(
        "registry.Industry",
        verbose_name=_("industry"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    direct_registration = models.BooleanField(
        _("direct registration"),
        default=False,
        help_text=_(
            "Trade associations, science and technology, charity and community-service "
            "organizations may register without a supervisory unit."
        ),
    )
    supervisory_unit = models.ForeignKey(
        "registry.SupervisoryUnit",
        verbose_name=_("business supervisory unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="applications",
    )
    legal_representative = models.CharField(_("legal representative"), max_length=50, blank=True)
    contact_person = models.CharField(_("contact person"), max_length=50, blank=True)
    contact_phone = models.CharField(
        _("contact phone"), max_length=30, blank=True, validators=[validate_phone]
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    district = models.ForeignKey(
        "registry.District",
        verbose_name=_("district"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    street = models.ForeignKey(
        "registry.Street",
        verbose_name=_("street"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    full_time_staff = models.PositiveIntegerField(
        _("number of full-time staff"), null=True, blank=True
    )
    # Step 2, the charter (R-REG-1).
    charter_text = models.TextField(_("charter"), blank=True)
    # Step 3, the pledge (R-REG-2): the text as signed, by whom and when.
    pledge_text = models.TextField(_("Party-building pledge"), blank=True)
    pledge_signed_by = models.CharField(
        _("signed by (legal representative)"), max_length=50, blank=True
    )
    pledge_signed_on = models.DateField(_("signed on"), null=True, blank=True)
    # Step 4, the member form (R-REG-2): rows in ApplicationMember, or an explicit "none".
    no_party_members = models.BooleanField(
        _("the organization has no Party member yet"), default=False
    )
    # Review.
    supervisory_opinion = models.TextField(_("supervisory unit's opinion"), blank=True)
    remarks = models.TextField(_("remarks to the applicant"), blank=True)
    organization = models.OneToOneField(
        "registry.Organization",
        verbose_name=_("registered organization"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="application",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    # Optimistic locking (issue 8): bumped by every save through core.concurrency, so a
    # form opened before someone else's save is refused instead of overwriting it.
    version = models.PositiveIntegerField(_("version"), default=0, editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("registration application")
        verbose_name_plural = _("registration applications")
        ordering = ["-updated_at"]
        indexes = [models.Index(fields=["-updated_at", "-id"], name="application_list_order")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ApplicationStatus.values), name="application_status_known"
            ),
            models.CheckConstraint(
                condition=Q(direct_registration=False) | Q(supervisory_unit__isnull=True),
                name="application_direct_has_no_unit",
                violation_error_message=_("A direct registration has no supervisory unit."),
            ),
        ]

    def __str__(self):
        return f"{self.reference} {self.name or _('(unnamed)')}"

    @property
    def reference(self) -> str:
        """The number the bureau writes on paper: DJ + year + sequence."""
        year = self.created_at.year if self.created_at else ""
        return f"DJ{year}{self.pk or 0:06d}"

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE

    @property
    def needs_consent(self) -> bool:
        return self.supervisory_unit_id is not None


class ApplicationMember(MemberDetails):
    """A row of the new-organization member form 《新建社会组织党员情况表》 (R-REG-2)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="members")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("member form row")
        verbose_name_plural = _("member form")
        ordering = ["application", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "id_number_digest"], name="application_member_once"
            ),
        ]


class ApplicationSubmission(WorkflowSubmission):
    """What was submitted each time, so a clerk sees what changed after a return."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="submissions"
    )

    class Meta:
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        ordering = ["application", "number"]
        constraints = [
            models.UniqueConstraint(fields=["application", "number"], name="submission_number"),
        ]

    def __str__(self):
        return f"{self.application.reference} #{self.number}"


class ApplicationEvent(WorkflowEvent):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(_("from"), max_length=20, choices=ApplicationStatus.choices)
    to_status = models.CharField(_("to"), max_length=20, choices=ApplicationStatus.choices)

    class Meta:
        verbose_name = _("application event")
        verbose_name_plural = _("application events")
        ordering = ["application", "at", "pk"]
