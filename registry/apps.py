from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "registry"
    verbose_name = _("registry of social organizations")

    def ready(self):
        from core.concurrency import connect_version_receivers

        from .models import Application, ChangeApplication, Deregistration, Organization

        # Every save of these moves their version on (optimistic locking, core.concurrency).
        connect_version_receivers(Organization, Application, ChangeApplication, Deregistration)

        from accounts.signals import otp_issuer_wanted

        from .receivers import install_divisions, on_otp_issuer_wanted

        otp_issuer_wanted.connect(on_otp_issuer_wanted, dispatch_uid="registry.otp_issuer")

        from .services.certificates import reissue_after_change, withdraw_at_registration_end
        from .signals import organization_changed, organization_registration_ended

        # R-CERT-3: an approved change of a printed item reissues the certificates; R-CERT-4:
        # the end of the registration withdraws them.
        organization_changed.connect(reissue_after_change, dispatch_uid="registry.reissue")
        organization_registration_ended.connect(
            withdraw_at_registration_end, dispatch_uid="registry.withdraw_certificates"
        )

        post_migrate.connect(
            install_divisions, sender=self, dispatch_uid="registry.install_divisions"
        )
