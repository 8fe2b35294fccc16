"""The registration wizard (R-REG-1, R-REG-2): each step saved to the database at once, each
step's validation in Chinese, the member form's consequence (R-PB-2..4), then submission."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core.identity import mask_id_number
from registry.choices import ApplicationStatus
from registry.models import Application
from registry.services.registration import application_submit
from tests.factories import DistrictFactory, id_number_for

from .wizard_steps import (
    LEGAL_REPRESENTATIVE,
    NAME,
    PREFIX,
    basic_data,
    charter_filled,
    clause,
    complete_draft,
    member_row,
    members_data,
    pledge_data,
    post_members,
    post_step,
    review_data,
    step_url,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(client, applicant):
    client.force_login(applicant)
    response = client.post(reverse("portal:application_start"))
    application = Application.objects.get(applicant=applicant)
    assert response.status_code == 302
    assert response.url == reverse("portal:application_edit", args=[application.pk])
    return application


def fresh(application) -> Application:
    return Application.objects.get(pk=application.pk)


def test_r_reg_1_2_walking_the_wizard_saves_every_step_then_submits(
    client, draft, places, industry
):
    # The edit URL opens the first unfinished step.
    response = client.get(reverse("portal:application_edit", args=[draft.pk]))
    assert response.url == step_url(draft, "basic")
    assert client.get(response.url).status_code == 200

    # 1 basic information
    response = post_step(client, draft, "basic", basic_data(places, industry))
    assert response.status_code == 302 and response.url == step_url(draft, "charter")
    application = fresh(draft)
    assert application.name == NAME
    assert application.direct_registration is True and application.supervisory_unit is None
    assert application.district == places["district"] and application.street == places["street"]
    assert application.full_time_staff == 12
    assert application.status == ApplicationStatus.DRAFT
    assert f"{NAME}章程" in application.charter_text  # the name fills the charter (service)

    # 2 charter: prefilled, edited, the clause kept
    page = client.get(step_url(draft, "charter")).content.decode()
    assert f"{NAME}章程" in page and clause() in page
    edited = application.charter_text.replace(
        "（请填写本组织的宗旨）", "为居家老人提供助餐、助洁、助医服务"
    )
    # The template's placeholders must all be filled in (issue 19).
    response = post_step(client, draft, "charter", {"charter_text": edited})
    assert response.status_code == 200
    assert "章程中还有范本的待填写内容（请逐项填写）" in response.content.decode()
    assert "（请逐项填写）" in fresh(draft).charter_text  # not saved
    edited = edited.replace("（请逐项填写）", "助餐、助洁、助医、日间照料")
    response = post_step(client, draft, "charter", {"charter_text": edited})
    assert response.url == step_url(draft, "pledge")
    assert "为居家老人提供助餐" in fresh(draft).charter_text

    # 3 pledge: the bureau's text with the name, signed by the legal representative
    page = client.get(step_url(draft, "pledge")).content.decode()
    assert f"{NAME}郑重承诺" in page
    response = post_step(client, draft, "pledge", pledge_data())
    assert response.url == step_url(draft, "members")
    application = fresh(draft)
    assert application.pledge_signed_by == LEGAL_REPRESENTATIVE
    assert application.pledge_signed_on == datetime.date(2018, 6, 1)

    # 4 member form: three full members on the staff
    rows = [member_row(name=name) for name in ("王建国", "刘芳", "陈明")]
    response = post_members(client, draft, rows, blank=2)  # blank extra rows are ignored
    assert response.status_code == 302 and response.url == step_url(draft, "review")
    application = fresh(draft)
    assert [m.name for m in application.members.all()] == ["王建国", "刘芳", "陈明"]
    assert application.no_party_members is False

    # 5 review: everything shown, ID numbers masked, the consequence stated
    page = client.get(step_url(draft, "review")).content.decode()
    assert "提交后本组织应单独组建党组织" in page
    first_id = rows[0]["id_number"]
    assert first_id not in page and mask_id_number(first_id) in page
    assert "为居家老人提供助餐" in page and "长春市朝阳区湖西路88号" in page
    response = client.post(step_url(draft, "review"), review_data())
    assert response.status_code == 302
    assert response.url == reverse("portal:application", args=[draft.pk])
    application = fresh(draft)
    assert application.status == ApplicationStatus.SUBMITTED
    assert application.submitted_at is not None
    assert application.submissions.count() == 1
    assert [(e.from_status, e.to_status) for e in application.events.all()] == [
        ("draft", "submitted")
    ]


def test_leaving_and_coming_back_resumes_from_the_database(
    client, draft, applicant, places, industry
):
    post_step(client, draft, "basic", basic_data(places, industry))
    post_step(client, draft, "charter", {"charter_text": fresh(draft).charter_text})

    # A new browser: a new session that never saw the wizard, same user.
    other_browser = Client()
    other_browser.force_login(applicant)
    response = other_browser.get(reverse("portal:application_edit", args=[draft.pk]))
    assert response.url == step_url(draft, "pledge")  # the first unfinished step
    page = other_browser.get(step_url(draft, "basic")).content.decode()
    assert f'value="{NAME}"' in page and 'value="13904310001"' in page
    # Posting a later step straight away works too, and the draft keeps growing.
    response = post_step(other_browser, draft, "pledge", pledge_data())
    assert response.url == step_url(draft, "members")
    response = post_members(other_browser, draft, [member_row()])
    assert response.url == step_url(draft, "review")
    assert (
        other_browser.get(step_url(draft, "members"))
        .content.decode()
        .count('name="members-0-name"')
        == 1
    )
    response = other_browser.post(step_url(draft, "review"), review_data())
    assert fresh(draft).status == ApplicationStatus.SUBMITTED


def test_save_stays_on_the_step(client, draft, places, industry):
    response = post_step(client, draft, "basic", basic_data(places, industry), wizard_stay="1")
    assert response.url == step_url(draft, "basic")
    assert fresh(draft).name == NAME


def test_previous_step_button_goes_back_without_saving(client, draft, places, industry):
    response = post_step(
        client, draft, "charter", {"charter_text": "changed"}, wizard_goto_step="basic"
    )
    assert response.url == step_url(draft, "basic")
    assert fresh(draft).charter_text != "changed"


def test_prefill_from_the_applicants_account(client, draft, applicant):
    applicant.first_name, applicant.phone = "李秀英", "13904319999"
    applicant.save()
    page = client.get(step_url(draft, "basic")).content.decode()
    assert 'value="李秀英"' in page and 'value="13904319999"' in page


# --- Step 1 -------------------------------------------------------------------------------


def test_basic_step_requires_its_fields(client, draft):
    response = post_step(client, draft, "basic", {"name": ""})
    assert response.status_code == 200
    form = response.context["wizard"]["form"]
    for field in ("name", "organization_type", "industry", "district", "legal_representative"):
        assert form.errors[field] == ["这个字段是必填项。"]
    assert fresh(draft).name == ""


def test_basic_step_street_must_lie_in_the_district(client, draft, places, industry):
    response = post_step(
        client, draft, "basic", basic_data(places, industry, street=places["other_street"].pk)
    )
    assert response.status_code == 200
    assert "“自强街道”不属于朝阳区，请选择朝阳区的街道。" in response.content.decode()
    assert fresh(draft).name == ""


def test_basic_step_needs_a_supervisory_unit_or_direct_registration(
    client, draft, places, industry, unit
):
    data = basic_data(places, industry)
    del data["direct_registration"]
    response = post_step(client, draft, "basic", data)
    assert "请选择业务主管单位，或勾选“直接登记”。" in response.content.decode()
    response = post_step(
        client, draft, "basic", basic_data(places, industry, supervisory_unit=unit.pk)
    )
    assert "二者选其一" in response.content.decode()
    assert fresh(draft).name == ""
    post_step(client, draft, "basic", basic_data(places, industry, unit=unit))
    application = fresh(draft)
    assert application.supervisory_unit == unit and application.direct_registration is False


def test_basic_step_rejects_oversize_and_bad_values(client, draft, places, industry):
    response = post_step(
        client,
        draft,
        "basic",
        basic_data(places, industry, name="长" * 201, contact_phone="12345", full_time_staff="-1"),
    )
    form = response.context["wizard"]["form"]
    assert form.errors["name"] == ["确保该变量包含不超过 200 字符 (目前字符数 201)。"]
    assert "contact_phone" in form.errors and "full_time_staff" in form.errors
    assert fresh(draft).name == ""


# --- Step 2 -------------------------------------------------------------------------------


@pytest.fixture
def named(client, draft, places, industry):
    post_step(client, draft, "basic", basic_data(places, industry))
    return fresh(draft)


def test_r_reg_1_the_party_building_clause_cannot_be_removed(client, named):
    before = named.charter_text
    response = post_step(
        client, named, "charter", {"charter_text": before.replace(clause(), "本组织自行决定。")}
    )
    assert response.status_code == 200
    assert f"章程必须保留党建工作条款：{clause()}" in response.content.decode()
    assert fresh(named).charter_text == before
    # Reflowed, the clause still counts.
    reflowed = charter_filled(before.replace(clause(), clause()[:20] + "\n" + clause()[20:]))
    assert post_step(client, named, "charter", {"charter_text": reflowed}).status_code == 302


def test_charter_has_a_maximum_length(client, named):
    before = named.charter_text
    oversize = before + "附" * (20_001 - len(before))
    response = post_step(client, named, "charter", {"charter_text": oversize})
    assert "章程最多20000个字符，当前为20001个。" in response.content.decode()
    assert fresh(named).charter_text == before


def test_charter_needs_the_name_first(client, draft):
    response = post_step(client, draft, "charter", {"charter_text": fresh(draft).charter_text})
    assert "请先在第1步填写组织名称" in response.content.decode()


# --- Step 3 -------------------------------------------------------------------------------


def test_r_reg_2_pledge_is_signed_by_the_legal_representative(client, named):
    response = post_step(client, named, "pledge", pledge_data(pledge_signed_by="张三"))
    assert "承诺书应由法定代表人“李秀英”签署，签名与法定代表人不一致。" in response.content.decode()
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = post_step(
        client, named, "pledge", pledge_data(pledge_signed_on=tomorrow.isoformat())
    )
    assert "签署日期不能晚于今天。" in response.content.decode()
    response = post_step(client, named, "pledge", {"pledge_signed_by": "", "pledge_signed_on": ""})
    assert "请由法定代表人签署姓名。" in response.content.decode()
    application = fresh(named)
    assert application.pledge_signed_by == "" and application.pledge_signed_on is None


def test_pledge_before_step_one_asks_for_the_legal_representative(client, draft):
    response = post_step(client, draft, "pledge", pledge_data())
    assert "请先在第1步填写法定代表人。" in response.content.decode()


# --- Step 4 -------------------------------------------------------------------------------


def test_member_rows_are_validated(client, named):
    bad = member_row(id_number="220104198001010000")
    response = post_members(client, named, [bad])
    assert "身份证号最后一位（校验码）应为" in response.content.decode()
    probationary = member_row(status="probationary")
    response = post_members(client, named, [probationary])
    assert "预备党员请填写预计转正日期。" in response.content.decode()
    too_young = member_row(id_number=id_number_for(birth=datetime.date(2000, 1, 1)))
    too_young["joined_party_on"] = "2010-07-01"
    response = post_members(client, named, [too_young])
    assert "入党时间应在年满18周岁之后" in response.content.decode()
    woman = member_row(id_number=id_number_for(male=False), sex="male")
    response = post_members(client, named, [woman])
    assert "性别与身份证号第17位不符。" in response.content.decode()
    assert fresh(named).members.count() == 0


def test_duplicate_id_numbers_are_refused(client, named):
    number = id_number_for()
    rows = [member_row(id_number=number), member_row(name="刘芳"), member_row(id_number=number)]
    response = post_members(client, named, rows)
    assert "第3行与第1行的身份证号重复。" in response.content.decode()
    assert fresh(named).members.count() == 0


def test_rows_or_no_members_exactly_one(client, named):
    response = post_members(client, named, [member_row()], no_party_members=True)
    assert "不能同时勾选“本组织暂无党员”" in response.content.decode()
    response = post_members(client, named, [], blank=3)
    assert "请逐人填写党员情况，或勾选“本组织暂无党员”。" in response.content.decode()
    application = fresh(named)
    assert application.members.count() == 0 and application.no_party_members is False
    response = post_members(client, named, [], no_party_members=True, blank=3)
    assert response.status_code == 302
    assert fresh(named).no_party_members is True


def test_at_most_200_member_rows(client, named):
    rows = [member_row(name=f"党员{n}") for n in range(201)]
    response = post_members(client, named, rows)
    assert response.status_code == 200
    assert "党员情况表最多填写200行。" in response.content.decode()
    assert fresh(named).members.count() == 0


def test_member_rows_are_replaced_and_deleted(client, named):
    first, second = member_row(name="王建国"), member_row(name="刘芳")
    post_members(client, named, [first, second])
    assert fresh(named).members.count() == 2
    # The page shows the saved rows; the applicant deletes one and corrects the other.
    page = client.get(step_url(named, "members")).content.decode()
    assert 'value="王建国"' in page and 'value="刘芳"' in page
    first["DELETE"] = "on"
    second["name"] = "刘芳芳"
    response = post_members(client, named, [first, second], initial=2)
    assert response.status_code == 302
    assert [m.name for m in fresh(named).members.all()] == ["刘芳芳"]


def test_certificate_letters_need_date_and_issuer(client, named):
    response = post_members(
        client,
        named,
        [member_row(relationship="floating", certificate_letter_issuer="某街道党工委")],
    )
    assert "请填写党员证明信的日期。" in response.content.decode()
    response = post_members(
        client, named, [member_row(relationship="floating", certificate_letter_on="2018-03-01")]
    )
    assert "请填写党员证明信的出具单位。" in response.content.decode()


# --- The consequence sentence (R-PB-2..4) -------------------------------------------------


@pytest.mark.parametrize(
    ("rows", "sentence"),
    [
        (3, "提交后本组织应单独组建党组织"),
        (1, "参加联合党组织"),
        (0, "由派驻的党建指导员帮助发展党员"),
    ],
)
def test_r_pb_2_4_the_member_form_states_its_consequence(client, named, rows, sentence):
    response = post_members(
        client, named, [member_row() for _ in range(rows)], no_party_members=rows == 0
    )
    assert response.status_code == 302
    for step in ("members", "review"):
        assert sentence in client.get(step_url(named, step)).content.decode()


def test_r_pb_1_uncounted_members_do_not_make_three(client, named):
    rows = [
        member_row(),
        member_row(),
        member_row(relationship="floating"),  # no certificate letter: not counted
        member_row(status="probationary", full_membership_due_on="2019-07-01"),
        member_row(role="service_recipient"),
    ]
    post_members(client, named, rows)
    page = client.get(step_url(named, "review")).content.decode()
    assert "应单独组建" not in page and "参加联合党组织" in page
    rows[2].update(certificate_letter_on="2018-03-01", certificate_letter_issuer="某街道党工委")
    post_members(client, named, rows, initial=5)
    assert "提交后本组织应单独组建党组织" in client.get(step_url(named, "review")).content.decode()


# --- Step 5 -------------------------------------------------------------------------------


def test_review_lists_the_problems_and_blocks_submission(client, draft):
    page = client.get(step_url(draft, "review")).content.decode()
    assert "第1步 基本信息：请填写“名称”" in page or "第1步 基本信息" in page
    assert "第3步 党建工作承诺书" in page and "第4步 新建社会组织党员情况表" in page
    # Each problem links to its step.
    assert f'href="{step_url(draft, "pledge")}"' in page
    response = client.post(step_url(draft, "review"), review_data())
    assert response.status_code == 200
    assert "申请还有" in response.content.decode()
    assert fresh(draft).status == ApplicationStatus.DRAFT


def test_review_needs_the_confirmation(client, applicant, places, industry):
    application = complete_draft(applicant, places, industry)
    client.force_login(applicant)
    response = client.post(step_url(application, "review"), {f"{PREFIX}-current_step": "review"})
    assert "请确认所填内容真实、完整后再提交。" in response.content.decode()
    assert fresh(application).status == ApplicationStatus.DRAFT


def test_a_submitted_application_cannot_be_edited(client, applicant, places, industry):
    application = complete_draft(applicant, places, industry)
    application_submit(application=application, by=applicant)
    client.force_login(applicant)
    detail = reverse("portal:application", args=[application.pk])
    for step in ("basic", "charter", "pledge", "members", "review"):
        response = client.get(step_url(application, step))
        assert response.status_code == 302 and response.url == detail
    response = post_step(client, application, "basic", {"name": "改名"})
    assert response.status_code == 302 and response.url == detail
    response = client.post(
        step_url(application, "members"), members_data([], no_party_members=True)
    )
    assert response.url == detail
    application.refresh_from_db()
    assert application.name != "改名" and application.members.count() == 3
    assert application.no_party_members is False


def test_unknown_step_resumes_at_the_first_unfinished(client, draft):
    response = client.get(step_url(draft, "nonsense"))
    assert response.status_code == 302 and response.url == step_url(draft, "basic")


def test_the_start_view_takes_post_only(client, applicant):
    client.force_login(applicant)
    assert client.get(reverse("portal:application_start")).status_code == 405
    assert Application.objects.count() == 0


def test_a_missing_or_forged_management_form_is_a_bad_request(client, named):
    response = client.post(step_url(named, "charter"), {"charter-charter_text": "x"})
    assert response.status_code == 400
    response = client.post(
        step_url(named, "charter"), {f"{PREFIX}-current_step": "done", "charter-charter_text": "x"}
    )
    assert response.status_code == 400
    assert fresh(named).charter_text != "x"


def test_direct_registration_district_without_streets(client, draft, industry):
    district = DistrictFactory(name="双阳区", code="220112")
    data = basic_data({"district": district, "street": None}, industry, street="")
    response = post_step(client, draft, "basic", data)
    assert response.status_code == 302
    assert fresh(draft).street is None
