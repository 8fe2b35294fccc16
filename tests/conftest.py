import pytest
from django.core.management import call_command

from accounts import roles
from tests.factories import make_user


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
