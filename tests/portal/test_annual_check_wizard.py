"""The annual-check wizard (R-AC-1, R-AC-2): item 1 Party-building first with its own form and
the member register, items 2–10, review and submission; every step saved to the database."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from annualcheck.choices import CheckStatus
from annualcheck.models import AnnualCheck
from annualcheck.services import annual_check_submit, deadline, register_replace
from core.identity import mask_id_number
from partybuilding.models import PartyMember
from registry.models.member import MEMBER_DETAIL_FIELDS
from tests.factories import (
    OrganizationFactory,
    add_members,
    found_party_organization,
    id_number_for,
    make_organization_user,
)

from .annual_check_steps import (
    complete,
    item_steps,
    party_building_data,
    post_register,
    post_step,
    register_row,
    review_data,
    started,
    step_url,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def organization(db):
    organization = OrganizationFactory()
    add_members(organization, 3)
    found_party_organization(organization, name="长春市某中心党支部")
    return organization


def fresh(annual_check):
    return AnnualCheck.objects.get(pk=annual_check.pk)


def test_r_ac_1_walking_the_wizard_saves_every_step_then_submits_late(client, organization):
    annual_check, user = started(organization)
    client.force_login(user)
    response = client.get(reverse("portal:annual_check_edit", args=[annual_check.pk]))
    assert response.url == step_url(annual_check, "party_building")

    # Item 1: 《社会组织党建情况年报表》, prefilled from the records.
    page = client.get(step_url(annual_check, "party_building")).content.decode()
    assert "社会组织党建情况年报表" in page and "长春市某中心党支部" in page
    response = post_step(
        client, annual_check, "party_building", party_building_data(activities_held="10")
    )
    assert response.status_code == 302 and response.url == step_url(annual_check, "register")
    report = fresh(annual_check).party_building
    assert (report.activities_held, report.secretary) == (10, "王书记")

    # 《党员登记表》: three prefilled rows; one leaves, one is added.
    entries = list(annual_check.register.order_by("pk"))
    assert len(entries) == 3 and all(entry.party_member_id for entry in entries)
    page = client.get(step_url(annual_check, "register")).content.decode()
    assert entries[0].id_number in page
    new_number = id_number_for()
    rows = [register_row(entry) for entry in entries]
    rows[0].update(left_on="2017-10-01", left_reason="调往外地")
    rows.append(register_row(name="李新", id_number=new_number))
    response = post_register(client, annual_check, rows, initial=3)
    assert response.status_code == 302 and response.url == step_url(annual_check, "item_2")
    register = {entry.id_number: entry for entry in fresh(annual_check).register.all()}
    assert len(register) == 4
    assert register[entries[0].id_number].left_on == datetime.date(2017, 10, 1)
    # Rows matched by ID number keep their link to the Party-building record.
    assert register[entries[0].id_number].party_member_id == entries[0].party_member_id
    assert register[new_number].party_member_id is None
    assert PartyMember.objects.get(pk=entries[0].party_member_id).left_on is None

    # Items 2–10, one step each.
    for number, step in enumerate(item_steps(), start=2):
        response = post_step(client, annual_check, step, {"report": f"第{number}项的情况"})
        assert response.status_code == 302
    assert response.url == step_url(annual_check, "review")
    items = dict(fresh(annual_check).items.values_list("number", "report"))
    assert items[2] == "第2项的情况" and items[10] == "第10项的情况" and items[1] == ""

    # Review: everything, ID numbers masked.
    page = client.get(step_url(annual_check, "review")).content.decode()
    assert "第9项的情况" in page and "调往外地" in page
    assert new_number not in page and mask_id_number(new_number) in page

    assert fresh(annual_check).status == CheckStatus.DRAFT
    response = client.post(step_url(annual_check, "review"), review_data())
    assert response.url == reverse("portal:annual_check", args=[annual_check.pk])
    annual_check = fresh(annual_check)
    # Today is long after 31 March 2018: accepted and marked late (R-AC-2).
    assert annual_check.status == CheckStatus.SUBMITTED
    assert annual_check.late is True and annual_check.events.get().reason == "逾期提交"
    page = client.get(response.url).content.decode()
    assert "2018-03-31" in page  # the deadline named in the message and on the page

    # Submitted: the wizard is closed.
    response = client.get(step_url(annual_check, "item_2"))
    assert response.url == reverse("portal:annual_check", args=[annual_check.pk])
    response = post_step(client, annual_check, "item_2", {"report": "改动"})
    assert fresh(annual_check).items.get(number=2).report == "第2项的情况"


def test_r_ac_2_on_time_when_submitted_by_the_deadline(organization):
    annual_check, user = started(organization)
    complete(annual_check, user)
    submitted = annual_check_submit(
        annual_check=annual_check, by=user, today=datetime.date(2018, 3, 31)
    )
    assert (submitted.late, submitted.submitted_on) == (False, datetime.date(2018, 3, 31))


def test_drafts_are_kept_across_sessions(organization):
    annual_check, user = started(organization)
    first = Client()
    first.force_login(user)
    post_step(first, annual_check, "party_building", party_building_data(secretary="赵书记"))
    post_step(first, annual_check, "item_4", {"report": "按章程开展了十次活动"})
    first.logout()

    second = Client()
    second.force_login(user)
    page = second.get(step_url(annual_check, "party_building")).content.decode()
    assert "赵书记" in page
    page = second.get(step_url(annual_check, "item_4")).content.decode()
    assert "按章程开展了十次活动" in page and "按章程开展活动" in page  # the item's title


def test_save_stays_on_the_step(client, organization):
    annual_check, user = started(organization)
    client.force_login(user)
    response = post_step(client, annual_check, "item_3", {"report": "无变动"}, wizard_stay="1")
    assert response.url == step_url(annual_check, "item_3")
    assert annual_check.items.get(number=3).report == "无变动"


def test_r_ac_1_without_a_party_organization_the_reason_and_coverage_are_required(
    client, organization
):
    annual_check, user = started(organization)
    client.force_login(user)
    response = post_step(
        client, annual_check, "party_building", party_building_data(party_organization_name="")
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["no_party_organization_reason"] == ["没有党组织的，请说明原因。"]
    assert errors["work_coverage"] == ["没有党组织的，请说明党的工作覆盖情况。"]
    assert fresh(annual_check).party_building.party_organization_name == "长春市某中心党支部"
    response = post_step(
        client,
        annual_check,
        "party_building",
        party_building_data(
            party_organization_name="",
            no_party_organization_reason="党员已调走",
            work_coverage="由指导员联系",
        ),
    )
    assert response.status_code == 302
    assert fresh(annual_check).party_building.no_party_organization_reason == "党员已调走"


def test_r_ac_1_prefilled_figures_and_the_differences_are_shown(client, organization):
    annual_check, user = started(organization)
    client.force_login(user)
    page = client.get(step_url(annual_check, "party_building"))
    assert page.context["form"]["full_members"].value() == 3
    assert not page.context["differences"]
    post_step(
        client,
        annual_check,
        "party_building",
        party_building_data(full_members="5", charter_has_clause=None),
    )
    page = client.get(step_url(annual_check, "party_building"))
    assert [(known, reported) for _label, known, reported in page.context["differences"]] == [
        ("3", "5")
    ]
    assert "登记记录：3" in page.content.decode()
    post_step(client, annual_check, "party_building", party_building_data(full_members="5"))
    review = client.get(step_url(annual_check, "review"))
    assert [(k, r) for _l, k, r in review.context["differences"]] == [("3", "5"), ("否", "是")]


def test_register_validation_errors(client, organization):
    annual_check, user = started(organization)
    client.force_login(user)
    before = sorted(annual_check.register.values_list("id_number", flat=True))
    entries = list(annual_check.register.order_by("pk"))
    # A wrong check digit.
    bad = entries[0].id_number[:17] + ("0" if entries[0].id_number[17] != "0" else "1")
    response = post_register(client, annual_check, [register_row(entries[0], id_number=bad)])
    assert response.status_code == 200
    assert "校验码" in response.context["form"].forms[0].errors["id_number"][0]
    # The same member twice.
    response = post_register(
        client, annual_check, [register_row(entries[0]), register_row(entries[0], name="重复")]
    )
    assert response.context["form"].non_form_errors() == ["第2行与第1行的身份证号重复。"]
    # Leaving needs the date and the reason.
    response = post_register(client, annual_check, [register_row(entries[0], left_on="2017-05-01")])
    assert response.context["form"].forms[0].errors["left_reason"] == ["请填写离开原因。"]
    response = post_register(client, annual_check, [register_row(entries[0], left_reason="调走")])
    assert response.context["form"].forms[0].errors["left_on"] == ["请填写离开日期。"]
    assert sorted(annual_check.register.values_list("id_number", flat=True)) == before


def test_register_replace_refuses_a_submitted_check(organization):
    annual_check, user = started(organization)
    complete(annual_check, user)
    annual_check_submit(annual_check=annual_check, by=user, today=datetime.date(2018, 3, 1))
    with pytest.raises(ValidationError, match="审核期间不能修改"):
        register_replace(annual_check=annual_check, by=user, rows=[])
    assert annual_check.register.count() == 3


def test_register_replace_refuses_two_rows_with_one_id_number(organization):
    # The service checks it too, not only the wizard's form (core.identity).
    annual_check, user = started(organization)
    row = {field: getattr(annual_check.register.first(), field) for field in MEMBER_DETAIL_FIELDS}
    with pytest.raises(ValidationError) as refused:
        register_replace(annual_check=annual_check, by=user, rows=[row, dict(row)])
    assert refused.value.messages == ["第2行与第1行的身份证号重复。"]
    assert annual_check.register.count() == 3


def test_item_validation_errors(client, organization):
    annual_check, user = started(organization)
    client.force_login(user)
    response = post_step(client, annual_check, "item_5", {"report": ""})
    assert response.context["form"].errors["report"] == [
        "请填写本项情况；没有变化的，请写明“无变化”。"
    ]
    response = post_step(client, annual_check, "item_5", {"report": "长" * 5001})
    assert response.context["form"].errors["report"] == ["本项最多5000个字符，当前为5001个。"]
    assert annual_check.items.get(number=5).report == ""


def test_review_lists_what_is_missing_and_the_service_refusal(client):
    organization = OrganizationFactory()  # no Party organization on record
    annual_check, user = started(organization)
    client.force_login(user)
    page = client.get(step_url(annual_check, "review"))
    assert "第2项 遵守法律法规和国家政策：尚未填写。" in page.context["problems"]
    response = client.post(step_url(annual_check, "review"), review_data())
    assert response.status_code == 200 and fresh(annual_check).status == CheckStatus.DRAFT
    # Items filled, item 1 still without a reason: the service refuses, its message shown.
    complete(annual_check, user)
    annual_check.party_building.party_organization_name = ""
    annual_check.party_building.save()
    response = client.post(step_url(annual_check, "review"), review_data())
    assert response.status_code == 200
    assert "第1项 党建情况：没有党组织的，请说明原因和党的工作覆盖情况。" in (
        response.context["form"].non_field_errors()
    )
    assert fresh(annual_check).status == CheckStatus.DRAFT
    response = client.post(
        step_url(annual_check, "review"), {"annual_check_wizard-current_step": "review"}
    )
    assert response.context["form"].errors["confirm"] == ["请确认所填内容真实、完整后再提交。"]


def test_start_for_last_year_from_the_list(client, organization):
    client.force_login(make_organization_user(organization))
    page = client.get(reverse("portal:annual_checks"))
    today = timezone.localdate()
    year = page.context["year"]
    assert year == today.year - 1 and page.context["exemption"] == ""
    assert page.context["deadline"] == datetime.date(year + 1, 3, 31)
    assert page.context["past_deadline"] == (today > page.context["deadline"])
    response = client.post(reverse("portal:annual_check_start"))
    annual_check = AnnualCheck.objects.get(organization=organization)
    assert (annual_check.year, annual_check.status) == (year, CheckStatus.DRAFT)
    assert response.url == reverse("portal:annual_check_edit", args=[annual_check.pk])
    assert deadline(annual_check=annual_check) == page.context["deadline"]
    # Starting again resumes the same check.
    client.post(reverse("portal:annual_check_start"))
    assert AnnualCheck.objects.filter(organization=organization).count() == 1
    page = client.get(reverse("portal:annual_checks"))
    assert page.context["current"] == annual_check
    assert list(page.context["annual_checks"]) == [annual_check]


def test_every_form_field_of_the_party_building_step_is_rendered():
    """A field left out of the crispy layout is never posted and blocks the step silently."""
    from crispy_forms.utils import render_crispy_form

    from annualcheck.services import annual_check_start
    from portal.annual_check_forms import PARTY_BUILDING_FIELDS, PartyBuildingReportForm
    from tests.annualcheck.test_rules import reporter
    from tests.factories import OrganizationFactory

    organization = OrganizationFactory()
    user = reporter(organization)
    annual_check = annual_check_start(organization=organization, year=2017, by=user)
    form = PartyBuildingReportForm(instance=annual_check.party_building, prefix="party_building")
    html = render_crispy_form(form)
    for field in PARTY_BUILDING_FIELDS:
        assert f'name="party_building-{field}"' in html, field
