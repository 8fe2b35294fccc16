"""Organization users: log in with the credit code, see their own record, nothing else."""

import pytest
from django.urls import reverse

from accounts import roles
from accounts.lockout import account_locked_until
from tests.factories import OrganizationFactory, make_organization_user, make_user

pytestmark = pytest.mark.django_db

PASSWORD = "Test-password-2018"


def test_organization_logs_in_with_its_credit_code_in_any_case(client):
    organization = OrganizationFactory()
    make_organization_user(organization)
    response = client.post(
        reverse("portal:login"),
        {"username": f" {organization.credit_code.lower()} ", "password": PASSWORD},
    )
    assert response.status_code == 302
    page = client.get(response.url, follow=True)
    assert page.status_code == 200
    assert organization.name in page.content.decode()
    assert organization.credit_code in page.content.decode()


def test_another_organizations_record_answers_404(client):
    mine, theirs = OrganizationFactory(), OrganizationFactory()
    client.force_login(make_organization_user(mine))
    assert client.get(reverse("portal:organization", args=[mine.pk])).status_code == 200
    response = client.get(reverse("portal:organization", args=[theirs.pk]))
    assert response.status_code == 404
    assert theirs.name not in response.content.decode()
    assert client.get(reverse("portal:organization", args=[999999])).status_code == 404


def test_portal_requires_login(client):
    organization = OrganizationFactory()
    response = client.get(reverse("portal:organization", args=[organization.pk]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("portal:login"))


def test_staff_are_sent_to_the_admin_and_others_refused(client, clerk):
    organization = OrganizationFactory()
    client.force_login(clerk)
    response = client.get(reverse("portal:organization", args=[organization.pk]))
    assert response.status_code == 302
    assert response.url == reverse("admin:index")
    client.force_login(make_user(roles.ORGANIZATION))  # an account not linked to any organization
    assert client.get(reverse("portal:home")).status_code == 403


def test_failed_logins_lock_the_account_after_five_attempts(client):
    organization = OrganizationFactory()
    make_organization_user(organization)
    login = reverse("portal:login")
    for _attempt in range(5):
        response = client.post(login, {"username": organization.credit_code, "password": "wrong"})
    assert "已被锁定 30 分钟" in response.content.decode()
    # Even the right password is refused while the lock lasts.
    response = client.post(login, {"username": organization.credit_code, "password": PASSWORD})
    assert "已被锁定 30 分钟" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_failed_staff_logins_in_the_admin_are_throttled_too(client, clerk):
    login = reverse("admin:login")
    for _attempt in range(5):
        client.post(login, {"username": clerk.username, "password": "wrong"})
    assert account_locked_until(clerk.username) is not None
    response = client.post(login, {"username": clerk.username, "password": PASSWORD})
    assert response.status_code == 200  # the form again
    assert "_auth_user_id" not in client.session


def test_the_organization_page_leads_to_its_annual_checks(client):
    organization = OrganizationFactory()
    client.force_login(make_organization_user(organization))
    page = client.get(reverse("portal:organization", args=[organization.pk])).content.decode()
    assert reverse("portal:annual_checks") in page
