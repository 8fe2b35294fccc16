"""The whole registration path in the browser (三同步, R-REG-1..5): an applicant signs up and
fills the five wizard steps, the supervisory unit consents, a clerk approves with the proposed
credit code, the committee acknowledges its copy of the member form, and the new organization is
in the ledger workbook as 应建未建 (R-REG-4)."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook
from playwright.sync_api import expect

from accounts import roles
from partybuilding.choices import PartyBuildingStatus
from partybuilding.models import MemberFormCopy
from registry.choices import ApplicationStatus, CopyKind
from registry.models import Application
from tests.browser.conftest import admin_login
from tests.factories import (
    DistrictFactory,
    IndustryFactory,
    StreetFactory,
    SupervisoryUnitFactory,
    id_number_for,
    make_user,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

PASSWORD = "Test-password-2018"
NAME = "长春市朝阳区福寿居家养老服务中心"
LEGAL_REPRESENTATIVE = "李秀英"
UNIT = "长春市民政局养老服务处"
MEMBERS = ["王建国", "刘淑芬", "陈志强"]


@pytest.fixture
def people():
    district = DistrictFactory(name="朝阳区", code="220104")
    StreetFactory(district=district, name="湖西街道")
    IndustryFactory(code="elderly_care", name="养老")
    unit = SupervisoryUnitFactory(name=UNIT, is_civil_affairs=True)
    return {
        "clerk": make_user(roles.CLERK, username="clerk-zhao"),
        "supervisor": make_user(roles.SUPERVISORY_UNIT, username="unit-sun", supervisory_unit=unit),
        "committee": make_user(roles.COMMITTEE, username="committee-qian"),
    }


def save_and_continue(page, next_step):
    page.locator(".wizard-buttons button[type=submit]:not([name])").click()
    page.wait_for_url(re.compile(rf"/edit/{next_step}/$"))


def open_application_in_admin(page, live_server, application):
    page.goto(f"{live_server.url}{reverse('admin:registry_application_changelist')}")
    rows = page.locator("#result_list tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(NAME)
    rows.first.locator("th a").click()
    page.wait_for_url(re.compile(rf"/registry/application/{application.pk}/change/$"))


def test_applicant_to_ledger_through_consent_approval_and_acknowledgement(
    live_server, page, open_page, people, tmp_path
):
    # --- The applicant signs up and fills the five steps -------------------------------------
    page.goto(f"{live_server.url}{reverse('portal:signup')}")
    page.fill("#id_username", "founder-li")
    page.fill("#id_first_name", "张伟")
    page.fill("#id_phone", "13904310001")
    page.fill("#id_password1", "Fu-shou-garden-2018")
    page.fill("#id_password2", "Fu-shou-garden-2018")
    page.locator("form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/portal/applications/$"))

    page.locator(f"form[action='{reverse('portal:application_start')}'] button").click()
    page.wait_for_url(re.compile(r"/edit/basic/$"))
    application = Application.objects.get(applicant__username="founder-li")

    # 1 basic information; contact person and phone come prefilled from the account
    expect(page.locator("#id_basic-contact_person")).to_have_value("张伟")
    expect(page.locator("#id_basic-contact_phone")).to_have_value("13904310001")
    page.fill("#id_basic-name", NAME)
    page.select_option("#id_basic-organization_type", value="private_non_enterprise")
    page.select_option("#id_basic-industry", label="养老")
    page.select_option("#id_basic-supervisory_unit", label=UNIT)
    page.select_option("#id_basic-district", label="朝阳区")
    page.select_option("#id_basic-street", label="朝阳区湖西街道")
    page.fill("#id_basic-address", "长春市朝阳区湖西路88号")
    page.fill("#id_basic-legal_representative", LEGAL_REPRESENTATIVE)
    page.fill("#id_basic-full_time_staff", "12")
    save_and_continue(page, "charter")

    # 2 charter: generated with the name, the clause kept, the purpose filled in
    charter = page.locator("#id_charter-charter_text")
    expect(charter).to_have_value(re.compile(f"^{NAME}章程"))
    charter.fill(
        charter.input_value()
        .replace("（请填写本组织的宗旨）", "为居家老人提供助餐、助洁、助医服务")
        .replace("（请逐项填写）", "助餐、助洁、助医、日间照料")
    )
    save_and_continue(page, "pledge")

    # 3 pledge, signed by the legal representative
    expect(page.locator(".pledge-text")).to_contain_text(f"{NAME}郑重承诺")
    page.fill("#id_pledge-pledge_signed_by", LEGAL_REPRESENTATIVE)
    page.fill("#id_pledge-pledge_signed_on", "2018-06-01")
    save_and_continue(page, "members")

    # 4 member form: three full members on the staff, relationship transferred
    for index, name in enumerate(MEMBERS):
        row = f"#id_members-{index}-"
        page.fill(f"{row}name", name)
        page.fill(f"{row}id_number", id_number_for())
        page.select_option(f"{row}status", value="full")
        page.fill(f"{row}joined_party_on", "2005-07-01")
        page.select_option(f"{row}role", value="full_time_staff")
        page.select_option(f"{row}relationship", value="transferred")
    page.locator(".wizard-buttons button[name=wizard_stay]").click()  # "Save": stay here
    page.wait_for_url(re.compile(r"/edit/members/$"))
    expect(page.locator(".consequence")).to_contain_text("应单独组建党组织")
    assert application.members.count() == 3
    save_and_continue(page, "review")

    # 5 review and submit
    expect(page.locator(".application-problems")).to_have_count(0)
    expect(page.locator(".consequence")).to_contain_text("应单独组建党组织")
    expect(page.locator(".summary-table")).to_contain_text(UNIT)
    expect(page.locator(".member-table tbody tr")).to_have_count(3)
    page.check("#id_review-confirm")
    page.locator(".wizard-buttons button.btn-danger[type=submit]").click()
    page.wait_for_url(re.compile(rf"/portal/applications/{application.pk}/$"))
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    expect(page.locator(f"h1 ~ .badge.status-{ApplicationStatus.SUBMITTED}")).to_have_text(
        application.get_status_display()
    )

    # --- The supervisory unit consents ---------------------------------------------------------
    unit_page = open_page()
    admin_login(unit_page, live_server, people["supervisor"])
    open_application_in_admin(unit_page, live_server, application)
    unit_page.locator(f"a.review-{ApplicationStatus.CONSENTED}").click()
    unit_page.wait_for_url(re.compile(r"/consent/$"))
    unit_page.fill("#id_opinion", "同意成立，业务范围与本处职责相符。")
    unit_page.locator("#content-main input[type=submit]").click()
    unit_page.wait_for_url(re.compile(rf"/registry/application/{application.pk}/change/$"))
    expect(unit_page.locator(".messagelist .success")).to_have_count(1)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.CONSENTED
    assert application.supervisory_opinion == "同意成立，业务范围与本处职责相符。"

    # --- The clerk approves with the proposed credit code --------------------------------------
    clerk_page = open_page()
    admin_login(clerk_page, live_server, people["clerk"])
    open_application_in_admin(clerk_page, live_server, application)
    clerk_page.locator(f"a.review-{ApplicationStatus.APPROVED}").click()
    clerk_page.wait_for_url(re.compile(r"/approve/$"))
    expect(clerk_page.locator(".review-summary")).to_contain_text("同意成立")
    credit_code = clerk_page.locator("#id_credit_code").input_value()
    assert re.fullmatch(r"5\d220100[0-9A-Z]{10}", credit_code), credit_code
    expect(clerk_page.locator("#id_registered_on")).to_have_value(timezone.localdate().isoformat())
    clerk_page.locator("#content-main input[type=submit]").click()
    clerk_page.wait_for_url(re.compile(rf"/registry/application/{application.pk}/change/$"))
    expect(clerk_page.locator(".messagelist .success")).to_contain_text(credit_code)
    expect(clerk_page.locator(".messagelist .success a")).to_have_text(NAME)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.APPROVED
    organization = application.organization
    assert organization.credit_code == credit_code and organization.name == NAME

    # The applicant sees the decision and the code.
    page.reload()
    expect(page.locator(".credit-code")).to_have_text(credit_code)

    # --- The committee acknowledges its copy ---------------------------------------------------
    committee_page = open_page()
    admin_login(committee_page, live_server, people["committee"])
    committee_page.locator("#member-form-copies-row th a").click()
    committee_page.wait_for_url(re.compile(r"/memberformcopy/\?acknowledgement=unacknowledged"))
    copy = MemberFormCopy.objects.get(organization=organization, kind=CopyKind.COMMITTEE)
    rows = committee_page.locator("#result_list tbody tr")
    expect(rows).to_have_count(1)  # only the committee's own copy, not the other two
    expect(rows.first).to_contain_text(NAME)
    expect(rows.first.locator("td.field-acknowledged_at")).to_have_text("-")
    rows.first.locator(f"input.action-select[value='{copy.pk}']").check()
    committee_page.select_option("select[name=action]", value="acknowledge_selected")
    committee_page.locator("button[name=index]").click()
    expect(committee_page.locator(".messagelist .success")).to_have_count(1)
    copy.refresh_from_db()
    assert copy.acknowledged_at is not None
    assert copy.acknowledged_by == people["committee"]

    committee_page.goto(
        f"{live_server.url}{reverse('admin:partybuilding_memberformcopy_changelist')}"
        "?acknowledgement=acknowledged"
    )
    rows = committee_page.locator("#result_list tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(NAME)
    expect(rows.first.locator("td.field-acknowledged_at")).not_to_have_text("-")
    expect(rows.first.locator("td.field-acknowledged_by")).to_contain_text("committee-qian")

    # --- The new organization is in the ledger, 应建未建 from day one (R-REG-4) ---------------
    committee_page.goto(f"{live_server.url}{reverse('admin:index')}")
    committee_page.locator(
        f"#party-building-links a[href='{reverse('partybuilding:ledger')}']"
    ).click()
    committee_page.wait_for_url(re.compile(r"/party-building/ledger/$"))
    ledger_row = committee_page.locator("#ledger tbody tr", has_text=credit_code)
    expect(ledger_row).to_have_class(re.compile(rf"status-{PartyBuildingStatus.SHOULD_BUILD}"))

    with committee_page.expect_download() as info:
        committee_page.locator("#ledger-download").click()
    download = info.value
    assert download.suggested_filename.endswith(".xlsx")
    download.path()  # waits until the download has finished
    path = tmp_path / "ledger.xlsx"  # openpyxl goes by the extension
    download.save_as(path)

    workbook = load_workbook(path, read_only=True)
    try:
        rows = list(workbook["党建工作台账"].iter_rows(values_only=True))
    finally:
        workbook.close()
    header = list(rows[1])
    found = [
        dict(zip(header, row, strict=False))
        for row in rows[2:]
        if row[header.index("统一社会信用代码")] == credit_code
    ]
    assert len(found) == 1, found
    row = found[0]
    assert row["社会组织名称"] == NAME
    assert row["业务主管单位"] == UNIT
    assert row["计入党建条件党员数"] == 3
    assert not row["党组织名称"]
    with translation.override("zh-hans"):
        should_build = str(PartyBuildingStatus.SHOULD_BUILD.label)
    assert row["党建状态"] == should_build
