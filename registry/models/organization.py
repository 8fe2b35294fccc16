from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.validators import validate_phone

from ..choices import DistrictKind, OrganizationStatus, OrganizationType
from ..credit_codes import CreditCodeField, validate_credit_code
from ..rules import is_bureau_managed, registered_before_established, street_outside_district


class Industry(models.Model):
    """A line of civil-affairs work (养老, 社工 …). A table, so a bureau can add its own."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=40, unique=True)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=100)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("industry")
        verbose_name_plural = _("industries")
        ordering = ["sort_order", "code"]

    def __str__(self):
        return self.name


class District(models.Model):
    """A county-level division (GB/T 2260 code) or a functional zone, which has no code."""

    name = models.CharField(_("name"), max_length=40, unique=True)
    code = models.CharField(_("division code"), max_length=6, blank=True, default="")
    kind = models.CharField(
        _("kind"), max_length=20, choices=DistrictKind.choices, default=DistrictKind.ADMINISTRATIVE
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("district")
        verbose_name_plural = _("districts")
        ordering = ["kind", "code", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["code"], condition=~Q(code=""), name="district_code_unique"
            ),
        ]

    def __str__(self):
        return self.name


class Street(models.Model):
    """A sub-district street (街道) or town in a district."""

    district = models.ForeignKey(
        District, verbose_name=_("district"), on_delete=models.PROTECT, related_name="streets"
    )
    name = models.CharField(_("name"), max_length=40)
    # The statistics bureau's 12-digit code (统计用区划代码); empty for a street a clerk added.
    code = models.CharField(_("division code"), max_length=12, blank=True, default="")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("street")
        verbose_name_plural = _("streets")
        ordering = ["district__code", "name"]
        constraints = [
            models.UniqueConstraint(fields=["district", "name"], name="street_unique_in_district"),
            models.UniqueConstraint(
                fields=["code"], condition=~Q(code=""), name="street_code_unique"
            ),
        ]

    def __str__(self):
        return f"{self.district.name}{self.name}"


class SupervisoryUnit(models.Model):
    """A business supervisory unit (业务主管单位). Units of the civil-affairs bureau itself make
    the organizations they supervise bureau-managed (局管)."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    is_civil_affairs = models.BooleanField(
        _("part of the civil-affairs bureau"),
        default=False,
        help_text=_("Organizations supervised by a civil-affairs unit are bureau-managed."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("business supervisory unit")
        verbose_name_plural = _("business supervisory units")
        ordering = ["name"]

    def __str__(self):
        return self.name


class PartyBuildingBody(models.Model):
    """The Party body an organization's Party work reports to (default: the committee)."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    is_default = models.BooleanField(_("default for new organizations"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Party-building body")
        verbose_name_plural = _("Party-building bodies")
        ordering = ["-is_default", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"], condition=Q(is_default=True), name="one_default_body"
            ),
        ]

    def __str__(self):
        return self.name


def default_party_building_body_id():
    return PartyBuildingBody.objects.filter(is_default=True).values_list("pk", flat=True).first()


class Organization(models.Model):
    """A registered social organization (社会组织)."""

    name = models.CharField(_("name"), max_length=200, db_index=True)
    credit_code = CreditCodeField(
        _("unified social credit code"),
        unique=True,
        help_text=_("18 characters (GB 32100-2015), issued at registration."),
    )
    organization_type = models.CharField(
        _("organization type"), max_length=30, choices=OrganizationType.choices
    )
    industry = models.ForeignKey(
        Industry, verbose_name=_("industry"), on_delete=models.PROTECT, related_name="organizations"
    )
    supervisory_unit = models.ForeignKey(
        SupervisoryUnit,
        verbose_name=_("business supervisory unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organizations",
        help_text=_("Empty for direct registration (no supervisory unit)."),
    )
    bureau_managed = models.BooleanField(_("bureau-managed"), default=False, db_index=True)
    party_building_body = models.ForeignKey(
        PartyBuildingBody,
        verbose_name=_("Party-building body"),
        on_delete=models.PROTECT,
        related_name="organizations",
        default=default_party_building_body_id,
    )
    legal_representative = models.CharField(_("legal representative"), max_length=50)
    contact_person = models.CharField(_("contact person"), max_length=50)
    contact_phone = models.CharField(_("contact phone"), max_length=30, validators=[validate_phone])
    address = models.CharField(_("address"), max_length=200)
    district = models.ForeignKey(
        District, verbose_name=_("district"), on_delete=models.PROTECT, related_name="organizations"
    )
    street = models.ForeignKey(
        Street,
        verbose_name=_("street"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organizations",
    )
    full_time_staff = models.PositiveIntegerField(_("number of full-time staff"), default=0)
    # Registered items changed through change registration (R-CHG-1): 业务范围, and the
    # registered capital (活动资金 / 开办资金 / 原始基金) in yuan.
    business_scope = models.TextField(_("business scope"), blank=True, default="", db_default="")
    registered_capital = models.DecimalField(
        _("registered capital (yuan)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    established_on = models.DateField(_("established on"))
    registered_on = models.DateField(_("registered on"))
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=OrganizationStatus.choices,
        default=OrganizationStatus.ACTIVE,
        db_index=True,
    )
    # R-DEREG-8: the day its registration ended (deregistered or revoked); it counts in the
    # figures of the days before, not from that day on.
    registration_ended_on = models.DateField(
        _("registration ended on"), null=True, blank=True, editable=False
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # Optimistic locking (issue 8): bumped by every save through core.concurrency, so a
    # form opened before someone else's save is refused instead of overwriting it.
    version = models.PositiveIntegerField(_("version"), default=0, editable=False)
    history = HistoricalRecords(user_model=settings.AUTH_USER_MODEL)

    class Meta:
        verbose_name = _("social organization")
        verbose_name_plural = _("social organizations")
        ordering = ["name"]
        # Phone numbers are masked in lists and exports for roles without it (issue 8).
        permissions = [("view_contact_phone", _("Can see full phone numbers"))]
        # The change list's order (name, then the -pk Django adds) after each filter: the first
        # page of a filtered province is a short index scan, not a sort of the table.
        indexes = [
            models.Index(fields=[field, "name", "-id"], name=f"organization_{label}_name")
            for field, label in (
                ("status", "status"),
                ("district", "district"),
                ("industry", "industry"),
                ("supervisory_unit", "unit"),
            )
        ] + [
            # The Party-building ledger's order within one (industry, district) segment: a
            # page of a province's ledger is a range of this index (partybuilding.ledger.pages).
            models.Index(fields=["industry", "district", "name", "id"], name="organization_ledger")
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(organization_type__in=OrganizationType.values),
                name="organization_type_known",
            ),
            models.CheckConstraint(
                condition=Q(status__in=OrganizationStatus.values), name="organization_status_known"
            ),
            models.CheckConstraint(
                condition=Q(credit_code__regex=r"^5[1239][0-9]{6}[0-9A-HJ-NP-RTUW-Y]{10}$"),
                name="organization_credit_code_shape",
                violation_error_message=_("The credit code is not 18 valid characters."),
            ),
            models.CheckConstraint(
                condition=Q(registered_on__gte=models.F("established_on")),
                name="organization_registered_after_established",
                violation_error_message=_("The registration date cannot precede establishment."),
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        errors = {}
        if self.credit_code:
            try:
                self.credit_code = validate_credit_code(
                    self.credit_code, organization_type=self.organization_type or None
                )
            except ValidationError as error:
                errors["credit_code"] = error.messages
        # The rules across fields (registry.rules), which the ledger import applies too.
        if self.street_id and self.district_id:
            message = street_outside_district(
                street_district_id=self.street.district_id, district_id=self.district_id
            )
            if message:
                errors["street"] = message
        message = registered_before_established(
            established_on=self.established_on, registered_on=self.registered_on
        )
        if message:
            errors["registered_on"] = message
        self.bureau_managed = is_bureau_managed(
            self.supervisory_unit if self.supervisory_unit_id else None
        )
        if errors:
            raise ValidationError(errors)
