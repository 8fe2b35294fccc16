import time

import pytest
from django.core.management import call_command
from django.test import Client

from accounts import roles
from tests.factories import make_user

# --- Two-factor authentication (accounts.two_factor) -------------------------------------------


def confirmed_totp_device(user):
    """The user's authenticator, as if set up: a confirmed TOTP device, made if there is none."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)


def current_totp_token(user) -> str:
    """What the user's authenticator app shows now. A test may sign one person in twice within
    a 30-second step, and django-otp refuses a step's code a second time (replay guard); the
    device accepts the next step's code too (tolerance 1), so that one is given then."""
    from django_otp.oath import TOTP

    device = confirmed_totp_device(user)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    if device.last_t >= totp.t():
        totp.time += device.step
    return f"{totp.token():0{device.digits}d}"


class TwoFactorClient(Client):
    """`force_login` leaves what a full login leaves: for a user who needs two-factor
    authentication, a session verified with their (made if missing) authenticator. Tests of
    the enforcement itself use a plain django.test.Client."""

    def force_login(self, user, backend=None):
        from django_otp import DEVICE_ID_SESSION_KEY

        from accounts.two_factor import two_factor_required

        super().force_login(user, backend)
        if two_factor_required(user):
            session = self.session
            session[DEVICE_ID_SESSION_KEY] = confirmed_totp_device(user).persistent_id
            session.save()


@pytest.fixture
def client():
    return TwoFactorClient()


@pytest.fixture
def totp_token():
    """current_totp_token, for tests that type a code."""
    return current_totp_token


@pytest.fixture
def clerk(db):
    return make_user(roles.CLERK, username="clerk-test")


@pytest.fixture
def committee_user(db):
    return make_user(roles.COMMITTEE, username="committee-test")


# --- Background exports (tests/exports, tests/browser) ------------------------------------


@pytest.fixture
def private_media(settings, tmp_path):
    """Exports written under the test's own MEDIA_ROOT, never the checkout's media/."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def threshold(settings):
    """Set EXPORTS["BACKGROUND_THRESHOLD_ROWS"] for the test."""

    def set_to(rows: int):
        settings.EXPORTS = {**settings.EXPORTS, "BACKGROUND_THRESHOLD_ROWS": rows}

    return set_to


@pytest.fixture
def reference_data(transactional_db):
    """Transactional tests flush the database after them, and with it the rows the data
    migrations made (industries, the default Party-building body, the evaluation schemes):
    put them back so the test starts like a fresh install."""
    from django.apps import apps

    from evaluation.reference_data import create_schemes
    from registry.reference_data import create_all

    create_all(apps)
    create_schemes(apps)


@pytest.fixture
def run_worker(reference_data):
    """The database queue's own worker, for real: runs what is queued, then exits. It closes
    a connection it finds inside a transaction (PostgreSQL), so its tests are transactional."""

    def run():
        call_command(
            "db_worker",
            "--batch",
            "--no-reload",
            "--no-startup-delay",
            "--interval",
            "0",
            verbosity=0,
        )

    return run
