"""Settings for benchmark runs: production-like (DEBUG off), the database from DATABASE_URL."""

from config.settings.base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "bench-only-key-not-secret"
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True
# Published keys, not secret: benchmark data is generated.
ID_NUMBERS = {
    "ENCRYPTION_KEYS": ["FjCzCKG108BEi67XD4TIg93JAA1SNtlgOPFUdHTi3L4="],
    "HASH_KEY": "bench-only-id-number-hash-key-not-secret",
    "OLD_HASH_KEYS": [],
}
AUDIT = {"CHAIN_KEY": "bench-only-audit-chain-key-not-secret"}
# The public pages are timed by one client: the per-address throttle would answer 429.
DISCLOSURE = {**DISCLOSURE, "REQUESTS_PER_MINUTE": 10**9}  # noqa: F405
