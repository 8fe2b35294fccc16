"""Hostile input on the accounts' forms (issue 8, "hostile input"): the two-factor code, the
own password change, and the user pages of the admin the system administrator uses. Refused
with the form's errors and nothing written, or saved and shown as text; never a server error.
(The log-in forms are in tests/portal/test_hostile_input.py.)"""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from accounts import roles
from tests.factories import make_user
from tests.hostile import (
    admin_models,
    check_admin_add,
    hostile_settings,
    hostile_text,
    post_hostile_form,
    rolled_back,
)

pytestmark = pytest.mark.django_db


@hostile_settings(25)
@given(data=st.data())
def test_a_hostile_two_factor_code_is_refused(clerk, data):
    from tests.conftest import confirmed_totp_device

    confirmed_totp_device(clerk)
    browser = Client()  # a plain log-in: the code is still to be given
    browser.force_login(clerk)
    with rolled_back():
        response, _posted = post_hostile_form(browser, reverse("two_factor:verify"), data.draw)

        assert response.status_code == 200  # the form again: a code is six digits
        assert not browser.session.get("otp_device_id")


@hostile_settings(25)
@given(new=hostile_text(), old=st.sampled_from(["Test-password-2018", "", "\x00"]))
def test_a_hostile_new_password_is_refused_or_taken_whole(client, new, old):
    user = make_user(roles.APPLICANT, username="applicant-password")
    client.force_login(user)
    with rolled_back():
        before = get_user_model().objects.get(pk=user.pk).password
        posted = {"old_password": old, "new_password1": new, "new_password2": new}

        response = client.post(reverse("accounts:password_change"), posted)

        assert response.status_code < 500, posted
        after = get_user_model().objects.get(pk=user.pk)
        if response.status_code != 302:
            assert after.password == before
        else:
            assert after.check_password(new)


@pytest.mark.parametrize(
    "model", admin_models("accounts"), ids=lambda model: model._meta.model_name
)
@hostile_settings(15)
@given(data=st.data())
def test_admin_add_pages_refuse_or_save_hostile_input(client, model, data):
    client.force_login(make_user(roles.SYSTEM_ADMIN, username="system-admin-hostile"))
    check_admin_add(client, model, data.draw)


@hostile_settings(15)
@given(data=st.data())
def test_an_issued_password_is_refused_or_set_whole(client, data):
    """The system administrator issues a password in the admin (IssuedPasswordForm)."""
    client.force_login(make_user(roles.SYSTEM_ADMIN, username="system-admin-hostile"))
    user = make_user(roles.APPLICANT, username="applicant-issued")
    url = reverse("admin:auth_user_password_change", args=[user.pk])
    with rolled_back():
        before = get_user_model().objects.get(pk=user.pk).password

        response, posted = post_hostile_form(client, url, data.draw)

        if response.status_code != 302:
            assert get_user_model().objects.get(pk=user.pk).password == before
