from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartyBuildingConfig(AppConfig):
    name = "partybuilding"
    verbose_name = _("Party building")

    def ready(self):
        from . import receivers, signals

        signals.party_organization_founded.connect(
            receivers.end_dispatches_on_founding,
            dispatch_uid="partybuilding.end_dispatches_on_founding",
        )
