"""Change registration and charter amendments (R-CHG-1..7): the services and the workflow,
without HTTP."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings

from accounts import roles
from audit.models import AuditRecord
from partybuilding.change_notices import change_notice_acknowledge, change_notices_visible_to
from partybuilding.ledger.selectors import ledger_rows
from partybuilding.models import ChangeNotice, Standing
from partybuilding.standings.selectors import with_party_building
from registry.change_selectors import changes_visible_to, filing_state, late_q
from registry.choices import ChangeKind, ChangeStatus, CopyKind, OrganizationType
from registry.models import (
    ChangeApplication,
    Organization,
    PartyBuildingBody,
    RegistrationTemplate,
)
from registry.services.changes import (
    change_approve,
    change_consent,
    change_file,
    change_problems,
    change_reject,
    change_return,
    change_save_step,
    change_start,
    change_submit,
    current_charter,
)
from tests.factories import (
    DistrictFactory,
    IndustryFactory,
    OrganizationFactory,
    StreetFactory,
    SupervisoryUnitFactory,
    make_organization_user,
    make_user,
)

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2018, 7, 2)


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    """The product's "today" (core.calendar.today) set to a day of the demo year."""
    monkeypatch.setattr("core.calendar.today", lambda: TODAY)


@pytest.fixture
def unit():
    return SupervisoryUnitFactory(name="长春市民政局养老服务处")


@pytest.fixture
def organization(unit):
    return OrganizationFactory(
        name="长春市福寿居家养老服务中心",
        supervisory_unit=unit,
        legal_representative="张明",
        business_scope="居家养老服务",
        registered_capital=Decimal("30000.00"),
    )


@pytest.fixture
def reporter(organization):
    return make_organization_user(organization)


@pytest.fixture
def supervisor(unit):
    return make_user(roles.SUPERVISORY_UNIT, supervisory_unit=unit)


@pytest.fixture
def clerk():
    return make_user(roles.CLERK, username="clerk-chg")


def drafted(organization, reporter, **values):
    """A change of the items in `values` (item -> {field: value}), saved step by step."""
    change = change_start(organization=organization, by=reporter, kind=ChangeKind.CHANGE)
    change = change_save_step(
        change=change, by=reporter, items=list(values), reason="2018年6月理事会决议"
    )
    fields = {field: value for item in values.values() for field, value in item.items()}
    return change_save_step(change=change, by=reporter, **fields)


def consented(change, reporter, supervisor):
    change = change_submit(change=change, by=reporter)
    return change_consent(change=change, by=supervisor, opinion="同意变更。")


def test_r_chg_1_approval_writes_the_change_through_the_service(
    organization, reporter, supervisor, clerk
):
    district = DistrictFactory(name="南关区", code="220102")
    street = StreetFactory(district=district, name="自强街道")
    change = drafted(
        organization,
        reporter,
        name={"name": "长春市福寿养老服务中心"},
        residence={"district": district, "street": street, "address": "自强街100号"},
        business_scope={"business_scope": "居家养老、日间照料"},
        registered_capital={"registered_capital": Decimal("50000.00")},
    )
    change = consented(change, reporter, supervisor)
    change = change_file(change=change, by=reporter)
    change_approve(change=change, by=clerk)

    organization.refresh_from_db()
    assert organization.name == "长春市福寿养老服务中心"
    assert (organization.district, organization.street) == (district, street)
    assert organization.address == "自强街100号"
    assert organization.business_scope == "居家养老、日间照料"
    assert organization.registered_capital == Decimal("50000.00")
    latest = organization.history.order_by("-history_date", "-history_id").first()
    assert latest.history_user == clerk and latest.name == "长春市福寿养老服务中心"
    assert AuditRecord.objects.filter(object_id=str(organization.pk)).exists()
    # The standing's copy of the district follows (partybuilding's receivers on save), so the
    # district's figures count the organization where it is now.
    assert Standing.objects.get(organization=organization).district_id == district.pk
    row = with_party_building(Organization.objects.filter(pk=organization.pk)).get()
    assert row.party_building_status
    change.refresh_from_db()
    assert change.status == ChangeStatus.APPROVED
    assert change.previous_values["name"] == "长春市福寿居家养老服务中心"
    assert [event.to_status for event in change.events.all()] == [
        ChangeStatus.SUBMITTED,
        ChangeStatus.CONSENTED,
        ChangeStatus.FILED,
        ChangeStatus.APPROVED,
    ]


def test_r_chg_1_a_value_equal_to_the_current_one_or_a_taken_name_is_refused(
    organization, reporter
):
    OrganizationFactory(name="长春市另一家服务中心")
    change = drafted(
        organization,
        reporter,
        name={"name": "长春市另一家服务中心"},
        legal_representative={"legal_representative": "张明"},
    )
    messages = [problem.message for problem in change_problems(change)]
    assert any("另一家" in message and "Step 2" in message for message in messages) or any(
        "长春市另一家服务中心" in message for message in messages
    )
    with pytest.raises(ValidationError):
        change_submit(change=change, by=reporter)
    change.refresh_from_db()
    assert change.status == ChangeStatus.DRAFT and not change.submissions.exists()


def test_r_chg_2_an_approved_amendment_is_the_charter_in_force(
    organization, reporter, supervisor, clerk
):
    clause = RegistrationTemplate.current().party_building_clause
    amendment = change_start(organization=organization, by=reporter, kind=ChangeKind.CHARTER)
    assert amendment.charter_text == current_charter(organization)
    amended = f"第一条 本中心名称。\n{clause}\n第二条 业务范围增加日间照料。"
    change_save_step(change=amendment, by=reporter, charter_text=amended, reason="会员大会通过")
    amendment = consented(amendment, reporter, supervisor)
    change_approve(change=change_file(change=amendment, by=reporter), by=clerk)
    assert current_charter(organization) == amended
    following = change_start(organization=organization, by=reporter, kind=ChangeKind.CHARTER)
    assert following.pk != amendment.pk and following.charter_text == amended


def test_r_chg_3_filing_within_30_days_of_consent_and_late_filing_marked(
    organization, reporter, supervisor, monkeypatch
):
    change = drafted(organization, reporter, business_scope={"business_scope": "养老服务"})
    change = consented(change, reporter, supervisor)
    assert change.consented_on == TODAY
    assert change.file_by() == TODAY + datetime.timedelta(days=30)
    assert filing_state(change, today=TODAY + datetime.timedelta(days=30))["late"] is False
    assert filing_state(change, today=TODAY + datetime.timedelta(days=31))["late"] is True
    later = TODAY + datetime.timedelta(days=31)
    monkeypatch.setattr("core.calendar.today", lambda: later)
    assert ChangeApplication.objects.filter(late_q(), pk=change.pk).exists()
    change = change_file(change=change, by=reporter)
    assert change.status == ChangeStatus.FILED and change.filed_late
    assert "2018-08-01" in change.events.last().reason


def test_r_chg_3_foundations_run_no_deadline_and_units_consent_only_their_own(reporter, supervisor):
    foundation = OrganizationFactory(organization_type=OrganizationType.FOUNDATION)
    change = ChangeApplication(organization=foundation, consented_on=TODAY)
    assert change.file_by() is None
    other_unit_user = make_user(roles.SUPERVISORY_UNIT, supervisory_unit=SupervisoryUnitFactory())
    own = drafted(reporter.organization, reporter, business_scope={"business_scope": "养老"})
    own = change_submit(change=own, by=reporter)
    with pytest.raises(PermissionDenied):
        change_consent(change=own, by=other_unit_user, opinion="同意")
    assert not changes_visible_to(other_unit_user).filter(pk=own.pk).exists()
    assert changes_visible_to(supervisor).filter(pk=own.pk).exists()


def test_r_chg_3_without_a_unit_the_application_is_filed_at_once(clerk):
    direct = OrganizationFactory(supervisory_unit=None)
    reporter = make_organization_user(direct)
    change = drafted(direct, reporter, business_scope={"business_scope": "行业服务"})
    change = change_submit(change=change, by=reporter)
    assert change.status == ChangeStatus.FILED and change.filed_on == TODAY
    assert change.file_by() is None


def test_r_chg_3_return_and_refusal_say_why(organization, reporter, supervisor, clerk):
    change = change_submit(
        change=drafted(organization, reporter, business_scope={"business_scope": "养老"}),
        by=reporter,
    )
    with pytest.raises(ValidationError):
        change_return(change=change, by=supervisor, remarks="  ")
    change = change_return(change=change, by=supervisor, remarks="请附理事会决议。")
    assert change.status == ChangeStatus.RETURNED and change.is_editable
    change = consented(change, reporter, supervisor)
    assert change.submissions.count() == 2
    change = change_reject(
        change=change_file(change=change, by=reporter), by=clerk, reason="材料不实"
    )
    assert change.status == ChangeStatus.REJECTED and change.decided_at


@override_settings(TIME_ZONE="Asia/Shanghai")
def test_r_chg_4_the_ledger_as_of_an_earlier_day_shows_the_old_values(
    organization, reporter, supervisor, clerk, monkeypatch
):
    organization.history.update(history_date=datetime.datetime(2018, 1, 5, tzinfo=datetime.UTC))
    change = drafted(
        organization,
        reporter,
        name={"name": "长春市福寿养老服务中心"},
        legal_representative={"legal_representative": "李华"},
    )
    change_save_step(change=change, by=reporter, pledge_signed_by="李华", pledge_signed_on=TODAY)
    change = consented(change, reporter, supervisor)
    change_approve(change=change_file(change=change, by=reporter), by=clerk)
    # Today's ledger: the new values (calendar.today is the real day here for the ledger).
    monkeypatch.undo()
    organizations = Organization.objects.filter(pk=organization.pk)
    (now,) = list(ledger_rows(organizations))
    assert (now["name"], now["legal_representative"]) == ("长春市福寿养老服务中心", "李华")
    (before,) = list(ledger_rows(organizations, as_of=datetime.date(2018, 3, 1)))
    assert (before["name"], before["legal_representative"]) == (
        "长春市福寿居家养老服务中心",
        "张明",
    )
    assert before["supervisory_unit__name"] == organization.supervisory_unit.name


def test_r_chg_5_a_new_legal_representative_signs_the_pledge_again(
    organization, reporter, supervisor
):
    change = drafted(organization, reporter, legal_representative={"legal_representative": "李华"})
    assert change.pledge_text and "{name}" not in change.pledge_text
    messages = [problem.message for problem in change_problems(change)]
    assert any("Step 3" in message or "承诺书" in message for message in messages)
    change_save_step(change=change, by=reporter, pledge_signed_by="张明", pledge_signed_on=TODAY)
    change.refresh_from_db()
    assert [problem.step for problem in change_problems(change)] == ["pledge"]
    change_save_step(change=change, by=reporter, pledge_signed_by="李华", pledge_signed_on=TODAY)
    change.refresh_from_db()
    assert change_problems(change) == []
    assert change_submit(change=change, by=reporter).status == ChangeStatus.SUBMITTED


def test_r_chg_6_a_new_unit_district_or_industry_moves_responsibility_and_copies_the_committee(
    organization, reporter, supervisor, clerk
):
    new_unit = SupervisoryUnitFactory(name="长春市卫生健康委员会")
    new_industry = IndustryFactory(code="hub", name="枢纽型")
    district_body, _ = PartyBuildingBody.objects.get_or_create(name="南关区非公和社会组织党工委")
    before_body = organization.party_building_body
    change = drafted(
        organization,
        reporter,
        supervisory_unit={"supervisory_unit": new_unit},
        industry={"industry": new_industry},
    )
    change = consented(change, reporter, supervisor)
    change_approve(
        change=change_file(change=change, by=reporter), by=clerk, party_building_body=district_body
    )
    organization.refresh_from_db()
    assert organization.supervisory_unit == new_unit
    assert organization.party_building_body == district_body
    notices = ChangeNotice.objects.filter(change=change)
    assert {notice.kind for notice in notices} == {CopyKind.COMMITTEE, CopyKind.SUPERVISORY_UNIT}
    committee_copy = notices.get(kind=CopyKind.COMMITTEE)
    assert committee_copy.previous_party_building_body == before_body
    assert committee_copy.party_building_body == district_body
    assert [row[2] for row in committee_copy.summary] == [new_unit.name, new_industry.name]
    committee = make_user(roles.COMMITTEE)
    assert change_notices_visible_to(committee).filter(pk=committee_copy.pk).exists()
    with pytest.raises(PermissionDenied):
        change_notice_acknowledge(notice=committee_copy, by=supervisor)
    acknowledged = change_notice_acknowledge(notice=committee_copy, by=committee)
    assert acknowledged.acknowledged_by == committee
    new_unit_user = make_user(roles.SUPERVISORY_UNIT, supervisory_unit=new_unit)
    assert change_notices_visible_to(new_unit_user).get().kind == CopyKind.SUPERVISORY_UNIT


def test_r_chg_6_a_change_of_name_alone_copies_nobody(organization, reporter, supervisor, clerk):
    change = consented(
        drafted(organization, reporter, name={"name": "长春市福寿养老服务中心"}),
        reporter,
        supervisor,
    )
    change_approve(change=change_file(change=change, by=reporter), by=clerk)
    assert not ChangeNotice.objects.exists()


def test_r_chg_7_an_amendment_cannot_drop_the_party_building_clause(organization, reporter):
    amendment = change_start(organization=organization, by=reporter, kind=ChangeKind.CHARTER)
    change_save_step(
        change=amendment, by=reporter, charter_text="第一条 本中心名称。", reason="修改"
    )
    amendment.refresh_from_db()
    assert [problem.step for problem in change_problems(amendment)] == ["charter"]
    with pytest.raises(ValidationError):
        change_submit(change=amendment, by=reporter)


def test_approval_that_the_organization_refuses_saves_nothing(
    organization, reporter, supervisor, clerk
):
    district = DistrictFactory(name="双阳区", code="220112")
    change = drafted(organization, reporter, residence={"district": district, "address": "新址1号"})
    change = consented(change, reporter, supervisor)
    change = change_file(change=change, by=reporter)
    # A street of another district slipped in after the checks (say, a street moved).
    ChangeApplication.objects.filter(pk=change.pk).update(
        street=StreetFactory(district=DistrictFactory(name="九台区", code="220113"))
    )
    change.refresh_from_db()
    with pytest.raises(ValidationError):
        change_approve(change=change, by=clerk)
    organization.refresh_from_db()
    change.refresh_from_db()
    assert organization.address != "新址1号" and change.status == ChangeStatus.FILED


def test_only_the_organizations_own_users_and_only_one_open_change_of_a_kind(
    organization, reporter
):
    stranger = make_organization_user(OrganizationFactory())
    with pytest.raises(PermissionDenied):
        change_start(organization=organization, by=stranger, kind=ChangeKind.CHANGE)
    first = change_start(organization=organization, by=reporter, kind=ChangeKind.CHANGE)
    again = change_start(organization=organization, by=reporter, kind=ChangeKind.CHANGE)
    assert first.pk == again.pk
    with pytest.raises(PermissionDenied):
        change_save_step(change=first, by=stranger, reason="x")
    assert not changes_visible_to(stranger).filter(pk=first.pk).exists()


def test_items_outside_the_list_are_refused_and_nothing_is_saved(organization, reporter):
    change = change_start(organization=organization, by=reporter, kind=ChangeKind.CHANGE)
    with pytest.raises(ValidationError) as refused:
        change_save_step(change=change, by=reporter, items=["name", "credit_code"], reason="x")
    assert refused.value.code == "items"
    change.refresh_from_db()
    assert change.items == [] and change.reason == ""


def test_a_change_of_an_organization_no_longer_active_is_not_approved(
    organization, reporter, supervisor, clerk
):
    change = consented(
        drafted(organization, reporter, business_scope={"business_scope": "养老"}),
        reporter,
        supervisor,
    )
    change = change_file(change=change, by=reporter)
    Organization.objects.filter(pk=organization.pk).update(status="deregistered")
    with pytest.raises(ValidationError) as refused:
        change_approve(change=change, by=clerk)
    assert refused.value.code == "inactive"
    change.refresh_from_db()
    assert change.status == ChangeStatus.FILED
