"""Fast, deterministic settings for the test suite (SQLite unless DATABASE_URL says otherwise)."""

from .base import *  # noqa: F403
from .base import env

DEBUG = False
SECRET_KEY = "test-only-key-not-secret"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Serve static files straight from the app and static/ folders, no collectstatic needed.
WHITENOISE_AUTOREFRESH = True

# A development key for the audit chain (base.py says why it is its own key).
AUDIT = {"CHAIN_KEY": env("DJANGO_AUDIT_CHAIN_KEY", "test-only-audit-chain-key")}

# Fixed development keys for ID numbers (published, not secret), whatever the environment says.
ID_NUMBERS = {
    "ENCRYPTION_KEYS": ["FjCzCKG108BEi67XD4TIg93JAA1SNtlgOPFUdHTi3L4="],
    "HASH_KEY": "test-only-id-number-hash-key-not-secret",
    "OLD_HASH_KEYS": [],
}
