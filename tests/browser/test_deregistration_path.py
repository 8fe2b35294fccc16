"""The deregistration path in the browser (R-DEREG-1..6): an organization with a Party branch and
one member applies for deregistration through the wizard; its supervisory unit consents; the
clerk's decision page lists what the Party-building records still hold, is refused until the
branch is dissolved and the member transferred out, then ends the registration; the notice
prints. Screenshots at 1366x768 go to $DEREGISTRATION_SCREENSHOTS when it is set."""

import datetime
import os
import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from accounts import roles
from core import calendar
from partybuilding.services import party_member_transfer_out, party_organization_dissolve
from registry.choices import DeregistrationStatus, OrganizationStatus
from registry.models import Deregistration
from tests.browser.conftest import admin_login, portal_login
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
NAME = "长春市宽城区安康居家养老服务中心"
SHOTS = os.environ.get("DEREGISTRATION_SCREENSHOTS", "")


def shot(page, name):
    if SHOTS:
        os.makedirs(SHOTS, exist_ok=True)
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


def continue_to(page, step):
    page.locator(".wizard-buttons button[type=submit]:not([name])").click()
    page.wait_for_url(re.compile(rf"/edit/{step}/$"))


def test_organization_applies_unit_consents_clerk_deregisters(live_server, open_page):
    unit = SupervisoryUnitFactory(name="长春市民政局养老服务处", is_civil_affairs=True)
    organization = OrganizationFactory(name=NAME, supervisory_unit=unit)
    (member,) = add_members(organization, 1)
    branch = found_party_organization(organization, name="长春市宽城区安康居家养老服务中心党支部")
    make_organization_user(organization)
    clerk = make_user(roles.CLERK, username="clerk-zhao")
    supervisor = make_user(roles.SUPERVISORY_UNIT, username="unit-qian", supervisory_unit=unit)
    today = calendar.today()  # the bureau's day, as the services see it
    ended = today - datetime.timedelta(days=5)

    # --- The organization applies -------------------------------------------------------------
    page = open_page()
    portal_login(page, live_server, organization)
    page.locator("#deregistrations-link").click()
    page.wait_for_url(re.compile(r"/portal/deregistrations/$"))
    shot(page, "01-portal-list")
    page.locator(".deregistration-start form button").click()
    page.wait_for_url(re.compile(r"/deregistrations/\d+/edit/reason/$"))
    page.locator("input[name='reason-reason'][value='dissolved']").check()
    page.fill("#id_reason-reason_details", "经会员代表大会表决，本中心自行解散。")
    page.fill("#id_reason-resolved_on", (ended - datetime.timedelta(days=40)).isoformat())
    shot(page, "02-wizard-reason")
    continue_to(page, "liquidation")
    page.fill("#id_liquidation-liquidation_group", "张建国 清算组组长\n李秀英 成员")
    page.fill(
        "#id_liquidation-liquidation_started_on", (ended - datetime.timedelta(days=30)).isoformat()
    )
    # An end before the start: the error names the field, nothing is kept.
    page.fill(
        "#id_liquidation-liquidation_ended_on", (ended - datetime.timedelta(days=31)).isoformat()
    )
    page.fill(
        "#id_liquidation-liquidation_report", "债权债务已清理完毕，会计师事务所出具审计报告。"
    )
    page.fill("#id_liquidation-remaining_assets", "剩余财产捐赠给宗旨相近的养老服务机构。")
    page.locator(".wizard-buttons button[type=submit]:not([name])").click()
    expect(
        page.locator("#id_liquidation-liquidation_ended_on ~ .invalid-feedback, .invalid-feedback")
    ).to_contain_text("清算结束日期不能早于清算开始日期")
    shot(page, "03-wizard-liquidation-error")
    page.fill("#id_liquidation-liquidation_ended_on", ended.isoformat())
    continue_to(page, "review")
    expect(page.locator(".deregistration-problems")).to_have_count(0)
    page.locator("#id_review-confirm").check()
    shot(page, "04-wizard-review")
    page.locator(".wizard-buttons button[type=submit]:not([name])").click()
    page.wait_for_url(re.compile(r"/portal/deregistrations/\d+/$"))
    deregistration = Deregistration.objects.get(organization=organization)
    assert deregistration.status == DeregistrationStatus.SUBMITTED
    shot(page, "05-portal-detail-submitted")

    # --- The supervisory unit consents ---------------------------------------------------------
    unit_page = open_page()
    admin_login(unit_page, live_server, supervisor)
    change = reverse("admin:registry_deregistration_change", args=[deregistration.pk])
    unit_page.goto(f"{live_server.url}{change}")
    shot(unit_page, "06-admin-unit-change")
    unit_page.locator("a.review-consented").click()
    unit_page.fill("#id_opinion", "经审查，同意该中心注销登记。")
    unit_page.locator("input[type=submit]").click()
    expect(unit_page.locator(".messagelist")).to_contain_text("同意")

    # --- The clerk: refused while the Party records are open, then deregisters ---------------
    clerk_page = open_page()
    admin_login(clerk_page, live_server, clerk)
    complete_url = reverse("registry:deregistration_complete", args=[deregistration.pk])
    clerk_page.goto(f"{live_server.url}{complete_url}")
    expect(clerk_page.locator("#party-building-blockers")).to_contain_text(member.name)
    clerk_page.fill("#id_certificate_returned_on", today.isoformat())
    clerk_page.fill("#id_seal_returned_on", today.isoformat())
    clerk_page.locator("input[type=submit]").click()
    expect(clerk_page.locator(".errorlist")).to_contain_text(branch.name)
    shot(clerk_page, "07-admin-complete-refused")
    party_organization_dissolve(party_organization=branch, dissolved_on=today, by=clerk)
    party_member_transfer_out(
        member=member, transferred_on=today, destination="中共长春市宽城区委组织部", by=clerk
    )
    clerk_page.goto(f"{live_server.url}{complete_url}")
    expect(clerk_page.locator(".party-building-settled")).to_be_visible()
    clerk_page.fill("#id_certificate_returned_on", today.isoformat())
    clerk_page.fill("#id_seal_returned_on", today.isoformat())
    clerk_page.fill("#id_returns_note", "登记证书正本、副本各一，印章一枚")
    clerk_page.locator("input[type=submit]").click()
    clerk_page.wait_for_url(re.compile(r"/registry/deregistration/\d+/change/$"))
    shot(clerk_page, "08-admin-completed")
    organization.refresh_from_db()
    assert organization.status == OrganizationStatus.DEREGISTERED

    # --- The notice --------------------------------------------------------------------------
    notice = reverse("portal:print_deregistration_notice", args=[deregistration.pk])
    page.goto(f"{live_server.url}{notice}")
    expect(page.locator("h1.doc-title")).to_have_text("注销登记通知书")
    expect(page.locator(".notice-returns")).to_contain_text("收缴")
    shot(page, "09-notice")


def test_clerk_revokes_from_the_annual_check_review_list(live_server, open_page):
    """R-DEREG-9: the organization unqualified two years running is revoked from the list; the
    list then shows the decision, and the decision prints."""
    from tests.annualcheck.test_admin_review import _reviewed

    clerk = make_user(roles.CLERK, username="clerk-sun")
    organization = OrganizationFactory(name="长春市某某文化交流促进会", supervisory_unit=None)
    add_members(organization, 2)
    _reviewed(organization, 2016, "unqualified", clerk)
    _reviewed(organization, 2017, "unqualified", clerk)

    page = open_page()
    admin_login(page, live_server, clerk)
    page.goto(f"{live_server.url}{reverse('annualcheck:revocation_review')}?year=2017")
    row = page.locator("#revocation-candidates tbody tr").first
    expect(row).to_contain_text(organization.name)
    shot(page, "10-revocation-review-list")
    row.locator("a.button").click()
    page.wait_for_url(re.compile(rf"/organizations/{organization.pk}/revoke/"))
    expect(page.locator(".party-building-blockers")).to_contain_text("2")
    page.locator("input[type=submit]").click()  # no grounds: refused, named on the field
    expect(page.locator(".errorlist").first).to_be_visible()
    page.fill("#id_decision_reason", "该组织2016、2017年度连续两年年度检查不合格。")
    shot(page, "11-revoke-form")
    page.locator("input[type=submit]").click()
    page.wait_for_url(re.compile(r"/registry/deregistration/\d+/change/$"))
    organization.refresh_from_db()
    assert organization.status == OrganizationStatus.REVOKED
    page.goto(f"{live_server.url}{reverse('annualcheck:revocation_review')}?year=2017")
    expect(page.locator(".revocation-decision").first).to_contain_text("撤销登记")
    shot(page, "12-revocation-review-decided")
    revocation = organization.deregistrations.get()
    page.goto(
        f"{live_server.url}{reverse('portal:print_deregistration_notice', args=[revocation.pk])}"
    )
    expect(page.locator("h1.doc-title")).to_have_text("撤销登记决定书")
    shot(page, "13-revocation-notice")
