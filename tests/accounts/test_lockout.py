"""Failed-login lockout (issue 8): 5 failures of one account within 15 minutes lock it for 30,
whatever password comes next; every failure and the lock are in the audit log."""

import datetime

import pytest
from django.contrib.auth import authenticate
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from django.utils import formats, timezone

from accounts import roles
from accounts.forms import StaffAuthenticationForm
from accounts.lockout import account_locked_until
from accounts.lockout_models import AccountLock, LoginFailure
from accounts.services import account_unlock
from audit.choices import AuditAction
from audit.models import AuditRecord
from tests.factories import OrganizationFactory, make_organization_user, make_user

pytestmark = pytest.mark.django_db
PASSWORD = "Test-password-2018"


@pytest.fixture
def applicant(db):
    return make_user(roles.APPLICANT, username="applicant-lock")


def attempt(username, password="wrong-password", ip="203.0.113.9"):
    return Client().post(
        reverse("portal:login"),
        {"username": username, "password": password},
        REMOTE_ADDR=ip,
    )


def fail(username, times: int):
    for _ in range(times):
        response = attempt(username)
        assert response.status_code == 200  # the form again, with its error


def shift_back(queryset, minutes: int, *fields):
    for row in queryset:
        for field in fields:
            setattr(row, field, getattr(row, field) - datetime.timedelta(minutes=minutes))
        row.save()


def test_four_failures_do_not_lock(applicant):
    fail(applicant.username, 4)
    assert account_locked_until(applicant.username) is None
    assert attempt(applicant.username, PASSWORD).status_code == 302


def test_five_failures_lock_even_the_right_password_out(applicant):
    fail(applicant.username, 5)
    locked_until = account_locked_until(applicant.username)
    expected = timezone.now() + datetime.timedelta(minutes=30)
    assert abs((locked_until - expected).total_seconds()) < 60
    response = attempt(applicant.username, PASSWORD)
    assert response.status_code == 200
    assert "_auth_user_id" not in response.wsgi_request.session
    assert authenticate(username=applicant.username, password=PASSWORD) is None


def test_the_message_says_when_to_try_again(applicant):
    fail(applicant.username, 5)
    locked_until = AccountLock.objects.get(username=applicant.username).locked_until
    shown = formats.date_format(timezone.localtime(locked_until), "Y-m-d H:i")
    page = attempt(applicant.username, PASSWORD).content.decode()
    assert f"该账号已连续登录失败 5 次，已被锁定 30 分钟。请于 {shown} 以后再试" in page


def test_the_staff_login_form_says_it_too(clerk):
    fail(clerk.username, 5)
    form = StaffAuthenticationForm(None, {"username": clerk.username, "password": PASSWORD})
    assert not form.is_valid()
    assert "已被锁定 30 分钟" in str(form.non_field_errors())


def test_five_failures_spread_over_more_than_fifteen_minutes_do_not_lock(applicant):
    fail(applicant.username, 3)
    shift_back(LoginFailure.objects.filter(username=applicant.username), 16, "at")
    fail(applicant.username, 2)
    assert account_locked_until(applicant.username) is None
    # Seven failures in all, but only four within fifteen minutes; the fifth locks.
    fail(applicant.username, 2)
    assert account_locked_until(applicant.username) is None
    fail(applicant.username, 1)
    assert account_locked_until(applicant.username) is not None


def test_a_success_forgets_earlier_failures(applicant):
    fail(applicant.username, 4)
    assert attempt(applicant.username, PASSWORD).status_code == 302
    fail(applicant.username, 4)
    assert account_locked_until(applicant.username) is None


def test_the_lock_runs_out_after_thirty_minutes(applicant):
    fail(applicant.username, 5)
    lock = AccountLock.objects.filter(username=applicant.username)
    shift_back(lock, 29, "locked_at", "locked_until")
    assert attempt(applicant.username, PASSWORD).status_code == 200  # one minute to go
    shift_back(lock, 2, "locked_at", "locked_until")
    assert attempt(applicant.username, PASSWORD).status_code == 302


def test_a_credit_code_typed_in_lower_case_counts_for_the_same_account():
    organization = OrganizationFactory()
    user = make_organization_user(organization)
    fail(organization.credit_code.lower(), 3)
    fail(" " + organization.credit_code + " ", 2)
    assert account_locked_until(user.username) is not None


def test_failures_from_different_addresses_add_up(applicant):
    for number in range(5):
        attempt(applicant.username, ip=f"198.51.100.{number}")
    assert account_locked_until(applicant.username) is not None


def test_every_failure_and_the_lock_are_audited(applicant):
    fail(applicant.username, 6)  # the sixth while locked
    failures = AuditRecord.objects.filter(action=AuditAction.LOGIN_FAILED)
    assert failures.count() == 6
    [lock] = AuditRecord.objects.filter(action=AuditAction.LOCKOUT)
    assert (lock.username, lock.ip_address) == (applicant.username, "203.0.113.9")
    locked_until = AccountLock.objects.get(username=applicant.username).locked_until
    assert lock.details["locked_until"] == locked_until.isoformat()


def test_the_limits_come_from_settings(settings, applicant):
    settings.ACCOUNTS = {**settings.ACCOUNTS, "LOCKOUT_FAILURES": 2, "LOCKOUT_MINUTES": 5}
    fail(applicant.username, 2)
    locked_until = account_locked_until(applicant.username)
    expected = timezone.now() + datetime.timedelta(minutes=5)
    assert abs((locked_until - expected).total_seconds()) < 60


def test_a_security_administrator_can_unlock_early(applicant):
    fail(applicant.username, 5)
    nobody = make_user(roles.CLERK, username="not-security")
    with pytest.raises(PermissionDenied):
        account_unlock(username=applicant.username, by=nobody)
    assert account_locked_until(applicant.username) is not None
    nobody.user_permissions.add(Permission.objects.get(codename="unlock_account"))
    security = type(nobody).objects.get(pk=nobody.pk)  # fresh permission cache
    assert account_unlock(username=applicant.username, by=security) is True
    assert account_locked_until(applicant.username) is None
    assert attempt(applicant.username, PASSWORD).status_code == 302
    assert account_unlock(username=applicant.username, by=security) is False


def test_names_no_account_could_have_are_counted_without_breaking(db):
    too_long = "长" * 200 + "<script>"
    fail(too_long, 5)
    assert account_locked_until(too_long) is not None
    assert LoginFailure.objects.count() == 0  # cleared by the lock
    assert len(AccountLock.objects.get().username) == 150


@pytest.mark.parametrize("url_name", ["accounts:password_change", "admin:password_change"])
def test_the_change_password_form_counts_wrong_current_passwords(client, settings, url_name):
    # redteam: the current-password check of the change-password pages was a second way to
    # try passwords, with no limit: a borrowed session guessed the password without a lock.
    failures = settings.ACCOUNTS["LOCKOUT_FAILURES"]
    role = roles.APPLICANT if url_name.startswith("accounts") else roles.CLERK
    user = make_user(role, username=f"change-{role}")
    client.force_login(user)  # the conftest client: a staff session is verified
    chosen = "Chosen-password-2026"

    def change(current):
        return client.post(
            reverse(url_name),
            {"old_password": current, "new_password1": chosen, "new_password2": chosen},
        )

    for number in range(failures):
        assert change(f"guess-{number}").status_code == 200
    assert account_locked_until(user.username) is not None
    refused = change(PASSWORD)
    assert refused.status_code == 200
    assert "old_password" in refused.context["form"].errors
    user.refresh_from_db()
    assert user.check_password(PASSWORD) and not user.check_password(chosen)
