"""Developer and demo settings: `make run` uses these."""

from config.development_keys import (
    LOCAL_AUDIT_CHAIN_KEY,
    LOCAL_ID_NUMBER_HASH_KEY,
    LOCAL_ID_NUMBER_KEY,
    LOCAL_SECRET_KEY,
)

from .base import *  # noqa: F403
from .base import env, env_bool, env_list

DEBUG = env_bool("DJANGO_DEBUG", True)
# A fixed key is fine for a laptop demo; production.py refuses to start without a real one.
SECRET_KEY = env("DJANGO_SECRET_KEY", LOCAL_SECRET_KEY)

# Serve static files straight from the app and static/ folders, no collectstatic needed.
WHITENOISE_AUTOREFRESH = True

# `make run` is the demo: its seeded accounts need no password change or two-factor set-up.
ACCOUNTS = {**ACCOUNTS, "DEMO_MODE": env_bool("DJANGO_DEMO_MODE", True)}  # noqa: F405
# The demo is Changchun in mid-2018: deadlines, overdue flags, grades and default years follow
# that date rather than today's (core.calendar.today; DJANGO_DEMO_TODAY= turns it off).
REGISTRY = {**REGISTRY, "DEMO_TODAY": env("DJANGO_DEMO_TODAY", "2018-07-01")}  # noqa: F405

# A development key for the audit chain (base.py says why it is its own key).
AUDIT = {"CHAIN_KEY": env("DJANGO_AUDIT_CHAIN_KEY", LOCAL_AUDIT_CHAIN_KEY)}

# Development keys for ID numbers, published here and so not secret: never use them for real data
# (`check --deploy` reports them, config.checks).
ID_NUMBERS = {
    "ENCRYPTION_KEYS": env_list("DJANGO_ID_NUMBER_KEYS", LOCAL_ID_NUMBER_KEY),
    "HASH_KEY": env("DJANGO_ID_NUMBER_HASH_KEY", LOCAL_ID_NUMBER_HASH_KEY),
    "OLD_HASH_KEYS": env_list("DJANGO_ID_NUMBER_OLD_HASH_KEYS"),
}
