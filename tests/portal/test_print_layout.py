"""Official print pages as a clerk files them (issue 19): the 党员情况表 dated the day it was
filed, never the day it is printed; the 年检报告书 header as ruled label and value cells, and
boxes with room for the pre-review opinion and the conclusion."""

import datetime
import re

import pytest
from django.urls import reverse

from partybuilding.models import MemberFormCopy
from registry.services.registration import (
    application_approve,
    application_consent,
    application_submit,
)
from tests.factories import OrganizationFactory, add_members

from .test_annual_check_pages import reviewed
from .wizard_steps import complete_draft

pytestmark = pytest.mark.django_db


def filled_date(page: str) -> str:
    return re.search(r"填表日期：(.*?)</span>\s*</div>", page, re.S).group(1)


def test_the_member_form_is_dated_the_day_it_was_filed(
    client, applicant, places, industry, unit, supervisor, clerk
):
    application = complete_draft(applicant, places, industry, unit=unit)
    client.force_login(applicant)
    url = reverse("portal:print_member_form", args=[application.pk, "archive"])
    assert "signature-line" in filled_date(client.get(url).content.decode())  # a draft: blank
    application_submit(application=application, by=applicant)
    application_consent(application=application, by=supervisor, opinion="同意")
    application_approve(application=application, by=clerk)
    MemberFormCopy.objects.filter(application=application).update(
        filed_on=datetime.date(2018, 6, 4)
    )
    for copy in ("archive", "supervisory_unit", "committee"):
        url = reverse("portal:print_member_form", args=[application.pk, copy])
        assert "2018年6月4日" in filled_date(client.get(url).content.decode())


def test_the_annual_check_report_has_ruled_header_and_room_for_opinions(client, clerk):
    organization = OrganizationFactory(name="长春净月高新技术产业开发区乐龄居家养老服务中心")
    add_members(organization, 2)
    annual_check, user = reviewed(organization, clerk)
    client.force_login(user)
    page = client.get(reverse("portal:annual_check_print", args=[annual_check.pk])).content.decode()
    header = re.search(r'<table class="paper-form report-meta">.*?</table>', page, re.S).group(0)
    cells = re.findall(r"<t[hd][^>]*>([^<]*)</t[hd]>", header)
    assert cells[:2] == ["社会组织名称", organization.name]
    assert cells[cells.index("统一社会信用代码") + 1] == organization.credit_code
    opinions = re.search(r'<table class="paper-form opinion-form">.*?</table>', page, re.S).group(0)
    assert opinions.count('class="text-left opinion-box"') == 2
    assert opinions.count("（盖章）") == 2
    assert "同意报送登记管理机关" in opinions
