from django.apps import AppConfig


class SiteConfig(AppConfig):
    """The top layer: the settings, the URLs and the deploy checks about them. An app only so
    that its checks are registered at start-up (no app below may import config)."""

    name = "config"
    label = "site_config"

    def ready(self):
        from . import checks  # noqa: F401  (registers the published-keys deploy check)
