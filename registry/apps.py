from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "registry"
    verbose_name = _("registry of social organizations")

    def ready(self):
        import config.checks  # noqa: F401  (registers the published-keys deploy check)

        from .concurrency import connect_version_receivers
        from .models import Application, Organization

        # Every save of these moves their version on (optimistic locking, registry.concurrency).
        connect_version_receivers(Organization, Application)

        from .receivers import install_divisions

        post_migrate.connect(
            install_divisions, sender=self, dispatch_uid="registry.install_divisions"
        )
