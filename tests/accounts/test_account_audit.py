"""Issue 13, point 6: creating an account, re-activating and deactivating one, setting a password
and changing roles each write one audit record (before, only Django's editable
django_admin_log had them)."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from accounts import roles
from accounts.models import User
from audit.choices import AuditAction
from audit.models import AuditRecord
from tests.accounts.test_separation_of_duties import group, post_change, user_of
from tests.factories import make_user

pytestmark = pytest.mark.django_db
PASSWORD = "Test-password-2018"
NEW = "Another-choice-77"


def last_sequence() -> int:
    last = AuditRecord.objects.order_by("-sequence").first()
    return last.sequence if last else 0


def written_since(start: int) -> list[AuditRecord]:
    return list(AuditRecord.objects.filter(sequence__gt=start).order_by("sequence"))


@pytest.fixture
def sysadmin_client(client):
    sysadmin = user_of(roles.SYSTEM_ADMIN)
    client.force_login(sysadmin)
    client.user = sysadmin
    return client


def test_creating_an_account_writes_one_record(sysadmin_client):
    start = last_sequence()
    response = sysadmin_client.post(
        reverse("admin:accounts_user_add"),
        {
            "username": "li.na",
            "usable_password": "true",
            "password1": "Chang-chun-2026!",
            "password2": "Chang-chun-2026!",
            "_save": "保存",
        },
    )
    assert response.status_code == 302
    created = User.objects.get(username="li.na")
    [record] = written_since(start)
    assert (record.action, record.user_id, record.object_id) == (
        AuditAction.DATA_CHANGE,
        sysadmin_client.user.pk,
        str(created.pk),
    )
    assert record.details["event"] == "created"
    assert record.summary == "system_admin 创建了账号 li.na"
    assert created.password_set_by == sysadmin_client.user  # an issued first password


def test_deactivating_and_reactivating_write_one_record_each(sysadmin_client):
    target = make_user(roles.COMMITTEE, username="wang.fang")
    start = last_sequence()
    assert post_change(sysadmin_client, target, is_active="").status_code == 302
    [deactivated] = written_since(start)
    assert deactivated.details["event"] == "deactivated"
    assert deactivated.details["fields"] == ["is_active"]
    assert deactivated.summary == "system_admin 停用了账号 wang.fang"

    start = last_sequence()
    assert post_change(sysadmin_client, target, is_active="on").status_code == 302
    [activated] = written_since(start)
    assert activated.details["event"] == "activated"
    target.refresh_from_db()
    assert target.is_active


def test_setting_a_password_writes_one_record(sysadmin_client):
    target = make_user(roles.CLERK, username="zhao.lei")
    start = last_sequence()
    response = sysadmin_client.post(
        reverse("admin:auth_user_password_change", args=[target.pk]),
        {"password1": NEW, "password2": NEW, "usable_password": "true"},
    )
    assert response.status_code == 302
    [record] = written_since(start)
    assert record.details["event"] == "password_set"
    assert record.summary == "system_admin 设置了账号 zhao.lei 的密码"
    assert NEW not in str(record.details) + record.summary


def test_changing_ones_own_password_writes_one_record(client):
    applicant = make_user(roles.APPLICANT, username="applicant-own-password")
    client.post(reverse("portal:login"), {"username": applicant.username, "password": PASSWORD})
    start = last_sequence()
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW},
    )
    assert response.status_code == 302
    [record] = written_since(start)
    assert (record.details["event"], record.user_id) == ("password_changed", applicant.pk)


def test_a_role_change_writes_one_record_however_many_rows_move(client):
    target = make_user(roles.COMMITTEE, username="sun.li")
    extra = Permission.objects.get(codename="view_unmasked_id_number")
    security = user_of(roles.SECURITY_ADMIN)
    client.force_login(security)
    start = last_sequence()
    # One group removed, one added and one permission given: three relation rows.
    response = post_change(
        client, target, groups=[group(roles.CLERK).pk], user_permissions=[extra.pk]
    )
    assert response.status_code == 302
    [record] = written_since(start)
    assert (record.action, record.user_id) == (AuditAction.ROLE_CHANGE, security.pk)
    assert record.details["roles_before"] == [roles.GROUP_NAMES[roles.COMMITTEE]]
    assert record.details["roles_after"] == [roles.GROUP_NAMES[roles.CLERK]]
    assert record.details["permissions_added"] == ["partybuilding.view_unmasked_id_number"]
    target = User.objects.get(pk=target.pk)
    assert target.role_names == {roles.CLERK} and target.is_staff
    assert target.has_perm("partybuilding.view_unmasked_id_number")
    # Saved again unchanged: nothing happened, nothing is recorded.
    start = last_sequence()
    assert post_change(client, target).status_code == 302
    assert written_since(start) == []
