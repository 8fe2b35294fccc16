from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganizationType(models.TextChoices):
    SOCIAL_GROUP = "social_group", _("social group")
    PRIVATE_NON_ENTERPRISE = "private_non_enterprise", _("private non-enterprise unit")
    FOUNDATION = "foundation", _("foundation")


class OrganizationStatus(models.TextChoices):
    ACTIVE = "active", _("active")
    DEREGISTERED = "deregistered", _("deregistered")
    REVOKED = "revoked", _("revoked")


class DistrictKind(models.TextChoices):
    ADMINISTRATIVE = "administrative", _("administrative division")
    FUNCTIONAL_ZONE = "functional_zone", _("functional zone")
