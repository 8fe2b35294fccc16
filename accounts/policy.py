"""The identity policy's switches, read in one place (settings.ACCOUNTS)."""

from django.conf import settings


def account_settings() -> dict:
    return settings.ACCOUNTS


def demo_exempt(user) -> bool:
    """Demo accounts skip the forced password change and two-factor set-up, and only while the
    site runs in demo mode (`make run`): a production site never exempts anyone."""
    return bool(account_settings()["DEMO_MODE"] and getattr(user, "demo_account", False))
