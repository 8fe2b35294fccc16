"""Annual check (R-AC-1..6), through the services, without HTTP."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts import roles
from annualcheck.choices import ITEMS, CheckStatus, RectificationStatus
from annualcheck.selectors import overdue_rectifications, revocation_review_candidates
from annualcheck.services import (
    annual_check_pre_review,
    annual_check_review,
    annual_check_start,
    annual_check_submit,
    party_building_differences,
    party_building_report_save,
)
from annualcheck.services.rectifications import (
    rectification_answer,
    rectification_close,
    rectification_reopen,
)
from partybuilding.models import PartyMember
from tests.factories import (
    OrganizationFactory,
    add_members,
    found_party_organization,
    make_organization_user,
    make_user,
)

pytestmark = pytest.mark.django_db

YEAR = 2017


def reporter(organization):
    return make_organization_user(organization)


def filled(annual_check, by, **fields):
    defaults = {"party_organization_name": "某党支部"} if not fields else {}
    party_building_report_save(annual_check=annual_check, by=by, **{**defaults, **fields})
    return annual_check


def submitted(organization, *, on=datetime.date(2018, 3, 20), year=YEAR, **fields):
    user = reporter(organization)
    annual_check = annual_check_start(organization=organization, year=year, by=user)
    filled(annual_check, user, **fields)
    return annual_check_submit(annual_check=annual_check, by=user, today=on)


def direct_organization(**fields):
    return OrganizationFactory(supervisory_unit=None, **fields)


def test_r_ac_1_ten_items_party_building_first_prefilled_from_the_records():
    organization = OrganizationFactory()
    add_members(organization, 3)
    found_party_organization(
        organization, name="长春市某中心党支部", founded_on=datetime.date(2017, 3, 1)
    )
    annual_check = annual_check_start(
        organization=organization, year=YEAR, by=reporter(organization)
    )
    assert [item.number for item in annual_check.items.all()] == [n for n, _ in ITEMS]
    assert annual_check.items.first().get_number_display() == "党建情况"
    report = annual_check.party_building
    assert (report.party_organization_name, report.full_members) == ("长春市某中心党支部", 3)
    assert annual_check.register.count() == 3


def test_r_ac_1_differences_from_the_records_are_shown_to_the_reviewer():
    organization = OrganizationFactory()
    add_members(organization, 2)
    user = reporter(organization)
    annual_check = annual_check_start(organization=organization, year=YEAR, by=user)
    report = party_building_report_save(annual_check=annual_check, by=user, full_members=4)
    differences = party_building_differences(report)
    assert [(before, after) for _label, before, after in differences] == [(2, 4)]


def test_r_ac_2_late_filing_is_accepted_and_marked_late():
    on_time = submitted(OrganizationFactory(), on=datetime.date(2018, 3, 31))
    late = submitted(OrganizationFactory(), on=datetime.date(2018, 4, 1))
    direct = submitted(direct_organization(), on=datetime.date(2018, 5, 31))
    assert (on_time.late, late.late, direct.late) == (False, True, False)
    assert late.status == CheckStatus.SUBMITTED
    assert late.events.get().reason == "逾期提交"


def test_r_ac_2_organizations_registered_after_30_june_are_exempt():
    organization = OrganizationFactory(
        established_on=datetime.date(2017, 7, 1), registered_on=datetime.date(2017, 7, 1)
    )
    with pytest.raises(ValidationError, match="免于年检"):
        annual_check_start(organization=organization, year=YEAR, by=reporter(organization))
    on_the_day = OrganizationFactory(
        established_on=datetime.date(2017, 6, 30), registered_on=datetime.date(2017, 6, 30)
    )
    annual_check_start(organization=on_the_day, year=YEAR, by=reporter(on_the_day))


def test_r_ac_2_supervisory_pre_review_comes_first(clerk):
    organization = OrganizationFactory()
    annual_check = submitted(organization)
    with pytest.raises(ValidationError):
        annual_check_review(annual_check=annual_check, by=clerk, result="qualified")
    unit_user = make_user(roles.SUPERVISORY_UNIT, supervisory_unit=organization.supervisory_unit)
    annual_check_pre_review(annual_check=annual_check, by=unit_user, opinion="同意", passed=True)
    annual_check_review(annual_check=annual_check, by=clerk, result="qualified")
    direct = submitted(direct_organization())
    annual_check_review(annual_check=direct, by=clerk, result="qualified")


@pytest.mark.parametrize("result", ["qualified", "basically_qualified", "unqualified"])
def test_r_ac_3_results(clerk, result):
    annual_check = submitted(direct_organization())
    annual_check_review(annual_check=annual_check, by=clerk, result=result)
    annual_check.refresh_from_db()
    assert (annual_check.status, annual_check.result) == (CheckStatus.REVIEWED, result)
    with pytest.raises(ValidationError):
        annual_check_review(
            annual_check=submitted(direct_organization()), by=clerk, result="excellent"
        )


def test_r_ac_4_should_build_not_built_is_unqualified_unless_a_reason_is_written(clerk):
    organization = direct_organization()
    add_members(organization, 3)
    annual_check = submitted(
        organization,
        party_organization_name="",
        no_party_organization_reason="正在筹建",
        work_coverage="由党建指导员联系",
    )
    with pytest.raises(ValidationError, match="改为其他结论须写明理由"):
        annual_check_review(annual_check=annual_check, by=clerk, result="qualified")
    annual_check_review(
        annual_check=annual_check,
        by=clerk,
        result="basically_qualified",
        reason="已于2018年5月提交组建党支部申请，党工委正在审批",
    )
    annual_check.refresh_from_db()
    assert annual_check.default_result == "unqualified"
    assert annual_check.result_reason.startswith("已于2018年5月")
    other = direct_organization()
    add_members(other, 3)
    plain = submitted(
        other, party_organization_name="", no_party_organization_reason="无", work_coverage="无"
    )
    annual_check_review(annual_check=plain, by=clerk, result="unqualified")
    plain.refresh_from_db()
    assert (plain.default_result, plain.result_reason) == ("unqualified", "")


def test_r_ac_5_rectification_items_are_answered_closed_and_reopened(clerk):
    organization = direct_organization()
    annual_check = submitted(organization)
    annual_check_review(
        annual_check=annual_check,
        by=clerk,
        result="basically_qualified",
        rectifications=[("党组织未按期换届", datetime.date(2018, 9, 30))],
    )
    item = annual_check.rectifications.get()
    with pytest.raises(ValidationError):
        rectification_close(rectification=item, by=clerk)  # not answered yet
    with pytest.raises(PermissionDenied):
        rectification_answer(
            rectification=item, by=reporter(OrganizationFactory()), answer="别人的答复"
        )
    rectification_answer(
        rectification=item, by=reporter(organization), answer="已于9月完成换届选举"
    )
    rectification_close(rectification=item, by=clerk)
    rectification_reopen(rectification=item, by=clerk, reason="换届材料不全")
    item.refresh_from_db()
    assert item.status == RectificationStatus.OPEN
    assert [e.to_status for e in item.events.all()] == ["answered", "closed", "open"]
    assert list(overdue_rectifications(datetime.date(2018, 10, 1))) == [item]
    assert list(overdue_rectifications(datetime.date(2018, 9, 30))) == []


def test_r_ac_6_two_unqualified_years_or_missed_then_unqualified(clerk):
    twice, missed, once = (
        direct_organization(registered_on=datetime.date(2015, 3, 10)) for _ in range(3)
    )
    for organization, results in (
        (twice, {2016: "unqualified", 2017: "unqualified"}),
        (missed, {2017: "unqualified"}),
        (once, {2016: "qualified", 2017: "unqualified"}),
    ):
        for year, result in results.items():
            user = reporter(organization)
            annual_check = annual_check_start(organization=organization, year=year, by=user)
            filled(annual_check, user)
            annual_check_submit(
                annual_check=annual_check, by=user, today=datetime.date(year + 1, 3, 1)
            )
            annual_check_review(annual_check=annual_check, by=clerk, result=result)
    assert set(revocation_review_candidates(year=2017)) == {twice, missed}


def test_accepted_register_changes_flow_back_to_the_records(clerk):
    organization = direct_organization()
    leaving, staying = add_members(organization, 2)
    user = reporter(organization)
    annual_check = annual_check_start(organization=organization, year=YEAR, by=user)
    entry = annual_check.register.get(party_member=leaving)
    entry.left_on, entry.left_reason = datetime.date(2017, 10, 1), "调往外地"
    entry.save()
    filled(annual_check, user)
    annual_check_submit(annual_check=annual_check, by=user, today=datetime.date(2018, 3, 1))
    assert PartyMember.objects.get(pk=leaving.pk).left_on is None  # not before acceptance
    annual_check_review(annual_check=annual_check, by=clerk, result="qualified")
    leaving.refresh_from_db()
    assert (leaving.left_on, leaving.left_reason) == (datetime.date(2017, 10, 1), "调往外地")
    assert PartyMember.objects.get(pk=staying.pk).left_on is None


def test_without_a_party_organization_the_reason_and_work_coverage_are_required():
    organization = direct_organization()
    user = reporter(organization)
    annual_check = annual_check_start(organization=organization, year=YEAR, by=user)
    with pytest.raises(ValidationError, match="原因"):
        annual_check_submit(annual_check=annual_check, by=user, today=datetime.date(2018, 3, 1))


def test_only_the_organization_fills_its_check():
    organization = OrganizationFactory()
    annual_check = annual_check_start(
        organization=organization, year=YEAR, by=reporter(organization)
    )
    with pytest.raises(PermissionDenied):
        party_building_report_save(
            annual_check=annual_check, by=reporter(OrganizationFactory()), activities_held=3
        )


def test_nobody_opens_another_organizations_check():
    organization = OrganizationFactory()
    with pytest.raises(PermissionDenied):
        annual_check_start(organization=organization, year=YEAR, by=reporter(OrganizationFactory()))


def test_r_ac_1_the_staff_count_is_prefilled_and_a_change_is_shown():
    organization = OrganizationFactory(full_time_staff=12)
    user = reporter(organization)
    annual_check = annual_check_start(organization=organization, year=YEAR, by=user)
    assert annual_check.party_building.full_time_staff == 12
    report = party_building_report_save(annual_check=annual_check, by=user, full_time_staff=15)
    assert [(b, a) for _label, b, a in party_building_differences(report)] == [(12, 15)]
