"""The Content-Security-Policy holds on the main pages in Chromium (issue 8): staff pages (admin
index, organization list and change page, Party-building dashboard and ledger, an export job
page, evaluation statistics with its chart), the portal (home, a registration wizard step, the
annual check wizard) and print pages, with every script and style they load, raise no
"Refused to …" console message and no securitypolicyviolation event. A first test shows the
watch does catch a violation, so the others cannot pass for want of looking.

Logins are skipped: the test client's force_login (which also verifies two-factor for staff)
makes a session whose cookie is handed to the browser."""

import datetime

import pytest
from django.conf import settings
from django.db import connections
from django.urls import reverse

from accounts import roles
from annualcheck.services import annual_check_start
from exports.models import ExportJob
from portal.annual_check_views import report_year
from registry.services.registration import application_start
from tests.conftest import TwoFactorClient
from tests.factories import OrganizationFactory, make_organization_user, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Added to every page before its own scripts run; not subject to the page's policy.
WATCH = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__violations.push(`${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}`);
});
"""


@pytest.fixture(autouse=True)
def close_connections():
    yield
    # Connections opened while Playwright's loop runs outlive the test otherwise and keep the
    # PostgreSQL test database from being dropped.
    connections.close_all()


@pytest.fixture
def open_as(browser, live_server):
    """open_as(user) → a page whose context is logged in as `user`, watching for violations;
    each page's console messages are kept in page.refusals."""
    contexts = []

    def open_as(user):
        client = TwoFactorClient()
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        context = browser.new_context(locale="zh-CN")
        contexts.append(context)
        context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
        context.add_init_script(WATCH)
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.refusals = []
        page.on(
            "console",
            lambda message: (
                page.refusals.append(message.text)
                if "Refused to" in message.text or "Content Security Policy" in message.text
                else None
            ),
        )
        return page

    yield open_as
    for context in contexts:
        context.close()


def violations_on(page, url: str) -> list[str]:
    page.refusals.clear()
    response = page.goto(url)
    assert response.status == 200, url
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.wait_for_load_state("networkidle")
    assert page.url == url, f"{url}: sent on to {page.url}"  # e.g. to a login page
    return page.refusals + page.evaluate("window.__violations")


def test_the_watch_catches_an_inline_script(open_as, live_server, clerk):
    page = open_as(clerk)
    assert violations_on(page, f"{live_server.url}/admin/") == []

    page.evaluate(
        """() => {
            const script = document.createElement("script");
            script.textContent = "document.title = 'injected';";
            document.body.append(script);
        }"""
    )
    page.wait_for_timeout(200)

    assert page.title() != "injected"
    assert page.evaluate("window.__violations") != []


def test_staff_pages_run_under_the_policy(open_as, live_server, clerk):
    organization = OrganizationFactory(name="长春市至爱护理院")
    job = ExportJob.objects.create(user=clerk, kind="ledger", filename="台账.xlsx")
    page = open_as(clerk)
    urls = [
        "/admin/",
        reverse("admin:registry_organization_changelist"),
        reverse("admin:registry_organization_change", args=[organization.pk]),
        reverse("admin:registry_organization_history", args=[organization.pk]),
        reverse("partybuilding:dashboard"),
        reverse("partybuilding:ledger"),
        reverse("exports:detail", args=[job.pk]),
        reverse("evaluation:statistics"),
    ]

    found = {url: violations_on(page, live_server.url + url) for url in urls}

    assert len(found) == len(urls)
    assert {url: refused for url, refused in found.items() if refused} == {}


def test_portal_wizards_and_print_pages_run_under_the_policy(open_as, live_server):
    applicant = make_user(roles.APPLICANT, username="founder-csp")
    application = application_start(applicant=applicant)
    organization = OrganizationFactory(
        supervisory_unit=None,
        established_on=datetime.date(2010, 4, 1),
        registered_on=datetime.date(2010, 5, 1),
    )
    reporter = make_organization_user(organization)
    annual_check = annual_check_start(organization=organization, year=report_year(), by=reporter)
    wizard = "portal:application_wizard"
    applicant_urls = [
        reverse("portal:applications"),  # an applicant's home
        reverse(wizard, args=[application.pk, "basic"]),
        reverse(wizard, args=[application.pk, "members"]),
        reverse("portal:print_charter", args=[application.pk]),
        reverse("portal:print_member_form", args=[application.pk, "archive"]),
    ]
    organization_urls = [
        reverse("portal:organization", args=[organization.pk]),  # an organization's home
        reverse("portal:annual_check_wizard", args=[annual_check.pk, "party_building"]),
        reverse("portal:annual_check_print", args=[annual_check.pk]),
    ]

    as_applicant = open_as(applicant)
    found = {url: violations_on(as_applicant, live_server.url + url) for url in applicant_urls}
    as_organization = open_as(reporter)
    found.update(
        {
            f"{url} (organization)": violations_on(as_organization, live_server.url + url)
            for url in organization_urls
        }
    )

    assert len(found) == len(applicant_urls) + len(organization_urls)
    assert {url: refused for url, refused in found.items() if refused} == {}
