import pytest
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from simple_history.signals import post_create_historical_record

from audit import receivers
from audit.choices import AuditAction
from audit.models import AuditRecord
from audit.services import audit_verify
from tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db
PASSWORD = "Test-password-2018"


def records(action, after: int = 0):
    found = AuditRecord.objects.filter(action=action, sequence__gt=after)
    return list(found.order_by("sequence"))


def last_sequence() -> int:
    return AuditRecord.objects.order_by("-sequence").values_list("sequence", flat=True).first() or 0


def test_a_login_through_the_portal_is_recorded_with_the_address(client, clerk):
    response = client.post(
        reverse("portal:login"),
        {"username": clerk.username, "password": PASSWORD},
        REMOTE_ADDR="192.0.2.7",
    )
    assert response.status_code == 302
    [login] = records(AuditAction.LOGIN)
    assert (login.user_id, login.username, login.ip_address) == (
        clerk.pk,
        clerk.username,
        "192.0.2.7",
    )
    assert audit_verify().ok


def test_a_logout_is_recorded(client, clerk):
    client.force_login(clerk)
    assert records(AuditAction.LOGOUT) == []
    client.post(reverse("portal:logout"))
    [logout] = records(AuditAction.LOGOUT)
    assert (logout.user_id, logout.object_id) == (clerk.pk, str(clerk.pk))


def test_every_failed_login_is_recorded_and_the_lockout_too(client, clerk):
    for _attempt in range(5):
        client.post(
            reverse("portal:login"),
            {"username": clerk.username, "password": "wrong"},
            REMOTE_ADDR="198.51.100.3",
        )
    failures = records(AuditAction.LOGIN_FAILED)
    assert len(failures) == 5
    assert {(f.username, f.ip_address, f.user_id) for f in failures} == {
        (clerk.username, "198.51.100.3", None)
    }
    assert "wrong" not in str([f.details for f in failures] + [f.summary for f in failures])
    lockout = records(AuditAction.LOCKOUT)[0]
    assert (lockout.username, lockout.ip_address) == (clerk.username, "198.51.100.3")


def test_a_users_group_change_is_a_role_change(clerk):
    group = Group.objects.create(name="档案查阅")
    start = last_sequence()  # after the clerk's own role, given at creation
    clerk.groups.add(group)
    [added] = records(AuditAction.ROLE_CHANGE, start)
    assert (added.object_type, added.object_id) == ("accounts.user", str(clerk.pk))
    assert added.details["operation"] == "add"
    assert added.details["names"] == ["档案查阅"]
    group.user_set.remove(clerk)  # the reverse side counts too
    assert [r.details["operation"] for r in records(AuditAction.ROLE_CHANGE, start)] == [
        "add",
        "remove",
    ]
    clerk.groups.add(group)
    held = sorted(clerk.groups.values_list("pk", flat=True))
    assert len(held) == 2  # the clerk role and the new group
    clerk.groups.clear()
    cleared = records(AuditAction.ROLE_CHANGE, start)[-1]
    assert (cleared.details["operation"], cleared.details["ids"]) == ("clear", held)


def test_permission_changes_of_users_and_groups_are_recorded(clerk):
    permission = Permission.objects.get(codename="view_auditrecord")
    start = last_sequence()
    clerk.user_permissions.add(permission)
    Group.objects.create(name="审计").permissions.add(permission)
    changes = records(AuditAction.PERMISSION_CHANGE, start)
    assert [(c.object_type, c.details["names"]) for c in changes] == [
        ("accounts.user", ["audit.view_auditrecord"]),
        ("auth.group", ["audit.view_auditrecord"]),
    ]


def test_a_model_save_links_its_history_record_and_its_user(clerk):
    organization = OrganizationFactory()
    organization.name = "长春市改名社会服务中心"
    organization._history_user = clerk
    organization.save()
    history = organization.history.order_by("history_id")
    created, changed = history[0], history.latest()
    linked = AuditRecord.objects.filter(
        action=AuditAction.DATA_CHANGE,
        object_type="registry.organization",
        object_id=str(organization.pk),
    ).order_by("sequence")
    assert [(r.history_id, r.details["history_type"]) for r in linked] == [
        (created.history_id, "+"),
        (changed.history_id, "~"),
    ]
    last = linked.last()
    assert last.history_content_type == ContentType.objects.get_for_model(type(changed))
    assert (last.user_id, last.username) == (clerk.pk, clerk.username)
    assert audit_verify().ok


def test_a_data_change_costs_the_lock_the_head_and_the_insert():
    organization = OrganizationFactory()
    organization.save()  # warm the content-type cache

    def save_queries() -> int:
        with CaptureQueriesContext(connection) as context:
            organization.save()
        return len(context.captured_queries)

    with_audit = save_queries()
    post_create_historical_record.disconnect(dispatch_uid="audit_history_created")
    try:
        without_audit = save_queries()
    finally:
        post_create_historical_record.connect(
            receivers.on_history_created, dispatch_uid="audit_history_created"
        )
    # PostgreSQL: pg_advisory_xact_lock, the last record, the INSERT; SQLite has no lock.
    assert with_audit - without_audit == (3 if connection.vendor == "postgresql" else 2)
