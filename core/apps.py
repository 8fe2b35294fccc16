from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """The project's shared machinery (docs/architecture.md). An app only so that its
    management commands (backup, restore, rotate_id_number_keys) are found; it has no models
    and imports no app of this project."""

    name = "core"
    verbose_name = _("shared machinery")
