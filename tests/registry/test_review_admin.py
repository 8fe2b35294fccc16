"""Review in the admin (R-REG-1..5): the clerks' list and read-only application page, the review
pages that call the services, the supervisory unit's consent, the diff between submissions."""

import pytest
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.urls import NoReverseMatch, reverse

from accounts import roles
from core.identity import mask_id_number
from partybuilding.models import MemberFormCopy
from registry.choices import ApplicationStatus
from registry.models import Application, Organization, RegistrationTemplate
from registry.selectors import charter_diff, submission_diff
from registry.services.registration import (
    application_approve,
    application_consent,
    application_reject,
    application_replace_members,
    application_return,
    application_save_step,
    application_start,
    application_submit,
    credit_code_propose,
)
from tests.factories import (
    OrganizationFactory,
    SupervisoryUnitFactory,
    credit_code_for,
    id_number_for,
    make_user,
)
from tests.registry.test_registration import complete_application, member

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:registry_application_changelist")


def change_url(application):
    return reverse("admin:registry_application_change", args=[application.pk])


def review_url(move, application):
    return reverse(f"registry:application_{move}", args=[application.pk])


@pytest.fixture
def applicant():
    return make_user(roles.APPLICANT, username="applicant-review")


@pytest.fixture
def unit():
    return SupervisoryUnitFactory(name="长春市民政局养老服务处")


@pytest.fixture
def supervisor(unit):
    return make_user(roles.SUPERVISORY_UNIT, username="supervisor-review", supervisory_unit=unit)


def submitted(applicant, unit=None, members=3):
    application = complete_application(applicant, unit=unit, members=members)
    application_submit(application=application, by=applicant)
    application.refresh_from_db()
    return application


def consented(applicant, unit, supervisor):
    application = submitted(applicant, unit=unit)
    application_consent(application=application, by=supervisor, opinion="同意成立")
    application.refresh_from_db()
    return application


def result_pks(response):
    return {application.pk for application in response.context["cl"].result_list}


# --- The list ---------------------------------------------------------------------------------


def test_clerk_list_shows_submitted_applications_but_never_drafts(client, clerk, applicant):
    draft = complete_application(applicant)
    sent = submitted(applicant)
    client.force_login(clerk)
    response = client.get(CHANGELIST)
    assert response.status_code == 200
    assert result_pks(response) == {sent.pk}
    assert draft.pk not in result_pks(response)
    row = response.context["cl"].result_list[0]
    assert row.submission_count == 1


def test_list_filters_by_status_and_supervisory_unit(client, clerk, applicant, unit, supervisor):
    direct = submitted(applicant)
    with_unit = consented(applicant, unit, supervisor)
    client.force_login(clerk)
    by_status = client.get(CHANGELIST, {"status__exact": ApplicationStatus.CONSENTED})
    assert result_pks(by_status) == {with_unit.pk}
    by_unit = client.get(CHANGELIST, {"supervisory_unit__id__exact": unit.pk})
    assert result_pks(by_unit) == {with_unit.pk}
    direct_only = client.get(CHANGELIST, {"supervisory_unit__isnull": "True"})
    assert result_pks(direct_only) == {direct.pk}
    titles = [str(spec.title) for spec in by_status.context["cl"].filter_specs]
    assert len(titles) == 5  # with 待办 (whose move it is: the workbench's to-do counts)


def test_search_finds_the_paper_reference(client, clerk, applicant):
    wanted, other = submitted(applicant), submitted(applicant)
    client.force_login(clerk)
    response = client.get(CHANGELIST, {"q": wanted.reference.lower()})
    assert result_pks(response) == {wanted.pk}
    assert other.pk not in result_pks(response)


def test_change_list_query_count_does_not_grow_with_rows(
    client, clerk, applicant, unit, django_assert_max_num_queries
):
    submitted(applicant, unit=unit, members=1)
    client.force_login(clerk)
    # session, user, the two-factor device (django_otp), 2 permission reads, groups (role), the
    # choices of the three related filters, 2 counts, the page (submission counts annotated),
    # 2 for the date hierarchy, the unread-message count in the header
    with django_assert_max_num_queries(15) as one_row:
        assert client.get(CHANGELIST).status_code == 200
    for _ in range(9):
        submitted(applicant, unit=unit, members=1)
    with django_assert_max_num_queries(len(one_row.captured_queries)) as ten_rows:
        response = client.get(CHANGELIST)
    assert response.context["cl"].result_count == 10
    assert len(ten_rows.captured_queries) == len(one_row.captured_queries)


# --- The supervisory unit's view --------------------------------------------------------------


def test_supervisory_unit_sees_only_applications_naming_its_unit(
    client, applicant, unit, supervisor
):
    own = submitted(applicant, unit=unit)
    other_unit = SupervisoryUnitFactory(name="长春市科学技术局")
    submitted(applicant, unit=other_unit)
    submitted(applicant)  # direct registration
    client.force_login(supervisor)
    response = client.get(CHANGELIST)
    assert response.status_code == 200
    assert result_pks(response) == {own.pk}


def test_supervisory_unit_consents_through_its_page(client, applicant, unit, supervisor):
    application = submitted(applicant, unit=unit)
    client.force_login(supervisor)
    page = client.get(change_url(application))
    # Consent, or send it back instead (the unit does not approve or reject).
    assert [move["status"] for move in page.context["review_moves"]] == ["consented", "returned"]
    # The unit reads the member form it consents to (masked, R-ID-2).
    (members,) = page.context["inline_admin_formsets"]
    assert len(list(members)) == 3
    for number in application.members.values_list("id_number", flat=True):
        assert mask_id_number(number) in page.content.decode()
    assert client.get(review_url("consent", application)).status_code == 200
    response = client.post(
        review_url("consent", application), {"opinion": "同意成立，业务范围符合"}
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == ApplicationStatus.CONSENTED
    assert application.supervisory_opinion == "同意成立，业务范围符合"
    event = application.events.last()
    assert (event.from_status, event.to_status, event.actor) == (
        "submitted",
        "consented",
        supervisor,
    )
    assert event.reason == "同意成立，业务范围符合"


def test_supervisory_unit_cannot_decide_as_the_clerk(client, applicant, unit, supervisor):
    application = consented(applicant, unit, supervisor)
    client.force_login(supervisor)
    assert client.get(change_url(application)).context["review_moves"] == []
    for move, data in (
        ("approve", {"credit_code": credit_code_for("private_non_enterprise")}),
        ("return", {"remarks": "请补充"}),
        ("reject", {"reason": "不同意"}),
    ):
        assert client.post(review_url(move, application), data).status_code == 403
    application.refresh_from_db()
    assert application.status == ApplicationStatus.CONSENTED
    assert not Organization.objects.exists()


def test_another_units_user_cannot_open_or_consent(client, applicant, unit):
    application = submitted(applicant, unit=unit)
    stranger = make_user(
        roles.SUPERVISORY_UNIT, supervisory_unit=SupervisoryUnitFactory(name="长春市教育局")
    )
    client.force_login(stranger)
    assert client.get(change_url(application)).status_code == 302  # not in its list: admin says so
    assert client.post(review_url("consent", application), {"opinion": "同意"}).status_code == 404
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED


def test_clerk_cannot_consent_for_the_unit(client, clerk, applicant, unit):
    application = submitted(applicant, unit=unit)
    client.force_login(clerk)
    assert client.get(change_url(application)).context["review_moves"] != []
    assert client.post(review_url("consent", application), {"opinion": "同意"}).status_code == 403
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED


# --- The clerk's decisions --------------------------------------------------------------------


def test_r_reg_5_the_approve_form_proposes_the_next_free_code(
    client, clerk, applicant, unit, supervisor
):
    application = consented(applicant, unit, supervisor)
    client.force_login(clerk)
    moves = [move["status"] for move in client.get(change_url(application)).context["review_moves"]]
    assert moves == ["returned", "approved", "rejected"]
    form = client.get(review_url("approve", application)).context["form"]
    proposed = credit_code_propose(organization_type="private_non_enterprise")
    assert form["credit_code"].value() == proposed
    assert form.errors == {}


def test_r_reg_3_clerk_approves_a_consented_application_with_the_proposed_code(
    client, clerk, applicant, unit, supervisor
):
    application = consented(applicant, unit, supervisor)
    client.force_login(clerk)
    proposed = client.get(review_url("approve", application)).context["form"]["credit_code"].value()
    response = client.post(
        review_url("approve", application), {"credit_code": proposed, "registered_on": "2018-06-20"}
    )
    assert response.status_code == 302
    assert response["Location"] == change_url(application)
    application.refresh_from_db()
    organization = Organization.objects.get()
    assert application.status == ApplicationStatus.APPROVED
    assert application.organization == organization
    assert organization.credit_code == proposed
    assert str(organization.registered_on) == "2018-06-20"
    assert [(e.from_status, e.to_status, e.actor) for e in application.events.all()][-1] == (
        "consented",
        "approved",
        clerk,
    )
    assert sorted(
        MemberFormCopy.objects.filter(organization=organization).values_list("kind", flat=True)
    ) == ["archive", "committee", "supervisory_unit"]
    message = str(list(get_messages(response.wsgi_request))[-1])
    assert proposed in message
    assert reverse("admin:registry_organization_change", args=[organization.pk]) in message


def test_r_reg_5_a_bad_clerk_entered_code_is_refused_on_the_form(
    client, clerk, applicant, unit, supervisor
):
    application = consented(applicant, unit, supervisor)
    client.force_login(clerk)
    social_group_code = credit_code_for("social_group", 417084)  # type digit 1, not 2
    response = client.post(
        review_url("approve", application),
        {"credit_code": social_group_code, "registered_on": "2018-06-20"},
    )
    assert response.status_code == 200
    errors = response.context["form"].errors["credit_code"]
    assert any("第2位" in error for error in errors)
    assert "第2位" in response.content.decode()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.CONSENTED
    assert not Organization.objects.exists()
    assert not MemberFormCopy.objects.exists()


def test_a_direct_registration_is_approved_without_consent(client, clerk, applicant):
    application = submitted(applicant)
    client.force_login(clerk)
    moves = [move["status"] for move in client.get(change_url(application)).context["review_moves"]]
    assert "approved" in moves
    response = client.post(
        review_url("approve", application),
        {"credit_code": "52220100MJ417084X0", "registered_on": "2018-06-20"},
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == ApplicationStatus.APPROVED
    assert application.organization.credit_code == "52220100MJ417084X0"
    # No supervisory unit: the archive and the committee's copies only.
    assert sorted(application.member_form_copies.values_list("kind", flat=True)) == [
        "archive",
        "committee",
    ]


def test_an_application_with_a_unit_waits_for_its_consent(client, clerk, applicant, unit):
    application = submitted(applicant, unit=unit)
    client.force_login(clerk)
    page = client.get(change_url(application))
    assert "approved" not in [move["status"] for move in page.context["review_moves"]]
    assert page.context["awaiting_consent"] is True
    response = client.post(
        review_url("approve", application),
        {"credit_code": "52220100MJ417084X0", "registered_on": "2018-06-20"},
    )
    assert response.status_code == 200
    assert "须先由业务主管单位出具同意意见" in response.content.decode()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED


def test_return_for_correction_gives_the_applicant_the_remarks(client, clerk, applicant):
    application = submitted(applicant)
    client.force_login(clerk)
    empty = client.post(review_url("return", application), {"remarks": "   "})
    assert empty.status_code == 200 and "remarks" in empty.context["form"].errors
    response = client.post(review_url("return", application), {"remarks": "请补充业务范围"})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == ApplicationStatus.RETURNED
    assert application.remarks == "请补充业务范围"
    event = application.events.last()
    assert (event.to_status, event.actor, event.reason) == ("returned", clerk, "请补充业务范围")


def test_rejection_records_the_reason(client, clerk, applicant):
    application = submitted(applicant)
    client.force_login(clerk)
    response = client.post(review_url("reject", application), {"reason": "名称与已登记组织重复"})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == ApplicationStatus.REJECTED
    assert application.remarks == "名称与已登记组织重复"
    assert application.decided_at is not None
    assert application.events.last().reason == "名称与已登记组织重复"


def test_a_stale_form_shows_the_services_error_and_changes_nothing(client, clerk, applicant):
    application = submitted(applicant)
    other_clerk = make_user(roles.CLERK, username="clerk-2")
    client.force_login(clerk)
    assert client.get(review_url("approve", application)).status_code == 200
    application_reject(application=application, by=other_clerk, reason="材料不实")  # meanwhile
    response = client.post(
        review_url("approve", application),
        {"credit_code": "52220100MJ417084X0", "registered_on": "2018-06-20"},
    )
    assert response.status_code == 200
    assert "不能变更为" in " ".join(response.context["form"].non_field_errors())
    application.refresh_from_db()
    assert application.status == ApplicationStatus.REJECTED
    assert not Organization.objects.exists()
    assert application.events.count() == 2


def test_review_pages_only_change_state_on_post(client, clerk, applicant):
    application = submitted(applicant)
    client.force_login(clerk)
    for move in ("approve", "return", "reject"):
        assert client.get(review_url(move, application)).status_code == 200
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    assert application.events.count() == 1


def test_review_pages_need_a_staff_login(client, applicant):
    application = submitted(applicant)
    response = client.get(review_url("approve", application))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]
    client.force_login(applicant)  # the applicant is not staff
    assert client.post(review_url("approve", application), {}).status_code == 302
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED


# --- The read-only application page -----------------------------------------------------------


def test_clerks_cannot_edit_add_or_delete_applications(client, clerk, applicant):
    application = submitted(applicant)
    client.force_login(clerk)
    page = client.get(change_url(application))
    assert page.status_code == 200
    assert page.context["has_change_permission"] is False
    assert client.post(change_url(application), {"name": "改名"}).status_code == 403
    assert client.get(reverse("admin:registry_application_add")).status_code == 403
    delete = reverse("admin:registry_application_delete", args=[application.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    application.refresh_from_db()
    assert application.name == "长春市朝阳区福寿居家养老服务中心"


def test_r_id_2_member_rows_are_masked_without_the_permission(client, clerk, applicant):
    application = submitted(applicant)
    numbers = list(application.members.values_list("id_number", flat=True))
    client.force_login(clerk)
    page = client.get(change_url(application)).content.decode()
    for number in numbers:
        assert number not in page
        assert mask_id_number(number) in page


def test_r_id_2_the_explicit_permission_shows_full_numbers(client, clerk, applicant):
    application = submitted(applicant)
    numbers = list(application.members.values_list("id_number", flat=True))
    clerk.user_permissions.add(Permission.objects.get(codename="view_unmasked_id_number"))
    client.force_login(clerk)
    page = client.get(change_url(application)).content.decode()
    for number in numbers:
        assert number in page


def test_the_page_shows_the_events_timeline(client, clerk, applicant, unit, supervisor):
    application = consented(applicant, unit, supervisor)
    client.force_login(clerk)
    page = client.get(change_url(application))
    events = [(e.from_status, e.to_status) for e in page.context["events"]]
    assert events == [("draft", "submitted"), ("submitted", "consented")]
    assert "同意成立" in page.content.decode()


def test_the_diff_shows_a_changed_field_and_an_added_member(client, clerk, applicant):
    application = submitted(applicant, members=2)
    application_return(application=application, by=clerk, remarks="请补充党员和专职人员")
    application_save_step(application=application, by=applicant, full_time_staff=15)
    rows = [
        {k: getattr(m, k) for k in ("name", "sex", "id_number", "status", "role", "relationship")}
        | {"joined_party_on": m.joined_party_on}
        for m in application.members.all()
    ]
    application_replace_members(
        application=application,
        by=applicant,
        members=[*rows, member(name="赵红梅", sex="female", id_number=id_number_for(male=False))],
        no_party_members=False,
    )
    clause = RegistrationTemplate.current().party_building_clause
    application.refresh_from_db()
    application_save_step(
        application=application,
        by=applicant,
        charter_text=application.charter_text.replace(clause, clause + "\n第八条 本会设立理事会。"),
    )
    application_submit(application=application, by=applicant)
    client.force_login(clerk)
    page = client.get(change_url(application))
    diff = page.context["submission_diff"]
    staff = [row for row in diff if row.before == "12"]
    assert [(row.before, row.after) for row in staff] == [("12", "15")]
    added = [row for row in diff if row.before == "" and "赵红梅" in row.after]
    assert len(added) == 1
    assert "本会设立理事会" in " ".join(row.after for row in diff)
    assert any(
        line.startswith("+") and "本会设立理事会" in line for line in page.context["charter_diff"]
    )
    content = page.content.decode()
    assert 'id="submission-diff"' in content and "赵红梅" in content
    # The new member's full ID number is not in the diff either (snapshots keep it masked).
    new_number = application.members.get(name="赵红梅").id_number
    assert new_number not in content


def test_submission_diff_matches_members_by_key():
    previous = {
        "basic": {"name": "甲", "address": "旧址"},
        "charter_text": "第一条\n第二条\n第三条",
        "pledge": {"signed_by": "李秀英", "signed_on": "2018-06-01"},
        "no_party_members": False,
        "members": [
            {"key": "a", "name": "王建国", "role": "专职工作人员"},
            {"key": "b", "name": "刘芳", "role": "专职工作人员"},
        ],
    }
    current = {
        "basic": {"name": "甲", "address": "新址"},
        "charter_text": "第一条\n第二条（修订）\n第三条",
        "pledge": {"signed_by": "李秀英", "signed_on": "2018-06-05"},
        "no_party_members": False,
        "members": [
            {"key": "a", "name": "王建国", "role": "兼职工作人员"},
            {"key": "c", "name": "赵红梅", "role": "专职工作人员"},
        ],
    }
    rows = submission_diff(previous, current)
    pairs = [(row.before, row.after) for row in rows]
    assert ("旧址", "新址") in pairs
    assert ("第二条", "第二条（修订）") in pairs
    assert ("2018-06-01", "2018-06-05") in pairs
    assert ("专职工作人员", "兼职工作人员") in pairs
    assert any(row.before == "" and "赵红梅" in row.after for row in rows)
    assert any(row.after == "" and "刘芳" in row.before for row in rows)
    assert len(rows) == 6
    assert submission_diff(previous, previous) == []
    assert charter_diff("a\nb", "a\nb") == []
    assert "+第二条（修订）" in charter_diff(previous["charter_text"], current["charter_text"])


def test_committee_sees_approved_applications_only(client, clerk, committee_user, applicant):
    waiting = submitted(applicant)
    approved = submitted(applicant)
    application_approve(application=approved, by=clerk)
    client.force_login(committee_user)
    response = client.get(CHANGELIST)
    assert result_pks(response) == {approved.pk}
    assert waiting.pk not in result_pks(response)
    assert client.get(change_url(approved)).context["review_moves"] == []


# --- The bureau's templates (R-REG-1) ---------------------------------------------------------


def test_r_reg_1_the_charter_template_must_keep_the_clause(client, clerk):
    template = RegistrationTemplate.current()
    url = reverse("admin:registry_registrationtemplate_change", args=[template.pk])
    client.force_login(clerk)
    assert client.get(url).status_code == 200
    data = {
        "charter_template": template.charter_template.replace(template.party_building_clause, ""),
        "party_building_clause": template.party_building_clause,
        "pledge_text": template.pledge_text,
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert "charter_template" in response.context["adminform"].form.errors
    template.refresh_from_db()
    assert template.party_building_clause in template.charter_template
    data["charter_template"] = template.charter_template + "\n附则：本章程自核准之日起生效。"
    assert client.post(url, data).status_code == 302
    template.refresh_from_db()
    assert template.charter_template.endswith("本章程自核准之日起生效。")
    assert template.history.latest().history_user == clerk


def test_the_single_template_cannot_be_added_again_or_deleted(client, clerk):
    template = RegistrationTemplate.current()
    client.force_login(clerk)
    assert client.get(reverse("admin:registry_registrationtemplate_add")).status_code == 403
    delete = reverse("admin:registry_registrationtemplate_delete", args=[template.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert RegistrationTemplate.objects.count() == 1


def test_a_new_application_is_not_listed_until_submitted(client, clerk, applicant):
    application_start(applicant=applicant)
    client.force_login(clerk)
    assert client.get(CHANGELIST).context["cl"].result_count == 0
    assert Application.objects.count() == 1


def test_r_id_1_a_code_already_issued_is_refused_on_the_form(client, clerk, applicant):
    OrganizationFactory(credit_code="52220100MJ417084X0")
    application = submitted(applicant)
    client.force_login(clerk)
    response = client.post(
        review_url("approve", application),
        {"credit_code": "52220100MJ417084X0", "registered_on": "2018-06-20"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["credit_code"]
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    assert Organization.objects.count() == 1


def test_the_page_links_the_print_pages_when_they_exist(client, clerk, applicant):
    application = submitted(applicant)
    try:
        urls = [
            reverse("portal:print_charter", args=[application.pk]),
            reverse("portal:print_pledge", args=[application.pk]),
            reverse("portal:print_member_form", args=[application.pk, "archive"]),
        ]
    except NoReverseMatch:
        pytest.skip("the portal's print pages are not there yet")
    client.force_login(clerk)
    page = client.get(change_url(application)).content.decode()
    for url in urls:
        assert url in page


def test_supervisory_unit_returns_through_its_page(client, applicant, unit, supervisor):
    application = submitted(applicant, unit=unit)
    client.force_login(supervisor)
    response = client.post(review_url("return", application), {"remarks": "请补充业务范围"})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == ApplicationStatus.RETURNED
    assert application.remarks == "请补充业务范围"
    assert application.events.last().actor == supervisor
