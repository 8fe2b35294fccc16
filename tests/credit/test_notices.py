"""R-CR-7 with R-NTF: the organization's users find each decision on its entries in their
messages, once per decision, in Chinese, linking to the entry in the portal."""

import datetime

import pytest
from django.urls import reverse

from accounts import roles
from credit.choices import EntryStatus, Ground, RemovalPath
from credit.services import entry_confirm, entry_removal_refuse, entry_removal_request, entry_remove
from notifications.models import Notification
from tests.credit.helpers import proposed_entry
from tests.factories import OrganizationFactory, make_organization_user, make_user

pytestmark = pytest.mark.django_db

ON = datetime.date(2018, 6, 1)


def confirmed(entry, clerk):
    return entry_confirm(
        entry=entry,
        by=clerk,
        decision_number="长民信〔2018〕1号",
        facts="未报送2017年度工作报告",
        reasons="逾期未报送",
        basis="《社会组织信用信息管理办法》",
        rights="可申请移出",
    )


def test_each_decision_reaches_the_organizations_users_once(settings):
    settings.REGISTRY = {**settings.REGISTRY, "DEMO_TODAY": ""}
    organization = OrganizationFactory()
    other = OrganizationFactory()
    user = make_organization_user(organization)
    stranger = make_organization_user(other)
    clerk = make_user(roles.CLERK)
    entry = confirmed(proposed_entry(organization, Ground.ANNUAL_REPORT, on=ON), clerk)

    first = Notification.objects.get(recipient=user)
    assert first.subject == "贵单位已被列入活动异常名录：未按照规定时限和要求报送年度工作报告"
    assert first.link == reverse("portal:credit_entry", args=[entry.pk])
    assert not Notification.objects.filter(recipient=stranger).exists()

    entry = entry_removal_request(entry=entry, by=user, what_was_done="已补报年度工作报告")
    entry = entry_removal_refuse(entry=entry, by=clerk, reason="尚未查实")
    entry = entry_removal_request(entry=entry, by=user, what_was_done="已补报，附回执")
    entry_remove(
        entry=entry,
        by=clerk,
        path=RemovalPath.CORRECTED,
        reason="经查实已补报",
        verified_on=datetime.date.today(),
    )

    subjects = list(
        Notification.objects.filter(recipient=user).order_by("pk").values_list("subject", flat=True)
    )
    assert subjects == [
        "贵单位已被列入活动异常名录：未按照规定时限和要求报送年度工作报告",
        "贵单位移出活动异常名录的申请未获同意",
        "贵单位已被移出活动异常名录",
    ]
    entry.refresh_from_db()
    assert entry.status == EntryStatus.REMOVED
