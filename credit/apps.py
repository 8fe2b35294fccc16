from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CreditConfig(AppConfig):
    name = "credit"
    verbose_name = _("credit supervision")
    # In the admin's app list: the list entries first, then the facts they rest on.
    admin_model_order = ("listentry", "penalty", "rectificationnotice", "returnedletter")

    def ready(self):
        from core.concurrency import connect_version_receivers

        from .models import ListEntry

        # Every save moves the entry's version on (optimistic locking, core.concurrency).
        connect_version_receivers(ListEntry)

        from .hooks import connect

        connect()  # the ledger column, the organization admin, the annual-check review notes

        from .notices import on_entry_decided
        from .signals import entry_decided

        entry_decided.connect(on_entry_decided, dispatch_uid="credit.notify_organization")
