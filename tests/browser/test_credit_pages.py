"""The credit listing at 1366×768 (issue 18): the clerk confirms a proposal on its review page,
the evidence in words; the organization sees the decision in the portal and applies for removal.
Set CREDIT_SCREENSHOTS=<dir> to keep the screenshots."""

import datetime
import os

import pytest
from django.urls import reverse

from accounts import roles
from annualcheck.rules import month_day
from credit.choices import EntryStatus, Ground
from credit.evidence import ANNUAL_REPORT, NO_PARTY_ORGANIZATION, item
from credit.models import ListEntry
from tests.browser.conftest import admin_login, portal_login
from tests.credit.helpers import proposed_entry
from tests.factories import OrganizationFactory, make_organization_user, make_user

pytestmark = pytest.mark.django_db(transaction=True)


def shot(page, name):
    folder = os.environ.get("CREDIT_SCREENSHOTS")
    if folder:
        page.screenshot(path=os.path.join(folder, f"{name}.png"), full_page=False)


def test_the_clerk_lists_and_the_organization_answers(live_server, open_page):
    organization = OrganizationFactory(name="长春市示例养老服务中心")
    make_organization_user(organization)
    clerk = make_user(roles.CLERK, username="credit-browser-clerk")
    entry = proposed_entry(
        organization,
        Ground.ANNUAL_REPORT,
        on=datetime.date(2018, 6, 1),
        evidence=[
            item(ANNUAL_REPORT, month_day(2018, "05-31"), year=2017, deadline="2018-05-31"),
            item(
                NO_PARTY_ORGANIZATION,
                datetime.date(2017, 9, 1),
                since="2017-09-01",
                counted_members=4,
                grace_days=180,
            ),
        ],
    )
    page = open_page()
    admin_login(page, live_server, clerk)
    page.goto(f"{live_server.url}{reverse('credit:confirm', args=[entry.pk])}")
    assert "annual_report" not in page.content()
    assert page.locator("#entry-evidence").inner_text().count("2017") >= 1
    shot(page, "admin-confirm")
    page.fill("#id_decision_number", "长民信〔2018〕12号")
    page.fill("#id_basis", "《社会组织信用信息管理办法》")
    page.locator("input[type=submit].default").click()
    page.wait_for_url(f"**{reverse('admin:credit_listentry_change', args=[entry.pk])}")
    assert ListEntry.objects.get(pk=entry.pk).status == EntryStatus.LISTED

    portal = open_page()
    portal_login(portal, live_server, organization)
    portal.click("#credit-link")
    portal.locator(".credit-entry-list a").first.click()
    assert "长民信〔2018〕12号" in portal.content()
    shot(portal, "portal-entry")
    portal.fill("textarea[name=what_was_done]", "已于2018年6月20日补报2017年度工作报告")
    portal.locator(".credit-removal button[type=submit]").click()
    portal.wait_for_url(f"**{reverse('portal:credit_entry', args=[entry.pk])}")
    assert ListEntry.objects.get(pk=entry.pk).status == EntryStatus.REMOVAL_REQUESTED
    shot(portal, "portal-requested")
