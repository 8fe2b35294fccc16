"""Deployment checks of our own (issue 13): `manage.py check --deploy` reports an error for
every key that is one of the development keys published in this repository."""

from django.conf import settings
from django.core import checks
from django.utils.translation import gettext

from .development_keys import PUBLISHED_KEYS


def configured_keys() -> list[tuple[str, str]]:
    """(environment variable, value) of every secret key the settings hold."""
    id_numbers = getattr(settings, "ID_NUMBERS", None) or {}
    audit = getattr(settings, "AUDIT", None) or {}
    keys = [
        ("DJANGO_SECRET_KEY", settings.SECRET_KEY),
        *(("DJANGO_SECRET_KEY_FALLBACKS", key) for key in settings.SECRET_KEY_FALLBACKS),
        ("DJANGO_AUDIT_CHAIN_KEY", audit.get("CHAIN_KEY", "")),
        *(("DJANGO_ID_NUMBER_KEYS", key) for key in id_numbers.get("ENCRYPTION_KEYS", [])),
        ("DJANGO_ID_NUMBER_HASH_KEY", id_numbers.get("HASH_KEY", "")),
        *(("DJANGO_ID_NUMBER_OLD_HASH_KEYS", key) for key in id_numbers.get("OLD_HASH_KEYS", [])),
    ]
    return [(name, str(value)) for name, value in keys if value]


@checks.register(checks.Tags.security, deploy=True)
def check_no_published_keys(app_configs=None, **kwargs):
    return [
        checks.Error(
            gettext(
                "%(name)s uses a development or test key published in this program's code: "
                "anyone can forge sessions, rewrite the audit log or decrypt ID numbers with it."
            )
            % {"name": name},
            hint=gettext("Generate new random keys for production (README: 部署)."),
            id="config.E001",
        )
        for name, value in configured_keys()
        if value in PUBLISHED_KEYS
    ]
