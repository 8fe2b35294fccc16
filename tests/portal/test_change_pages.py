"""The change wizard and pages (R-CHG-1..7) over HTTP: the portal's wizard saved at every step,
another organization's ids answering 404, filing after consent, the print page, and the staff
side (the supervisory unit's consent and the clerk's decision through the review pages, the
change page's timeline, before/after rows and deadline)."""

import datetime

import pytest
from django.urls import reverse

from accounts import roles
from portal.change_wizard import PREFIX
from registry.choices import ChangeKind, ChangeStatus
from registry.models import ChangeApplication, PartyBuildingBody, RegistrationTemplate
from registry.services.changes import change_consent, change_save_step, change_start, change_submit
from tests.factories import (
    OrganizationFactory,
    SupervisoryUnitFactory,
    make_organization_user,
    make_user,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def unit():
    return SupervisoryUnitFactory(name="长春市民政局社会工作处")


@pytest.fixture
def organization(unit):
    return OrganizationFactory(
        name="长春市阳光社会工作服务中心", supervisory_unit=unit, legal_representative="张明"
    )


@pytest.fixture
def reporter(organization):
    return make_organization_user(organization)


def step_url(change, step):
    return reverse("portal:change_wizard", args=[change.pk, step])


def post_step(client, change, step, data, **extra):
    payload = {f"{PREFIX}-current_step": step}
    payload.update({f"{step}-{key}": value for key, value in data.items()})
    payload.update(extra)
    return client.post(step_url(change, step), payload)


def fresh(change):
    return ChangeApplication.objects.get(pk=change.pk)


def test_r_chg_5_the_wizard_saves_each_step_and_asks_the_new_legal_representative_to_sign(
    client, organization, reporter
):
    client.force_login(reporter)
    response = client.post(reverse("portal:change_start"), {"kind": ChangeKind.CHANGE})
    change = ChangeApplication.objects.get(organization=organization)
    assert response.url == reverse("portal:change_edit", args=[change.pk])
    assert client.get(response.url).url == step_url(change, "items")

    response = post_step(client, change, "items", {"items": ["legal_representative"], "reason": ""})
    assert response.status_code == 200
    assert "请填写变更理由。" in response.content.decode() and fresh(change).items == []
    post_step(client, change, "items", {"items": ["legal_representative"], "reason": "理事会决议"})
    assert fresh(change).items == ["legal_representative"]

    # Only the ticked item's field is asked for, beside what the record says now.
    page = client.get(step_url(change, "values")).content.decode()
    assert "values-legal_representative" in page and "values-name" not in page
    assert "张明" in page
    response = post_step(client, change, "values", {"legal_representative": "李华"})
    assert response.url == step_url(change, "pledge")
    assert fresh(change).legal_representative == "李华"

    response = post_step(
        client, change, "pledge", {"pledge_signed_by": "张明", "pledge_signed_on": "2018-06-01"}
    )
    assert response.status_code == 200
    assert "承诺书应由新任法定代表人“李华”签署" in response.content.decode()
    assert fresh(change).pledge_signed_by == ""
    post_step(
        client, change, "pledge", {"pledge_signed_by": "李华", "pledge_signed_on": "2018-06-01"}
    )

    response = post_step(client, change, "review", {"confirm": "on"})
    assert response.url == reverse("portal:change", args=[change.pk])
    assert fresh(change).status == ChangeStatus.SUBMITTED
    detail = client.get(response.url).content.decode()
    assert "李华" in detail and "张明" in detail


def test_r_chg_7_the_charter_step_refuses_a_charter_without_the_clause(
    client, organization, reporter
):
    client.force_login(reporter)
    client.post(reverse("portal:change_start"), {"kind": ChangeKind.CHARTER})
    change = ChangeApplication.objects.get(organization=organization, kind=ChangeKind.CHARTER)
    assert client.get(reverse("portal:change_edit", args=[change.pk])).url == step_url(
        change, "charter"
    )
    response = post_step(
        client, change, "charter", {"charter_text": "第一条 名称。", "reason": "修改"}
    )
    assert response.status_code == 200
    assert fresh(change).reason == ""  # nothing of a refused step is saved
    clause = RegistrationTemplate.current().party_building_clause
    post_step(
        client, change, "charter", {"charter_text": f"第一条 名称。\n{clause}", "reason": "修改"}
    )
    assert fresh(change).reason == "修改"


def test_another_organizations_change_answers_404(client, organization, reporter):
    change = change_start(organization=organization, by=reporter, kind=ChangeKind.CHANGE)
    stranger = make_organization_user(OrganizationFactory())
    client.force_login(stranger)
    for url in (
        reverse("portal:change", args=[change.pk]),
        reverse("portal:change_edit", args=[change.pk]),
        step_url(change, "items"),
        reverse("portal:change_print", args=[change.pk]),
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("portal:change_file", args=[change.pk])).status_code == 404
    assert post_step(client, change, "items", {"items": ["name"], "reason": "x"}).status_code == 404
    assert fresh(change).items == []


def submitted(organization, reporter, **fields):
    change = change_start(organization=organization, by=reporter, kind=ChangeKind.CHANGE)
    change = change_save_step(change=change, by=reporter, items=["business_scope"], reason="决议")
    change = change_save_step(change=change, by=reporter, business_scope="社会工作服务、培训")
    return change_submit(change=change, by=reporter)


def test_r_chg_3_unit_consents_in_its_pages_the_organization_files_the_clerk_approves(
    client, organization, reporter, unit, monkeypatch
):
    change = submitted(organization, reporter)
    supervisor = make_user(roles.SUPERVISORY_UNIT, supervisory_unit=unit)
    client.force_login(supervisor)
    page = client.get(reverse("admin:registry_changeapplication_change", args=[change.pk]))
    assert reverse("registry:change_consent", args=[change.pk]) in page.content.decode()
    url = reverse("registry:change_consent", args=[change.pk])
    response = client.post(url, {"text": "", "version": fresh(change).version})
    assert response.status_code == 200  # the opinion is required; nothing moved
    assert fresh(change).status == ChangeStatus.SUBMITTED
    client.post(url, {"text": "同意。", "version": fresh(change).version})
    change = fresh(change)
    assert change.status == ChangeStatus.CONSENTED

    # Filed 31 days later: accepted, marked late, shown so to the clerk.
    late_day = change.consented_on + datetime.timedelta(days=31)
    monkeypatch.setattr("core.calendar.today", lambda: late_day)
    client.force_login(reporter)
    detail = client.get(reverse("portal:change", args=[change.pk])).content.decode()
    assert "late-flag" in detail and reverse("portal:change_file", args=[change.pk]) in detail
    client.post(reverse("portal:change_file", args=[change.pk]), {"version": change.version})
    change = fresh(change)
    assert change.status == ChangeStatus.FILED and change.filed_late

    clerk = make_user(roles.CLERK)
    client.force_login(clerk)
    listing = client.get(reverse("admin:registry_changeapplication_changelist") + "?awaiting=late")
    assert change.reference in listing.content.decode()
    page = client.get(reverse("admin:registry_changeapplication_change", args=[change.pk]))
    text = page.content.decode()
    assert "社会工作服务、培训" in text and "application-events" in text
    body = PartyBuildingBody.objects.first()
    client.post(
        reverse("registry:change_approve", args=[change.pk]),
        {"party_building_body": body.pk, "version": change.version},
    )
    assert fresh(change).status == ChangeStatus.APPROVED
    organization.refresh_from_db()
    assert organization.business_scope == "社会工作服务、培训"
    printed = client.get(reverse("portal:change_print", args=[change.pk])).content.decode()
    assert "社会组织变更登记申请表" in printed and "逾期" in printed


def test_another_unit_cannot_consent_and_a_stale_page_is_refused(client, organization, reporter):
    change = submitted(organization, reporter)
    other = make_user(
        roles.SUPERVISORY_UNIT, supervisory_unit=SupervisoryUnitFactory(name="别的单位")
    )
    client.force_login(other)
    url = reverse("registry:change_consent", args=[change.pk])
    assert client.post(url, {"text": "同意", "version": change.version}).status_code == 404
    supervisor = make_user(roles.SUPERVISORY_UNIT, supervisory_unit=organization.supervisory_unit)
    stale_version = fresh(change).version
    change_consent(change=change, by=supervisor, opinion="同意。")
    client.force_login(supervisor)
    response = client.post(
        reverse("registry:change_return", args=[change.pk]),
        {"text": "请补正", "version": stale_version},
    )
    assert response.status_code == 200
    assert fresh(change).status == ChangeStatus.CONSENTED


def test_the_organizations_home_says_to_file_after_consent(client, organization, reporter, unit):
    change = submitted(organization, reporter)
    supervisor = make_user(roles.SUPERVISORY_UNIT, supervisory_unit=unit)
    change_consent(change=change, by=supervisor, opinion="同意。")
    client.force_login(reporter)
    home = client.get(reverse("portal:organization", args=[organization.pk])).content.decode()
    assert f"请将变更登记申请{change.reference}报送登记管理机关" in home


def test_the_change_lists_read_a_constant_number_of_queries(
    client, django_assert_max_num_queries, unit
):
    supervisor = make_user(roles.SUPERVISORY_UNIT, supervisory_unit=unit)
    for number in range(6):
        organization = OrganizationFactory(
            name=f"长春市测试变更中心{number}", supervisory_unit=unit
        )
        reporter = make_organization_user(organization)
        change = submitted(organization, reporter)
        if number % 2:
            change_consent(change=change, by=supervisor, opinion="同意。")
    clerk = make_user(roles.CLERK)
    client.force_login(clerk)
    url = reverse("admin:registry_changeapplication_changelist")
    client.get(url)
    with django_assert_max_num_queries(10):
        response = client.get(url)
    assert response.content.decode().count("BG20") >= 6


def test_r_chg_2_the_clerk_sees_an_amendment_against_the_charter_in_force(
    client, organization, reporter, unit
):
    clause = RegistrationTemplate.current().party_building_clause
    amendment = change_start(organization=organization, by=reporter, kind=ChangeKind.CHARTER)
    amendment = change_save_step(
        change=amendment,
        by=reporter,
        charter_text=f"第一条 本中心名称。\n{clause}\n第二条 增设日间照料。",
        reason="2018年会员大会通过",
    )
    amendment = change_submit(change=amendment, by=reporter)
    clerk = make_user(roles.CLERK)
    client.force_login(clerk)
    page = client.get(reverse("admin:registry_changeapplication_change", args=[amendment.pk]))
    text = page.content.decode()
    assert "amendment-diff" in text and "+第二条 增设日间照料。" in text
    printed = client.get(reverse("portal:change_print", args=[amendment.pk])).content.decode()
    assert "社会组织章程核准表" in printed and "第二条 增设日间照料。" in printed


def test_a_malformed_filing_post_is_a_bad_request(client, organization, reporter, unit):
    change = submitted(organization, reporter)
    change_consent(
        change=change,
        by=make_user(roles.SUPERVISORY_UNIT, supervisory_unit=unit),
        opinion="同意。",
    )
    client.force_login(reporter)
    url = reverse("portal:change_file", args=[change.pk])
    assert client.post(url, {"version": "x"}).status_code == 400
    assert fresh(change).status == ChangeStatus.CONSENTED
