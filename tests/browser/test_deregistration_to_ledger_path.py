"""Issue 17 point 5: a deregistration walked end to end on the real pages — portal →
supervisory unit → clerk → ledger (R-DEREG-1..8, R-CERT-4). The organization applies after its
liquidation; its unit consents; the clerk's decision page lists the Party-building records still
open, the clerk dissolves the branch and records the member's relationship as transferred out
in the Party-building admin, then deregisters the organization with the certificate and seal
returned; it leaves today's ledger. Screenshots at 1366x768 (zh-CN) under
test-results/deregistration-ledger/."""

import datetime
import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from accounts import roles
from core import calendar
from registry.choices import DeregistrationStatus, OrganizationStatus
from registry.models import Deregistration
from tests.browser.conftest import admin_login, portal_login
from tests.browser.screens import screenshot
from tests.factories import (
    OrganizationFactory,
    SupervisoryUnitFactory,
    add_members,
    found_party_organization,
    make_organization_user,
    make_user,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Test-password-2018"
NAME = "长春市惠民社区服务中心"
BRANCH = "中共长春市惠民社区服务中心支部委员会"
DESTINATION = "中共长春市南关区鸿城街道工作委员会"


def shot(page, name, **options):
    screenshot(page, f"deregistration-ledger/{name}", **options)


def continue_to(page, step):
    page.locator(".wizard-buttons button[type=submit]:not([name])").click()
    page.wait_for_url(re.compile(rf"/edit/{step}/$"))


def ledger_search(page, live_server, name):
    page.goto(f"{live_server.url}{reverse('partybuilding:ledger')}?q={name}")
    return page.locator("#ledger tbody tr", has_text=name)


def test_deregistration_from_portal_to_ledger(live_server, open_page):
    from registry.services.certificates import issue_with_decision

    unit = SupervisoryUnitFactory(name="长春市民政局基层政权和社区建设处", is_civil_affairs=True)
    organization = OrganizationFactory(name=NAME, supervisory_unit=unit)
    (member,) = add_members(organization, 1)
    branch = found_party_organization(organization, name=BRANCH)
    make_organization_user(organization)
    clerk = make_user(roles.CLERK, username="clerk-wang")
    supervisor = make_user(roles.SUPERVISORY_UNIT, username="unit-li", supervisory_unit=unit)
    issue_with_decision(
        organization=organization,
        by=clerk,
        reason="registration",
        issued_on=organization.registered_on,
    )
    today = calendar.today()
    ended = today - datetime.timedelta(days=5)

    clerk_page = open_page()
    admin_login(clerk_page, live_server, clerk)
    expect(ledger_search(clerk_page, live_server, NAME)).to_have_count(1)
    shot(clerk_page, "00-ledger-before")

    # --- The organization applies -------------------------------------------------------------
    page = open_page()
    portal_login(page, live_server, organization)
    page.locator("#deregistrations-link").click()
    page.wait_for_url(re.compile(r"/portal/deregistrations/$"))
    shot(page, "01-portal-list")
    page.locator(".deregistration-start form button").click()
    page.wait_for_url(re.compile(r"/deregistrations/\d+/edit/reason/$"))
    page.locator("input[name='reason-reason'][value='dissolved']").check()
    page.fill("#id_reason-reason_details", "经举办者会议决议，本中心自行解散。")
    page.fill("#id_reason-resolved_on", (ended - datetime.timedelta(days=40)).isoformat())
    shot(page, "02-reason")
    continue_to(page, "liquidation")
    page.fill("#id_liquidation-liquidation_group", "邹建平 清算组组长\n韦丽娟 成员")
    page.fill(
        "#id_liquidation-liquidation_started_on", (ended - datetime.timedelta(days=30)).isoformat()
    )
    page.fill("#id_liquidation-liquidation_ended_on", ended.isoformat())
    page.fill(
        "#id_liquidation-liquidation_report", "债权债务已全部清偿，会计师事务所出具清算审计报告。"
    )
    page.fill("#id_liquidation-remaining_assets", "剩余财产捐赠给长春市社区服务协会。")
    shot(page, "03-liquidation")
    continue_to(page, "review")
    page.locator("#id_review-confirm").check()
    shot(page, "04-review", full_page=True)
    page.locator(".wizard-buttons button[type=submit]:not([name])").click()
    page.wait_for_url(re.compile(r"/portal/deregistrations/\d+/$"))
    deregistration = Deregistration.objects.get(organization=organization)
    assert deregistration.status == DeregistrationStatus.SUBMITTED
    shot(page, "05-portal-submitted", full_page=True)

    # --- The supervisory unit consents --------------------------------------------------------
    unit_page = open_page()
    admin_login(unit_page, live_server, supervisor)
    change = reverse("admin:registry_deregistration_change", args=[deregistration.pk])
    unit_page.goto(f"{live_server.url}{change}")
    shot(unit_page, "06-unit-change-page", full_page=True)
    unit_page.locator("a.review-consented").click()
    unit_page.fill("#id_opinion", "经审查，该中心清算工作已完成，同意注销登记。")
    shot(unit_page, "07-unit-consent")
    unit_page.locator("input[type=submit]").click()
    expect(unit_page.locator(".messagelist")).to_contain_text("同意")

    # --- The clerk: the Party-building records first, on their own admin pages ----------------
    complete = (
        f"{live_server.url}{reverse('registry:deregistration_complete', args=[deregistration.pk])}"
    )
    clerk_page.goto(complete)
    blockers = clerk_page.locator("#party-building-blockers")
    expect(blockers).to_contain_text(BRANCH)
    expect(blockers).to_contain_text(member.name)
    shot(clerk_page, "08-clerk-complete-blocked", full_page=True)

    # The page links to the records still open: the Party organizations covering it...
    clerk_page.locator("#blocker-party-organizations").click()
    clerk_page.locator("#result_list a", has_text=BRANCH).click()
    clerk_page.wait_for_url(re.compile(rf"/partyorganization/{branch.pk}/change/"))
    clerk_page.fill("#id_dissolved_on", (today - datetime.timedelta(days=3)).isoformat())
    shot(clerk_page, "09-branch-dissolved", full_page=True)
    clerk_page.locator("input[name=_save]").click()
    expect(clerk_page.locator(".messagelist .success")).to_be_visible()

    transferred_on = (today - datetime.timedelta(days=2)).isoformat()
    # ... and its members.
    clerk_page.goto(complete)
    clerk_page.locator("#blocker-party-members").click()
    expect(clerk_page.locator("#result_list tbody tr")).to_have_count(1)
    shot(clerk_page, "10-members-of-the-organization")
    clerk_page.locator("#result_list a", has_text=member.name).click()
    clerk_page.wait_for_url(re.compile(rf"/partymember/{member.pk}/change/"))
    clerk_page.fill("#id_transferred_out_on", transferred_on)
    clerk_page.fill("#id_transferred_out_to", DESTINATION)
    clerk_page.fill("#id_left_on", transferred_on)
    clerk_page.fill("#id_left_reason", "组织关系转出")
    shot(clerk_page, "11-member-transferred-out", full_page=True)
    clerk_page.locator("input[name=_save]").click()
    expect(clerk_page.locator(".messagelist .success")).to_be_visible()
    member.refresh_from_db()
    assert member.transferred_out_to == DESTINATION

    # --- The clerk deregisters ----------------------------------------------------------------
    clerk_page.goto(complete)
    expect(clerk_page.locator(".party-building-settled")).to_be_visible()
    clerk_page.fill("#id_certificate_returned_on", today.isoformat())
    clerk_page.fill("#id_seal_returned_on", today.isoformat())
    clerk_page.fill("#id_returns_note", "收缴登记证书正本、副本各一份，印章一枚。")
    shot(clerk_page, "12-clerk-complete", full_page=True)
    clerk_page.locator("input[type=submit]").click()
    clerk_page.wait_for_url(re.compile(r"/registry/deregistration/\d+/change/$"))
    shot(clerk_page, "13-clerk-completed", full_page=True)
    organization.refresh_from_db()
    assert organization.status == OrganizationStatus.DEREGISTERED
    assert not organization.certificates.filter(status="valid").exists()  # R-CERT-4

    # --- Out of today's ledger ----------------------------------------------------------------
    expect(ledger_search(clerk_page, live_server, NAME)).to_have_count(0)
    expect(clerk_page.locator("#ledger-count")).to_contain_text("0")
    shot(clerk_page, "14-ledger-after")

    page.reload()
    expect(page.locator("main")).to_contain_text("注销")
    shot(page, "15-portal-completed", full_page=True)
