"""Issue 13, point 5: the system administrator could become the superuser (tick "active", set its
password, log in, set up an authenticator) and, the same way, take over any account without an
authenticator. Superusers and administrator accounts are out of the system administrator's
reach; a password set by someone else is announced to the holder and needs the security
administrator's approval before a new authenticator can be set up."""

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from django.utils import formats, timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import roles
from accounts.models import User
from accounts.services import account_within_reach
from accounts.two_factor import totp_device_begin
from tests.accounts.test_separation_of_duties import post_change, user_of
from tests.conftest import TwoFactorClient, confirmed_totp_device
from tests.factories import make_user

pytestmark = pytest.mark.django_db
PASSWORD = "Test-password-2018"
CHOSEN = "Sysadmin-chose-2026"
SYSTEM, SECURITY, AUDIT = roles.SYSTEM_ADMIN, roles.SECURITY_ADMIN, roles.AUDIT_ADMIN


def password_url(user):
    return reverse("admin:auth_user_password_change", args=[user.pk])


def set_password(client, user, password=CHOSEN):
    return client.post(
        password_url(user),
        {"password1": password, "password2": password, "usable_password": "true"},
    )


@pytest.fixture
def sysadmin(db):
    return make_user(SYSTEM, username="sysadmin")


@pytest.fixture
def root(db):
    superuser = User.objects.create_superuser("root", password=PASSWORD)
    superuser.is_active = False  # deactivated, as in the issue
    superuser.save()
    return superuser


def test_the_system_administrator_cannot_activate_the_superuser(client, sysadmin, root):
    client.force_login(sysadmin)
    change = client.get(reverse("admin:accounts_user_change", args=[root.pk]))
    assert change.status_code == 200  # may look
    assert "is_active" not in change.context["adminform"].form.fields
    assert post_change(client, root, is_active="on").status_code == 403
    root.refresh_from_db()
    assert not root.is_active


def test_the_system_administrator_cannot_set_the_superusers_password(client, sysadmin, root):
    client.force_login(sysadmin)
    assert client.get(password_url(root)).status_code == 403
    assert set_password(client, root).status_code == 403
    root.refresh_from_db()
    assert root.check_password(PASSWORD) and not root.check_password(CHOSEN)


@pytest.mark.parametrize("role", [SYSTEM, SECURITY, AUDIT])
def test_administrator_accounts_are_out_of_the_system_administrators_reach(client, sysadmin, role):
    target = make_user(role, username=f"other-{role}")
    client.force_login(sysadmin)
    assert set_password(client, target).status_code == 403
    assert post_change(client, target, is_active="", first_name="x").status_code == 403
    target.refresh_from_db()
    assert target.is_active and target.first_name != "x" and target.check_password(PASSWORD)
    assert not account_within_reach(target=target, by=sysadmin)


def test_a_superuser_still_reaches_administrators_and_everyone_their_own_account(sysadmin, root):
    root.is_active = True
    root.save()
    assert account_within_reach(target=sysadmin, by=root)
    assert account_within_reach(target=sysadmin, by=sysadmin)
    assert account_within_reach(target=make_user(roles.CLERK, username="c1"), by=sysadmin)
    assert not account_within_reach(target=root, by=sysadmin)


def test_a_password_set_by_the_system_administrator_gives_no_authenticator(client, sysadmin):
    """The same path against a clerk without an authenticator: the password is set (the system
    administrator's work), but its holder cannot set up the second factor."""
    clerk = make_user(roles.CLERK, username="clerk-victim")
    client.force_login(sysadmin)
    assert set_password(client, clerk).status_code == 302

    intruder = Client()
    login = intruder.post(reverse("admin:login"), {"username": clerk.username, "password": CHOSEN})
    assert login.status_code == 302
    sent_to = intruder.get(reverse("admin:index"))
    assert sent_to["Location"].startswith(reverse("two_factor:setup"))
    page = intruder.get(reverse("two_factor:setup"))
    assert page.status_code == 403
    assert "安全管理员" in page.content.decode()
    assert intruder.get(reverse("two_factor:qr")).status_code == 404
    intruder.post(reverse("two_factor:setup"), {"token": "123456"})
    assert not TOTPDevice.objects.filter(user=clerk).exists()
    clerk.refresh_from_db()
    with pytest.raises(PermissionDenied):
        totp_device_begin(user=clerk)
    assert intruder.get(reverse("admin:index")).status_code == 302  # still no way in


def test_the_security_administrators_reset_approves_a_new_authenticator(client, sysadmin):
    clerk = make_user(roles.CLERK, username="clerk-lost-phone")
    confirmed_totp_device(clerk)
    client.force_login(sysadmin)
    assert set_password(client, clerk).status_code == 302
    clerk.refresh_from_db()
    assert clerk.two_factor_setup_needs_approval
    # The authenticator already set up still guards the account: a password alone is not enough.
    holder = Client()
    holder.post(reverse("admin:login"), {"username": clerk.username, "password": CHOSEN})
    assert holder.get(reverse("admin:index"))["Location"].startswith(reverse("two_factor:verify"))

    security = TwoFactorClient()
    security.force_login(user_of(SECURITY))
    response = security.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "reset_two_factor", "_selected_action": [clerk.pk]},
    )
    assert response.status_code == 302
    clerk.refresh_from_db()
    assert not clerk.two_factor_setup_needs_approval
    assert not TOTPDevice.objects.filter(user=clerk).exists()
    holder = Client()
    holder.post(reverse("admin:login"), {"username": clerk.username, "password": CHOSEN})
    assert holder.get(reverse("two_factor:setup")).status_code == 200
    assert TOTPDevice.objects.filter(user=clerk, confirmed=False).exists()


def test_a_password_set_by_someone_else_is_announced_at_the_next_login(client, sysadmin):
    applicant = make_user(roles.APPLICANT, username="applicant-told")
    sysadmin.first_name = "张伟"
    sysadmin.save()
    client.force_login(sysadmin)
    assert set_password(client, applicant).status_code == 302
    applicant.refresh_from_db()
    assert applicant.password_set_by == sysadmin
    shown = formats.date_format(timezone.localtime(applicant.password_set_at), "Y-m-d H:i")

    holder = Client()
    response = holder.post(
        reverse("portal:login"), {"username": applicant.username, "password": CHOSEN}, follow=True
    )
    page = response.content.decode()
    assert f"您的密码由 张伟（sysadmin） 于 {shown} 设置" in page
    # Once the holder has chosen their own, there is nothing more to announce.
    holder.post(
        reverse("accounts:password_change"),
        {"old_password": CHOSEN, "new_password1": PASSWORD + "x", "new_password2": PASSWORD + "x"},
    )
    again = Client().post(
        reverse("portal:login"),
        {"username": applicant.username, "password": PASSWORD + "x"},
        follow=True,
    )
    assert again.redirect_chain and "您的密码由" not in again.content.decode()


def test_the_system_administrator_sets_its_own_password_only_with_the_current_one(
    client, sysadmin
):
    # redteam: the user admin's "set password" page on one's own account asked for no current
    # password, so a borrowed session was enough to take the account over for good. One's own
    # password is changed on the "change password" page, which asks for the current one.
    client.force_login(sysadmin)
    page = client.get(password_url(sysadmin))
    assert page.status_code == 302 and page.url == reverse("admin:password_change")
    response = set_password(client, sysadmin)
    assert response.status_code == 302 and response.url == reverse("admin:password_change")
    sysadmin.refresh_from_db()
    assert sysadmin.check_password(PASSWORD) and not sysadmin.check_password(CHOSEN)
