from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.fields import IdNumberDigestField
from core.identity import birth_date_of, validate_id_number
from core.validators import validate_phone
from registry.choices import CopyKind
from registry.models.member import MemberDetails

from .choices import (
    Education,
    FormationMode,
    PartyOrganizationKind,
)


class PartyOrganization(models.Model):
    """A Party organization (党组织) covering one or more social organizations."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=PartyOrganizationKind.choices)
    formation_mode = models.CharField(
        _("formation mode"), max_length=20, choices=FormationMode.choices, db_index=True
    )
    founded_on = models.DateField(_("founded on"))
    dissolved_on = models.DateField(_("dissolved on"), null=True, blank=True)
    secretary = models.CharField(_("secretary"), max_length=50, blank=True)
    parent_body = models.ForeignKey(
        "registry.PartyBuildingBody",
        verbose_name=_("parent Party body"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="party_organizations",
    )
    organizations = models.ManyToManyField(
        "registry.Organization",
        verbose_name=_("social organizations covered"),
        through="Coverage",
        related_name="party_organizations",
    )
    e_branch_joined_on = models.DateField(
        _("joined the E-branch platform on"), null=True, blank=True
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Party organization")
        verbose_name_plural = _("Party organizations")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(dissolved_on__isnull=True)
                | Q(dissolved_on__gte=models.F("founded_on")),
                name="party_organization_dissolved_after_founded",
                violation_error_message=_("A Party organization cannot dissolve before founding."),
            ),
            models.CheckConstraint(
                condition=Q(formation_mode__in=FormationMode.values),
                name="party_organization_mode_known",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def is_active(self) -> bool:
        return self.dissolved_on is None


class Coverage(models.Model):
    """One social organization covered by a Party organization (as its own or a member unit)."""

    party_organization = models.ForeignKey(
        PartyOrganization,
        verbose_name=_("Party organization"),
        on_delete=models.CASCADE,
        related_name="coverages",
    )
    organization = models.ForeignKey(
        "registry.Organization",
        verbose_name=_("social organization"),
        on_delete=models.PROTECT,
        related_name="party_coverages",
    )
    # R-DEREG-7: the day the organization left this Party organization's coverage (its
    # registration ended, or its Party work moved elsewhere); it is covered on the days before.
    ended_on = models.DateField(_("coverage ended on"), null=True, blank=True)
    # A database default too: bulk writers that COPY the other columns leave it empty.
    end_reason = models.CharField(
        _("reason the coverage ended"), max_length=200, blank=True, default="", db_default=""
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("covered organization")
        verbose_name_plural = _("covered organizations")
        constraints = [
            models.UniqueConstraint(
                fields=["party_organization", "organization"], name="coverage_unique"
            ),
        ]

    def __str__(self):
        return f"{self.party_organization} → {self.organization}"


class PartyMember(MemberDetails):
    """A Party member (党员) attached to a social organization, identified by ID number."""

    # One person, one record (R-ID-2: stored once), kept by the digest of the encrypted number.
    id_number_digest = IdNumberDigestField(
        _("resident ID number digest"),
        unique=True,
        error_messages={"unique": _("A Party member with this resident ID number is on file.")},
    )
    birth_date = models.DateField(
        _("birth date"), editable=False, help_text=_("Derived from the ID number.")
    )
    education = models.CharField(
        _("education"), max_length=30, choices=Education.choices, blank=True
    )
    organization = models.ForeignKey(
        "registry.Organization",
        verbose_name=_("social organization"),
        on_delete=models.PROTECT,
        related_name="party_members",
    )
    party_organization = models.ForeignKey(
        PartyOrganization,
        verbose_name=_("takes part in"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="members",
    )
    left_on = models.DateField(_("left on"), null=True, blank=True)
    left_reason = models.CharField(_("reason for leaving"), max_length=200, blank=True)
    # R-DEREG-5: the member's Party relationship transferred out (组织关系转接): when, and to
    # which Party organization. A transfer out is also the day the member leaves.
    transferred_out_on = models.DateField(
        _("relationship transferred out on"), null=True, blank=True
    )
    transferred_out_to = models.CharField(
        _("relationship transferred to"), max_length=200, blank=True, default="", db_default=""
    )
    # The history keeps neither the number nor the birth date derived from it (R-ID-2): its
    # "changes" column would show them to users who see the number masked.
    history = HistoricalRecords(excluded_fields=["id_number", "id_number_digest", "birth_date"])

    class Meta:
        verbose_name = _("Party member")
        verbose_name_plural = _("Party members")
        ordering = ["organization", "name"]
        permissions = [
            ("view_unmasked_id_number", _("Can see and export full resident ID numbers")),
        ]
        indexes = [models.Index(fields=["organization", "left_on"], name="member_org_active")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="probationary") | Q(full_membership_due_on__isnull=True),
                name="member_due_date_only_when_probationary",
                violation_error_message=_("Only probationary members have a full-membership date."),
            ),
        ]

    @property
    def is_active(self) -> bool:
        return self.left_on is None

    def clean(self):
        errors = self.member_errors()
        if "id_number" not in errors:
            try:
                self.birth_date = birth_date_of(validate_id_number(self.id_number))
            except ValidationError:
                pass  # clean_fields has already reported it
        if self.left_on and not self.left_reason:
            errors["left_reason"] = _("Say why the member left.")
        if self.transferred_out_on and not self.transferred_out_to.strip():
            errors["transferred_out_to"] = _(
                "Name the Party organization the relationship is transferred to."
            )
        if self.transferred_out_on and self.left_on != self.transferred_out_on:
            errors["left_on"] = _("A member whose relationship is transferred out leaves that day.")
        if errors:
            raise ValidationError(errors)


class IndustryLead(models.Model):
    """R-PB-10: an industry's lead organization (龙头组织) and the organizations it drives."""

    industry = models.ForeignKey(
        "registry.Industry",
        verbose_name=_("industry"),
        on_delete=models.PROTECT,
        related_name="leads",
    )
    lead_organization = models.ForeignKey(
        "registry.Organization",
        verbose_name=_("lead organization"),
        on_delete=models.PROTECT,
        related_name="leads_as_lead",
    )
    driven_organizations = models.ManyToManyField(
        "registry.Organization",
        verbose_name=_("organizations driven"),
        related_name="driven_by_leads",
        blank=True,
    )
    designated_on = models.DateField(_("designated on"))
    history = HistoricalRecords(m2m_fields=[driven_organizations])

    class Meta:
        verbose_name = _("industry lead")
        verbose_name_plural = _("industry leads")
        ordering = ["industry__sort_order"]
        constraints = [
            models.UniqueConstraint(
                fields=["industry", "lead_organization"], name="industry_lead_unique"
            ),
        ]

    def __str__(self):
        return f"{self.industry}: {self.lead_organization}"


class Dispatch(models.Model):
    """R-PB-11: a dispatched branch and instructor (党建指导员) helping an organization without
    members. Ends by itself when the organization founds its own Party organization."""

    organization = models.ForeignKey(
        "registry.Organization",
        verbose_name=_("social organization"),
        on_delete=models.PROTECT,
        related_name="dispatches",
    )
    dispatched_branch = models.CharField(_("dispatched branch"), max_length=200)
    instructor_name = models.CharField(_("Party-building instructor"), max_length=50)
    instructor_unit = models.CharField(_("instructor's unit"), max_length=100)
    instructor_phone = models.CharField(
        _("instructor's phone"), max_length=30, validators=[validate_phone]
    )
    started_on = models.DateField(_("started on"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    end_reason = models.CharField(_("reason for ending"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("dispatch")
        verbose_name_plural = _("dispatches")
        ordering = ["-started_on"]
        indexes = [models.Index(fields=["-started_on", "-id"], name="dispatch_list_order")]
        constraints = [
            models.UniqueConstraint(
                fields=["organization"],
                condition=Q(ended_on__isnull=True),
                name="one_open_dispatch_per_organization",
                violation_error_message=_("This organization already has an open dispatch."),
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="dispatch_ends_after_start",
                violation_error_message=_("A dispatch cannot end before it starts."),
            ),
        ]

    def __str__(self):
        return f"{self.organization} · {self.instructor_name}"

    @property
    def is_open(self) -> bool:
        return self.ended_on is None


class MemberFormCopy(models.Model):
    """R-REG-3: one of the three copies of an approved organization's member form
    《新建社会组织党员情况表》: archived, sent to the supervisory unit, sent to the committee."""

    application = models.ForeignKey(
        "registry.Application",
        verbose_name=_("registration application"),
        on_delete=models.PROTECT,
        related_name="member_form_copies",
    )
    organization = models.ForeignKey(
        "registry.Organization",
        verbose_name=_("social organization"),
        on_delete=models.PROTECT,
        related_name="member_form_copies",
    )
    kind = models.CharField(_("copy"), max_length=20, choices=CopyKind.choices)
    supervisory_unit = models.ForeignKey(
        "registry.SupervisoryUnit",
        verbose_name=_("business supervisory unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="member_form_copies",
    )
    party_building_body = models.ForeignKey(
        "registry.PartyBuildingBody",
        verbose_name=_("Party-building body"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="member_form_copies",
    )
    filed_on = models.DateField(_("filed on"))
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("acknowledged by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    note = models.TextField(_("note"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("member form copy")
        verbose_name_plural = _("member form copies")
        ordering = ["acknowledged_at", "-filed_on", "pk"]
        indexes = [
            models.Index(fields=["acknowledged_at", "-filed_on", "id"], name="copy_list_order")
        ]
        constraints = [
            models.UniqueConstraint(fields=["application", "kind"], name="one_copy_of_each_kind"),
        ]

    def __str__(self):
        return f"{self.organization} · {self.get_kind_display()}"


class Standing(models.Model):
    """An organization's Party-building counts and coverage (the inputs of R-PB-1..7) computed
    for one day and kept until `valid_until`, the first later date on which one of its members,
    coverages or dispatches starts or ends. A province's dashboard and ledger then read one row
    per organization instead of recounting millions of members on every view. Written only by
    `standings.services` (by every write to what it counts, and on the day it falls due by the
    task that write queued); today's figures come from here, a past day's are computed live.
    Every organization has one (written when it is saved)."""

    organization = models.OneToOneField(
        "registry.Organization",
        verbose_name=_("social organization"),
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="party_building_standing",
    )
    # Copies of the organization's fields the coverage figures scope and group by, so that a
    # province's dashboard reads this one narrow table instead of joining a million rows
    # (the receivers copy them whenever the organization is saved).
    status = models.CharField(_("status"), max_length=20, blank=True)
    registered_on = models.DateField(_("registered on"), null=True, blank=True)
    district = models.ForeignKey(
        "registry.District",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        related_name="+",
    )
    industry = models.ForeignKey(
        "registry.Industry",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        related_name="+",
    )
    supervisory_unit = models.ForeignKey(
        "registry.SupervisoryUnit",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        related_name="+",
    )
    counted_members = models.PositiveIntegerField(_("counted Party members"), default=0)
    full_members = models.PositiveIntegerField(_("full Party members"), default=0)
    probationary_members = models.PositiveIntegerField(_("probationary Party members"), default=0)
    has_own_party_organization = models.BooleanField(default=False)
    has_joint_party_organization = models.BooleanField(default=False)
    has_open_dispatch = models.BooleanField(default=False)
    party_organization_name = models.CharField(max_length=200, null=True, blank=True)
    party_organization_mode = models.CharField(max_length=20, null=True, blank=True)
    instructor_name = models.CharField(max_length=50, null=True, blank=True)
    computed_on = models.DateField(_("computed on"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = _("Party-building standing")
        verbose_name_plural = _("Party-building standings")

    def __str__(self):
        return f"{self.organization_id} @ {self.computed_on}"


class ChangeNotice(models.Model):
    """R-CHG-6: an approved change that moves the organization's Party-building responsibility
    (a new supervisory unit, district or industry), copied to the Party working committee and,
    when the unit changes, to the new unit; each acknowledges its copy, as for the member form
    (R-REG-3)."""

    change = models.ForeignKey(
        "registry.ChangeApplication",
        verbose_name=_("change application"),
        on_delete=models.PROTECT,
        related_name="party_building_notices",
    )
    organization = models.ForeignKey(
        "registry.Organization",
        verbose_name=_("social organization"),
        on_delete=models.PROTECT,
        related_name="change_notices",
    )
    kind = models.CharField(_("copy"), max_length=20, choices=CopyKind.choices)
    supervisory_unit = models.ForeignKey(
        "registry.SupervisoryUnit",
        verbose_name=_("business supervisory unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="change_notices",
    )
    party_building_body = models.ForeignKey(
        "registry.PartyBuildingBody",
        verbose_name=_("Party-building body"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="change_notices",
    )
    previous_party_building_body = models.ForeignKey(
        "registry.PartyBuildingBody",
        verbose_name=_("previous Party-building body"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # What changed, in display form: [[item, before, after], …].
    summary = models.JSONField(_("what changed"), default=list)
    filed_on = models.DateField(_("copied on"))
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("acknowledged by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("change notice")
        verbose_name_plural = _("change notices")
        ordering = ["acknowledged_at", "-filed_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["change", "kind"], name="one_change_notice_of_each_kind"
            ),
        ]

    def __str__(self):
        return f"{self.organization} · {self.get_kind_display()}"


# The coverage aggregates' tables live in their own module; imported here so Django finds them.
from .aggregate_models import (  # noqa: E402, F401
    AGGREGATE_FIGURES,
    CoverageGroup,
    PartyOrganizationGroup,
    PartyOrganizationReach,
)
