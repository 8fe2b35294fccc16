"""A change in the browser (R-CHG-1, 3, 5, 6): the organization changes its legal representative
and its supervisory unit through the portal's wizard, the new legal representative signs the
pledge; the unit consents in its pages; the organization files; the clerk approves in the admin,
moving the Party-building body; the committee sees its copy. Screenshots at 1366x768 under
test-results/change/."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from accounts import roles
from registry.choices import ChangeStatus
from registry.models import ChangeApplication, PartyBuildingBody
from tests.browser.conftest import admin_login, portal_login
from tests.browser.screens import screenshot
from tests.factories import (
    OrganizationFactory,
    SupervisoryUnitFactory,
    make_organization_user,
    make_user,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Test-password-2018"


def test_change_of_legal_representative_and_unit_end_to_end(live_server, open_page):
    unit = SupervisoryUnitFactory(name="长春市民政局社会工作处", is_civil_affairs=True)
    new_unit = SupervisoryUnitFactory(name="长春市卫生健康委员会")
    organization = OrganizationFactory(
        name="长春市阳光社会工作服务中心", supervisory_unit=unit, legal_representative="张明"
    )
    make_organization_user(organization)
    supervisor = make_user(roles.SUPERVISORY_UNIT, username="unit-sun", supervisory_unit=unit)
    clerk = make_user(roles.CLERK, username="clerk-zhao")
    committee = make_user(roles.COMMITTEE, username="committee-qian")
    body, _ = PartyBuildingBody.objects.get_or_create(name="市卫生健康行业党委")

    page = open_page()
    portal_login(page, live_server, organization)
    page.locator("#changes-link").click()
    page.wait_for_url(re.compile(r"/portal/changes/$"))
    screenshot(page, "change/01-list")
    page.locator(".change-start button[value=change]").click()
    page.wait_for_url(re.compile(r"/changes/\d+/edit/items/$"))

    page.locator("input[name=items-items][value=legal_representative]").check()
    page.locator("input[name=items-items][value=supervisory_unit]").check()
    page.fill("#id_items-reason", "2018年6月28日理事会换届，选举李华为理事长；业务主管单位调整。")
    screenshot(page, "change/02-items")
    page.get_by_role("button", name="保存并继续").click()
    page.wait_for_url(re.compile(r"/edit/values/$"))
    expect(page.locator("form.wizard-form")).to_contain_text("张明")
    page.fill("#id_values-legal_representative", "李华")
    page.select_option("#id_values-supervisory_unit", label=new_unit.name)
    screenshot(page, "change/03-values")
    page.get_by_role("button", name="保存并继续").click()
    page.wait_for_url(re.compile(r"/edit/pledge/$"))
    page.fill("#id_pledge-pledge_signed_by", "张明")
    page.get_by_role("button", name="保存并继续").click()
    expect(page.locator(".invalid-feedback, .errorlist").first).to_contain_text("李华")
    screenshot(page, "change/04-pledge-error")
    page.fill("#id_pledge-pledge_signed_by", "李华")
    page.get_by_role("button", name="保存并继续").click()
    page.wait_for_url(re.compile(r"/edit/review/$"))
    screenshot(page, "change/05-review", full_page=True)
    page.locator("#id_review-confirm").check()
    page.get_by_role("button", name="提交申请").click()
    page.wait_for_url(re.compile(r"/portal/changes/\d+/$"))
    change = ChangeApplication.objects.get(organization=organization)
    assert change.status == ChangeStatus.SUBMITTED
    screenshot(page, "change/06-submitted")

    unit_page = open_page()
    admin_login(unit_page, live_server, supervisor)
    unit_page.goto(
        f"{live_server.url}{reverse('admin:registry_changeapplication_change', args=[change.pk])}"
    )
    screenshot(unit_page, "change/07-unit-change-page", full_page=True)
    unit_page.locator("a.review-consented").click()
    unit_page.fill("#id_text", "同意变更法定代表人及业务主管单位。")
    screenshot(unit_page, "change/08-unit-consent")
    unit_page.locator("input[type=submit]").click()
    unit_page.wait_for_url(re.compile(r"/changeapplication/\d+/change/$"))

    page.reload()
    expect(page.locator(".filing-deadline")).to_be_visible()
    screenshot(page, "change/09-consented-deadline")
    page.get_by_role("button", name="报送登记管理机关").click()
    page.wait_for_url(re.compile(r"/portal/changes/\d+/$"))
    change.refresh_from_db()
    assert change.status == ChangeStatus.FILED

    clerk_page = open_page()
    admin_login(clerk_page, live_server, clerk)
    clerk_page.goto(f"{live_server.url}{reverse('admin:registry_changeapplication_changelist')}")
    screenshot(clerk_page, "change/10-clerk-list")
    clerk_page.goto(
        f"{live_server.url}{reverse('admin:registry_changeapplication_change', args=[change.pk])}"
    )
    screenshot(clerk_page, "change/11-clerk-change-page", full_page=True)
    clerk_page.locator("a.review-approved").click()
    clerk_page.select_option("#id_party_building_body", label=body.name)
    screenshot(clerk_page, "change/12-clerk-approve", full_page=True)
    clerk_page.locator("input[type=submit]").click()
    clerk_page.wait_for_url(re.compile(r"/changeapplication/\d+/change/$"))
    organization.refresh_from_db()
    assert organization.legal_representative == "李华"
    assert organization.supervisory_unit == new_unit and organization.party_building_body == body
    clerk_page.goto(f"{live_server.url}{reverse('portal:change_print', args=[change.pk])}")
    screenshot(clerk_page, "change/13-print", full_page=True)

    committee_page = open_page()
    admin_login(committee_page, live_server, committee)
    committee_page.goto(
        f"{live_server.url}{reverse('admin:partybuilding_changenotice_changelist')}"
    )
    expect(committee_page.locator("#result_list")).to_contain_text(organization.name)
    screenshot(committee_page, "change/14-committee-notices")


def test_charter_amendment_keeps_the_party_building_clause(live_server, open_page):
    from registry.models import RegistrationTemplate

    organization = OrganizationFactory(
        name="长春市朝阳区康宁社区服务中心",
        supervisory_unit=SupervisoryUnitFactory(name="长春市民政局社会事务处"),
    )
    make_organization_user(organization)
    clause = RegistrationTemplate.current().party_building_clause

    page = open_page()
    portal_login(page, live_server, organization)
    page.goto(f"{live_server.url}{reverse('portal:changes')}")
    page.locator(".change-start button[value=charter]").click()
    page.wait_for_url(re.compile(r"/changes/\d+/edit/charter/$"))
    page.fill("#id_charter-charter_text", "第一条 本中心名称为长春市朝阳区康宁社区服务中心。")
    page.fill("#id_charter-reason", "2018年6月会员大会通过章程修改。")
    page.get_by_role("button", name="保存并继续").click()
    expect(page.locator("form.wizard-form")).to_contain_text("党建工作条款")
    screenshot(page, "change/20-charter-clause-error")
    page.fill(
        "#id_charter-charter_text", f"第一条 本中心名称为长春市朝阳区康宁社区服务中心。\n{clause}"
    )
    page.get_by_role("button", name="保存并继续").click()
    page.wait_for_url(re.compile(r"/edit/review/$"))
    screenshot(page, "change/21-charter-review")
    page.locator("#id_review-confirm").check()
    page.get_by_role("button", name="提交申请").click()
    page.wait_for_url(re.compile(r"/portal/changes/\d+/$"))
    amendment = ChangeApplication.objects.get(organization=organization)
    assert amendment.status == ChangeStatus.SUBMITTED and clause in amendment.charter_text
