"""Accounts made outside the admin's add page write their "account created" audit record
through the same function (accounts.services.account_created): the applicant's sign-up, the
organization account made at registration approval, seed_demo and create_administrator."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from accounts import roles
from accounts.models import User
from accounts.services import user_ensure
from audit.choices import AuditAction
from audit.models import AuditRecord
from registry.services.registration import application_approve, application_submit
from tests.accounts.test_account_audit import last_sequence, written_since
from tests.factories import make_user
from tests.registry.test_registration import complete_application

pytestmark = pytest.mark.django_db


def created_records(start, user) -> list[AuditRecord]:
    return [
        r
        for r in written_since(start)
        if r.action == AuditAction.DATA_CHANGE
        and r.object_id == str(user.pk)
        and r.details.get("event") == "created"
    ]


def test_the_applicants_sign_up_writes_one_created_record(client):
    start = last_sequence()
    password = "Fushou-2018-apply"
    response = client.post(
        reverse("portal:signup"),
        {
            "username": "founder-audit",
            "first_name": "赵文华",
            "phone": "13904315511",
            "password1": password,
            "password2": password,
        },
    )
    assert response.status_code == 302
    user = User.objects.get(username="founder-audit")
    [record] = created_records(start, user)
    assert record.user_id is None and record.details["account"] == "founder-audit"
    assert "founder-audit" in record.summary and "注册" in record.summary


def test_registration_approval_writes_one_created_record_for_the_organization_account(clerk):
    applicant = make_user(roles.APPLICANT, username="applicant-audit")
    application = complete_application(applicant)
    application_submit(application=application, by=applicant)
    start = last_sequence()
    organization = application_approve(application=application, by=clerk)
    account = User.objects.get(username=organization.credit_code)
    [record] = created_records(start, account)
    assert record.user_id == clerk.pk
    assert clerk.username in record.summary and organization.credit_code in record.summary


def test_create_administrator_writes_one_created_record():
    start = last_sequence()
    call_command("create_administrator", "sec.admin", "--role", "security", stdout=io.StringIO())
    user = User.objects.get(username="sec.admin")
    [record] = created_records(start, user)
    assert record.details["how"] == "create_administrator"


def test_seed_demo_writes_one_created_record_per_account():
    start = last_sequence()
    call_command("seed_demo", password="Demo-pass-2018", stdout=io.StringIO())
    records = [
        r
        for r in written_since(start)
        if r.object_type == "accounts.user" and r.details.get("event") == "created"
    ]
    created = {r.object_id for r in records}
    assert created == {str(pk) for pk in User.objects.values_list("pk", flat=True)}
    assert len(records) == len(created)


def test_an_existing_account_brought_back_writes_a_restored_record():
    user = make_user(roles.CLERK, username="clerk-restored")
    user.is_active = False
    user.save(update_fields=["is_active"])
    start = last_sequence()
    user_ensure(username="clerk-restored", role=roles.CLERK, password="Test-password-2018")
    [record] = written_since(start)
    assert record.details["event"] == "restored" and record.object_id == str(user.pk)
