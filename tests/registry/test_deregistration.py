"""Deregistration and revocation (R-DEREG-1..9): the services, the workflow and the
Party-building side, through the real services."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts import roles
from partybuilding.services import party_member_transfer_out, party_organization_dissolve
from registry.choices import DeregistrationStatus as S
from registry.choices import OrganizationStatus
from registry.services import deregistration as service
from tests.factories import (
    OrganizationFactory,
    add_members,
    found_party_organization,
    make_organization_user,
    make_user,
)

TODAY = datetime.date(2018, 7, 1)


@pytest.fixture(autouse=True)
def demo_today(settings):
    settings.REGISTRY = {**settings.REGISTRY, "DEMO_TODAY": TODAY.isoformat()}
    settings.ACCOUNTS = {**settings.ACCOUNTS, "DEMO_MODE": True}


@pytest.fixture
def organization(db):
    return OrganizationFactory()


@pytest.fixture
def org_user(organization):
    return make_organization_user(organization)


@pytest.fixture
def clerk_user(db):
    return make_user(roles.CLERK)


@pytest.fixture
def unit_user(organization):
    return make_user(roles.SUPERVISORY_UNIT, supervisory_unit=organization.supervisory_unit)


LIQUIDATION = {
    "reason": "dissolved",
    "reason_details": "会员大会决议解散。",
    "resolved_on": datetime.date(2018, 5, 2),
    "liquidation_group": "张三 组长\n李四 成员",
    "liquidation_started_on": datetime.date(2018, 5, 10),
    "liquidation_ended_on": datetime.date(2018, 6, 20),
    "liquidation_report": "债权债务已清理完毕，审计无异议。",
    "remaining_assets": "捐赠给宗旨相近的社会组织。",
}


def filed(organization, org_user, **changes):
    draft = service.deregistration_start(organization=organization, by=org_user)
    draft = service.deregistration_save_step(
        deregistration=draft, by=org_user, **{**LIQUIDATION, **changes}
    )
    return service.deregistration_submit(deregistration=draft, by=org_user)


def complete(deregistration, clerk_user, **changes):
    return service.deregistration_complete(
        deregistration=deregistration,
        by=clerk_user,
        **{
            "decided_on": TODAY,
            "certificate_returned_on": TODAY,
            "seal_returned_on": TODAY,
            **changes,
        },
    )


def test_r_dereg_1_application_names_a_case_and_is_complete(organization, org_user):
    draft = service.deregistration_start(organization=organization, by=org_user)
    problems = service.deregistration_problems(draft)
    assert {p.field for p in problems} >= {"reason", "liquidation_ended_on", "liquidation_group"}
    assert {p.step for p in problems} == {1, 2}
    with pytest.raises(ValidationError):
        service.deregistration_submit(deregistration=draft, by=org_user)
    draft.refresh_from_db()
    assert draft.status == S.DRAFT and draft.submitted_on is None


def test_r_dereg_1_only_the_organization_itself_applies(organization, clerk_user):
    other = OrganizationFactory()
    with pytest.raises(PermissionDenied):
        service.deregistration_start(organization=organization, by=make_organization_user(other))
    with pytest.raises(PermissionDenied):
        service.deregistration_start(organization=organization, by=clerk_user)


def test_r_dereg_1_one_open_application_at_a_time(organization, org_user):
    service.deregistration_start(organization=organization, by=org_user)
    with pytest.raises(ValidationError):
        service.deregistration_start(organization=organization, by=org_user)


def test_r_dereg_2_clerk_decides_after_consent(organization, org_user, clerk_user, unit_user):
    deregistration = filed(organization, org_user)
    assert deregistration.status == S.SUBMITTED
    assert deregistration.supervisory_unit_id == organization.supervisory_unit_id
    with pytest.raises(ValidationError):
        complete(deregistration, clerk_user)
    # The clerk does not consent in the unit's place.
    with pytest.raises(PermissionDenied):
        service.deregistration_consent(deregistration=deregistration, by=clerk_user, opinion="同意")
    deregistration = service.deregistration_consent(
        deregistration=deregistration, by=unit_user, opinion="同意注销。"
    )
    assert deregistration.status == S.CONSENTED and deregistration.consented_on == TODAY
    deregistration = complete(deregistration, clerk_user)
    assert deregistration.status == S.COMPLETED
    organization.refresh_from_db()
    assert organization.status == OrganizationStatus.DEREGISTERED
    assert organization.registration_ended_on == TODAY
    assert [e.to_status for e in deregistration.events.all()] == [
        S.SUBMITTED,
        S.CONSENTED,
        S.COMPLETED,
    ]
    assert deregistration.events.last().actor == clerk_user


def test_r_dereg_2_direct_registration_needs_no_consent(db, clerk_user):
    organization = OrganizationFactory(supervisory_unit=None)
    deregistration = filed(organization, make_organization_user(organization))
    assert not deregistration.needs_consent
    assert complete(deregistration, clerk_user).status == S.COMPLETED


def test_r_dereg_2_returned_application_is_corrected_and_resubmitted(
    organization, org_user, unit_user
):
    deregistration = filed(organization, org_user)
    service.deregistration_return(
        deregistration=deregistration, by=unit_user, remarks="补充审计报告"
    )
    deregistration.refresh_from_db()
    assert deregistration.status == S.RETURNED and deregistration.remarks == "补充审计报告"
    service.deregistration_save_step(
        deregistration=deregistration, by=org_user, liquidation_report="审计报告已补充。"
    )
    assert service.deregistration_submit(deregistration=deregistration, by=org_user).status == (
        S.SUBMITTED
    )


def test_r_dereg_3_liquidation_recorded_before_submitting(organization, org_user):
    draft = service.deregistration_start(organization=organization, by=org_user)
    # The liquidation cannot end before it started: refused, nothing kept.
    with pytest.raises(ValidationError):
        service.deregistration_save_step(
            deregistration=draft,
            by=org_user,
            liquidation_started_on=datetime.date(2018, 6, 1),
            liquidation_ended_on=datetime.date(2018, 5, 1),
        )
    draft.refresh_from_db()
    assert draft.liquidation_started_on is None
    # A liquidation still under way (ending after today) is not yet a ground to apply.
    draft = service.deregistration_save_step(
        deregistration=draft,
        by=org_user,
        **{**LIQUIDATION, "liquidation_ended_on": TODAY + datetime.timedelta(days=3)},
    )
    fields = {p.field for p in service.deregistration_problems(draft)}
    assert fields == {"liquidation_ended_on"}


def test_r_dereg_4_late_application_flagged(organization, org_user):
    on_time = filed(organization, org_user)  # ended 20 June, applied 1 July: 11 days
    assert on_time.application_deadline() == datetime.date(2018, 7, 5)
    assert not on_time.late
    other = OrganizationFactory()
    late = filed(
        other, make_organization_user(other), liquidation_ended_on=datetime.date(2018, 6, 1)
    )
    assert late.late and late.status == S.SUBMITTED  # accepted, marked late


def test_r_dereg_5_party_records_block_completion(organization, org_user, clerk_user, unit_user):
    members = add_members(organization, 3)
    branch = found_party_organization(organization)
    deregistration = filed(organization, org_user)
    service.deregistration_consent(deregistration=deregistration, by=unit_user, opinion="同意")
    with pytest.raises(ValidationError) as refused:
        complete(deregistration, clerk_user)
    text = " ".join(refused.value.messages)
    assert branch.name in text and members[0].name in text
    deregistration.refresh_from_db()
    organization.refresh_from_db()
    assert deregistration.status == S.CONSENTED
    assert organization.status == OrganizationStatus.ACTIVE
    # Settled: the branch dissolved, every member transferred out (with history).
    party_organization_dissolve(party_organization=branch, dissolved_on=TODAY, by=clerk_user)
    for member in members:
        party_member_transfer_out(
            member=member,
            transferred_on=datetime.date(2018, 6, 25),
            destination="中共长春市朝阳区委组织部",
            by=clerk_user,
        )
    members[0].refresh_from_db()
    assert members[0].left_on == datetime.date(2018, 6, 25)
    assert members[0].history.first().transferred_out_to == "中共长春市朝阳区委组织部"
    assert complete(deregistration, clerk_user).status == S.COMPLETED


def test_r_dereg_5_transfer_out_names_the_destination(organization, clerk_user):
    (member,) = add_members(organization, 1)
    with pytest.raises(ValidationError):
        party_member_transfer_out(
            member=member, transferred_on=TODAY, destination=" ", by=clerk_user
        )
    member.refresh_from_db()
    assert member.left_on is None


def test_r_dereg_6_certificate_and_seal_recorded(organization, org_user, clerk_user, unit_user):
    deregistration = filed(organization, org_user)
    service.deregistration_consent(deregistration=deregistration, by=unit_user, opinion="同意")
    with pytest.raises(ValidationError) as refused:
        complete(deregistration, clerk_user, seal_returned_on=None)
    assert "seal_returned_on" in refused.value.error_dict
    with pytest.raises(ValidationError) as refused:
        complete(deregistration, clerk_user, decided_on=TODAY + datetime.timedelta(days=1))
    assert "decided_on" in refused.value.error_dict
    done = complete(
        deregistration,
        clerk_user,
        certificate_returned_on=datetime.date(2018, 6, 28),
        returns_note="正本、副本各一",
    )
    assert done.certificate_returned_on == datetime.date(2018, 6, 28)
    assert done.seal_returned_on == TODAY and done.returns_note == "正本、副本各一"
    assert done.decided_by == clerk_user


def test_r_dereg_7_joint_branch_loses_organization(organization, org_user, clerk_user, unit_user):
    from partybuilding.services import party_organization_warnings

    partner = OrganizationFactory()
    joint = found_party_organization(organization, partner, mode="joint")
    deregistration = filed(organization, org_user)
    service.deregistration_consent(deregistration=deregistration, by=unit_user, opinion="同意")
    complete(deregistration, clerk_user)  # a joint branch is no obstacle
    coverage = joint.coverages.get(organization=organization)
    assert coverage.ended_on == TODAY  # kept, ended: the days before still count it
    assert joint.coverages.get(organization=partner).ended_on is None
    warnings = " ".join(str(w) for w in party_organization_warnings(party_organization=joint))
    assert "1" in warnings  # below two organizations: flagged


def test_r_dereg_8_past_figures_keep_organization(organization, org_user, clerk_user, unit_user):
    from partybuilding.coverage.selectors import coverage_figures
    from partybuilding.ledger.selectors import ledger_rows
    from partybuilding.standings.selectors import in_scope
    from registry.models import Organization

    partner = OrganizationFactory()
    found_party_organization(organization, partner, mode="joint")
    before = coverage_figures(Organization.objects.all())
    assert before["organization_coverage"] == before["organizations"] == 2
    deregistration = filed(organization, org_user)
    service.deregistration_consent(deregistration=deregistration, by=unit_user, opinion="同意")
    complete(deregistration, clerk_user)
    everyone = Organization.objects.all()
    assert organization not in in_scope(everyone)
    today = coverage_figures(everyone)
    assert today["organizations"] == today["organization_coverage"] == 1
    past = datetime.date(2018, 6, 1)
    assert organization in in_scope(everyone, as_of=past)
    then = coverage_figures(everyone, as_of=past)
    assert then["organizations"] == then["organization_coverage"] == 2
    assert then["by_formation_mode"]["joint"] == 1
    rows = {row["pk"]: row for row in ledger_rows(in_scope(everyone, as_of=past), as_of=past)}
    assert rows[organization.pk]["organization_covered"]


def test_r_dereg_9_revocation_recorded(organization, clerk_user):
    (member,) = add_members(organization, 1)  # not blocking: a penalty does not wait
    revocation = service.revocation_decide(
        organization=organization,
        by=clerk_user,
        decided_on=TODAY,
        decision_reason="连续两年年检不合格。",
    )
    assert revocation.is_revocation and revocation.status == S.COMPLETED
    assert revocation.reference.startswith("CX")
    assert revocation.decided_by == clerk_user
    assert [(e.from_status, e.to_status) for e in revocation.events.all()] == [
        (S.DRAFT, S.COMPLETED)
    ]
    organization.refresh_from_db()
    assert organization.status == OrganizationStatus.REVOKED
    assert organization.registration_ended_on == TODAY
    with pytest.raises(ValidationError):
        service.revocation_decide(
            organization=organization, by=clerk_user, decided_on=TODAY, decision_reason="再次"
        )


def test_r_dereg_9_revocation_needs_grounds_and_a_clerk(organization, org_user):
    clerk_user = make_user(roles.CLERK)
    with pytest.raises(ValidationError):
        service.revocation_decide(
            organization=organization, by=clerk_user, decided_on=TODAY, decision_reason=" "
        )
    with pytest.raises(PermissionDenied):
        service.revocation_decide(
            organization=organization, by=org_user, decided_on=TODAY, decision_reason="x"
        )
    organization.refresh_from_db()
    assert organization.status == OrganizationStatus.ACTIVE
    assert not organization.deregistrations.exists()


def test_r_dereg_8_ledger_scope_as_of_an_earlier_day(organization, org_user, clerk_user, unit_user):
    from partybuilding.forms import LedgerFilterForm
    from registry.models import Organization

    deregistration = filed(organization, org_user)
    service.deregistration_consent(deregistration=deregistration, by=unit_user, opinion="同意")
    complete(deregistration, clerk_user)
    form = LedgerFilterForm({})
    assert organization not in form.filter(Organization.objects.all())
    assert organization in form.filter(Organization.objects.all(), as_of=datetime.date(2018, 6, 1))
    assert organization not in form.filter(Organization.objects.all(), as_of=TODAY)


def test_r_dereg_2_a_stale_page_changes_nothing(organization, org_user, unit_user):
    from core.concurrency import StaleEdit

    deregistration = filed(organization, org_user)
    seen = deregistration.version
    service.deregistration_return(deregistration=deregistration, by=unit_user, remarks="补充")
    with pytest.raises(StaleEdit):
        service.deregistration_consent(
            deregistration=deregistration, by=unit_user, opinion="同意", expected_version=seen
        )
    deregistration.refresh_from_db()
    assert deregistration.status == S.RETURNED and deregistration.supervisory_opinion == ""


def test_r_dereg_4_the_first_filing_day_counts(organization, org_user, unit_user, settings):
    deregistration = filed(organization, org_user)  # 1 July, deadline 5 July
    service.deregistration_return(deregistration=deregistration, by=unit_user, remarks="补充")
    settings.REGISTRY = {**settings.REGISTRY, "DEMO_TODAY": "2018-07-20"}
    again = service.deregistration_submit(deregistration=deregistration, by=org_user)
    assert again.submitted_on == TODAY and not again.late
