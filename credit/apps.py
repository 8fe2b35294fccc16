from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CreditConfig(AppConfig):
    name = "credit"
    verbose_name = _("credit supervision")

    def ready(self):
        from .hooks import connect

        connect()  # the ledger column, the organization admin, the annual-check review notes
