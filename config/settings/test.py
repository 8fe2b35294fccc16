"""Fast, deterministic settings for the test suite (SQLite unless DATABASE_URL says otherwise)."""

from config.development_keys import (
    TEST_AUDIT_CHAIN_KEY,
    TEST_ID_NUMBER_HASH_KEY,
    TEST_ID_NUMBER_KEY,
    TEST_SECRET_KEY,
)

from .base import *  # noqa: F403
from .base import env

DEBUG = False
SECRET_KEY = TEST_SECRET_KEY
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Serve static files straight from the app and static/ folders, no collectstatic needed.
WHITENOISE_AUTOREFRESH = True

# A development key for the audit chain (base.py says why it is its own key).
AUDIT = {"CHAIN_KEY": env("DJANGO_AUDIT_CHAIN_KEY", TEST_AUDIT_CHAIN_KEY)}

# Fixed development keys for ID numbers (published, not secret), whatever the environment says.
ID_NUMBERS = {
    "ENCRYPTION_KEYS": [TEST_ID_NUMBER_KEY],
    "HASH_KEY": TEST_ID_NUMBER_HASH_KEY,
    "OLD_HASH_KEYS": [],
}

# The public pages' throttle out of the way of the crawl and the browser tests; the throttle's
# own tests set their limit.
DISCLOSURE = {**DISCLOSURE, "REQUESTS_PER_MINUTE": 100_000}  # noqa: F405
