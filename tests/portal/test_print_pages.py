"""Print-ready pages (R-REG-2, R-REG-3): A4 stylesheet, no navigation, the member form's three
copies with their markings and the paper form's columns, ID numbers masked per user (R-ID-2)."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission
from django.urls import reverse

from accounts import roles
from core.identity import mask_id_number
from registry.services.registration import (
    application_approve,
    application_consent,
    application_submit,
)
from tests.factories import make_user

from .wizard_steps import LEGAL_REPRESENTATIVE, NAME, clause, complete_draft

pytestmark = pytest.mark.django_db

COLUMNS = [
    "序号",
    "姓名",
    "性别",
    "出生年月",
    "身份证号",
    "党员类别",
    "人员类型",
    "组织关系",
    "党员证明信",
    "入党时间",
]
MARKINGS = {"archive": "存档联", "supervisory_unit": "业务主管单位联", "committee": "党工委联"}


def print_urls(application):
    yield reverse("portal:print_charter", args=[application.pk])
    yield reverse("portal:print_pledge", args=[application.pk])
    for copy in MARKINGS:
        yield reverse("portal:print_member_form", args=[application.pk, copy])


@pytest.fixture
def application(applicant, places, industry):
    return complete_draft(applicant, places, industry)


def test_print_stylesheet_is_a4():
    css = (Path(settings.BASE_DIR) / "static" / "css" / "print.css").read_text()
    assert re.search(r"@page\s*{[^}]*size:\s*A4;", css)
    assert "@media print" in css and ".toolbar { display: none" in css


def test_print_pages_link_the_print_stylesheet_and_have_no_navigation(
    client, applicant, application
):
    client.force_login(applicant)
    for url in print_urls(application):
        response = client.get(url)
        assert response.status_code == 200, url
        page = response.content.decode()
        assert 'href="/static/css/print.css"' in page
        assert 'src="/static/js/print.js"' in page
        assert "site-nav" not in page and "<nav" not in page
        assert "<script>" not in page  # no inline script: the print button is static JS
        assert "data-print" in page


def test_member_form_copies_carry_their_marking(client, applicant, application):
    client.force_login(applicant)
    for copy, marking in MARKINGS.items():
        url = reverse("portal:print_member_form", args=[application.pk, copy])
        page = client.get(url).content.decode()
        assert f'<div class="copy-mark">{marking}</div>' in page
        assert "新建社会组织党员情况表" in page
        assert NAME in page and application.reference in page
        headers = re.findall(r"<th[^>]*>([^<]+)</th>", page)
        assert headers == COLUMNS
        assert "法定代表人（签字）" in page
        for other in set(MARKINGS.values()) - {marking}:
            assert other not in page.split("说明")[0]
    url = reverse("portal:print_member_form", args=[application.pk, "elsewhere"])
    assert client.get(url).status_code == 404


def test_member_form_rows(client, applicant, application):
    client.force_login(applicant)
    page = client.get(
        reverse("portal:print_member_form", args=[application.pk, "archive"])
    ).content.decode()
    members = list(application.members.all())
    for member in members:
        assert member.name in page
    assert page.count("正式党员") >= 3 and "1980.01" in page and "2005.07" in page


def test_member_form_without_members(client, applicant, places, industry):
    application = complete_draft(applicant, places, industry, members=0)
    client.force_login(applicant)
    page = client.get(
        reverse("portal:print_member_form", args=[application.pk, "committee"])
    ).content.decode()
    assert "本组织暂无党员" in page


def test_pledge_and_charter(client, applicant, application):
    client.force_login(applicant)
    page = client.get(reverse("portal:print_pledge", args=[application.pk])).content.decode()
    assert '<h1 class="doc-title">社会组织党建工作承诺书</h1>' in page
    assert f"{NAME}郑重承诺" in page
    assert LEGAL_REPRESENTATIVE in page and "2018年6月1日" in page
    page = client.get(reverse("portal:print_charter", args=[application.pk])).content.decode()
    assert f'<h1 class="doc-title">{NAME}章程</h1>' in page
    assert clause() in page and "第十一条" in page


def test_id_numbers_full_for_the_applicant_masked_for_others(client, applicant, application, clerk):
    number = application.members.first().id_number
    masked = mask_id_number(number)
    url = reverse("portal:print_member_form", args=[application.pk, "archive"])
    client.force_login(applicant)
    page = client.get(url).content.decode()
    assert number in page

    # Drafts stay private to their applicant; once submitted the clerk sees them, masked.
    client.force_login(clerk)
    assert client.get(url).status_code == 404
    application_submit(application=application, by=applicant)
    page = client.get(url).content.decode()
    assert number not in page and masked in page

    clerk.user_permissions.add(Permission.objects.get(codename="view_unmasked_id_number"))
    clerk = type(clerk).objects.get(pk=clerk.pk)  # fresh permission cache
    client.force_login(clerk)
    assert number in client.get(url).content.decode()


def test_supervisory_unit_and_committee_print_their_copies(
    client, applicant, places, industry, unit, supervisor, clerk
):
    application = complete_draft(applicant, places, industry, unit=unit)
    application_submit(application=application, by=applicant)
    client.force_login(supervisor)
    url = reverse("portal:print_member_form", args=[application.pk, "supervisory_unit"])
    assert client.get(url).status_code == 200
    committee = make_user(roles.COMMITTEE, username="committee-print")
    client.force_login(committee)
    assert client.get(url).status_code == 404  # the committee sees approved ones only
    application_consent(application=application, by=supervisor, opinion="同意")
    application_approve(application=application, by=clerk)
    url = reverse("portal:print_member_form", args=[application.pk, "committee"])
    page = client.get(url).content.decode()
    number = application.members.first().id_number
    assert "党工委联" in page and number not in page


def test_print_pages_require_login(client, application):
    for url in print_urls(application):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("portal:login"))


def test_r_id_2_the_birth_month_only_beside_a_full_number(client, applicant, application, clerk):
    """出生年月 is digits 7-12 of the number: a masked number comes without it (issue 13)."""
    birth = (
        application.members.first().id_number[6:10]
        + "."
        + application.members.first().id_number[10:12]
    )
    url = reverse("portal:print_member_form", args=[application.pk, "archive"])
    application_submit(application=application, by=applicant)
    client.force_login(applicant)
    assert birth in client.get(url).content.decode()
    client.force_login(clerk)
    page = client.get(url).content.decode()
    assert birth not in page and "出生年月" in page

    clerk.user_permissions.add(Permission.objects.get(codename="view_unmasked_id_number"))
    clerk = type(clerk).objects.get(pk=clerk.pk)
    client.force_login(clerk)
    assert birth in client.get(url).content.decode()
