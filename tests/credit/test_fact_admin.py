"""The facts credit supervision reads, entered in the admin (R-CR-3 items 3, 5, 6; R-CR-4;
R-CR-12): the clerk adds and corrects them, the supervisory unit and the committee read those of
the organizations they see; their rules answer in Chinese beside the field; flat queries."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from accounts import roles
from core import calendar
from credit import rules
from credit.models import Penalty, RectificationNotice, ReturnedLetter
from tests.factories import (
    OrganizationFactory,
    PenaltyFactory,
    RectificationNoticeFactory,
    ReturnedLetterFactory,
    SupervisoryUnitFactory,
    make_user,
)

pytestmark = pytest.mark.django_db

FACTORIES = {
    "penalty": PenaltyFactory,
    "rectificationnotice": RectificationNoticeFactory,
    "returnedletter": ReturnedLetterFactory,
}
TODAY = calendar.today()
TOMORROW = (TODAY + datetime.timedelta(days=1)).isoformat()


def url(model_name, name, *args):
    return reverse(f"admin:credit_{model_name}_{name}", args=args)


# --- The rules, without HTTP --------------------------------------------------------------------


def test_a_fine_needs_a_positive_amount_and_no_amount_is_negative():
    base = {"decided_on": TODAY, "effective_on": TODAY}
    assert rules.penalty_problems(kind="fine", amount_yuan=None, **base) == {
        "amount_yuan": "罚款须填写金额。"
    }
    assert rules.penalty_problems(kind="fine", amount_yuan=Decimal("0"), **base)
    assert rules.penalty_problems(kind="warning", amount_yuan=Decimal("-1"), **base) == {
        "amount_yuan": "金额不能为负数。"
    }
    assert rules.penalty_problems(kind="fine", amount_yuan=Decimal("3000"), **base) == {}
    assert rules.penalty_problems(kind="warning", amount_yuan=None, **base) == {}


def test_a_penalty_is_not_decided_in_the_future_nor_effective_before_its_decision():
    problems = rules.penalty_problems(
        kind="warning",
        amount_yuan=None,
        decided_on=TODAY + datetime.timedelta(days=1),
        effective_on=TODAY,
    )
    assert problems == {
        "decided_on": "处罚决定日期不能晚于今天。",
        "effective_on": "生效日期不能早于决定日期。",
    }


def test_a_notice_deadline_does_not_come_before_the_notice():
    assert rules.rectification_notice_problems(
        issued_on=datetime.date(2018, 4, 1), due_on=datetime.date(2018, 3, 31), completed_on=None
    ) == {"due_on": "整改期限不能早于发文日期。"}
    assert rules.rectification_notice_problems(
        issued_on=datetime.date(2018, 4, 1),
        due_on=datetime.date(2018, 6, 30),
        completed_on=datetime.date(2018, 3, 1),
    ) == {"completed_on": "完成整改日期不能早于发文日期。"}
    assert rules.rectification_notice_problems(
        issued_on=TODAY + datetime.timedelta(days=1),
        due_on=TODAY + datetime.timedelta(days=30),
        completed_on=TODAY + datetime.timedelta(days=2),
    ) == {"issued_on": "发文日期不能晚于今天。", "completed_on": "完成整改日期不能晚于今天。"}


def test_a_letter_is_sent_and_returned_by_today_and_returned_after_it_was_sent():
    assert rules.returned_letter_problems(
        sent_on=TODAY + datetime.timedelta(days=1), returned_on=TODAY + datetime.timedelta(days=9)
    ) == {"sent_on": "寄出日期不能晚于今天。", "returned_on": "退回日期不能晚于今天。"}
    assert rules.returned_letter_problems(
        sent_on=datetime.date(2018, 5, 2), returned_on=datetime.date(2018, 5, 1)
    ) == {"returned_on": "退回日期不能早于寄出日期。"}
    assert rules.returned_letter_problems(sent_on=TODAY, returned_on=TODAY) == {}


# --- The admin pages ------------------------------------------------------------------------------


def penalty_post(organization, **overrides):
    return {
        "organization": organization.pk,
        "kind": "fine",
        "amount_yuan": "3000",
        "department": "长春市民政局",
        "decision_number": "长民罚字〔2018〕7号",
        "decided_on": "2018-03-01",
        "effective_on": "2018-03-05",
        "facts": "未按规定报送年度工作报告",
        "basis": "《民办非企业单位登记管理暂行条例》第二十五条",
        **overrides,
    }


def test_the_clerk_enters_a_penalty_with_its_history(client, clerk):
    organization = OrganizationFactory()
    client.force_login(clerk)
    response = client.post(url("penalty", "add"), penalty_post(organization))
    assert response.status_code == 302, response.context["adminform"].form.errors
    penalty = Penalty.objects.get()
    assert (penalty.organization, penalty.amount_yuan) == (organization, Decimal("3000"))
    assert penalty.history.get().history_user == clerk


@pytest.mark.parametrize(
    "overrides,field,message",
    [
        ({"amount_yuan": ""}, "amount_yuan", "罚款须填写金额。"),
        ({"amount_yuan": "-5", "kind": "warning"}, "amount_yuan", "金额不能为负数。"),
        ({"effective_on": "2018-02-01"}, "effective_on", "生效日期不能早于决定日期。"),
        ({"decided_on": TOMORROW, "effective_on": TOMORROW}, "decided_on", None),
    ],
    ids=["fine-without-amount", "negative", "effective-before-decision", "future"],
)
def test_a_wrong_penalty_is_refused_in_chinese_beside_its_field(
    client, clerk, overrides, field, message
):
    client.force_login(clerk)
    response = client.post(url("penalty", "add"), penalty_post(OrganizationFactory(), **overrides))
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert list(errors) == [field]
    assert errors[field] == [message or "处罚决定日期不能晚于今天。"]
    assert not Penalty.objects.exists()


def test_a_notice_deadline_before_the_notice_and_a_future_letter_are_refused(client, clerk):
    organization = OrganizationFactory()
    client.force_login(clerk)
    response = client.post(
        url("rectificationnotice", "add"),
        {
            "organization": organization.pk,
            "notice_number": "长民整改〔2018〕3号",
            "matter": "财务制度不健全",
            "issued_on": "2018-04-01",
            "due_on": "2018-03-01",
        },
    )
    assert response.context["adminform"].form.errors == {"due_on": ["整改期限不能早于发文日期。"]}
    response = client.post(
        url("returnedletter", "add"),
        {
            "organization": organization.pk,
            "address": "长春市朝阳区人民大街1号",
            "tracking_number": "1190000000001",
            "sent_on": "2018-06-20",
            "returned_on": TOMORROW,
        },
    )
    assert response.context["adminform"].form.errors == {"returned_on": ["退回日期不能晚于今天。"]}
    assert not RectificationNotice.objects.exists() and not ReturnedLetter.objects.exists()


def test_the_organization_is_picked_by_a_safe_autocomplete(client, clerk):
    OrganizationFactory(name="长春市自动完成测试协会")
    client.force_login(clerk)
    page = client.get(url("penalty", "add")).content.decode()
    assert 'data-model-name="organization"' in page or "admin-autocomplete" in page
    response = client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "credit",
            "model_name": "penalty",
            "field_name": "organization",
            "term": "自动完成",
        },
    )
    assert [r["text"] for r in response.json()["results"]] == ["长春市自动完成测试协会"]
    # A hostile id in the posted organization is a form error, not a server error.
    response = client.post(url("penalty", "add"), {"organization": "1 OR 1=1"})
    assert response.status_code == 200


@pytest.mark.parametrize("model_name", sorted(FACTORIES))
def test_the_unit_reads_its_own_organizations_facts_and_the_committee_all(client, model_name):
    unit = SupervisoryUnitFactory()
    own = FACTORIES[model_name](organization=OrganizationFactory(supervisory_unit=unit))
    other = FACTORIES[model_name]()
    unit_user = make_user(roles.SUPERVISORY_UNIT, supervisory_unit=unit)
    client.force_login(unit_user)
    shown = {row.pk for row in client.get(url(model_name, "changelist")).context["cl"].result_list}
    assert shown == {own.pk}
    assert client.get(url(model_name, "change", own.pk)).status_code == 200
    assert client.get(url(model_name, "change", other.pk)).status_code == 302  # not found
    assert client.get(url(model_name, "history", other.pk)).status_code == 302
    assert client.get(url(model_name, "history", own.pk)).status_code == 200
    assert client.get(url(model_name, "add")).status_code == 403
    client.force_login(make_user(roles.COMMITTEE))
    shown = {row.pk for row in client.get(url(model_name, "changelist")).context["cl"].result_list}
    assert shown == {own.pk, other.pk}
    assert client.get(url(model_name, "add")).status_code == 403
    page = client.get(url(model_name, "change", own.pk)).content.decode()
    assert 'name="_save"' not in page  # read only


@pytest.mark.parametrize("model_name", sorted(FACTORIES))
def test_nobody_deletes_a_fact(client, clerk, model_name):
    fact = FACTORIES[model_name]()
    client.force_login(clerk)
    assert client.get(url(model_name, "delete", fact.pk)).status_code == 403


@pytest.mark.parametrize("model_name", sorted(FACTORIES))
def test_the_lists_cost_the_same_for_1_and_30_rows(
    client, clerk, django_assert_max_num_queries, model_name
):
    FACTORIES[model_name]()
    client.force_login(clerk)
    client.get(url(model_name, "changelist"))
    with django_assert_max_num_queries(20) as one:
        assert client.get(url(model_name, "changelist")).status_code == 200
    FACTORIES[model_name].create_batch(29)
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get(url(model_name, "changelist"))
    assert response.context["cl"].result_count == 30


def test_the_history_page_names_the_changes_in_chinese(client, clerk):
    penalty = PenaltyFactory()
    client.force_login(clerk)
    data = penalty_post(penalty.organization, kind="warning", amount_yuan="")
    assert client.post(url("penalty", "change", penalty.pk), data).status_code == 302
    page = client.get(url("penalty", "history", penalty.pk)).content.decode()
    assert "处罚种类" in page or "行政处罚" in page
