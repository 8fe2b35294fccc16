"""The lockout under a burst of parallel logins (issue 13, point 4): 20–40 parallel POSTs used to
give HTTP 500 ("database is locked" while recording the failure), go uncounted, check far more
passwords than the limit and accept the right password inside the burst.

Each thread posts to the real login page through the whole request stack with its own database
connection. PostgreSQL: the test database itself. SQLite: the suite's database lives in memory,
shared by one connection, so the burst runs against a file copy of it, as a real site's does."""

import sqlite3
import threading

import pytest
from django.contrib.auth.hashers import MD5PasswordHasher
from django.db import connections
from django.test import Client
from django.urls import reverse

from accounts import roles
from accounts.lockout import account_locked_until
from accounts.policy import account_settings
from audit.choices import AuditAction
from audit.models import AuditRecord
from tests.factories import make_user

PASSWORD = "Test-password-2018"
BURST = 20
CHECK_SECONDS = 0.2  # a password check long enough for the burst to overlap it


class CountingHasher(MD5PasswordHasher):
    """The test suite's hasher, counting password checks and taking its time over each."""

    checks = 0
    checking = threading.Event()  # set once LOCKOUT_FAILURES checks have begun
    lock = threading.Lock()

    def verify(self, password, encoded):
        with CountingHasher.lock:
            CountingHasher.checks += 1
            if CountingHasher.checks >= account_settings()["LOCKOUT_FAILURES"]:
                CountingHasher.checking.set()
        threading.Event().wait(CHECK_SECONDS)
        return super().verify(password, encoded)


@pytest.fixture
def counting_hasher(settings):
    settings.PASSWORD_HASHERS = [f"{__name__}.CountingHasher"]
    CountingHasher.checks = 0
    CountingHasher.checking = threading.Event()
    return CountingHasher


@pytest.fixture
def threaded_database(transactional_db, tmp_path):
    """Run `call()` in threads, each with its own connection; yields a runner."""
    connection = connections["default"]
    swapped = None
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        swapped = connection.settings_dict["NAME"]

    def copy_to_file():
        connection.ensure_connection()
        path = tmp_path / "burst.sqlite3"
        target = sqlite3.connect(path)
        connection.connection.backup(target)
        target.close()
        # New connections (the threads') open the file; this thread's stays on the memory one.
        connection.settings_dict["NAME"] = str(path)

    def in_thread(call):
        result = []

        def run():
            try:
                result.append(call())
            finally:
                connections.close_all()

        thread = threading.Thread(target=run)
        thread.start()
        return thread, result

    class Runner:
        def start(self):
            if swapped is not None:
                copy_to_file()
                assert not self.in_thread(lambda: connections["default"].is_in_memory_db())

        def in_thread(self, call):
            thread, result = in_thread(call)
            thread.join()
            return result[0]

        def spawn(self, call):
            return in_thread(call)

    yield Runner()
    if swapped is not None:
        connection.settings_dict["NAME"] = swapped


def login_post(username, password, ip):
    client = Client(raise_request_exception=False)
    response = client.post(
        reverse("portal:login"), {"username": username, "password": password}, REMOTE_ADDR=ip
    )
    return response.status_code


def test_a_burst_of_wrong_passwords_checks_no_more_than_the_limit(
    threaded_database, counting_hasher
):
    user = make_user(roles.APPLICANT, username="applicant-burst")
    threaded_database.start()
    barrier = threading.Barrier(BURST)

    def attempt(number):
        def call():
            barrier.wait()
            return login_post(user.username, f"wrong-guess-{number}", f"203.0.113.{number}")

        return call

    started = [threaded_database.spawn(attempt(number)) for number in range(BURST)]
    statuses = []
    for thread, result in started:
        thread.join()
        statuses.extend(result)

    limit = account_settings()["LOCKOUT_FAILURES"]
    assert statuses == [200] * BURST  # the form again: no 500, no login
    assert counting_hasher.checks <= limit

    def after():
        return (
            account_locked_until(user.username) is not None,
            AuditRecord.objects.filter(action=AuditAction.LOGIN_FAILED).count(),
            AuditRecord.objects.filter(action=AuditAction.LOCKOUT).count(),
            login_post(user.username, PASSWORD, "203.0.113.200"),
        )

    locked, failed, lockouts, right_password = threaded_database.in_thread(after)
    assert locked
    assert failed == BURST  # every attempt of the burst is in the audit log
    assert lockouts == 1
    assert right_password == 200  # refused once locked
    assert counting_hasher.checks <= limit  # ...without a password check


def test_the_right_password_inside_the_burst_is_refused(threaded_database, counting_hasher):
    user = make_user(roles.APPLICANT, username="applicant-burst")
    threaded_database.start()
    limit = account_settings()["LOCKOUT_FAILURES"]
    wrong = [
        threaded_database.spawn(
            lambda number=number: login_post(user.username, f"guess-{number}", "198.51.100.7")
        )
        for number in range(BURST)
    ]
    # The right password arrives while the first guesses are still being checked.
    assert counting_hasher.checking.wait(timeout=30)
    right = threaded_database.spawn(lambda: login_post(user.username, PASSWORD, "198.51.100.7"))
    statuses = []
    for thread, result in [*wrong, right]:
        thread.join()
        statuses.extend(result)

    assert 500 not in statuses
    assert statuses[-1] == 200  # the right password: the form again, not logged in
    assert 302 not in statuses
    assert counting_hasher.checks <= limit
    assert threaded_database.in_thread(lambda: account_locked_until(user.username)) is not None
