from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartyBuildingConfig(AppConfig):
    name = "partybuilding"
    verbose_name = _("Party building")

    def ready(self):
        from registry.signals import organization_registered

        from . import receivers, signals

        signals.party_organization_founded.connect(
            receivers.end_dispatches_on_founding,
            dispatch_uid="partybuilding.end_dispatches_on_founding",
        )
        organization_registered.connect(
            receivers.file_member_form_on_registration,
            dispatch_uid="partybuilding.file_member_form_on_registration",
        )
