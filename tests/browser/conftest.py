"""Playwright against Debian's Chromium (Playwright's own browser download is unavailable)."""

import os
import re
import shutil

import pytest
from django.urls import reverse

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make around
# it are still synchronous, one at a time.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def fresh_install(reference_data):
    """Each browser test starts like a fresh install (see tests/conftest.py)."""


@pytest.fixture(scope="session")
def browser():
    if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


# The office PC's screen every walk is looked at on (issue 19), and the tests' password.
OFFICE_SCREEN = {"width": 1366, "height": 768}
PASSWORD = "Test-password-2018"


@pytest.fixture
def open_page(browser):
    """`open_page()` gives a page in a browser context of its own, at 1366x768 in zh-CN: one per
    person in a walk, so the organization's, the unit's and the clerk's cookies stay apart."""
    contexts = []

    def open_page():
        context = browser.new_context(locale="zh-CN", viewport=OFFICE_SCREEN, accept_downloads=True)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        return page

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="zh-CN", accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


# --- Logging in: password, then the two-factor code (accounts.two_factor) ---------------------


def enter_two_factor_code(page, user):
    """On the code page the password led to, type what the user's authenticator shows now."""
    from tests.conftest import current_totp_token

    page.wait_for_url(re.compile(r"/accounts/two-factor/verify/"))
    page.fill("#id_token", current_totp_token(user))
    page.locator("form.two-factor-form button[type=submit]").click()


def admin_login(page, live_server, user, password="Test-password-2018"):
    """Staff log in as they do every day: password, then the code from their phone (their
    authenticator is made, as if set up, when they have none)."""
    from tests.conftest import confirmed_totp_device

    confirmed_totp_device(user)
    page.goto(f"{live_server.url}{reverse('admin:login')}")
    page.fill("#id_username", user.username)
    page.fill("#id_password", password)
    page.click("input[type=submit]")
    enter_two_factor_code(page, user)
    page.wait_for_url(f"{live_server.url}{reverse('admin:index')}")


def portal_login(page, live_server, organization, password=PASSWORD):
    """An organization logs in to the portal with its credit code and lands on its home."""
    page.goto(f"{live_server.url}{reverse('portal:login')}")
    page.fill("#id_username", organization.credit_code)
    page.fill("#id_password", password)
    page.locator("form button[type=submit]").click()
    page.wait_for_url(re.compile(rf"/portal/organizations/{organization.pk}/$"))
