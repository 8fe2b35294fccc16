"""The annual-check path in the browser (R-AC-1..5): an organization without a Party organization
but with three counted members fills last year's check, Party-building first, and submits it; its
supervisory unit passes the pre-review; the clerk finds 不合格 preselected (R-AC-4), sets 基本合格
with a written reason and a rectification item; the organization sees the result and answers."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from playwright.sync_api import expect

from accounts import roles
from annualcheck.choices import CheckResult, CheckStatus, RectificationStatus
from annualcheck.models import AnnualCheck
from annualcheck.services import deadline
from portal.annual_check_views import report_year
from portal.annual_check_wizard import ITEM_STEPS
from tests.browser.conftest import admin_login, portal_login
from tests.factories import (
    OrganizationFactory,
    SupervisoryUnitFactory,
    add_members,
    make_organization_user,
    make_user,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

PASSWORD = "Test-password-2018"
NAME = "长春市朝阳区康宁社区服务中心"
UNIT = "长春市民政局社会事务处"
NO_PARTY_REASON = "三名党员组织关系刚转入，正在向街道党工委申请单独组建党支部。"
WORK_COVERAGE = "由街道选派的党建工作指导员联系，党员参加街道社区党委的组织生活。"
OPINION = "初审通过，年检报告内容真实。"
RESULT_REASON = "已提交组建党支部的申请，街道党工委已受理，酌情评为基本合格。"
PROBLEM = "尽快完成党支部组建并报送批复文件。"
ANSWER = "街道党工委已批复成立党支部，批复文件已上传。"


@pytest.fixture
def people():
    unit = SupervisoryUnitFactory(name=UNIT, is_civil_affairs=True)
    # Registered long before 30 June of the year reported on: last year's check is due (R-AC-2).
    organization = OrganizationFactory(
        name=NAME,
        supervisory_unit=unit,
        established_on=datetime.date(2018, 5, 2),
        registered_on=datetime.date(2018, 5, 20),
    )
    members = add_members(organization, 3)  # 3 full members, no Party organization: 应建未建
    return {
        "organization": organization,
        "members": members,
        "user": make_organization_user(organization),
        "clerk": make_user(roles.CLERK, username="clerk-zhou"),
        "supervisor": make_user(roles.SUPERVISORY_UNIT, username="unit-wu", supervisory_unit=unit),
    }


def save_and_continue(page, next_step):
    page.locator(".wizard-buttons button[type=submit]:not([name])").click()
    page.wait_for_url(re.compile(rf"/edit/{next_step}/$"))


def open_check_in_admin(page, live_server, annual_check):
    page.goto(f"{live_server.url}{reverse('admin:annualcheck_annualcheck_changelist')}")
    rows = page.locator("#result_list tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(NAME)
    rows.first.locator("th a").click()
    page.wait_for_url(re.compile(rf"/annualcheck/annualcheck/{annual_check.pk}/change/$"))


def zh(label) -> str:
    with translation.override("zh-hans"):
        return str(label)


def test_organization_files_clerk_reviews_organization_sees_result_and_answers(
    live_server, page, open_page, people
):
    organization = people["organization"]
    year = report_year()
    assert year == timezone.localdate().year - 1

    # --- The organization logs in with its credit code and starts last year's check ----------
    portal_login(page, live_server, organization)

    page.locator("#annual-checks-link").click()
    page.wait_for_url(re.compile(r"/portal/annual-checks/$"))
    start = page.locator(".annual-check-start")
    expect(start.locator("h2")).to_contain_text(str(year))
    expect(start.locator(".exemption")).to_have_count(0)
    start.locator(f"form[action='{reverse('portal:annual_check_start')}'] button").click()
    page.wait_for_url(re.compile(r"/annual-checks/\d+/edit/party_building/$"))
    annual_check = AnnualCheck.objects.get(organization=organization)
    assert annual_check.year == year
    assert annual_check.status == CheckStatus.DRAFT

    # Item 1 first (R-AC-1): the Party-building report, prefilled from the records.
    steps = page.locator(".wizard-steps .nav-link")
    expect(steps.first).to_have_attribute("aria-current", "step")
    expect(steps.first).to_have_text("社会组织党建情况年报表")
    expect(page.locator(".wizard-form h2")).to_have_text("社会组织党建情况年报表")
    # The staff figure is part of the report (PARTY_BUILDING_FIELDS) and must be on the page,
    # or the step cannot be saved.
    expect(page.locator("#id_party_building-full_time_staff")).to_have_value(
        str(organization.full_time_staff)
    )
    expect(page.locator("#id_party_building-full_members")).to_have_value("3")
    expect(page.locator("#id_party_building-probationary_members")).to_have_value("0")
    expect(page.locator("#id_party_building-party_organization_name")).to_have_value("")
    page.fill("#id_party_building-no_party_organization_reason", NO_PARTY_REASON)
    page.fill("#id_party_building-work_coverage", WORK_COVERAGE)
    save_and_continue(page, "register")

    # 《党员登记表》: the three members from the records, kept as they are.
    expect(page.locator(".member-row")).to_have_count(5)  # the 3 members and 2 blank rows
    names = [page.locator(f"#id_register-{index}-name").input_value() for index in range(3)]
    assert sorted(names) == sorted(member.name for member in people["members"])
    expect(page.locator("#id_register-3-name")).to_have_value("")
    steps_after = list(ITEM_STEPS)
    save_and_continue(page, steps_after[0])
    assert annual_check.register.count() == 3

    # Items 2–10, one step each.
    for index, step in enumerate(steps_after):
        number = ITEM_STEPS[step]
        page.fill(f"#id_{step}-report", f"第{number}项：本年度无变化，按章程正常开展活动。")
        next_step = steps_after[index + 1] if index + 1 < len(steps_after) else "review"
        save_and_continue(page, next_step)

    # Review and submit.
    expect(page.locator(".annual-check-problems")).to_have_count(0)
    expect(page.locator(".party-building-report")).to_contain_text(NO_PARTY_REASON)
    expect(page.locator(".member-register tbody tr")).to_have_count(3)
    expect(page.locator(".check-item")).to_have_count(9)
    page.check("#id_review-confirm")
    page.locator(".wizard-buttons button.btn-danger[type=submit]").click()
    page.wait_for_url(re.compile(rf"/portal/annual-checks/{annual_check.pk}/$"))
    annual_check.refresh_from_db()
    assert annual_check.status == CheckStatus.SUBMITTED
    assert annual_check.submitted_on == timezone.localdate()
    expect(page.locator(f"h1 ~ .badge.status-{CheckStatus.SUBMITTED}")).to_have_text(
        zh(CheckStatus.SUBMITTED.label)
    )
    # Late or on time, as the page says, matches the flag (R-AC-2).
    if annual_check.late:
        expect(page.locator(".late-mark")).to_have_count(1)
        expect(page.locator(".alert-warning")).to_contain_text(
            deadline(annual_check=annual_check).isoformat()
        )
    else:
        expect(page.locator(".late-mark")).to_have_count(0)
        expect(page.locator(".alert-success")).to_have_count(1)

    # --- The supervisory unit passes the pre-review --------------------------------------------
    unit_page = open_page()
    admin_login(unit_page, live_server, people["supervisor"])
    open_check_in_admin(unit_page, live_server, annual_check)
    unit_page.locator(f"a.review-{CheckStatus.PRE_REVIEWED}").click()
    unit_page.wait_for_url(re.compile(rf"/checks/{annual_check.pk}/pre-review/$"))
    expect(unit_page.locator("input[name=decision][value=pass]")).to_be_checked()
    unit_page.fill("#id_opinion", OPINION)
    unit_page.locator("#content-main input[type=submit]").click()
    unit_page.wait_for_url(re.compile(rf"/annualcheck/annualcheck/{annual_check.pk}/change/$"))
    expect(unit_page.locator(".messagelist .success")).to_have_count(1)
    annual_check.refresh_from_db()
    assert annual_check.status == CheckStatus.PRE_REVIEWED
    assert annual_check.supervisory_opinion == OPINION

    # --- The clerk reviews: 不合格 preselected (R-AC-4), 基本合格 with a reason -----------------
    clerk_page = open_page()
    admin_login(clerk_page, live_server, people["clerk"])
    open_check_in_admin(clerk_page, live_server, annual_check)
    clerk_page.locator(f"a.review-{CheckStatus.REVIEWED}").click()
    clerk_page.wait_for_url(re.compile(rf"/checks/{annual_check.pk}/review/$"))
    expect(clerk_page.locator(".review-summary")).to_contain_text(OPINION)
    expect(clerk_page.locator("#id_result")).to_have_value(CheckResult.UNQUALIFIED)
    expect(clerk_page.locator(".default-result-note")).to_contain_text("默认不合格")
    clerk_page.select_option("#id_result", label="基本合格")
    clerk_page.fill("#id_reason", RESULT_REASON)
    due_on = timezone.localdate() + datetime.timedelta(days=60)
    clerk_page.fill("#id_problem_1", PROBLEM)
    clerk_page.fill("#id_due_on_1", due_on.isoformat())
    clerk_page.locator("#content-main input[type=submit].default").click()
    clerk_page.wait_for_url(re.compile(rf"/annualcheck/annualcheck/{annual_check.pk}/change/$"))
    expect(clerk_page.locator(".messagelist .success")).to_contain_text("基本合格")
    expect(clerk_page.locator("#rectifications tbody")).to_contain_text(PROBLEM)
    annual_check.refresh_from_db()
    assert annual_check.status == CheckStatus.REVIEWED
    assert annual_check.result == CheckResult.BASICALLY_QUALIFIED
    assert annual_check.default_result == CheckResult.UNQUALIFIED
    assert annual_check.result_reason == RESULT_REASON
    rectification = annual_check.rectifications.get()
    assert rectification.problem == PROBLEM
    assert rectification.due_on == due_on
    assert rectification.status == RectificationStatus.OPEN

    # --- The organization sees the result, the reason and the rectification item ---------------
    page.reload()
    expect(page.locator(f"h1 ~ .badge.status-{CheckStatus.REVIEWED}")).to_have_text(
        zh(CheckStatus.REVIEWED.label)
    )
    result = page.locator(".check-result")
    expect(result).to_contain_text("基本合格")
    expect(result).to_contain_text(RESULT_REASON)
    expect(page.locator(".supervisory-opinion")).to_contain_text(OPINION)
    item = page.locator(f"#rectification-{rectification.pk}")
    expect(item).to_contain_text(PROBLEM)
    expect(item).to_contain_text(due_on.isoformat())
    expect(item).to_contain_text(zh(RectificationStatus.OPEN.label))
    expect(item).not_to_have_class(re.compile("overdue"))

    item.locator(f"#id_answer-{rectification.pk}-answer").fill(ANSWER)
    item.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(rf"/portal/annual-checks/{annual_check.pk}/$"))
    expect(page.locator(".alert-success")).to_have_count(1)
    item = page.locator(f"#rectification-{rectification.pk}")
    expect(item.locator(".rectification-answer")).to_contain_text(ANSWER)
    expect(item).to_contain_text(zh(RectificationStatus.ANSWERED.label))
    rectification.refresh_from_db()
    assert rectification.status == RectificationStatus.ANSWERED
    assert rectification.answer == ANSWER
    assert rectification.answered_on == timezone.localdate()
    annual_check.refresh_from_db()
    assert annual_check.result == CheckResult.BASICALLY_QUALIFIED
    assert annual_check.result_reason == RESULT_REASON
