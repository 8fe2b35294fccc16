from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "registry"
    verbose_name = _("registry of social organizations")

    def ready(self):
        from core.concurrency import connect_version_receivers

        from .models import Application, Deregistration, Organization

        # Every save of these moves their version on (optimistic locking, core.concurrency).
        connect_version_receivers(Organization, Application, Deregistration)

        from accounts.signals import otp_issuer_wanted

        from .receivers import install_divisions, on_otp_issuer_wanted

        otp_issuer_wanted.connect(on_otp_issuer_wanted, dispatch_uid="registry.otp_issuer")

        post_migrate.connect(
            install_divisions, sender=self, dispatch_uid="registry.install_divisions"
        )
