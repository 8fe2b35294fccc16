"""The annual check in the admin (R-AC-2..6): the read-only page and its buttons, the
supervisory unit's pre-review, the clerk's review page, rectifications, the revocation list."""

import datetime

import pytest
from django.urls import reverse

from accounts import roles
from annualcheck.choices import CheckStatus, RectificationStatus
from annualcheck.models import AnnualCheck, Rectification
from annualcheck.services import (
    annual_check_pre_review,
    annual_check_review,
    annual_check_start,
    annual_check_submit,
    party_building_report_save,
)
from annualcheck.services.rectifications import rectification_answer
from tests.annualcheck.test_rules import YEAR, direct_organization, filled, reporter, submitted
from tests.factories import OrganizationFactory, add_members, make_user

pytestmark = pytest.mark.django_db


def change_url(annual_check):
    return reverse("admin:annualcheck_annualcheck_change", args=[annual_check.pk])


def page(name, annual_check):
    return reverse(f"annualcheck:{name}", args=[annual_check.pk])


def supervisor_of(organization, username=None):
    return make_user(
        roles.SUPERVISORY_UNIT, username=username, supervisory_unit=organization.supervisory_unit
    )


def should_build_not_built(**fields):
    organization = direct_organization(**fields)
    add_members(organization, 3)
    return organization, submitted(
        organization,
        party_organization_name="",
        no_party_organization_reason="正在筹建",
        work_coverage="由党建指导员联系",
    )


def review_data(result="", reason="", **extra):
    data = {"result": result, "reason": reason}
    data.update({f"opinion_{n}": "" for n in range(1, 11)})
    data.update(extra)
    return data


def button_labels(response):
    return [move["label"] for move in response.context["review_moves"]]


# --- The supervisory unit, then the clerk -----------------------------------------------------


def test_supervisory_pre_review_through_its_page_then_the_clerk_reviews(client, clerk):
    organization = OrganizationFactory()
    annual_check = submitted(organization)
    unit_user = supervisor_of(organization)

    client.force_login(clerk)
    response = client.get(change_url(annual_check))
    assert response.status_code == 200
    assert "审核（设定结论）" not in button_labels(response)  # pre-review comes first

    client.force_login(unit_user)
    response = client.get(change_url(annual_check))
    assert button_labels(response) == ["初审通过", "退回"]
    assert client.get(page("pre_review", annual_check)).status_code == 200
    response = client.post(page("pre_review", annual_check), {"decision": "pass", "opinion": ""})
    assert response.status_code == 200
    assert "opinion" in response.context["form"].errors
    response = client.post(
        page("pre_review", annual_check), {"decision": "pass", "opinion": "同意，报登记管理机关"}
    )
    assert response.status_code == 302
    annual_check.refresh_from_db()
    assert annual_check.status == CheckStatus.PRE_REVIEWED
    assert annual_check.supervisory_opinion == "同意，报登记管理机关"
    assert client.get(page("review", annual_check)).status_code == 403

    client.force_login(clerk)
    response = client.get(change_url(annual_check))
    assert button_labels(response) == ["审核（设定结论）", "退回"]
    response = client.post(page("review", annual_check), review_data(result="qualified"))
    assert response.status_code == 302
    annual_check.refresh_from_db()
    assert (annual_check.status, annual_check.result) == (CheckStatus.REVIEWED, "qualified")
    assert [e.to_status for e in annual_check.events.all()] == [
        "submitted",
        "pre_reviewed",
        "reviewed",
    ]


def test_supervisory_unit_returns_through_the_pre_review_page(client):
    organization = OrganizationFactory()
    annual_check = submitted(organization)
    client.force_login(supervisor_of(organization))
    response = client.get(page("pre_review", annual_check) + "?decision=return")
    assert response.context["form"].initial["decision"] == "return"
    client.post(page("pre_review", annual_check), {"decision": "return", "opinion": "补充材料"})
    annual_check.refresh_from_db()
    assert annual_check.status == CheckStatus.RETURNED


def test_direct_registered_goes_straight_to_the_clerk(client, clerk):
    annual_check = submitted(direct_organization())
    client.force_login(clerk)
    assert button_labels(client.get(change_url(annual_check))) == ["审核（设定结论）", "退回"]
    response = client.post(page("return", annual_check), {"remarks": "第7项财务数据不全"})
    assert response.status_code == 302
    annual_check.refresh_from_db()
    assert annual_check.status == CheckStatus.RETURNED
    assert annual_check.events.last().reason == "第7项财务数据不全"


def test_a_get_never_changes_anything_and_a_post_needs_csrf(clerk):
    from tests.conftest import TwoFactorClient

    annual_check = submitted(direct_organization())
    csrf_client = TwoFactorClient(enforce_csrf_checks=True)
    csrf_client.force_login(clerk)
    assert csrf_client.get(page("review", annual_check)).status_code == 200
    response = csrf_client.post(page("review", annual_check), review_data(result="qualified"))
    assert response.status_code == 403
    annual_check.refresh_from_db()
    assert annual_check.status == CheckStatus.SUBMITTED


# --- R-AC-4 and the review page ---------------------------------------------------------------


def test_r_ac_4_default_is_preselected_and_a_deviation_needs_a_reason(client, clerk):
    _organization, annual_check = should_build_not_built()
    client.force_login(clerk)
    response = client.get(page("review", annual_check))
    assert response.context["form"].initial["result"] == "unqualified"
    assert "该组织应建未建党组织，默认不合格" in response.content.decode()

    response = client.post(
        page("review", annual_check),
        review_data(result="basically_qualified", opinion_1="党组织正在筹建"),
    )
    assert response.status_code == 200
    assert "改为其他结论须写明理由" in str(response.context["form"].errors["reason"])
    annual_check.refresh_from_db()
    assert annual_check.status == CheckStatus.SUBMITTED
    assert annual_check.items.get(number=1).clerk_opinion == ""  # nothing changed

    response = client.post(
        page("review", annual_check),
        review_data(result="basically_qualified", reason="已提交组建申请，党工委审批中"),
    )
    assert response.status_code == 302
    annual_check.refresh_from_db()
    assert annual_check.result == "basically_qualified"
    assert annual_check.default_result == "unqualified"
    assert annual_check.result_reason == "已提交组建申请，党工委审批中"


def test_no_default_when_the_rules_imply_none(client, clerk):
    annual_check = submitted(direct_organization())
    client.force_login(clerk)
    response = client.get(page("review", annual_check))
    assert "result" not in response.context["form"].initial
    assert "默认不合格" not in response.content.decode()


def test_opinions_item_by_item_are_saved_party_building_first(client, clerk):
    annual_check = submitted(direct_organization())
    client.force_login(clerk)
    response = client.get(page("review", annual_check))
    labels = [field.label for field in response.context["form"].opinion_fields()]
    assert labels[0] == "1. 党建情况" and len(labels) == 10
    client.post(
        page("review", annual_check),
        review_data(opinion_1="党建工作规范", opinion_7="财务收支清楚", _save_opinions="1"),
    )
    annual_check.refresh_from_db()
    assert annual_check.status == CheckStatus.SUBMITTED
    opinions = dict(annual_check.items.values_list("number", "clerk_opinion"))
    assert (opinions[1], opinions[7], opinions[2]) == ("党建工作规范", "财务收支清楚", "")
    response = client.get(page("review", annual_check))
    assert response.context["form"].initial["opinion_1"] == "党建工作规范"
    client.post(page("review", annual_check), review_data(result="qualified", opinion_2="遵守法规"))
    annual_check.refresh_from_db()
    assert annual_check.status == CheckStatus.REVIEWED
    assert annual_check.items.get(number=2).clerk_opinion == "遵守法规"


def test_the_change_page_highlights_differences_and_masks_id_numbers(client, clerk):
    organization = direct_organization()
    add_members(organization, 2)
    user = reporter(organization)
    annual_check = annual_check_start(organization=organization, year=YEAR, by=user)
    party_building_report_save(
        annual_check=annual_check, by=user, party_organization_name="某党支部", full_members=4
    )
    annual_check_submit(annual_check=annual_check, by=user, today=datetime.date(2018, 3, 1))
    client.force_login(clerk)
    response = client.get(change_url(annual_check))
    body = response.content.decode()
    changed = [row["value"] for row in response.context["report_rows"] if row["changed"]]
    assert changed == ["某党支部", 4]
    assert 'class="differs"' in body
    entry = annual_check.register.first()
    assert entry.id_number not in body
    assert body.index('id="item-1"') < body.index('id="other-items"')


# --- Rectifications (R-AC-5) ------------------------------------------------------------------


def test_rectifications_from_the_review_page_closed_and_reopened_in_the_admin(client, clerk):
    organization = direct_organization()
    annual_check = submitted(organization)
    client.force_login(clerk)
    response = client.post(
        page("review", annual_check),
        review_data(result="basically_qualified", problem_1="党组织未按期换届"),
    )
    assert "due_on_1" in response.context["form"].errors
    response = client.post(
        page("review", annual_check),
        review_data(
            result="basically_qualified",
            problem_1="党组织未按期换届",
            due_on_1="2018-09-30",
            problem_2="三会一课记录不全",
            due_on_2="2099-12-31",
        ),
    )
    assert response.status_code == 302
    first, second = annual_check.rectifications.order_by("due_on")
    assert (first.problem, first.due_on) == ("党组织未按期换届", datetime.date(2018, 9, 30))

    changelist = reverse("admin:annualcheck_rectification_changelist")
    overdue = client.get(changelist, {"overdue": "yes"})
    assert [r.pk for r in overdue.context["cl"].result_list] == [first.pk]
    assert client.get(reverse("admin:index")).content.decode().count("逾期整改事项 1 项") == 1

    # Not answered yet: the service refuses and nothing is closed.
    client.post(changelist, {"action": "close_selected", "_selected_action": [first.pk]})
    first.refresh_from_db()
    assert first.status == RectificationStatus.OPEN
    rectification_answer(rectification=first, by=reporter(organization), answer="已完成换届")
    client.post(changelist, {"action": "close_selected", "_selected_action": [first.pk]})
    first.refresh_from_db()
    assert first.status == RectificationStatus.CLOSED
    assert client.get(changelist, {"overdue": "yes"}).context["cl"].result_count == 0

    reopen = reverse("annualcheck:rectification_reopen", args=[first.pk])
    response = client.post(reopen, {"reason": ""})
    assert response.status_code == 200 and response.context["form"].errors
    assert client.post(reopen, {"reason": "换届材料不全"}).status_code == 302
    first.refresh_from_db()
    assert first.status == RectificationStatus.OPEN
    assert first.events.last().reason == "换届材料不全"
    detail = client.get(reverse("admin:annualcheck_rectification_change", args=[first.pk]))
    assert detail.status_code == 200


def test_supervisory_unit_cannot_close_or_reopen(client):
    organization = OrganizationFactory()
    annual_check = submitted(organization)
    unit_user = supervisor_of(organization)
    annual_check_pre_review(annual_check=annual_check, by=unit_user, opinion="同意", passed=True)
    clerk = make_user(roles.CLERK)
    annual_check_review(
        annual_check=annual_check,
        by=clerk,
        result="qualified",
        rectifications=[("问题", datetime.date(2018, 1, 1))],
    )
    item = Rectification.objects.get()
    client.force_login(unit_user)
    reopen = reverse("annualcheck:rectification_reopen", args=[item.pk])
    assert client.get(reopen).status_code == 403
    response = client.get(reverse("admin:annualcheck_rectification_changelist"))
    assert response.context["action_form"] is None  # no action offered


# --- R-AC-6 -----------------------------------------------------------------------------------


def _reviewed(organization, year, result, clerk):
    user = reporter(organization)
    annual_check = annual_check_start(organization=organization, year=year, by=user)
    filled(annual_check, user)
    annual_check_submit(annual_check=annual_check, by=user, today=datetime.date(year + 1, 3, 1))
    annual_check_review(annual_check=annual_check, by=clerk, result=result)


def test_revocation_review_list(client, clerk):
    twice, missed, once = (direct_organization() for _ in range(3))
    _reviewed(twice, 2016, "unqualified", clerk)
    _reviewed(twice, 2017, "unqualified", clerk)
    _reviewed(missed, 2017, "unqualified", clerk)
    _reviewed(once, 2016, "qualified", clerk)
    _reviewed(once, 2017, "unqualified", clerk)
    client.force_login(clerk)
    url = reverse("annualcheck:revocation_review")
    response = client.get(url, {"year": 2017})
    rows = {row["organization"].pk: row for row in response.context["rows"]}
    assert set(rows) == {twice.pk, missed.pk}
    assert (rows[twice.pk]["previous"], rows[twice.pk]["current"]) == ("不合格", "不合格")
    assert rows[missed.pk]["previous_missing"]
    assert "未年检" in response.content.decode()
    # Opens on the latest year with data, not an empty "last year" (issue 19).
    assert client.get(url).context["year"] == 2017
    assert client.get(url).context["years"] == [2017, 2016]
    assert "撤销登记审查名单" in client.get(reverse("admin:index")).content.decode()
    client.force_login(make_user(roles.COMMITTEE))
    assert client.get(url).status_code == 403


def test_r_dereg_9_revocation_from_the_review_list(client, clerk):
    """The list offers the revocation; once decided it shows the decision, date and clerk."""
    twice = direct_organization()
    _reviewed(twice, 2016, "unqualified", clerk)
    _reviewed(twice, 2017, "unqualified", clerk)
    client.force_login(clerk)
    url = reverse("annualcheck:revocation_review")
    page = client.get(url, {"year": 2017}).content.decode()
    revoke = reverse("registry:organization_revoke", args=[twice.pk])
    assert revoke in page
    twice.refresh_from_db()
    response = client.post(
        revoke,
        {
            "decision_reason": "2016、2017年度连续两年年检不合格。",
            "decided_on": "2018-06-01",
            "version": twice.version,
        },
    )
    assert response.status_code == 302
    page = client.get(url, {"year": 2017}).content.decode()
    assert revoke not in page
    assert "2018-06-01" in page and "撤销登记" in page
    revocation = twice.deregistrations.get()
    assert revocation.decided_by == clerk and revocation.events.count() == 1


# --- Scoping ----------------------------------------------------------------------------------


def test_a_supervisory_unit_sees_only_its_organizations_checks(client):
    own, other = OrganizationFactory(), OrganizationFactory()
    own_check, other_check = submitted(own), submitted(other)
    client.force_login(supervisor_of(own))
    response = client.get(reverse("admin:annualcheck_annualcheck_changelist"))
    assert [c.pk for c in response.context["cl"].result_list] == [own_check.pk]
    assert client.get(change_url(other_check)).status_code == 302  # admin: not found → index
    for name in ("pre_review", "return", "review"):
        assert client.get(page(name, other_check)).status_code == 404
    response = client.post(page("pre_review", other_check), {"decision": "pass", "opinion": "x"})
    assert response.status_code == 404
    other_check.refresh_from_db()
    assert other_check.status == CheckStatus.SUBMITTED


def test_drafts_stay_private_and_organization_users_cannot_enter_the_admin(client, clerk):
    organization = direct_organization()
    user = reporter(organization)
    draft = annual_check_start(organization=organization, year=YEAR, by=user)
    filled(draft, user)
    client.force_login(clerk)
    assert client.get(page("review", draft)).status_code == 404
    client.force_login(user)
    response = client.get(reverse("admin:annualcheck_annualcheck_changelist"))
    assert response.status_code == 302 and "login" in response["Location"]
    response = client.get(page("review", draft))
    assert response.status_code == 302 and "login" in response["Location"]


def test_committee_reads_but_has_no_buttons(client, committee_user):
    annual_check = submitted(direct_organization())
    client.force_login(committee_user)
    response = client.get(change_url(annual_check))
    assert response.status_code == 200 and button_labels(response) == []
    assert client.get(page("review", annual_check)).status_code == 403
    assert AnnualCheck.objects.get().status == CheckStatus.SUBMITTED
