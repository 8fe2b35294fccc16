"""Deployment checks of our own (issue 13): `manage.py check --deploy` reports an error for
every key that is one of the development keys published in this repository."""

from django.conf import settings
from django.core import checks

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
            f"{name} 使用了本程序代码中公开的开发或测试密钥，任何人都可据此伪造会话、"
            "改写审计日志或解密身份证号。",
            hint="为生产环境生成新的随机密钥（README：部署）。",
            id="config.E001",
        )
        for name, value in configured_keys()
        if value in PUBLISHED_KEYS
    ]
