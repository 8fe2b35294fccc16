"""The environment a bureau sets for production (README, 部署), for tests that start the
production settings in a subprocess; fresh random keys each time."""

import os
import secrets

from cryptography.fernet import Fernet


def production_environment(**overrides) -> dict:
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL"))
    }
    environment.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(60),
        DJANGO_ALLOWED_HOSTS="mzj.example.gov.cn",
        DJANGO_AUDIT_CHAIN_KEY=secrets.token_urlsafe(40),
        DJANGO_ID_NUMBER_KEYS=Fernet.generate_key().decode(),
        DJANGO_ID_NUMBER_HASH_KEY=secrets.token_urlsafe(40),
    )
    environment.update(overrides)
    return environment
