from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CreditConfig(AppConfig):
    name = "credit"
    verbose_name = _("credit supervision")
    # In the admin's app list: the list entries first, then the facts they rest on.
    admin_model_order = ("listentry", "penalty", "rectificationnotice", "returnedletter")

    def ready(self):
        from .hooks import connect

        connect()  # the ledger column, the organization admin, the annual-check review notes
