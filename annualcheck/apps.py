from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnnualCheckConfig(AppConfig):
    name = "annualcheck"
    verbose_name = _("annual inspection")

    def ready(self):
        from partybuilding.ledger.selectors import register_ledger_extension

        from .ledger import LATEST_RESULT

        register_ledger_extension(LATEST_RESULT)

        from core.concurrency import connect_version_receivers

        from .models import AnnualCheck, Rectification

        connect_version_receivers(AnnualCheck, Rectification)  # optimistic locking

        from notifications.signals import reminders_wanted

        from .reminders import reminders

        reminders_wanted.connect(reminders, dispatch_uid="annualcheck.reminders")
