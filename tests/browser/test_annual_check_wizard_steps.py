"""The annual-check wizard at 1366×768 (issue 19): item 1's two steps numbered 1-1 and 1-2,
finished steps ticked, and a member row added to the 党员登记表 without reloading the page."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from annualcheck.services import party_building_report_save
from tests.browser import office_day as office
from tests.browser.screens import screenshot
from tests.factories import OrganizationFactory, add_members
from tests.portal.annual_check_steps import complete, started

office_page = office.office_page  # the fixture

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def test_numbered_ticked_steps_and_a_row_added_in_place(live_server, office_page):
    organization = OrganizationFactory(name="长春市朝阳区康宁居家养老服务中心")
    add_members(organization, 2)
    annual_check, user = started(organization)
    complete(annual_check, user)  # items 2–10 written
    # Item 1 is finished once what only the organization can say is written: its activities.
    party_building_report_save(annual_check=annual_check, by=user, activities="每月一次主题党日")
    page = office_page
    page.goto(f"{live_server.url}{reverse('portal:login')}")
    page.fill("#id_username", organization.credit_code)
    page.fill("#id_password", "Test-password-2018")
    page.locator("form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/portal/organizations/\d+/$"))
    url = reverse("portal:annual_check_wizard", args=[annual_check.pk, "register"])
    page.goto(f"{live_server.url}{url}")

    steps = page.locator(".wizard-steps .nav-link")
    numbers = [
        page.evaluate(
            "el => getComputedStyle(el, '::before').content", steps.nth(i).element_handle()
        )
        for i in range(2)
    ]
    assert numbers == ['"1-1 "', '"1-2 "']
    assert steps.count() == 12  # 1-1, 1-2, items 2–10, review
    done = page.locator(".wizard-steps .step-done")
    assert done.count() == 11, done.all_inner_texts()  # all but the review

    rows = page.locator("#register-rows .member-row")
    before = rows.count()
    total = page.locator("input[name$='-TOTAL_FORMS']")
    page.evaluate("() => { window.notReloaded = true; }")
    page.locator("#add-register-row").click()
    expect(rows).to_have_count(before + 1)
    assert int(total.input_value()) == before + 1
    assert page.evaluate("() => window.notReloaded === true")  # the same page, not a reload
    new_row = rows.nth(before)
    assert new_row.locator(f"[name$='{before}-name']").count() == 1  # numbered for the formset
    screenshot(page, "annual-check/register-row-added")
