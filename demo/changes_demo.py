"""The change-registration part of the demo (R-CHG-1..7): what the organizations changed in the
spring of 2018, each through the services as the organization, its supervisory unit and the
clerk would have moved it, on the days it happened (demo.clock).

- 长春市百合居家养老服务中心 moved from 宽城区 to 绿园区 (approved in March: its certificates
  reissued, the Party working committee given its copy, R-CHG-6);
- 长春市同行社会工作服务中心 elected a new director, 顾晨, who signed the Party-building pledge
  again (R-CHG-5; approved in April, certificates reissued);
- 长春市社区服务协会 amended its charter (章程核准, approved in May, R-CHG-2, R-CHG-7);
- 长春市邻里社区服务中心 raised its 开办资金: consented and filed in June, waiting for the clerk;
- 长春市心语社会工作服务中心 widened its business scope: submitted in late June, waiting for
  its supervisory unit's consent.

None changes a name, an industry or a supervisory unit, so the article's figures stay as they
are; the ledger "as of" a day before a change shows the values before it."""

import datetime
from decimal import Decimal

from django.conf import settings
from django.utils import translation

from registry.choices import ChangeKind, ChangeStatus
from registry.models import ChangeApplication, District, RegistrationTemplate, Street
from registry.services.changes import (
    change_approve,
    change_consent,
    change_file,
    change_save_step,
    change_start,
    change_submit,
)

from .clock import on_day

RESIDENCE = "baihe_home_care"
LEGAL_REPRESENTATIVE = "tongxing_sw"
CHARTER = "community_assoc"
FILED = "linli_community"
SUBMITTED = "xinyu_sw"

NEW_RESIDENCE = ("绿园区", "春城街道", "长春市绿园区春城大街1566号")
NEW_LEGAL_REPRESENTATIVE = "顾晨"
NEW_CAPITAL = Decimal("300000")
NEW_SCOPE = (
    "为困境儿童、空巢老人和残疾人提供个案辅导、小组活动和社区服务；承接政府购买社会工作服务项目；"
    "开展社会工作专业培训、督导和交流。"
)
CHARTER_AMENDMENT = (
    "第十五条 会员代表大会每届五年，每年至少召开一次；理事会每半年至少召开一次会议。"
)


def _day(month: int, day: int) -> datetime.date:
    return datetime.date(2018, month, day)


# orgdata key -> (the days it moved: submitted, consented, filed, approved; where it stops)
TIMELINE = {
    RESIDENCE: ((_day(3, 5), _day(3, 9), _day(3, 14), _day(3, 21)), ChangeStatus.APPROVED),
    LEGAL_REPRESENTATIVE: (
        (_day(4, 3), _day(4, 8), _day(4, 12), _day(4, 18)),
        ChangeStatus.APPROVED,
    ),
    CHARTER: ((_day(5, 7), _day(5, 11), _day(5, 15), _day(5, 22)), ChangeStatus.APPROVED),
    FILED: ((_day(6, 11), _day(6, 15), _day(6, 20), None), ChangeStatus.FILED),
    SUBMITTED: ((_day(6, 26), None, None, None), ChangeStatus.SUBMITTED),
}
PLEDGE_SIGNED_ON = _day(4, 2)


def seed_changes(*, organizations: dict, staff: dict, reporters: dict) -> list[ChangeApplication]:
    """Walk the demo's change applications once (nothing when there are some already); returns
    them, in the order they were submitted."""
    if ChangeApplication.objects.exists():
        return []
    with translation.override(settings.LANGUAGE_CODE):  # the texts the services store
        return [
            _walk(organizations[key], key, reporters[key], staff, days, stop)
            for key, (days, stop) in TIMELINE.items()
        ]


def _walk(organization, key, reporter, staff, days, stop) -> ChangeApplication:
    submitted_on, consented_on, filed_on, approved_on = days
    unit_user = staff["units"][organization.supervisory_unit_id]
    with on_day(submitted_on):
        kind = ChangeKind.CHARTER if key == CHARTER else ChangeKind.CHANGE
        change = change_start(organization=organization, by=reporter, kind=kind)
        change = change_save_step(change=change, by=reporter, **_entries(key, organization))
        change = change_submit(change=change, by=reporter)
    if stop == ChangeStatus.SUBMITTED:
        return change
    with on_day(consented_on):
        change = change_consent(change=change, by=unit_user, opinion=_opinion(key))
    with on_day(filed_on):
        change = change_file(change=change, by=reporter)
    if stop == ChangeStatus.FILED:
        return change
    with on_day(approved_on):
        return change_approve(change=change, by=staff["clerk"])


def _entries(key, organization) -> dict:
    """What the organization enters in the wizard for its change."""
    if key == RESIDENCE:
        district_name, street_name, address = NEW_RESIDENCE
        district = District.objects.get(name=district_name)
        return {
            "items": ["residence"],
            "reason": "原租用场地租期届满，经2018年2月理事会决议，"
            "迁至绿园区新址继续开展居家养老服务。",
            "district": district,
            "street": Street.objects.get(district=district, name=street_name),
            "address": address,
        }
    if key == LEGAL_REPRESENTATIVE:
        return {
            "items": ["legal_representative"],
            "reason": "2018年3月30日理事会换届，选举顾晨为理事长、法定代表人。",
            "legal_representative": NEW_LEGAL_REPRESENTATIVE,
            "pledge_signed_by": NEW_LEGAL_REPRESENTATIVE,
            "pledge_signed_on": PLEDGE_SIGNED_ON,
        }
    if key == CHARTER:
        return {
            "reason": "2018年4月28日第三届会员代表大会第二次会议表决通过章程修正案。",
            "charter_text": _amended_charter(organization),
        }
    if key == FILED:
        return {
            "items": ["registered_capital"],
            "reason": "2018年6月5日理事会决议，开办资金由举办者追加投入至30万元。",
            "registered_capital": NEW_CAPITAL,
        }
    return {
        "items": ["business_scope"],
        "reason": "2018年6月22日理事会决议，增加困境儿童和残疾人社会工作服务。",
        "business_scope": NEW_SCOPE,
    }


def _amended_charter(organization) -> str:
    """The registration template's charter as the organization filled it in, with the
    Party-building clause kept (R-CHG-7) and the amended article added."""
    text = RegistrationTemplate.current().charter_template.replace("{name}", organization.name)
    text = text.replace("（请填写本组织的宗旨）", "团结社区服务工作者，推动社区服务事业发展")
    text = text.replace("（请逐项填写）", "社区服务理论研究、业务培训、经验交流和咨询服务")
    return f"{text.rstrip()}\n{CHARTER_AMENDMENT}\n"


def _opinion(key) -> str:
    return {
        RESIDENCE: "经审查，新址符合居家养老服务场地要求，同意变更住所。",
        LEGAL_REPRESENTATIVE: "经审查，换届程序符合章程规定，同意变更法定代表人。",
        CHARTER: "经审查，章程修正案符合规定，党建工作条款完整，同意报送核准。",
        FILED: "经审查，追加的开办资金已验资到位，同意变更。",
    }[key]
