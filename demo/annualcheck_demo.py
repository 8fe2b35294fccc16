"""The annual-check part of the demo (R-AC-1..6): the 2017 checks filed in spring 2018.

Most organizations are 合格; two are 基本合格 with a rectification item; the three 应建未建 are
不合格 by the R-AC-4 default, one of them also 不合格 in 2016 (so on the revocation review list,
R-AC-6); a few checks of the 2018 season are still in draft, submitted, pre-reviewed or returned.
Organizations registered after 30 June 2017 are exempt. All through the services."""

import datetime

from annualcheck.choices import CheckStatus
from annualcheck.models import AnnualCheck
from annualcheck.services import (
    annual_check_pre_review,
    annual_check_return,
    annual_check_review,
    annual_check_start,
    annual_check_submit,
    default_result,
    is_exempt,
    party_building_report_save,
)
from annualcheck.services.rectifications import rectification_answer

from . import partybuilding_demo

YEAR = 2017
BASICALLY_QUALIFIED = {
    "yangguang_sw": "党支部“三会一课”记录不完整",
    "org_federation": "未按期报送党员名册",
}
IN_PROGRESS = {  # orgdata key -> where its 2017 check stands
    "nuanxin_sw": CheckStatus.DRAFT,
    "boai_sw_office": CheckStatus.DRAFT,
    "wanqing_home_care": CheckStatus.SUBMITTED,
    "yiyou_sw_office": CheckStatus.SUBMITTED,
    "qinghe_sw": CheckStatus.PRE_REVIEWED,
    "yuanda_home_care": CheckStatus.RETURNED,
}
TWICE_UNQUALIFIED = "fushou_elderly_home"  # 2016 and 2017: on the revocation review list


def seed_annual_checks(*, organizations: dict, staff: dict, reporters: dict) -> None:
    """`reporters`: orgdata key -> the organization's portal user."""
    if AnnualCheck.objects.exists():
        return
    clerk = staff["clerk"]
    for key, organization in sorted(organizations.items()):
        if is_exempt(organization=organization, year=YEAR):
            continue
        unit_user = staff["units"].get(organization.supervisory_unit_id)
        if not is_exempt(organization=organization, year=YEAR - 1):
            _file(organization, YEAR - 1, reporters[key], unit_user, clerk, stop=None, key=key)
        _file(
            organization, YEAR, reporters[key], unit_user, clerk, stop=IN_PROGRESS.get(key), key=key
        )


def _file(organization, year, reporter, unit_user, clerk, *, stop, key=""):
    annual_check = annual_check_start(organization=organization, year=year, by=reporter)
    report = annual_check.party_building
    activities = 8 if report.party_organization_name else 0
    fields = {"activities_held": activities}
    if not report.party_organization_name:
        fields.update(
            no_party_organization_reason="党员人数较少或正在筹建党组织。"
            if key not in partybuilding_demo.SHOULD_BUILD
            else "尚未组建。",
            work_coverage="由派驻的党建指导员联系指导。"
            if report.instructor
            else "通过行业协会开展党的工作。",
        )
    else:
        fields["activities"] = "按月召开支部党员大会，开展主题党日活动。"
    party_building_report_save(annual_check=annual_check, by=reporter, **fields)
    if stop == CheckStatus.DRAFT:
        return
    submitted_on = datetime.date(year + 1, 3, 1 + organization.pk % 28)
    annual_check_submit(annual_check=annual_check, by=reporter, today=submitted_on)
    if stop == CheckStatus.SUBMITTED:
        return
    if annual_check.needs_pre_review:
        annual_check_pre_review(
            annual_check=annual_check,
            by=unit_user,
            opinion="经初审，同意报送登记管理机关。",
            passed=True,
        )
    if stop == CheckStatus.PRE_REVIEWED:
        return
    if stop == CheckStatus.RETURNED:
        annual_check_return(
            annual_check=annual_check,
            by=clerk,
            remarks="财务状况表与审计报告数字不一致，请核对后重新提交。",
        )
        return
    reviewed_on = datetime.date(year + 1, 5, 20)
    implied = default_result(annual_check=annual_check, as_of=reviewed_on)
    rectifications = []
    if year < YEAR:
        # The bureau applied the 应建未建 rule from the 2017 checks on (the article: "今年起").
        result = "unqualified" if key == TWICE_UNQUALIFIED else "qualified"
        reason = (
            "" if result == implied or not implied else "2016年度年检尚未实行应建未建不合格规则。"
        )
        if key == TWICE_UNQUALIFIED:
            reason = "财务管理不规范，未按规定使用票据。"
        annual_check_review(
            annual_check=annual_check, by=clerk, result=result, reason=reason, today=reviewed_on
        )
        return
    if implied:
        result = implied
        rectifications.append(
            ("应建未建党组织：限期单独组建党组织。", datetime.date(year + 1, 9, 30))
        )
    elif key in BASICALLY_QUALIFIED:
        result = "basically_qualified"
        rectifications.append((BASICALLY_QUALIFIED[key], datetime.date(year + 1, 6, 30)))
    else:
        result = "qualified"
    annual_check_review(
        annual_check=annual_check,
        by=clerk,
        result=result,
        rectifications=rectifications,
        today=reviewed_on,
    )
    if key == "yangguang_sw":
        rectification_answer(
            rectification=annual_check.rectifications.get(),
            by=reporter,
            answer="已补齐2017年“三会一课”记录，报党工委备案。",
        )
