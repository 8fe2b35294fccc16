"""Developer and demo settings: `make run` uses these."""

from .base import *  # noqa: F403
from .base import env, env_bool

DEBUG = env_bool("DJANGO_DEBUG", True)
# A fixed key is fine for a laptop demo; production.py refuses to start without a real one.
SECRET_KEY = env("DJANGO_SECRET_KEY", "insecure-local-development-key-do-not-deploy")

# Serve static files straight from the app and static/ folders, no collectstatic needed.
WHITENOISE_AUTOREFRESH = True

# `make run` is the demo: its seeded accounts need no password change or two-factor set-up.
ACCOUNTS = {**ACCOUNTS, "DEMO_MODE": env_bool("DJANGO_DEMO_MODE", True)}  # noqa: F405
