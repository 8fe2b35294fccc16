"""Registration (R-REG-1..5): the workflow's services, without HTTP."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts import roles
from core.calendar import working_days_between
from partybuilding.coverage.selectors import coverage_figures
from partybuilding.member_forms.selectors import member_form_copies_visible_to, overdue_copies
from partybuilding.member_forms.services import member_form_copy_acknowledge
from partybuilding.models import MemberFormCopy, PartyMember
from partybuilding.standings.selectors import with_party_building
from registry.choices import ApplicationStatus
from registry.credit_codes import validate_credit_code
from registry.models import Organization, RegistrationTemplate
from registry.services.registration import (
    application_approve,
    application_consent,
    application_problems,
    application_reject,
    application_replace_members,
    application_return,
    application_save_step,
    application_start,
    application_submit,
    credit_code_propose,
)
from tests.factories import (
    DistrictFactory,
    IndustryFactory,
    OrganizationFactory,
    StreetFactory,
    SupervisoryUnitFactory,
    credit_code_for,
    id_number_for,
    make_user,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def applicant():
    return make_user(roles.APPLICANT, username="applicant-1")


@pytest.fixture
def unit():
    return SupervisoryUnitFactory(name="长春市民政局养老服务处")


@pytest.fixture
def supervisor(unit):
    return make_user(roles.SUPERVISORY_UNIT, supervisory_unit=unit)


def member(**overrides):
    row = {
        "name": "王建国",
        "sex": "male",
        "id_number": id_number_for(),
        "status": "full",
        "role": "full_time_staff",
        "relationship": "transferred",
        "joined_party_on": datetime.date(2005, 7, 1),
    }
    row.update(overrides)
    return row


def complete_application(applicant, unit=None, members=3):
    application = application_start(applicant=applicant)
    district = DistrictFactory()
    application = application_save_step(
        application=application,
        by=applicant,
        name="长春市朝阳区福寿居家养老服务中心",
        organization_type="private_non_enterprise",
        industry=IndustryFactory(),
        direct_registration=unit is None,
        supervisory_unit=unit,
        legal_representative="李秀英",
        contact_person="张伟",
        contact_phone="13904310001",
        address="长春市朝阳区湖西路88号",
        district=district,
        street=StreetFactory(district=district),
        full_time_staff=12,
    )
    application_save_step(
        application=application,
        by=applicant,
        pledge_signed_by="李秀英",
        pledge_signed_on=datetime.date(2018, 6, 1),
    )
    application_replace_members(
        application=application,
        by=applicant,
        members=[member() for _ in range(members)],
        no_party_members=members == 0,
    )
    application.refresh_from_db()
    return application


def test_r_reg_1_charter_is_prefilled_with_the_party_building_clause(applicant):
    application = application_start(applicant=applicant)
    clause = RegistrationTemplate.current().party_building_clause
    assert clause in application.charter_text


def test_r_reg_1_the_name_fills_the_charter_and_the_pledge(applicant):
    application = complete_application(applicant)
    assert "长春市朝阳区福寿居家养老服务中心章程" in application.charter_text
    assert "{name}" not in application.charter_text


def test_r_reg_1_a_charter_without_the_clause_cannot_be_submitted(applicant):
    application = complete_application(applicant)
    clause = RegistrationTemplate.current().party_building_clause
    application_save_step(
        application=application,
        by=applicant,
        charter_text=application.charter_text.replace(clause, ""),
    )
    with pytest.raises(ValidationError) as excinfo:
        application_submit(application=application, by=applicant)
    assert any("党建工作条款" in message for message in excinfo.value.messages)
    # Reflowed text still counts as the clause.
    application_save_step(
        application=application,
        by=applicant,
        charter_text=application.charter_text + "\n" + clause[:20] + "\n" + clause[20:],
    )
    application_submit(application=application, by=applicant)


def test_r_reg_2_pledge_and_member_form_are_required(applicant):
    application = application_start(applicant=applicant)
    with pytest.raises(ValidationError) as excinfo:
        application_submit(application=application, by=applicant)
    messages = " ".join(excinfo.value.messages)
    assert "承诺书" in messages and "党员情况表" in messages


def test_r_reg_2_no_members_must_be_said_explicitly(applicant):
    application = complete_application(applicant, members=0)
    assert application.no_party_members is True
    application_submit(application=application, by=applicant)
    with pytest.raises(ValidationError):
        application_replace_members(
            application=application, by=applicant, members=[], no_party_members=True
        )  # submitted: frozen


def test_r_reg_2_pledge_must_be_signed_by_the_legal_representative(applicant):
    application = complete_application(applicant)
    application_save_step(application=application, by=applicant, pledge_signed_by="别人")
    with pytest.raises(ValidationError, match="法定代表人"):
        application_submit(application=application, by=applicant)


def test_member_rows_are_checked(applicant):
    application = application_start(applicant=applicant)
    with pytest.raises(ValidationError) as excinfo:
        application_replace_members(
            application=application,
            by=applicant,
            members=[member(id_number="220104198001010000")],
            no_party_members=False,
        )
    assert "id_number" in excinfo.value.message_dict
    with pytest.raises(ValidationError):
        application_replace_members(
            application=application, by=applicant, members=[member()], no_party_members=True
        )


def test_only_the_applicant_edits_and_only_while_editable(applicant):
    application = complete_application(applicant)
    other = make_user(roles.APPLICANT, username="applicant-2")
    with pytest.raises(PermissionDenied):
        application_save_step(application=application, by=other, name="改名")
    application_submit(application=application, by=applicant)
    with pytest.raises(ValidationError):
        application_save_step(application=application, by=applicant, name="改名")


def test_transitions_write_events_and_follow_the_table(applicant, unit, supervisor, clerk):
    application = complete_application(applicant, unit=unit)
    application_submit(application=application, by=applicant)
    with pytest.raises(ValidationError, match="业务主管单位"):
        application_approve(application=application, by=clerk)  # consent first
    with pytest.raises(PermissionDenied):
        application_consent(application=application, by=clerk, opinion="同意")
    other_unit_user = make_user(
        roles.SUPERVISORY_UNIT, supervisory_unit=SupervisoryUnitFactory(name="别的处室")
    )
    with pytest.raises(PermissionDenied):
        application_consent(application=application, by=other_unit_user, opinion="同意")
    application_consent(application=application, by=supervisor, opinion="同意成立")
    application_return(application=application, by=clerk, remarks="请补充业务范围")
    application.refresh_from_db()
    assert application.status == ApplicationStatus.RETURNED
    assert application.remarks == "请补充业务范围"
    application_save_step(application=application, by=applicant, full_time_staff=15)
    application_submit(application=application, by=applicant)
    application_consent(application=application, by=supervisor, opinion="同意")
    organization = application_approve(application=application, by=clerk)
    events = [(e.from_status, e.to_status, e.actor) for e in application.events.all()]
    assert events == [
        ("draft", "submitted", applicant),
        ("submitted", "consented", supervisor),
        ("consented", "returned", clerk),
        ("returned", "submitted", applicant),
        ("submitted", "consented", supervisor),
        ("consented", "approved", clerk),
    ]
    assert application.submissions.count() == 2
    first, second = application.submissions.all()
    assert first.snapshot["basic"]["full_time_staff"] == "12"
    assert second.snapshot["basic"]["full_time_staff"] == "15"
    assert organization.bureau_managed is True


def test_snapshots_keep_no_full_id_numbers(applicant):
    application = complete_application(applicant)
    application_submit(application=application, by=applicant)
    snapshot = str(application.submissions.get().snapshot)
    for row in application.members.all():
        assert row.id_number not in snapshot


def test_rejection_needs_a_reason(applicant, clerk):
    application = complete_application(applicant)
    application_submit(application=application, by=applicant)
    with pytest.raises(ValidationError):
        application_reject(application=application, by=clerk, reason=" ")
    application_reject(application=application, by=clerk, reason="名称与已登记组织重复")
    application.refresh_from_db()
    assert application.status == ApplicationStatus.REJECTED
    with pytest.raises(ValidationError):
        application_approve(application=application, by=clerk)


def test_r_reg_5_the_system_proposes_the_next_free_code(applicant, clerk):
    OrganizationFactory(credit_code=credit_code_for("social_group", 417084))
    proposed = credit_code_propose(organization_type="private_non_enterprise")
    assert proposed.startswith("52220100MJ417085")
    assert validate_credit_code(proposed, organization_type="private_non_enterprise") == proposed
    application = complete_application(applicant)
    application_submit(application=application, by=applicant)
    organization = application_approve(application=application, by=clerk)
    assert organization.credit_code == proposed


def test_r_reg_5_a_clerk_entered_code_is_checked(applicant, clerk):
    application = complete_application(applicant)
    application_submit(application=application, by=applicant)
    social_group_code = credit_code_for("social_group", 417084)
    with pytest.raises(ValidationError, match="第2位"):
        application_approve(application=application, by=clerk, credit_code=social_group_code)
    organization = application_approve(
        application=application, by=clerk, credit_code="52220100mj417084x0"
    )
    assert organization.credit_code == "52220100MJ417084X0"


def test_r_reg_3_approval_files_the_member_form_in_triplicate(
    applicant, unit, supervisor, clerk, committee_user
):
    application = complete_application(applicant, unit=unit)
    application_submit(application=application, by=applicant)
    application_consent(application=application, by=supervisor, opinion="同意")
    organization = application_approve(application=application, by=clerk)
    assert PartyMember.objects.filter(organization=organization).count() == 3
    copies = MemberFormCopy.objects.filter(organization=organization)
    assert sorted(copies.values_list("kind", flat=True)) == [
        "archive",
        "committee",
        "supervisory_unit",
    ]
    assert [c.kind for c in member_form_copies_visible_to(supervisor)] == ["supervisory_unit"]
    assert [c.kind for c in member_form_copies_visible_to(committee_user)] == ["committee"]
    committee_copy = copies.get(kind="committee")
    with pytest.raises(PermissionDenied):
        member_form_copy_acknowledge(copy=committee_copy, by=supervisor)
    member_form_copy_acknowledge(copy=committee_copy, by=committee_user)
    committee_copy.refresh_from_db()
    assert committee_copy.acknowledged_by == committee_user


def test_r_reg_3_unacknowledged_copies_are_flagged_after_five_working_days(applicant, clerk):
    application = complete_application(applicant)
    application_submit(application=application, by=applicant)
    organization = application_approve(application=application, by=clerk)
    copies = MemberFormCopy.objects.filter(organization=organization)
    # Filed on a Monday: five working days later (next Monday) it is not yet late.
    copies.update(filed_on=datetime.date(2018, 6, 4))
    assert overdue_copies(copies, today=datetime.date(2018, 6, 11)).count() == 0
    assert overdue_copies(copies, today=datetime.date(2018, 6, 12)).count() == 2
    assert working_days_between(datetime.date(2018, 6, 4), datetime.date(2018, 6, 11)) == 5


def test_r_reg_4_a_new_organization_with_three_members_is_should_build_at_once(applicant, clerk):
    application = complete_application(applicant, members=3)
    application_submit(application=application, by=applicant)
    organization = application_approve(application=application, by=clerk)
    row = with_party_building(Organization.objects.filter(pk=organization.pk)).get()
    assert row.should_build_not_built is True
    assert coverage_figures(Organization.objects.all())["should_build_not_built"] == 1


def test_approval_gives_the_applicant_an_organization_account(applicant, clerk):
    application = complete_application(applicant, members=0)
    application_submit(application=application, by=applicant)
    organization = application_approve(application=application, by=clerk)
    account = organization.users.get()
    assert account.username == organization.credit_code
    assert account.has_role(roles.ORGANIZATION)
    assert account.check_password("Test-password-2018")  # the applicant's own password
    assert not account.is_staff


def test_the_supervisory_unit_may_return_instead_of_consenting(applicant, unit, supervisor):
    application = complete_application(applicant, unit=unit)
    application_submit(application=application, by=applicant)
    application_return(application=application, by=supervisor, remarks="业务范围超出本处职责")
    application.refresh_from_db()
    assert application.status == ApplicationStatus.RETURNED
    event = application.events.last()
    assert (event.actor, event.reason) == (supervisor, "业务范围超出本处职责")
    # Once it has consented, only the registration authority may send it back.
    application_submit(application=application, by=applicant)
    application_consent(application=application, by=supervisor, opinion="同意")
    with pytest.raises(PermissionDenied):
        application_return(application=application, by=supervisor, remarks="再看看")


def test_each_problem_names_its_step_apart_from_its_message(applicant):
    """The wizard sends the applicant to a problem's step by its number, not by reading the
    sentence (issue 14: no code parses message text)."""
    problems = application_problems(application_start(applicant=applicant))
    assert {problem.step for problem in problems} == {1, 2, 3, 4}
    first = problems[0]
    assert (first.step, first.message) == (1, "第1步 基本信息：请填写“名称”。")
    assert [p.step for p in problems] == sorted(p.step for p in problems)
