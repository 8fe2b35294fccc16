"""A new clerk's first login in Chromium: the password leads to the two-factor set-up page, the
QR code loads as an image under the site's Content-Security-Policy, the key typed by hand
gives a code that confirms, the recovery codes are shown, and the admin opens."""

import re
import time
from base64 import b32decode

import pytest
from django.urls import reverse
from django_otp.oath import TOTP
from playwright.sync_api import expect

from accounts import roles
from tests.factories import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def code_from_key(typed_key: str) -> str:
    """What an authenticator app would show for the key the page displays."""
    key = typed_key.replace(" ", "")
    key += "=" * (-len(key) % 8)
    totp = TOTP(b32decode(key), step=30, t0=0, digits=6)
    totp.time = time.time()
    return f"{totp.token():06d}"


def test_first_login_sets_up_two_factor_from_the_page(live_server, page):
    clerk = make_user(roles.CLERK, username="clerk-new")
    page.goto(f"{live_server.url}{reverse('admin:login')}")
    page.fill("#id_username", clerk.username)
    page.fill("#id_password", "Test-password-2018")
    page.click("input[type=submit]")
    page.wait_for_url(re.compile(r"/accounts/two-factor/setup/\?next="))

    qr = page.locator(".two-factor-qr img")
    expect(qr).to_be_visible()
    assert page.evaluate("(img) => img.complete && img.naturalWidth > 0", qr.element_handle())

    key = page.locator(".two-factor-secret").inner_text()
    page.fill("#id_token", code_from_key(key))
    page.locator("form.two-factor-form button[type=submit]").click()

    codes = page.locator(".two-factor-codes li")
    expect(codes).to_have_count(10)
    page.locator(".two-factor a.button").click()
    page.wait_for_url(f"{live_server.url}{reverse('admin:index')}")
