"""The 消息 pages in Chromium at the office screen: an organization's reminders in the portal
(unread count in the header, mark read, open the thing), a clerk's in the admin. Nothing on
them is in English or a raw code."""

import datetime
import re

import pytest
from django.db import connections
from playwright.sync_api import expect

from accounts import roles
from annualcheck.choices import CheckStatus
from annualcheck.models import AnnualCheck, Rectification
from notifications.reminders import send_reminders
from tests.browser.conftest import admin_login, portal_login
from tests.browser.screens import screenshot
from tests.evaluation.test_evaluation_aggregates import evaluate
from tests.factories import (
    OrganizationFactory,
    PartyMemberFactory,
    SupervisoryUnitFactory,
    make_organization_user,
    make_user,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ENGLISH_WORD = re.compile(r"[A-Za-z]{3,}")
TODAY = datetime.date(2026, 12, 7)


@pytest.fixture(autouse=True)
def close_connections():
    yield
    connections.close_all()


def english_on(page, where="body") -> list[str]:
    text = page.locator(where).inner_text()
    return sorted(set(ENGLISH_WORD.findall(text)))


def test_the_portal_and_admin_message_pages(live_server, open_page, clerk):
    organization = OrganizationFactory(
        name="长春市朝阳区夕阳红养老服务中心",
        supervisory_unit=SupervisoryUnitFactory(name="长春市民政局养老服务处"),
    )
    make_organization_user(organization)
    make_user(roles.COMMITTEE, username="committee-browser")
    check = AnnualCheck.objects.create(
        organization=organization, year=2025, status=CheckStatus.REVIEWED, result="qualified"
    )
    Rectification.objects.create(
        annual_check=check, problem="党员档案不全", due_on=TODAY + datetime.timedelta(days=5)
    )
    evaluate(organization, year=2021, valid_until=datetime.date(2027, 1, 31))
    PartyMemberFactory(
        organization=organization,
        name="李明",
        status="probationary",
        full_membership_due_on=datetime.date(2026, 12, 28),
    )
    # The organization: the rectification, the grade, the member; the clerk the grade; the
    # committee the member.
    assert send_reminders(TODAY) == 5

    portal = open_page()
    portal_login(portal, live_server, organization)
    expect(portal.locator("#notifications-link .unread-count")).to_have_text("3")
    portal.click("#notifications-link")
    expect(portal.locator("h1")).to_have_text("消息")
    expect(portal.locator("tr.notification-unread")).to_have_count(3)
    screenshot(portal, "notifications/portal-messages")
    assert english_on(portal) == []

    portal.locator("tr.notification-unread input[name=ids]").first.check()
    portal.get_by_role("button", name="所选标为已读").click()
    expect(portal.locator("tr.notification-unread")).to_have_count(2)
    expect(portal.locator("#notifications-link .unread-count")).to_have_text("2")
    portal.locator("tr.notification-unread", has_text="预备期满").get_by_text("查看").click()
    portal.wait_for_url(re.compile(r"/portal/organizations/\d+/$"))

    staff = open_page()
    admin_login(staff, live_server, clerk)
    expect(staff.locator("#notifications-link")).to_contain_text("消息")
    staff.click("#notifications-link")
    expect(staff.locator("tr.notification-unread")).to_have_count(1)
    screenshot(staff, "notifications/admin-messages")
    assert english_on(staff, "#content") == []  # the header names the user, clerk-test
    staff.locator("input[name=all]").click()
    expect(staff.locator("tr.notification-unread")).to_have_count(0)
    expect(staff.locator("#notifications-link .unread-count")).to_have_count(0)
