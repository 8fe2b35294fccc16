import re

import pytest
from playwright.sync_api import expect

from registry.services import organization_update
from tests.browser.conftest import admin_login
from tests.factories import OrganizationFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def test_clerk_finds_an_organization_by_credit_code_and_reads_its_history(live_server, page, clerk):
    wanted = OrganizationFactory(name="长春市至爱居家养老服务中心")
    OrganizationFactory(name="长春市社会工作者协会")
    organization_update(organization=wanted, by=clerk, contact_person="周晓梅")

    admin_login(page, live_server, clerk)

    page.goto(f"{live_server.url}/admin/registry/organization/")
    page.fill("#searchbar", wanted.credit_code.lower())
    page.press("#searchbar", "Enter")
    page.wait_for_url("**/admin/registry/organization/?q=*")
    rows = page.locator("#result_list tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("长春市至爱居家养老服务中心")

    rows.first.locator("th a").click()
    page.wait_for_url(re.compile(r"/change/"))
    expect(page.locator("#id_credit_code")).to_have_value(wanted.credit_code)
    page.locator("a.historylink").click()
    page.wait_for_url(re.compile(r"/history/"))
    history = page.locator("#change-history").inner_text()
    assert "周晓梅" in history
    assert clerk.username in history
