"""R-API-2..4: tokens are issued and revoked by the security administrator alone, in the admin;
the secret is shown once and stored as a hash; a revoked or expired token, or one whose holder
is disabled, locked or no longer of a holder role, is refused."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts import roles
from accounts.models import AccountLock
from audit.choices import AuditAction
from audit.models import AuditRecord
from sharing.models import ApiToken
from sharing.services import secret_hash, token_check, token_issue, token_revoke
from tests.factories import (
    OrganizationFactory,
    SupervisoryUnitFactory,
    make_organization_user,
    make_user,
)
from tests.sharing.helpers import call, issue, security_admin

pytestmark = pytest.mark.django_db

OBJECT = "sharing.apitoken"
ADD_URL = "/admin/sharing/apitoken/"


@pytest.fixture
def unit_holder():
    return make_user(roles.SUPERVISORY_UNIT, supervisory_unit=SupervisoryUnitFactory())


def issue_form(holder, **extra):
    expires = timezone.localtime() + datetime.timedelta(days=30)
    return {
        "holder": holder.pk,
        "name": "市委组织部数据交换",
        "purpose": "党建统计",
        "expires_at_0": expires.strftime("%Y-%m-%d"),
        "expires_at_1": expires.strftime("%H:%M:%S"),
        **extra,
    }


def test_the_security_administrator_issues_a_token_and_sees_its_secret_once(client, unit_holder):
    admin = security_admin()
    client.force_login(admin)
    assert client.get(ADD_URL + "add/").status_code == 200
    response = client.post(ADD_URL + "add/", issue_form(unit_holder))
    assert response.status_code == 200, response.content.decode()[:2000]
    token = ApiToken.objects.get()
    page = response.content.decode()
    start = page.index('value="sz_') + len('value="')
    secret = page[start : page.index('"', start)]
    assert "no-store" in response["Cache-Control"]
    # Stored only as a keyed hash, found by its prefix; not in the audit log either.
    assert token.secret_hash == secret_hash(secret) and secret not in token.secret_hash
    assert secret.startswith(f"sz_{token.prefix}.")
    assert not any(secret in str(record.details) for record in AuditRecord.objects.all())
    issued = AuditRecord.objects.get(
        action=AuditAction.PERMISSION_CHANGE, object_type=OBJECT, object_id=token.pk
    )
    assert issued.user == admin and issued.details["holder"] == unit_holder.username
    assert token.holder == unit_holder and token.created_by == admin
    # Never again: not on the token's page, and it works on the API.
    assert secret not in client.get(f"{ADD_URL}{token.pk}/change/").content.decode()
    assert call(client, "organizations", secret).status_code == 200


@pytest.mark.parametrize(
    "role",
    [
        roles.CLERK,
        roles.SUPERVISORY_UNIT,
        roles.COMMITTEE,
        roles.SYSTEM_ADMIN,
        roles.AUDIT_ADMIN,
        "holder",
        "superuser",
    ],
)
def test_nobody_else_issues_sees_or_revokes_tokens(client, unit_holder, role):
    token, _secret = issue(unit_holder)
    if role == "holder":
        user = unit_holder
    elif role == "superuser":
        user = type(unit_holder).objects.create_superuser("root-x", password="Root-password-2018")
    elif role == roles.SUPERVISORY_UNIT:
        user = make_user(role, supervisory_unit=unit_holder.supervisory_unit)
    else:
        user = make_user(role)
    client.force_login(user)
    for url in (ADD_URL, ADD_URL + "add/", f"{ADD_URL}{token.pk}/change/"):
        assert client.get(url).status_code in {302, 403, 404}, url
    response = client.post(ADD_URL + "add/", issue_form(unit_holder))
    assert response.status_code in {302, 403}
    revoke = {"action": "revoke", "_selected_action": [token.pk], "index": 0}
    assert client.post(ADD_URL, revoke).status_code in {302, 403}
    assert ApiToken.objects.count() == 1
    assert ApiToken.objects.get().revoked_at is None
    with pytest.raises(PermissionDenied):
        token_issue(holder=unit_holder, name="x", by=user)
    with pytest.raises(PermissionDenied):
        token_revoke(token=token, by=user)


def test_the_security_administrator_revokes_a_token_in_the_admin(client, unit_holder):
    admin = security_admin()
    token, secret = issue(unit_holder, by=admin)
    assert call(client, "organizations", secret).status_code == 200
    client.force_login(admin)
    response = client.post(
        ADD_URL, {"action": "revoke", "_selected_action": [token.pk], "index": 0}
    )
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None and token.revoked_by == admin
    assert AuditRecord.objects.filter(
        action=AuditAction.PERMISSION_CHANGE,
        object_type=OBJECT,
        object_id=token.pk,
        details__event="revoked",
    ).exists()
    response = call(client, "organizations", secret)
    assert response.status_code == 401 and response.json()["code"] == "revoked"
    assert "吊销" in response.json()["detail"]


def test_tokens_go_only_to_unit_and_committee_accounts():
    admin = security_admin()
    for holder in (
        make_user(roles.CLERK),
        make_user(roles.SYSTEM_ADMIN),
        make_organization_user(OrganizationFactory()),
    ):
        with pytest.raises(ValidationError):
            token_issue(holder=holder, name="x", by=admin)
    committee = make_user(roles.COMMITTEE)
    committee.is_active = False
    committee.save()
    with pytest.raises(ValidationError):
        token_issue(holder=committee, name="x", by=admin)
    with pytest.raises(ValidationError):
        token_issue(
            holder=make_user(roles.COMMITTEE),
            name="x",
            by=admin,
            expires_at=timezone.now() - datetime.timedelta(minutes=1),
        )


def test_a_token_lasts_the_configured_days_by_default(unit_holder, settings):
    settings.SHARING = {**settings.SHARING, "TOKEN_DAYS": 30}
    token, _secret = issue(unit_holder)
    assert (token.expires_at - timezone.now()).days in {29, 30}


def refusal(client, secret):
    response = call(client, "organizations", secret)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"
    return response.json()["code"]


def test_refused_tokens(client, unit_holder):
    token, secret = issue(unit_holder)
    assert refusal(client, None) == "missing"
    assert refusal(client, "nonsense") == "invalid"
    assert refusal(client, secret[:-2] + "xx") == "invalid"
    assert refusal(client, f"sz_{'0' * 12}.abc") == "invalid"
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now())
    assert refusal(client, secret) == "expired"
    ApiToken.objects.filter(pk=token.pk).update(
        expires_at=timezone.now() + datetime.timedelta(days=1)
    )
    assert call(client, "organizations", secret).status_code == 200


def test_a_disabled_or_locked_holder_makes_the_token_refused(client, unit_holder):
    _token, secret = issue(unit_holder)
    now = timezone.now()
    lock = AccountLock.objects.create(
        username=unit_holder.username, locked_at=now, locked_until=now + datetime.timedelta(hours=1)
    )
    assert refusal(client, secret) == "holder_locked"
    lock.delete()
    assert call(client, "organizations", secret).status_code == 200
    unit_holder.is_active = False
    unit_holder.save()
    assert refusal(client, secret) == "holder_inactive"


def test_a_holder_who_lost_the_role_makes_the_token_refused(client, unit_holder):
    _token, secret = issue(unit_holder)
    unit_holder.groups.clear()
    assert refusal(client, secret) == "holder_inactive"


def test_last_used_is_recorded():
    holder = make_user(roles.COMMITTEE)
    token, secret = issue(holder)
    assert token.last_used_at is None
    assert token_check(f"Bearer {secret}"[7:]).refusal == ""
    token.refresh_from_db()
    assert token.last_used_at is not None
