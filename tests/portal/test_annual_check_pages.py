"""The annual check's other portal pages: exemption (R-AC-2), the check's page with its
rectification items and answers (R-AC-5), and the printable report (R-AC-1)."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from accounts import roles
from annualcheck.choices import ITEMS, RectificationStatus
from annualcheck.models import AnnualCheck
from annualcheck.services import (
    annual_check_pre_review,
    annual_check_review,
    annual_check_submit,
)
from core.identity import mask_id_number
from tests.factories import (
    OrganizationFactory,
    add_members,
    make_organization_user,
    make_user,
)

from .annual_check_steps import complete, started

pytestmark = pytest.mark.django_db


def reviewed(organization, clerk, *, rectifications=()):
    annual_check, user = started(organization)
    complete(annual_check, user)
    annual_check_submit(annual_check=annual_check, by=user, today=datetime.date(2018, 3, 1))
    unit_user = make_user(roles.SUPERVISORY_UNIT, supervisory_unit=organization.supervisory_unit)
    annual_check_pre_review(
        annual_check=annual_check, by=unit_user, opinion="同意报送登记管理机关", passed=True
    )
    annual_check_review(
        annual_check=annual_check,
        by=clerk,
        result="basically_qualified",
        rectifications=rectifications,
        today=datetime.date(2018, 5, 1),
    )
    return AnnualCheck.objects.get(pk=annual_check.pk), user


def test_r_ac_2_an_exempt_organization_is_not_asked(client):
    today = datetime.date.today()
    organization = OrganizationFactory(
        established_on=datetime.date(today.year - 1, 7, 1),
        registered_on=datetime.date(today.year - 1, 7, 1),
    )
    client.force_login(make_organization_user(organization))
    message = f"本组织于{today.year - 1}-07-01登记，{today.year - 1}年度免于年检。"
    page = client.get(reverse("portal:annual_checks"))
    content = page.content.decode()
    assert page.context["exemption"] == message and message in content
    assert reverse("portal:annual_check_start") not in content  # no start button
    response = client.post(reverse("portal:annual_check_start"), follow=True)
    assert message in response.content.decode()
    assert not AnnualCheck.objects.filter(organization=organization).exists()


def test_r_ac_5_the_organization_answers_a_rectification_item(client, clerk):
    organization = OrganizationFactory()
    annual_check, user = reviewed(
        organization,
        clerk,
        rectifications=[
            ("党组织未按期换届", datetime.date(2018, 9, 30)),
            ("党员档案不全", datetime.date.today() + datetime.timedelta(days=30)),
        ],
    )
    late_item, open_item = annual_check.rectifications.order_by("due_on")
    client.force_login(user)
    page = client.get(reverse("portal:annual_check", args=[annual_check.pk]))
    content = page.content.decode()
    assert "党组织未按期换届" in content and "同意报送登记管理机关" in content
    assert [(row["item"], row["overdue"]) for row in page.context["rectifications"]] == [
        (late_item, True),
        (open_item, False),
    ]
    answer_url = reverse("portal:annual_check_answer", args=[annual_check.pk, late_item.pk])
    response = client.post(answer_url, {f"answer-{late_item.pk}-answer": "  "})
    assert response.status_code == 200
    assert "请填写整改情况。" in response.content.decode()
    late_item.refresh_from_db()
    assert late_item.status == RectificationStatus.OPEN

    response = client.post(answer_url, {f"answer-{late_item.pk}-answer": "已于9月完成换届选举"})
    assert response.url == reverse("portal:annual_check", args=[annual_check.pk])
    late_item.refresh_from_db()
    assert (late_item.status, late_item.answer) == ("answered", "已于9月完成换届选举")
    assert late_item.answered_on == datetime.date.today()
    assert late_item.events.get().to_status == "answered"
    page = client.get(response.url).content.decode()
    assert "已于9月完成换届选举" in page

    # A closed item is answered no more: the service's message.
    from annualcheck.services.rectifications import rectification_close

    rectification_close(rectification=late_item, by=clerk)
    response = client.post(answer_url, {f"answer-{late_item.pk}-answer": "再次答复"})
    assert "该整改事项已销号。" in response.content.decode()
    late_item.refresh_from_db()
    assert late_item.answer == "已于9月完成换届选举"


def test_the_list_shows_status_late_result_and_rectifications(client, clerk):
    organization = OrganizationFactory()
    annual_check, user = reviewed(
        organization, clerk, rectifications=[("党组织未按期换届", datetime.date(2018, 9, 30))]
    )
    client.force_login(user)
    page = client.get(reverse("portal:annual_checks")).content.decode()
    assert "2017" in page and "党组织未按期换届" in page
    assert annual_check.late is False


def test_r_ac_1_the_printed_report_has_the_ten_items_party_building_first(client, clerk):
    organization = OrganizationFactory()
    add_members(organization, 2)
    annual_check, user = reviewed(organization, clerk)
    entry = annual_check.register.first()
    client.force_login(user)
    response = client.get(reverse("portal:annual_check_print", args=[annual_check.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "社会组织年度检查报告书" in page and organization.credit_code in page
    positions = [page.index(str(title)) for _number, title in ITEMS]
    assert positions == sorted(positions)
    assert page.index("社会组织党建情况年报表") < page.index("党员登记表") < positions[1]
    assert "css/print.css" in page and "<script>" not in page and "site-nav" not in page
    # ID numbers masked for the organization itself, in full with the permission.
    assert entry.id_number not in page and mask_id_number(entry.id_number) in page
    # Then the supervisory opinion and the result, after the ten items.
    assert page.index("业务主管单位初审意见") > positions[-1]
    assert page.index("同意报送登记管理机关") < page.index("登记管理机关年检结论")
    client.force_login(clerk)
    page = client.get(reverse("portal:annual_check_print", args=[annual_check.pk])).content
    has_permission = clerk.has_perm("partybuilding.view_unmasked_id_number")
    assert (entry.id_number in page.decode()) == has_permission


def test_the_print_page_shows_full_numbers_only_with_the_permission(client):
    organization = OrganizationFactory()
    add_members(organization, 1)
    annual_check, user = started(organization)
    entry = annual_check.register.get()
    url = reverse("portal:annual_check_print", args=[annual_check.pk])
    client.force_login(user)
    assert entry.id_number not in client.get(url).content.decode()
    user.user_permissions.add(Permission.objects.get(codename="view_unmasked_id_number"))
    client.force_login(type(user).objects.get(pk=user.pk))
    assert entry.id_number in client.get(url).content.decode()
