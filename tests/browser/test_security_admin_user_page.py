"""The security administrator's user page at 1366×768 (issue 19): the role and permission
pickers (Django's filter_horizontal widget) draw their texts from the JavaScript catalog, which
must load under the CSP and speak Chinese; nothing on the page is in English."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from accounts import roles
from tests.browser.conftest import admin_login
from tests.browser.office_day import OFFICE_SCREEN
from tests.browser.screens import screenshot
from tests.factories import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ENGLISH_WORD = re.compile(r"[A-Za-z]{3,}")
# Django's Chinese help text names keys as printed: 按住 Control 键或 Mac 上的 Command 键.
KEY_NAMES = {"Control", "Command", "Mac"}


@pytest.fixture
def office_page(browser):
    context = browser.new_context(locale="zh-CN", viewport=OFFICE_SCREEN)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def test_the_user_pages_pickers_speak_chinese(live_server, office_page):
    page = office_page
    security = make_user(roles.SECURITY_ADMIN, username="security-admin")
    clerk = make_user(roles.CLERK, username="clerk-wang")
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))

    admin_login(page, live_server, security)
    page.goto(f"{live_server.url}{reverse('admin:accounts_user_change', args=[clerk.pk])}")

    # The widget is drawn by SelectFilter2.js: the filter box exists only once the script ran.
    pickers = page.locator(".selector")
    expect(pickers.first).to_be_visible()
    expect(page.locator(".selector-filter input").first).to_be_visible()
    pickers.first.scroll_into_view_if_needed()
    screenshot(page, "accounts/security-admin-user-page")

    texts = []
    for selector in (".selector", "#content"):
        texts.append(page.locator(selector).first.inner_text())
    attributes = page.eval_on_selector_all(
        "#content [title], #content [placeholder], #content [aria-label]",
        "nodes => nodes.flatMap(n => [n.title, n.placeholder, n.getAttribute('aria-label')])",
    )
    english = sorted(
        {
            word
            for text in [*texts, *filter(None, attributes)]
            for word in ENGLISH_WORD.findall(text)
        }
        - {"clerk", "wang"}  # the user's name, clerk-wang
        - KEY_NAMES
    )
    assert english == [], english
    assert "全部选择" in texts[0] and "删除选中的" in texts[0], texts[0]
    assert not [e for e in errors if "Content Security Policy" in e or "jsi18n" in e], errors
