from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class ExportsConfig(AppConfig):
    name = "exports"
    verbose_name = _("Exports")

    def ready(self):
        # Each app's export_views module registers its export kinds (register_export_kind), as
        # admin.py registers model admins; the worker process needs them without any URL loaded.
        autodiscover_modules("export_views")
