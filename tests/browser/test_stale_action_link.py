"""A stale action link in a clerk's browser at 1366×768 (issue 19): the approval form stays open
in one clerk's tab while a colleague approves the application. Sending the old form and opening
the old link again both answer with the application as it is now and who dealt with it, never
a server error (screenshots under test-results/stale/)."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from accounts import roles
from registry.choices import ApplicationStatus
from registry.services.registration import application_approve, credit_code_propose
from tests.browser.conftest import admin_login
from tests.browser.screens import screenshot
from tests.factories import make_user
from tests.registry.test_review_admin import submitted

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_colleagues_decision_leaves_the_old_tab_a_page_not_an_error(live_server, page, clerk):
    page.set_viewport_size({"width": 1366, "height": 768})
    application = submitted(make_user(roles.APPLICANT, username="applicant-stale-tab"))
    colleague = make_user(roles.CLERK, username="clerk-colleague")
    colleague.first_name = "王丽"
    colleague.save()
    admin_login(page, live_server, clerk)
    approve = live_server.url + reverse("registry:application_approve", args=[application.pk])

    response = page.goto(approve)
    assert response.status == 200
    application_approve(
        application=application,
        by=colleague,
        credit_code=credit_code_propose(organization_type=application.organization_type),
    )

    # The form from before the colleague's decision is sent.
    with page.expect_navigation() as sent:
        page.locator("form:has(input[name=version]) [type=submit]").first.click()
    assert sent.value.status < 500
    expect(page.locator("body")).to_contain_text("王丽")
    screenshot(page, "stale/approve-form-sent-after-a-colleague")

    # The old link opened again: the record as it is now, who dealt with it and when.
    response = page.goto(approve)
    assert response.status == 200
    assert page.url.endswith(
        reverse("admin:registry_application_change", args=[application.pk])
    )
    expect(page.locator(".messagelist")).to_contain_text("该申请已由 王丽 于")
    expect(page.locator(".messagelist")).to_contain_text("已核准登记")
    screenshot(page, "stale/approve-link-opened-again")
    application.refresh_from_db()
    assert application.status == ApplicationStatus.APPROVED
    assert application.organization.credit_code != ""
