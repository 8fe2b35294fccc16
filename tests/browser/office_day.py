"""A clerk's day at 1366×768 (issue 19): the usual office screen, and enough of a city's records
for every work list to have rows with long names (the names and units of the demo)."""

import datetime

import pytest

from accounts import roles
from annualcheck.services import annual_check_pre_review
from registry.services.registration import (
    application_approve,
    application_consent,
    application_submit,
)
from tests.annualcheck.test_rules import submitted as submitted_check
from tests.browser.conftest import OFFICE_SCREEN
from tests.factories import (
    DistrictFactory,
    IndustryFactory,
    OrganizationFactory,
    SupervisoryUnitFactory,
    add_members,
    make_organization_user,
    make_user,
)
from tests.registry.test_registration import complete_application

NAMES = [
    "长春市宽城区同心社会工作服务中心",
    "长春市朝阳区康宁居家养老服务中心",
    "长春净月高新技术产业开发区乐龄居家养老服务中心",
    "吉林省道德传统文化协会",
    "长春市社会组织公益创投孵化服务中心",
    "长春市二道区东盛街道夕阳红老年公寓",
    "长春市南关区永昌居家养老服务中心",
    "长春市养老服务业协会",
]


@pytest.fixture
def office_page(browser):
    context = browser.new_context(locale="zh-CN", viewport=OFFICE_SCREEN, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def office_day(clerk):
    """Organizations, applications waiting at each step, annual checks waiting at each step and
    member-form copies to acknowledge, with the demo's long names."""
    unit = SupervisoryUnitFactory(name="长春市民政局社会组织服务中心（养老服务处）")
    zone = DistrictFactory(name="长春净月高新技术产业开发区", code="220171")
    social_work = IndustryFactory(code="social_work", name="社工")
    organizations = []
    for number, name in enumerate(NAMES * 3):
        organizations.append(
            OrganizationFactory(
                name=name if number < len(NAMES) else f"{name}（第{number}分中心）",
                supervisory_unit=unit,
                district=zone if number % 2 else DistrictFactory(),
                industry=social_work if number % 3 else IndustryFactory(),
            )
        )
    add_members(organizations[0], 3)  # 应建未建: a coloured ledger row
    supervisor = make_user(roles.SUPERVISORY_UNIT, username="unit-office", supervisory_unit=unit)
    applicant = make_user(roles.APPLICANT, username="applicant-office")
    waiting = []
    for _ in range(3):
        application = complete_application(applicant, unit=unit)
        application_submit(application=application, by=applicant)
        waiting.append(application)
    application_consent(application=waiting[0], by=supervisor, opinion="同意成立")
    approved = complete_application(applicant, unit=unit)
    application_submit(application=approved, by=applicant)
    application_consent(application=approved, by=supervisor, opinion="同意成立")
    application_approve(application=approved, by=clerk, registered_on=datetime.date(2018, 6, 4))
    approved.refresh_from_db()
    checks = [submitted_check(organization) for organization in organizations[1:5]]
    annual_check_pre_review(annual_check=checks[0], by=supervisor, opinion="通过", passed=True)
    return {
        "unit": unit,
        "organizations": organizations,
        "supervisor": supervisor,
        "committee": make_user(roles.COMMITTEE, username="committee-office"),
        "organization_user": make_organization_user(organizations[0]),
        "applications": waiting,
        "approved": approved,
        "checks": checks,
    }
