"""The credit-supervision part of the demo (R-CR-3, R-CR-5, R-CR-7): the daily job run on the
days it would have run in June 2018, and the clerk's decisions on what it proposed.

Two organizations had not filed their 2017 annual work report when the authority's deadline
passed on 31 May (R-AC-2). The job proposed both on 4 June. On 11 June the clerk listed
长春市暖心社会工作服务中心 on the 活动异常名录 (R-CR-7: facts, reasons, basis and rights in the
decision) and did not list 长春市博爱社工事务所, whose supervisory unit certified in writing
that the delay was not its doing (R-CR-5); on 13 June 暖心 answered in the portal. On 1 July,
the demo's day, two annual-check rectification items fell overdue the day before: the job's
two proposals wait for the clerk. 长春市惠民社区服务中心, proposed on 4 June as well, was
deregistered on 15 June (demo.deregistration_demo): the clerk dismissed its proposal that day.
Nothing here touches the article's figures."""

import datetime

from django.conf import settings
from django.utils import translation

from credit.choices import AnswerKind, EntryStatus, Ground
from credit.models import ListEntry
from credit.services import entry_answer_submit, entry_confirm, entry_dismiss
from credit.services.proposals import propose_entries

from .clock import on_day

FIRST_RUN = datetime.date(2018, 6, 4)
DECIDED_ON = datetime.date(2018, 6, 11)
ANSWERED_ON = datetime.date(2018, 6, 13)
DEMO_DAY = datetime.date(2018, 7, 1)
LISTED = "长春市暖心社会工作服务中心"
NOT_LISTED = "长春市博爱社工事务所"


def seed_credit(*, staff: dict, reporters: dict) -> None:
    """Safe to run again: the job proposes each fact once, and a decided entry is left alone."""
    with translation.override(settings.LANGUAGE_CODE):
        with on_day(FIRST_RUN):
            propose_entries(FIRST_RUN)
        proposals = ListEntry.objects.filter(
            ground=Ground.ANNUAL_REPORT, status=EntryStatus.PROPOSED
        ).select_related("organization")
        by_name = {entry.organization.name: entry for entry in proposals}
        with on_day(DECIDED_ON):
            if LISTED in by_name:
                _list(by_name[LISTED], staff["clerk"])
            if NOT_LISTED in by_name:
                entry_dismiss(
                    entry=by_name[NOT_LISTED],
                    by=staff["clerk"],
                    reason="业务主管单位于2018年6月8日书面证明：该所2017年度工作报告已于5月"
                    "28日报送主管单位初审，因主管单位内部流转延误未能按期转报，该所对此不负"
                    "直接责任，不予列入。",
                )
        listed = ListEntry.objects.filter(
            organization__name=LISTED, ground=Ground.ANNUAL_REPORT, status=EntryStatus.LISTED
        ).first()
        reporter = next(
            (
                user
                for user in reporters.values()
                if listed and user.organization_id == listed.organization_id
            ),
            None,
        )
        if listed is not None and reporter is not None and not listed.answers.exists():
            with on_day(ANSWERED_ON):
                entry_answer_submit(
                    entry=listed,
                    by=reporter,
                    kind=AnswerKind.STATEMENT,
                    text="本中心因负责人更替，2017年度工作报告未能按期报送，现已补齐材料，"
                    "将于6月底前报送，报送后申请移出。",
                )
        _dismiss_ended(staff["clerk"])
        with on_day(DEMO_DAY):
            propose_entries(DEMO_DAY)


def _dismiss_ended(clerk) -> None:
    """A proposal made before an organization's registration ended is not listed: the clerk
    dismisses it on the day it ended (长春市惠民社区服务中心, deregistered on 15 June)."""
    open_proposals = ListEntry.objects.filter(
        status=EntryStatus.PROPOSED, organization__registration_ended_on__isnull=False
    ).select_related("organization")
    for entry in open_proposals:
        ended_on = entry.organization.registration_ended_on
        with on_day(ended_on):
            entry_dismiss(
                entry=entry,
                by=clerk,
                reason=f"该组织已于{ended_on.year}年{ended_on.month}月{ended_on.day}日终止登记，"
                "不再列入。",
            )


def _list(entry, clerk) -> None:
    entry_confirm(
        entry=entry,
        by=clerk,
        decision_number="长民信〔2018〕1号",
        facts="该中心未在2018年5月31日前向登记管理机关报送2017年度工作报告。",
        reasons="未按照规定时限和要求向登记管理机关报送年度工作报告。",
        basis="《社会组织信用信息管理办法》（民政部令第60号）关于活动异常名录的规定。",
        rights="该中心可在门户中陈述申辩或提出异议；补报年度工作报告后，可申请移出活动异常名录，"
        "登记管理机关自查实之日起5个工作日内移出。",
    )
