"""Sessions (issue 8): ended after 30 idle minutes, and one per account (a new login ends the
one before)."""

import time

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from accounts import roles
from accounts.session_policy import LAST_ACTIVITY_KEY
from tests.factories import make_user

pytestmark = pytest.mark.django_db
PASSWORD = "Test-password-2018"
NEW_PASSWORD = "Another-choice-77"
ELSEWHERE = "您的账号已在其他地方登录，您在此处已被登出。"


@pytest.fixture
def applicant(db):
    return make_user(roles.APPLICANT, username="applicant-session")


def logged_in(user) -> Client:
    client = Client()
    response = client.post(
        reverse("portal:login"), {"username": user.username, "password": PASSWORD}
    )
    assert response.status_code == 302
    return client


def set_idle(client, minutes: int):
    session = client.session
    session[LAST_ACTIVITY_KEY] = int(time.time()) - minutes * 60
    session.save()


def test_sessions_end_with_the_browser_and_the_store_forgets_idle_ones():
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    assert settings.SESSION_COOKIE_AGE >= settings.ACCOUNTS["IDLE_TIMEOUT_MINUTES"] * 60


def test_twenty_nine_idle_minutes_keep_the_session(applicant):
    client = logged_in(applicant)
    set_idle(client, 29)
    assert client.get(reverse("portal:applications")).status_code == 200


def test_thirty_one_idle_minutes_end_it_with_a_message(applicant):
    client = logged_in(applicant)
    session_key = client.session.session_key
    set_idle(client, 31)
    page = reverse("portal:applications")
    response = client.get(page)
    assert response["Location"] == f"{reverse('portal:login')}?next={page}"
    assert not Session.objects.filter(session_key=session_key).exists()  # ended on the server
    login_page = client.get(response["Location"]).content.decode()
    assert "您已超过 30 分钟无操作，已自动登出，请重新登录。" in login_page
    assert client.get(page).status_code == 302  # still logged out


def test_staff_go_back_to_the_staff_login(client, clerk):
    client.force_login(clerk)
    set_idle(client, 31)
    response = client.get(reverse("admin:index"))
    assert response["Location"].startswith(reverse("admin:login"))


def test_the_idle_timeout_comes_from_settings(settings, applicant):
    settings.ACCOUNTS = {**settings.ACCOUNTS, "IDLE_TIMEOUT_MINUTES": 10}
    client = logged_in(applicant)
    set_idle(client, 11)
    assert client.get(reverse("portal:applications")).status_code == 302


def test_activity_moves_the_idle_clock_on(applicant):
    client = logged_in(applicant)
    set_idle(client, 20)
    assert client.get(reverse("portal:applications")).status_code == 200
    assert time.time() - client.session[LAST_ACTIVITY_KEY] < 60


def test_a_second_login_ends_the_first_session(applicant):
    first = logged_in(applicant)
    first_key = first.session.session_key
    second = logged_in(applicant)
    # Ended on the server: nothing of the login is left, only a note of why.
    assert "_auth_user_id" not in Session.objects.get(session_key=first_key).get_decoded()
    applicant.refresh_from_db()
    assert applicant.current_session_key == second.session.session_key

    page = reverse("portal:applications")
    response = first.get(page)
    assert response["Location"] == f"{reverse('portal:login')}?next={page}"
    assert ELSEWHERE in first.get(response["Location"]).content.decode()
    assert second.get(page).status_code == 200
    assert first.get(page)["Location"] == f"{reverse('portal:login')}?next={page}"


def test_the_first_session_is_refused_with_any_session_backend(settings, applicant):
    # Signed-cookie sessions cannot be deleted on the server: the check on each request ends them.
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.signed_cookies"
    first = logged_in(applicant)
    second = logged_in(applicant)
    page = reverse("portal:applications")
    response = first.get(page)
    assert response["Location"] == f"{reverse('portal:login')}?next={page}"
    assert ELSEWHERE in first.get(response["Location"]).content.decode()
    assert second.get(page).status_code == 200


def test_changing_the_password_keeps_the_session_the_accounts_one(applicant):
    client = logged_in(applicant)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert client.get(reverse("portal:applications")).status_code == 200
    applicant.refresh_from_db()
    assert applicant.current_session_key == client.session.session_key


def test_a_superseded_staff_session_goes_back_to_the_staff_login(clerk):
    from tests.conftest import TwoFactorClient

    first, second = TwoFactorClient(), TwoFactorClient()
    first.force_login(clerk)
    second.force_login(clerk)
    response = first.get(reverse("admin:index"))
    assert response["Location"].startswith(reverse("admin:login"))
    assert second.get(reverse("admin:index")).status_code == 200
