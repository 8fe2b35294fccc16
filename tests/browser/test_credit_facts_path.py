"""The clerk enters an administrative penalty in the admin (the organization picked by
autocomplete, a fine without its amount refused in Chinese), finds it in the list, and sees the
organization's listing in the ledger's 信用状态 column and on its admin page. Screenshots at
1366x768 under test-results/credit/."""

import datetime
import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from accounts import roles
from credit.models import Penalty
from tests.browser.conftest import admin_login
from tests.browser.screens import screenshot
from tests.factories import OrganizationFactory, PenaltyFactory, add_members, listed, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_clerk_enters_a_penalty_and_sees_the_listing_in_the_ledger(live_server, open_page):
    organization = OrganizationFactory(name="长春市阳光社会工作服务中心")
    add_members(organization, 2)
    listed(organization, on=datetime.date(2018, 3, 1))
    serious = OrganizationFactory(name="长春市金桥职业培训学校")
    listed(serious, "serious", on=datetime.date(2019, 1, 2))
    OrganizationFactory(name="长春市社会工作者协会")
    for other in (serious, organization):
        PenaltyFactory(organization=other, kind="warning")
    clerk = make_user(roles.CLERK, username="clerk-zhao")

    page = open_page()
    admin_login(page, live_server, clerk)
    page.goto(f"{live_server.url}{reverse('admin:credit_penalty_add')}")
    page.locator(".field-organization .select2-selection").click()
    page.locator(".select2-search__field").fill("阳光")
    page.locator(".select2-results__option", has_text="长春市阳光社会工作服务中心").click()
    page.select_option("#id_kind", "fine")
    page.fill("#id_department", "长春市民政局")
    page.fill("#id_decision_number", "长民罚字〔2018〕12号")
    page.fill("#id_decided_on", "2018-05-02")
    page.fill("#id_effective_on", "2018-05-10")
    page.fill("#id_facts", "未按规定办理变更登记")
    page.fill("#id_basis", "《民办非企业单位登记管理暂行条例》第二十五条")
    page.locator("input[name=_save]").click()
    expect(page.locator(".field-amount_yuan .errorlist")).to_contain_text("罚款须填写金额。")
    screenshot(page, "credit/01-penalty-add-error")
    page.fill("#id_amount_yuan", "3000")
    page.locator("input[name=_save]").click()
    page.wait_for_url(re.compile(r"/admin/credit/penalty/$"))
    expect(page.locator("#result_list")).to_contain_text("长民罚字〔2018〕12号")
    screenshot(page, "credit/02-penalty-list")
    assert Penalty.objects.filter(amount_yuan=3000, organization=organization).exists()

    page.goto(f"{live_server.url}{reverse('partybuilding:ledger')}")
    expect(page.locator("body")).to_contain_text("活动异常名录（2018-03-01列入）")
    expect(page.locator("body")).to_contain_text("严重违法失信名单（2019-01-02列入）")
    screenshot(page, "credit/03-ledger")
    page.locator("th", has_text="信用状态").first.scroll_into_view_if_needed()
    screenshot(page, "credit/04-ledger-column")

    page.goto(
        f"{live_server.url}{reverse('admin:registry_organization_changelist')}"
        "?credit_status=serious"
    )
    expect(page.locator("#result_list")).to_contain_text("长春市金桥职业培训学校")
    expect(page.locator("#result_list")).not_to_contain_text("长春市阳光社会工作服务中心")
    screenshot(page, "credit/05-organizations-serious")
    page.goto(
        f"{live_server.url}"
        f"{reverse('admin:registry_organization_change', args=[organization.pk])}"
    )
    expect(page.locator("#credit-listings")).to_contain_text("活动异常名录：")
    page.locator("#credit-listings").scroll_into_view_if_needed()
    screenshot(page, "credit/06-organization-page")
