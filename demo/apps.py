from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The Changchun demo. It sits above every app, so it may import them all."""

    name = "demo"
    verbose_name = _("demo data")
