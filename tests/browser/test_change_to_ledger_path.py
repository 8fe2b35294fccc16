"""Issue 17 point 5: a change of residence walked end to end on the real pages — portal →
supervisory unit → organization files → clerk → ledger (R-CHG-1, 3, 4, R-CERT-3). The
organization applies through the wizard; its unit consents in the admin; the organization files
it with the authority; the clerk approves; the Party-building ledger then shows the new
district and the organization's certificates were reissued. Screenshots at 1366x768 (zh-CN)
under test-results/change-ledger/."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from accounts import roles
from registry.choices import ChangeStatus
from registry.models import ChangeApplication, District, Street
from tests.browser.conftest import admin_login, portal_login
from tests.browser.screens import screenshot
from tests.factories import (
    DistrictFactory,
    OrganizationFactory,
    StreetFactory,
    SupervisoryUnitFactory,
    make_organization_user,
    make_user,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Test-password-2018"
NAME = "长春市百合居家养老服务中心"
NEW_ADDRESS = "长春市绿园区春城大街1566号"


def place(district_name, street_name):
    district = District.objects.filter(name=district_name).first() or DistrictFactory(
        name=district_name
    )
    street = Street.objects.filter(district=district, name=street_name).first() or (
        StreetFactory(district=district, name=street_name)
    )
    return district, street


def shot(page, name, **options):
    screenshot(page, f"change-ledger/{name}", **options)


def test_change_of_residence_from_portal_to_ledger(live_server, open_page):
    from registry.services.certificates import issue_with_decision

    unit = SupervisoryUnitFactory(name="长春市民政局养老服务处", is_civil_affairs=True)
    old_district, old_street = place("宽城区", "站前街道")
    new_district, new_street = place("绿园区", "春城街道")
    organization = OrganizationFactory(
        name=NAME,
        supervisory_unit=unit,
        district=old_district,
        street=old_street,
        address="长春市宽城区长白路526号",
    )
    make_organization_user(organization)
    supervisor = make_user(roles.SUPERVISORY_UNIT, username="unit-zhang", supervisory_unit=unit)
    clerk = make_user(roles.CLERK, username="clerk-wang")
    # Set-up, not part of the walk: the certificates the organization holds before the change.
    issue_with_decision(
        organization=organization,
        by=clerk,
        reason="registration",
        issued_on=organization.registered_on,
    )

    # --- The organization applies through the wizard ------------------------------------------
    page = open_page()
    portal_login(page, live_server, organization)
    shot(page, "01-portal-home")
    page.locator("#changes-link").click()
    page.wait_for_url(re.compile(r"/portal/changes/$"))
    page.locator(".change-start button[value=change]").click()
    page.wait_for_url(re.compile(r"/changes/\d+/edit/items/$"))
    page.locator("input[name=items-items][value=residence]").check()
    page.fill("#id_items-reason", "原租用场地租期届满，经2018年2月理事会决议迁至绿园区新址。")
    shot(page, "02-items")
    page.get_by_role("button", name="保存并继续").click()
    page.wait_for_url(re.compile(r"/edit/values/$"))
    page.select_option("#id_values-district", str(new_district.pk))
    page.select_option("#id_values-street", str(new_street.pk))
    page.fill("#id_values-address", NEW_ADDRESS)
    shot(page, "03-values")
    page.get_by_role("button", name="保存并继续").click()
    page.wait_for_url(re.compile(r"/edit/review/$"))
    expect(page.locator("main")).to_contain_text(NEW_ADDRESS)
    shot(page, "04-review", full_page=True)
    page.locator("#id_review-confirm").check()
    page.get_by_role("button", name="提交申请").click()
    page.wait_for_url(re.compile(r"/portal/changes/\d+/$"))
    change = ChangeApplication.objects.get(organization=organization)
    assert change.status == ChangeStatus.SUBMITTED
    shot(page, "05-submitted", full_page=True)

    # --- The supervisory unit consents --------------------------------------------------------
    unit_page = open_page()
    admin_login(unit_page, live_server, supervisor)
    change_url = reverse("admin:registry_changeapplication_change", args=[change.pk])
    unit_page.goto(f"{live_server.url}{change_url}")
    shot(unit_page, "06-unit-change-page", full_page=True)
    unit_page.locator("a.review-consented").click()
    unit_page.fill("#id_text", "经审查，新址符合居家养老服务场地要求，同意变更住所。")
    shot(unit_page, "07-unit-consent")
    unit_page.locator("input[type=submit]").click()
    unit_page.wait_for_url(re.compile(r"/changeapplication/\d+/change/$"))

    # --- The organization files it with the registration authority ---------------------------
    page.reload()
    expect(page.locator(".filing-deadline")).to_be_visible()
    shot(page, "08-consented", full_page=True)
    page.get_by_role("button", name="报送登记管理机关").click()
    page.wait_for_url(re.compile(r"/portal/changes/\d+/$"))
    change.refresh_from_db()
    assert change.status == ChangeStatus.FILED

    # --- The clerk approves -------------------------------------------------------------------
    clerk_page = open_page()
    admin_login(clerk_page, live_server, clerk)
    clerk_page.goto(f"{live_server.url}{reverse('admin:registry_changeapplication_changelist')}")
    expect(clerk_page.locator("#result_list")).to_contain_text(NAME)
    shot(clerk_page, "09-clerk-list")
    clerk_page.goto(f"{live_server.url}{change_url}")
    shot(clerk_page, "10-clerk-change-page", full_page=True)
    clerk_page.locator("a.review-approved").click()
    shot(clerk_page, "11-clerk-approve", full_page=True)
    clerk_page.locator("input[type=submit]").click()
    clerk_page.wait_for_url(re.compile(r"/changeapplication/\d+/change/$"))
    expect(clerk_page.locator(".messagelist")).to_be_visible()
    shot(clerk_page, "12-clerk-approved", full_page=True)
    organization.refresh_from_db()
    assert (organization.district, organization.street, organization.address) == (
        new_district,
        new_street,
        NEW_ADDRESS,
    )
    # R-CERT-3: reissued in the approval's transaction.
    assert set(
        organization.certificates.filter(status="valid").values_list("issue_reason", flat=True)
    ) == {"change"}

    # --- The ledger shows the new residence ---------------------------------------------------
    ledger = reverse("partybuilding:ledger")
    clerk_page.goto(f"{live_server.url}{ledger}?q={NAME}")
    row = clerk_page.locator("#ledger tbody tr", has_text=NAME)
    expect(row).to_have_count(1)
    expect(row).to_contain_text("绿园区")
    expect(row).not_to_contain_text("宽城区")
    row.locator("td", has_text="绿园区").first.scroll_into_view_if_needed()
    shot(clerk_page, "13-ledger")
