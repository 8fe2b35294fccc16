"""Two-factor authentication (issue 8, MLPS 2.0 level 3: identification with two factors for
administrative users). Enforcement is tested with a plain django.test.Client, which logs in
through the real forms; the `client` fixture's force_login would verify the session itself."""

import io
import re
from base64 import b32encode

import pytest
import segno
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import roles
from accounts.two_factor import (
    recovery_codes_issue,
    totp_device_begin,
    totp_otpauth_url,
    two_factor_required,
    two_factor_reset,
)
from audit.choices import AuditAction
from audit.models import AuditRecord
from tests.conftest import confirmed_totp_device, current_totp_token
from tests.factories import OrganizationFactory, make_organization_user, make_user

pytestmark = pytest.mark.django_db

PASSWORD = "Test-password-2018"
WRONG_CODE_MESSAGE = "验证码不正确或已过期"


def admin_login(client, user):
    response = client.post(
        reverse("admin:login"),
        {"username": user.username, "password": PASSWORD, "next": reverse("admin:index")},
    )
    assert response.status_code == 302, "the password was refused"
    return response


def portal_login(client, user):
    response = client.post(
        reverse("portal:login"), {"username": user.username, "password": PASSWORD}
    )
    assert response.status_code == 302, "the password was refused"
    return response


def path_of(response) -> str:
    return response.url.split("?")[0]


def lands_on(client, url) -> str:
    """The path a GET of `url` ends on after every redirect."""
    return client.get(url, follow=True).request["PATH_INFO"]


def pending_token(user) -> str:
    """The code an app shows for the authenticator being set up (not yet confirmed)."""
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():06d}"


def two_factor_events(user) -> list[str]:
    found = AuditRecord.objects.filter(action=AuditAction.TWO_FACTOR, object_id=str(user.pk))
    return [record.details["event"] for record in found.order_by("sequence")]


@pytest.fixture
def browser():
    return Client()


# --- Staff must set it up, then enter a code every session ----------------------------------


@pytest.mark.parametrize("role", sorted(roles.STAFF_ROLES))
def test_staff_after_the_password_reach_no_admin_page_until_set_up(browser, role):
    user = make_user(role, username=f"{role}-2fa")
    admin_login(browser, user)
    for url in (
        reverse("admin:index"),
        reverse("admin:registry_organization_changelist"),
        reverse("admin:accounts_user_changelist"),
    ):
        response = browser.get(url)
        assert response.status_code == 302
        assert path_of(response) == reverse("two_factor:setup")
    assert browser.get(reverse("two_factor:setup")).status_code == 200


def test_set_up_shows_a_qr_code_and_the_key_then_confirms_with_a_correct_code(browser, clerk):
    admin_login(browser, clerk)
    page = browser.get(reverse("two_factor:setup")).content.decode()
    assert f'<img src="{reverse("two_factor:qr")}"' in page
    assert re.findall(r"<script(?![^>]*\bsrc=)", page) == []  # no inline script
    device = TOTPDevice.objects.get(user=clerk)
    assert device.confirmed is False
    secret = page.split('class="two-factor-secret">')[1].split("<")[0].replace(" ", "")
    assert secret == b32encode(device.bin_key).decode().rstrip("=")

    qr = browser.get(reverse("two_factor:qr"))
    assert qr["Content-Type"] == "image/svg+xml"
    assert qr.content.lstrip().startswith(b"<svg")
    assert qr["Cache-Control"] == "no-store, private"

    response = browser.post(reverse("two_factor:setup"), {"token": pending_token(clerk)})
    assert response.status_code == 200
    device.refresh_from_db()
    assert device.confirmed is True
    codes = response.context["codes"]
    assert len(codes) == len(set(codes)) == 10
    assert all(code in response.content.decode() for code in codes)
    assert browser.get(reverse("admin:index")).status_code == 200
    assert two_factor_events(clerk) == ["setup", "recovery_codes_issued"]


def test_set_up_refuses_a_wrong_code_in_chinese(browser, clerk):
    admin_login(browser, clerk)
    browser.get(reverse("two_factor:setup"))
    wrong = f"{(int(pending_token(clerk)) + 1) % 1_000_000:06d}"
    response = browser.post(reverse("two_factor:setup"), {"token": wrong})
    assert response.status_code == 200
    assert WRONG_CODE_MESSAGE in response.content.decode()
    assert TOTPDevice.objects.get(user=clerk).confirmed is False
    assert path_of(browser.get(reverse("admin:index"))) == reverse("two_factor:setup")
    assert two_factor_events(clerk) == ["setup_failed"]


def test_the_qr_code_is_only_of_the_users_own_pending_device(browser, clerk, committee_user):
    totp_device_begin(user=committee_user)  # someone else's set-up in progress
    assert Client().get(reverse("two_factor:qr")).status_code == 302  # anonymous: to the login
    admin_login(browser, clerk)
    assert browser.get(reverse("two_factor:qr")).status_code == 404  # clerk has none pending
    browser.get(reverse("two_factor:setup"))
    served = browser.get(reverse("two_factor:qr")).content
    assert served == qr_svg_of(clerk)
    assert served != qr_svg_of(committee_user)


def qr_svg_of(user) -> bytes:
    buffer = io.BytesIO()
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    segno.make(totp_otpauth_url(device), error="m").save(buffer, kind="svg", scale=5, xmldecl=False)
    return buffer.getvalue()


def test_a_user_with_an_authenticator_cannot_set_up_another_before_the_code(browser, clerk):
    """Otherwise the password alone would let anyone replace the authenticator."""
    device = confirmed_totp_device(clerk)
    admin_login(browser, clerk)
    response = browser.get(reverse("two_factor:setup"))
    assert path_of(response) == reverse("two_factor:verify")
    assert browser.post(reverse("two_factor:setup"), {"token": "123456"}).status_code == 302
    assert list(TOTPDevice.objects.filter(user=clerk)) == [device]


def test_staff_with_an_authenticator_enter_its_code_after_the_password(browser, clerk):
    confirmed_totp_device(clerk)
    response = admin_login(browser, clerk)
    response = browser.get(response.url)
    assert path_of(response) == reverse("two_factor:verify")

    wrong = browser.post(reverse("two_factor:verify"), {"token": "000000", "next": "/admin/"})
    assert WRONG_CODE_MESSAGE in wrong.content.decode()
    assert path_of(browser.get(reverse("admin:index"))) == reverse("two_factor:verify")

    TOTPDevice.objects.filter(user=clerk).update(throttling_failure_count=0)  # skip the 1 s wait
    response = browser.post(
        reverse("two_factor:verify"), {"token": current_totp_token(clerk), "next": "/admin/"}
    )
    assert response.url == "/admin/"
    assert browser.get(reverse("admin:index")).status_code == 200
    assert two_factor_events(clerk) == ["verify_failed"]


def test_logging_out_and_the_language_switch_stay_open(browser, clerk):
    admin_login(browser, clerk)
    assert browser.post(reverse("set_language"), {"language": "zh-hans"}).status_code == 302
    assert path_of(browser.post(reverse("set_language"), {"language": "zh-hans"})) != reverse(
        "two_factor:setup"
    )
    browser.post(reverse("admin:logout"))
    assert "_auth_user_id" not in browser.session


# --- Recovery codes ----------------------------------------------------------------------------


def test_a_recovery_code_works_once(browser, clerk):
    confirmed_totp_device(clerk)
    code = recovery_codes_issue(user=clerk)[0]
    admin_login(browser, clerk)
    response = browser.post(
        reverse("two_factor:verify"), {"token": code.upper(), "next": "/admin/"}
    )
    assert response.url == "/admin/"
    assert browser.get(reverse("admin:index")).status_code == 200
    assert StaticToken.objects.filter(token=code).exists() is False
    browser.post(reverse("admin:logout"))

    admin_login(browser, clerk)
    again = browser.post(reverse("two_factor:verify"), {"token": code, "next": "/admin/"})
    assert again.status_code == 200 and WRONG_CODE_MESSAGE in again.content.decode()
    assert two_factor_events(clerk) == [
        "recovery_codes_issued",
        "recovery_code_used",
        "verify_failed",
    ]


def test_new_recovery_codes_replace_the_old_ones(client, clerk):
    old = recovery_codes_issue(user=clerk)
    client.force_login(clerk)
    response = client.post(reverse("two_factor:recovery_codes"))
    new = response.context["codes"]
    assert len(new) == 10 and not set(old) & set(new)
    stored = StaticToken.objects.filter(device__user=clerk).values_list("token", flat=True)
    assert sorted(stored) == sorted(new)


# --- Reset by the security administrator -------------------------------------------------------


def test_a_reset_deletes_the_devices_and_forces_set_up_again(client, clerk):
    security = make_user(roles.SECURITY_ADMIN, username="security-admin")
    client.force_login(clerk)  # a verified session, with an authenticator
    recovery_codes_issue(user=clerk)
    assert client.get(reverse("admin:index")).status_code == 200

    assert two_factor_reset(user=clerk, by=security) == 2
    assert not TOTPDevice.objects.filter(user=clerk).exists()
    assert not StaticDevice.objects.filter(user=clerk).exists()
    response = client.get(reverse("admin:index"))
    assert path_of(response) == reverse("two_factor:setup")
    [record] = AuditRecord.objects.filter(action=AuditAction.TWO_FACTOR, details__event="reset")
    assert (record.user_id, record.object_id) == (security.pk, str(clerk.pk))


@pytest.mark.parametrize("role", [roles.CLERK, roles.SYSTEM_ADMIN, roles.AUDIT_ADMIN])
def test_only_holders_of_the_permission_may_reset(committee_user, role):
    device = confirmed_totp_device(committee_user)
    other = make_user(role, username=f"{role}-reset")
    assert not other.has_perm("accounts.reset_two_factor")
    with pytest.raises(PermissionDenied):
        two_factor_reset(user=committee_user, by=other)
    assert list(TOTPDevice.objects.filter(user=committee_user)) == [device]


# --- Organization users may turn it on, and then it is required --------------------------------


def test_an_organization_user_turns_it_on_and_is_then_asked_for_a_code(browser):
    user = make_organization_user(OrganizationFactory())
    assert two_factor_required(user) is False
    portal_login(browser, user)
    organization_page = lands_on(browser, reverse("portal:home"))
    assert organization_page.startswith("/portal/organizations/")
    assert "双因素认证已关闭" in browser.get(reverse("two_factor:manage")).content.decode()

    assert browser.get(reverse("two_factor:setup")).status_code == 200
    response = browser.post(reverse("two_factor:setup"), {"token": pending_token(user)})
    assert len(response.context["codes"]) == 10
    assert two_factor_required(user) is True
    assert lands_on(browser, reverse("portal:home")) == organization_page  # verified session
    browser.post(reverse("portal:logout"))

    portal_login(browser, user)
    assert path_of(browser.get(reverse("portal:home"))) == reverse("two_factor:verify")
    response = browser.post(reverse("two_factor:verify"), {"token": current_totp_token(user)})
    assert response.url == reverse("portal:home")
    assert lands_on(browser, reverse("portal:home")) == organization_page


def test_an_organization_user_turns_it_off_only_with_a_current_code(client):
    user = make_organization_user(OrganizationFactory())
    client.force_login(user)
    confirmed_totp_device(user)
    refused = client.post(reverse("two_factor:turn_off"), {"token": "abc"})
    assert refused.status_code == 400 and WRONG_CODE_MESSAGE in refused.content.decode()
    assert two_factor_required(user) is True

    response = client.post(reverse("two_factor:turn_off"), {"token": current_totp_token(user)})
    assert response.url == reverse("two_factor:manage")
    assert two_factor_required(user) is False
    assert two_factor_events(user) == ["turn_off_failed", "turn_off"]


def test_staff_cannot_turn_it_off(client, clerk):
    client.force_login(clerk)
    response = client.post(reverse("two_factor:turn_off"), {"token": current_totp_token(clerk)})
    assert response.status_code == 400
    assert "工作人员必须使用双因素认证" in response.content.decode()
    assert TOTPDevice.objects.filter(user=clerk, confirmed=True).exists()


# --- Demo accounts -----------------------------------------------------------------------------


@pytest.mark.parametrize("demo_mode", [False, True])
def test_demo_accounts_are_exempt_only_in_demo_mode(browser, clerk, settings, demo_mode):
    settings.ACCOUNTS = {**settings.ACCOUNTS, "DEMO_MODE": demo_mode}
    clerk.demo_account = True
    clerk.save(update_fields=["demo_account"])
    other_clerk = make_user(roles.CLERK, username="clerk-not-demo")
    assert two_factor_required(clerk) is not demo_mode
    assert two_factor_required(other_clerk) is True

    admin_login(browser, clerk)
    response = browser.get(reverse("admin:index"))
    if demo_mode:
        assert response.status_code == 200
    else:
        assert path_of(response) == reverse("two_factor:setup")
