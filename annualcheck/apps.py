from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnnualCheckConfig(AppConfig):
    name = "annualcheck"
    verbose_name = _("annual inspection")
