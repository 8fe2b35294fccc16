"""The public pages in Chromium (issue 18, R-CR-17, R-PUB-5): an anonymous visitor searches by
a fragment of the name, opens a profile, and the profile prints on A4 without the site's
navigation or the buttons; no Content-Security-Policy violation on the way."""

import pytest
from django.db import connections
from django.urls import reverse

from tests.browser.screens import RESULTS, screenshot
from tests.disclosure.records import SECRET_MEMBER, SECRET_PHONE, full_organization
from tests.factories import OrganizationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WATCH = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__violations.push(`${event.violatedDirective} ${event.blockedURI}`);
});
"""


@pytest.fixture(autouse=True)
def close_connections():
    yield
    connections.close_all()


def test_search_open_and_print_a_profile(open_page, live_server):
    organization = full_organization()
    for number in range(24):
        OrganizationFactory(name=f"长春市阳光社区服务中心{number:02d}")
    page = open_page()
    page.add_init_script(WATCH)
    refusals = []
    page.on("console", lambda m: refusals.append(m.text) if "Refused" in m.text else None)

    page.goto(f"{live_server.url}{reverse('disclosure:search')}")
    page.fill("#id_q", "阳光")
    page.locator("form[role=search] button[type=submit]").click()
    page.wait_for_selector("table.search-results")
    assert page.locator("table.search-results tbody tr").count() == 20
    assert page.get_by_role("link", name="下一页").is_visible()
    screenshot(page, "disclosure_search")
    page.get_by_role("link", name="下一页").click()
    page.wait_for_selector("table.search-results")
    assert page.locator("table.search-results tbody tr").count() == 5

    page.fill("#id_q", organization.credit_code.lower())
    page.locator("form[role=search] button[type=submit]").click()
    page.get_by_role("link", name="长春市阳光书法家协会").click()
    page.wait_for_url(f"**/public/organizations/{organization.credit_code}/")
    body = page.locator("body").inner_text()
    assert "长民异〔2026〕7号" in body and "4A" in body
    assert SECRET_MEMBER not in body and SECRET_PHONE not in body
    screenshot(page, "disclosure_profile")
    screenshot(page, "disclosure_profile_full", full_page=True)

    page.emulate_media(media="print")
    assert not page.locator("nav.site-nav").is_visible()
    assert not page.locator("[data-print]").is_visible()
    assert page.locator(".print-only").first.is_visible()
    # The page fits A4's printable width (210 mm less 2 × 15 mm margins at 96 dpi ≈ 680 px).
    page.set_viewport_size({"width": 680, "height": 962})
    widths = page.evaluate(
        "[...document.querySelectorAll('article.profile table')].map(t => t.scrollWidth)"
    )
    assert widths and max(widths) <= 680, widths
    screenshot(page, "disclosure_profile_print", full_page=True)
    RESULTS.mkdir(parents=True, exist_ok=True)
    page.pdf(path=str(RESULTS / "disclosure_profile.pdf"), format="A4")

    assert page.evaluate("window.__violations") == [] and refusals == []
