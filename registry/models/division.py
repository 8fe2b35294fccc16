from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class DivisionLevel(models.TextChoices):
    PROVINCE = "province", _("province")
    PREFECTURE = "prefecture", _("prefecture")
    COUNTY = "county", _("county")
    TOWNSHIP = "township", _("township")


class Division(models.Model):
    """One entry of the national list of administrative divisions: a province, prefecture or
    county (GB/T 2260, 6 digits) or a township or street (the statistics bureau's 12 digits).
    Reference data shipped with the product (registry/data/divisions/); the districts and
    streets of the bureau's own jurisdiction are made from it (registry.services.divisions)."""

    code = models.CharField(_("division code"), max_length=12, unique=True)
    name = models.CharField(_("name"), max_length=60)
    level = models.CharField(_("level"), max_length=20, choices=DivisionLevel.choices)
    parent_code = models.CharField(_("parent division code"), max_length=12, blank=True)
    # A refresh that no longer lists a code keeps its row (old ledgers still name it).
    is_current = models.BooleanField(_("current"), default=True)

    class Meta:
        verbose_name = _("administrative division")
        verbose_name_plural = _("administrative divisions")
        ordering = ["code"]
        indexes = [models.Index(fields=["parent_code"], name="division_parent_idx")]

    def __str__(self):
        return f"{self.name}（{self.code}）"


region_code_validator = RegexValidator(r"^\d{6}$", _("Enter the six digits of a division code."))
code_prefix_validator = RegexValidator(
    r"^[0-9A-HJ-NP-RTUWXY]{0,6}$",
    _("Use at most six characters of the credit-code alphabet (no I, O, S, V, Z)."),
)


class BureauProfile(models.Model):
    """The bureau this install serves (one row): set on its first day by the system
    administrator or `setup_bureau`; until then the settings' REGISTRY values apply."""

    authority_name = models.CharField(_("registration authority"), max_length=100)
    region_code = models.CharField(
        _("region code"),
        max_length=6,
        validators=[region_code_validator],
        help_text=_(
            "Division code of the bureau's region (positions 3-8 of the credit codes it issues),"
            " e.g. 220100 for a city's bureau, 220000 for a province's."
        ),
    )
    organization_code_prefix = models.CharField(
        _("organization code prefix"),
        max_length=6,
        blank=True,
        validators=[code_prefix_validator],
        help_text=_("Organization codes the bureau issues are this prefix and a sequence number."),
    )
    ledger_title = models.CharField(_("ledger title"), max_length=100)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("bureau profile")
        verbose_name_plural = _("bureau profile")
        constraints = [models.CheckConstraint(condition=Q(pk=1), name="one_bureau_profile")]

    def __str__(self):
        return self.authority_name

    def clean(self):
        if (
            self.region_code
            and not Division.objects.filter(
                code=self.region_code,
                level__in=[DivisionLevel.PROVINCE, DivisionLevel.PREFECTURE, DivisionLevel.COUNTY],
            ).exists()
        ):
            raise ValidationError(
                {
                    "region_code": _("No administrative division has the code %(code)s.")
                    % {"code": self.region_code}
                }
            )
