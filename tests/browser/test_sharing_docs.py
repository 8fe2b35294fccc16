"""R-API-8 in Chromium: the API's docs page (ninja's bundled Swagger UI, from our own static
files) renders the Chinese description under the Content-Security-Policy, with no violation and
no request to another host. Beside the other browser tests, so that it shares their one
Playwright (a second one in the same thread refuses to start)."""

import pytest
from django.db import connections

from tests.browser.test_content_security_policy import WATCH

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def close_connections():
    yield
    connections.close_all()


def test_the_docs_page_renders_under_the_policy(browser, live_server):
    context = browser.new_context(locale="zh-CN")
    context.add_init_script(WATCH)
    page = context.new_page()
    page.set_default_timeout(15_000)
    foreign, refusals = [], []
    page.on(
        "request",
        lambda request: (
            foreign.append(request.url)
            if not request.url.startswith((live_server.url, "data:"))
            else None
        ),
    )
    page.on(
        "console",
        lambda message: refusals.append(message.text) if "Refused" in message.text else None,
    )
    try:
        page.goto(f"{live_server.url}/api/v1/docs")
        page.wait_for_selector(".swagger-ui .info .title")
        assert "部门共享数据接口" in page.inner_text(".swagger-ui .info")
        page.wait_for_selector(".opblock-get")
        assert page.locator(".opblock-get").count() == 7
        violations = page.evaluate("window.__violations")
    finally:
        context.close()
    assert not foreign and not violations and not refusals, (foreign, violations, refusals)
