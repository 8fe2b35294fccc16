"""三员分立: the system, security and audit administrators each do their own work and nobody
else's; business roles do none of it (issue 8)."""

import io

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import CommandError, call_command
from django.db.models import QuerySet
from django.urls import reverse

from accounts import roles
from accounts.models import User
from audit.choices import AuditAction
from audit.models import AuditRecord
from audit.services import audit_record
from tests.factories import (
    OrganizationFactory,
    SupervisoryUnitFactory,
    make_organization_user,
    make_user,
)

pytestmark = pytest.mark.django_db

SYSTEM, SECURITY, AUDIT = roles.SYSTEM_ADMIN, roles.SECURITY_ADMIN, roles.AUDIT_ADMIN
BUSINESS = (roles.CLERK, roles.COMMITTEE, roles.SUPERVISORY_UNIT)


def group(role: str) -> Group:
    return Group.objects.get(name=roles.GROUP_NAMES[role])


def user_of(role: str) -> User:
    if role == roles.SUPERVISORY_UNIT:
        return make_user(role, username=role, supervisory_unit=SupervisoryUnitFactory())
    if role == roles.ORGANIZATION:
        return make_organization_user(OrganizationFactory())
    return make_user(role, username=role)


# Which role may open which page (200); every other role is refused (403 or sent to login).
PAGES = {
    "user list": (reverse("admin:accounts_user_changelist"), {SYSTEM, SECURITY}),
    "add user": (reverse("admin:accounts_user_add"), {SYSTEM}),
    "group list": (reverse("admin:auth_group_changelist"), {SECURITY}),
    "audit log": (reverse("admin:audit_auditrecord_changelist"), {AUDIT}),
    "districts (configuration)": (
        reverse("admin:registry_district_changelist"),
        {SYSTEM, roles.CLERK},
    ),
    "organizations": (
        reverse("admin:registry_organization_changelist"),
        {roles.CLERK, roles.COMMITTEE, roles.SUPERVISORY_UNIT},
    ),
    "Party members": (
        reverse("admin:partybuilding_partymember_changelist"),
        {roles.CLERK, roles.COMMITTEE, roles.SUPERVISORY_UNIT},
    ),
    "applications": (
        reverse("admin:registry_application_changelist"),
        {roles.CLERK, roles.COMMITTEE, roles.SUPERVISORY_UNIT},
    ),
    "annual checks": (
        reverse("admin:annualcheck_annualcheck_changelist"),
        {roles.CLERK, roles.COMMITTEE, roles.SUPERVISORY_UNIT},
    ),
    "Party-building dashboard": (
        reverse("partybuilding:dashboard"),
        {roles.CLERK, roles.COMMITTEE, roles.SUPERVISORY_UNIT},
    ),
    "Party-building ledger": (
        reverse("partybuilding:ledger"),
        {roles.CLERK, roles.COMMITTEE, roles.SUPERVISORY_UNIT},
    ),
}


@pytest.mark.parametrize(
    "role", [SYSTEM, SECURITY, AUDIT, *BUSINESS, roles.ORGANIZATION], ids=lambda r: r
)
def test_each_role_opens_its_own_pages_and_none_of_the_others(client, role):
    client.force_login(user_of(role))
    for name, (url, allowed) in PAGES.items():
        status = client.get(url).status_code
        if role in allowed:
            assert status == 200, (name, status)
        else:
            assert status in (302, 403), (name, status)


def change_form_data(client, user) -> dict:
    """What the user's change page would post back unchanged (its editable fields only)."""
    response = client.get(reverse("admin:accounts_user_change", args=[user.pk]))
    assert response.status_code == 200
    form = response.context["adminform"].form
    data = {"_save": "保存"}
    for name, field in form.fields.items():
        if field.disabled:
            continue
        value = form.initial.get(name, field.initial)
        if isinstance(value, list | tuple | QuerySet):
            data[name] = [getattr(item, "pk", item) for item in value]
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        elif value is not None:
            data[name] = getattr(value, "pk", value)
    return data


def post_change(client, user, **changes):
    data = {**change_form_data(client, user), **changes}
    return client.post(reverse("admin:accounts_user_change", args=[user.pk]), data)


def test_the_system_administrator_creates_accounts_without_roles_and_with_a_password_to_change(
    client,
):
    client.force_login(user_of(SYSTEM))
    response = client.post(
        reverse("admin:accounts_user_add"),
        {
            "username": "zhang.wei",
            "usable_password": "true",
            "password1": "Chang-chun-2026!",
            "password2": "Chang-chun-2026!",
            "_save": "保存",
        },
    )
    assert response.status_code == 302
    created = User.objects.get(username="zhang.wei")
    assert created.password_change_required
    assert not created.groups.exists() and not created.is_staff


def test_the_system_administrator_edits_accounts_but_not_their_roles(client):
    target = make_user(roles.COMMITTEE, username="target")
    client.force_login(user_of(SYSTEM))
    response = post_change(
        client,
        target,
        first_name="王芳",
        is_active="",
        groups=[group(roles.CLERK).pk],
        user_permissions=[Permission.objects.get(codename="view_unmasked_id_number").pk],
    )
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.first_name == "王芳" and not target.is_active
    assert set(target.groups.values_list("name", flat=True)) == {roles.GROUP_NAMES[roles.COMMITTEE]}
    assert not target.user_permissions.exists()


def test_passwords_are_set_by_the_system_administrator_only_and_must_then_be_changed(client):
    target = make_user(roles.CLERK, username="target")
    url = reverse("admin:auth_user_password_change", args=[target.pk])
    data = {"password1": "Another-pass-2026", "password2": "Another-pass-2026"}
    data["usable_password"] = "true"
    client.force_login(user_of(SECURITY))
    assert client.get(url).status_code == 403
    assert client.post(url, data).status_code == 403
    client.force_login(user_of(SYSTEM))
    assert client.post(url, data).status_code == 302
    target.refresh_from_db()
    assert target.check_password("Another-pass-2026") and target.password_change_required


def test_the_security_administrator_assigns_roles_and_nothing_else(client):
    target = make_user(roles.COMMITTEE, username="target")
    target.groups.clear()
    target.is_staff = False
    target.save()
    client.force_login(user_of(SECURITY))
    response = post_change(
        client, target, groups=[group(roles.CLERK).pk], username="renamed", first_name="x"
    )
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.username == "target" and target.first_name != "x"
    assert target.role_names == {roles.CLERK} and target.is_staff
    assert AuditRecord.objects.filter(
        action=AuditAction.ROLE_CHANGE, object_id=str(target.pk), username="security_admin"
    ).exists()
    # No add, no delete, no group editing.
    assert client.get(reverse("admin:accounts_user_add")).status_code == 403
    assert client.get(reverse("admin:accounts_user_delete", args=[target.pk])).status_code == 403
    clerks = group(roles.CLERK)
    assert client.get(reverse("admin:auth_group_change", args=[clerks.pk])).status_code == 200
    before = set(clerks.permissions.values_list("pk", flat=True))
    client.post(
        reverse("admin:auth_group_change", args=[clerks.pk]), {"name": "x", "permissions": []}
    )
    assert set(clerks.permissions.values_list("pk", flat=True)) == before


def test_a_role_removed_closes_the_admin(client):
    target = make_user(roles.CLERK, username="target")
    client.force_login(user_of(SECURITY))
    assert post_change(client, target, groups=[]).status_code == 302
    target.refresh_from_db()
    assert not target.is_staff and target.role_names == set()


@pytest.mark.parametrize(
    "wanted, message",
    [
        ((SYSTEM, AUDIT), "只能担任系统管理员、安全管理员、审计管理员中的一个"),
        ((SECURITY, roles.CLERK), "不能同时担任业务角色"),
        ((roles.SUPERVISORY_UNIT,), "需要先为账号指定业务主管单位"),
    ],
    ids=["two administrator roles", "administrator and clerk", "unit role without a unit"],
)
def test_roles_that_would_break_the_separation_are_refused(client, wanted, message):
    target = make_user(roles.COMMITTEE, username="target")
    client.force_login(user_of(SECURITY))
    response = post_change(client, target, groups=[group(role).pk for role in wanted])
    assert response.status_code == 200
    assert message in response.content.decode()
    target.refresh_from_db()
    assert target.role_names == {roles.COMMITTEE}


def test_administrators_get_no_permission_one_by_one(client):
    target = make_user(SYSTEM, username="target")
    client.force_login(user_of(SECURITY))
    view_organizations = Permission.objects.get(codename="view_organization")
    response = post_change(client, target, user_permissions=[view_organizations.pk])
    assert response.status_code == 200
    assert "只能通过其角色获得权限" in response.content.decode()
    assert not target.user_permissions.exists()


def test_the_security_administrator_cannot_change_their_own_roles(client):
    security = user_of(SECURITY)
    client.force_login(security)
    response = post_change(client, security, groups=[group(AUDIT).pk])
    assert response.status_code == 200
    assert "不能修改自己的角色或权限" in response.content.decode()
    security.refresh_from_db()
    assert security.role_names == {SECURITY}


def test_the_audit_administrator_reads_and_exports_the_log_and_changes_nothing(client):
    audit_record(action=AuditAction.LOGIN, username="clerk", summary="clerk 登录")
    record = AuditRecord.objects.get(username="clerk")
    client.force_login(user_of(AUDIT))
    changelist = reverse("admin:audit_auditrecord_changelist")
    assert client.get(changelist).status_code == 200
    change = reverse("admin:audit_auditrecord_change", args=[record.pk])
    assert client.get(change).status_code == 200
    assert client.post(change, {"summary": "改写"}).status_code == 403
    response = client.post(changelist, {"action": "export_xlsx", "_selected_action": [record.pk]})
    assert response.status_code == 200
    assert b"".join(response.streaming_content if response.streaming else [response.content])
    record.refresh_from_db()
    assert record.summary == "clerk 登录"
    # Nor anyone's account.
    target = make_user(roles.CLERK, username="target")
    assert client.get(reverse("admin:accounts_user_change", args=[target.pk])).status_code == 403


def test_nobody_deletes_an_account_through_the_admin(client):
    target = make_user(roles.CLERK, username="target")
    client.force_login(user_of(SYSTEM))
    assert client.get(reverse("admin:accounts_user_delete", args=[target.pk])).status_code == 403
    assert User.objects.filter(pk=target.pk).exists()


def test_superuser_and_staff_flags_are_not_editable_by_anyone_in_the_admin(client):
    target = make_user(roles.COMMITTEE, username="target")
    for role in (SYSTEM, SECURITY):
        client.force_login(user_of(role))
        post_change(client, target, is_superuser="on", is_staff="")
        target.refresh_from_db()
        assert not target.is_superuser and target.is_staff


def test_create_administrator_makes_one_account_per_role_with_a_one_time_password():
    out = io.StringIO()
    call_command("create_administrator", "sys.admin", "--role", "system", stdout=out)
    admin = User.objects.get(username="sys.admin")
    assert admin.role_names == {SYSTEM} and admin.is_staff and not admin.is_superuser
    assert admin.password_change_required
    password = out.getvalue().split("一次性密码：")[1].split()[0]
    assert admin.check_password(password)
    with pytest.raises(CommandError, match="已存在"):
        call_command("create_administrator", "sys.admin", "--role", "audit", stdout=out)
    assert User.objects.get(username="sys.admin").role_names == {SYSTEM}


def test_the_security_administrator_resets_a_lost_phone_from_the_user_list(client):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tests.conftest import confirmed_totp_device

    target = make_user(roles.CLERK, username="target")
    confirmed_totp_device(target)
    changelist = reverse("admin:accounts_user_changelist")
    action = {"action": "reset_two_factor", "_selected_action": [target.pk]}
    client.force_login(user_of(SYSTEM))
    assert "reset_two_factor" not in client.get(changelist).content.decode()
    client.post(changelist, action)
    assert TOTPDevice.objects.filter(user=target).exists()
    client.force_login(user_of(SECURITY))
    assert "reset_two_factor" in client.get(changelist).content.decode()
    assert client.post(changelist, action).status_code == 302
    assert not TOTPDevice.objects.filter(user=target).exists()
    assert AuditRecord.objects.filter(
        action=AuditAction.TWO_FACTOR, object_id=str(target.pk)
    ).exists()


def test_nobody_reads_authenticator_keys_in_the_admin(client):
    client.force_login(User.objects.create_superuser("root", password="Installation-2026"))
    index = client.get(reverse("admin:index")).content.decode()
    assert "otp_totp" not in index and "otp_static" not in index


def test_the_security_administrator_lifts_a_lock_early_and_it_is_audited(client):
    from accounts.models import AccountLock

    target = make_user(roles.CLERK, username="target")
    for _ in range(5):
        client.post(reverse("admin:login"), {"username": "target", "password": "wrong"})
    lock = AccountLock.objects.get(username="target")
    locks = reverse("admin:accounts_accountlock_changelist")
    action = {"action": "unlock", "_selected_action": [lock.pk]}
    client.force_login(user_of(SYSTEM))
    assert client.get(locks).status_code == 403
    client.force_login(user_of(SECURITY))
    assert client.get(locks).status_code == 200
    assert client.post(locks, action).status_code == 302
    assert not AccountLock.objects.filter(username="target").exists()
    assert AuditRecord.objects.filter(
        action=AuditAction.UNLOCK, username="security_admin", details__username="target"
    ).exists()
    assert target.check_password("Test-password-2018")
