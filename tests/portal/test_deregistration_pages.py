"""Deregistration in the portal and in the admin (R-DEREG-1..9): the organization's wizard, the
supervisory unit's consent and the clerk's decision through the review pages, the notice, the
revocation from the annual-check review list; other organizations' ids answer 404, read-only
roles posting get 403, and a refused step keeps nothing."""

import datetime

import pytest
from django.urls import reverse

from accounts import roles
from partybuilding.services import party_member_transfer_out
from registry.choices import DeregistrationStatus as S
from registry.choices import OrganizationStatus
from registry.models import Deregistration
from registry.services import deregistration as service
from tests.factories import OrganizationFactory, add_members, make_organization_user, make_user

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2018, 7, 1)
PREFIX = "deregistration_wizard"


@pytest.fixture(autouse=True)
def demo_today(settings):
    settings.REGISTRY = {**settings.REGISTRY, "DEMO_TODAY": TODAY.isoformat()}
    settings.ACCOUNTS = {**settings.ACCOUNTS, "DEMO_MODE": True}


@pytest.fixture
def organization():
    return OrganizationFactory()


@pytest.fixture
def org_user(organization):
    return make_organization_user(organization)


def step_url(deregistration, step):
    return reverse("portal:deregistration_wizard", args=[deregistration.pk, step])


def post_step(client, deregistration, step, data, **extra):
    payload = {f"{PREFIX}-current_step": step, f"{PREFIX}-version": deregistration.version}
    payload.update({f"{step}-{key}": value for key, value in data.items()})
    return client.post(step_url(deregistration, step), {**payload, **extra})


REASON = {
    "reason": "dissolved",
    "reason_details": "会员大会决议解散。",
    "resolved_on": "2018-05-02",
}
LIQUIDATION = {
    "liquidation_group": "张三 组长",
    "liquidation_started_on": "2018-05-10",
    "liquidation_ended_on": "2018-06-20",
    "liquidation_report": "债权债务已清理完毕。",
    "remaining_assets": "捐赠给宗旨相近的社会组织。",
}


def walk(client, org_user):
    client.force_login(org_user)
    response = client.post(reverse("portal:deregistration_start"))
    deregistration = Deregistration.objects.get(organization=org_user.organization)
    assert response.url == reverse("portal:deregistration_edit", args=[deregistration.pk])
    assert post_step(client, deregistration, "reason", REASON).status_code == 302
    deregistration.refresh_from_db()
    assert post_step(client, deregistration, "liquidation", LIQUIDATION).status_code == 302
    deregistration.refresh_from_db()
    response = post_step(client, deregistration, "review", {"confirm": "on"})
    assert response.status_code == 302, response.content.decode()[:2000]
    deregistration.refresh_from_db()
    return deregistration


def test_wizard_saves_each_step_and_submits(client, org_user):
    deregistration = walk(client, org_user)
    assert deregistration.status == S.SUBMITTED and not deregistration.late
    assert deregistration.liquidation_ended_on == datetime.date(2018, 6, 20)
    page = client.get(reverse("portal:deregistration", args=[deregistration.pk]))
    assert "2018-07-05" in page.content.decode()  # the deadline shown


def test_wizard_error_names_field_and_step_and_keeps_nothing(client, org_user):
    client.force_login(org_user)
    client.post(reverse("portal:deregistration_start"))
    deregistration = Deregistration.objects.get()
    response = post_step(
        client,
        deregistration,
        "liquidation",
        {**LIQUIDATION, "liquidation_ended_on": "2018-05-01"},
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "清算结束日期不能早于清算开始日期" in text
    deregistration.refresh_from_db()
    assert deregistration.liquidation_started_on is None
    review = client.get(step_url(deregistration, "review")).content.decode()
    assert "deregistration-problems" in review
    assert "清算" in review  # the step named beside the message


def test_other_organization_gets_404_and_staff_forbidden(client, org_user):
    deregistration = walk(client, org_user)
    other = OrganizationFactory()
    client.force_login(make_organization_user(other))
    for url in (
        reverse("portal:deregistration", args=[deregistration.pk]),
        step_url(deregistration, "reason"),
    ):
        assert client.get(url).status_code == 404
    assert post_step(client, deregistration, "reason", REASON).status_code == 404
    committee = make_user(roles.COMMITTEE)
    client.force_login(committee)
    url = reverse("registry:deregistration_consent", args=[deregistration.pk])
    assert (
        client.post(url, {"opinion": "同意", "version": deregistration.version}).status_code == 403
    )
    deregistration.refresh_from_db()
    assert deregistration.status == S.SUBMITTED


def test_consent_then_clerk_completes_with_party_gate(client, org_user, organization):
    deregistration = walk(client, org_user)
    (member,) = add_members(organization, 1)
    unit_user = make_user(roles.SUPERVISORY_UNIT, supervisory_unit=organization.supervisory_unit)
    client.force_login(unit_user)
    url = reverse("registry:deregistration_consent", args=[deregistration.pk])
    response = client.post(url, {"opinion": "同意注销。", "version": deregistration.version})
    assert response.status_code == 302
    deregistration.refresh_from_db()
    assert deregistration.status == S.CONSENTED
    clerk = make_user(roles.CLERK)
    client.force_login(clerk)
    change = client.get(reverse("admin:registry_deregistration_change", args=[deregistration.pk]))
    assert reverse("registry:deregistration_complete", args=[deregistration.pk]) in (
        change.content.decode()
    )
    url = reverse("registry:deregistration_complete", args=[deregistration.pk])
    page = client.get(url).content.decode()
    assert member.name in page  # the blocker listed before trying
    data = {
        "decided_on": "2018-07-01",
        "certificate_returned_on": "2018-07-01",
        "seal_returned_on": "2018-07-01",
        "version": deregistration.version,
    }
    refused = client.post(url, data)
    assert refused.status_code == 200 and member.name in refused.content.decode()
    deregistration.refresh_from_db()
    assert deregistration.status == S.CONSENTED
    party_member_transfer_out(
        member=member, transferred_on=TODAY, destination="中共某街道工委", by=clerk
    )
    assert client.post(url, data).status_code == 302
    deregistration.refresh_from_db()
    assert deregistration.status == S.COMPLETED
    assert deregistration.organization.status == OrganizationStatus.DEREGISTERED
    notice = client.get(reverse("portal:print_deregistration_notice", args=[deregistration.pk]))
    assert notice.status_code == 200 and "注销登记通知书" in notice.content.decode()
    client.force_login(org_user)
    own = client.get(reverse("portal:print_deregistration_notice", args=[deregistration.pk]))
    assert organization.name in own.content.decode()


def test_revocation_from_the_review_list(client, organization):
    clerk = make_user(roles.CLERK)
    client.force_login(clerk)
    url = reverse("registry:organization_revoke", args=[organization.pk])
    assert client.get(url).status_code == 200
    missing = client.post(url, {"decided_on": "2018-07-01", "version": organization.version})
    assert missing.status_code == 200
    assert "请写明撤销登记的事实和依据" in missing.content.decode()  # the field's own message
    organization.refresh_from_db()
    assert organization.status == OrganizationStatus.ACTIVE
    response = client.post(
        url,
        {
            "decision_reason": "连续两年年检不合格。",
            "decided_on": "2018-07-01",
            "version": organization.version,
        },
    )
    assert response.status_code == 302
    organization.refresh_from_db()
    assert organization.status == OrganizationStatus.REVOKED
    revocation = organization.deregistrations.get()
    notice = client.get(reverse("portal:print_deregistration_notice", args=[revocation.pk]))
    assert "撤销登记决定书" in notice.content.decode()
    # A supervisory unit does not revoke.
    client.force_login(
        make_user(roles.SUPERVISORY_UNIT, supervisory_unit=organization.supervisory_unit)
    )
    other = OrganizationFactory(supervisory_unit=organization.supervisory_unit)
    assert (
        client.post(
            reverse("registry:organization_revoke", args=[other.pk]), {"decision_reason": "x"}
        ).status_code
        == 403
    )


def test_service_helpers_used_by_pages_agree(organization, org_user):
    draft = service.deregistration_start(organization=organization, by=org_user)
    assert [p.step for p in service.deregistration_problems(draft)][0] == service.REASON_STEP


def test_workbench_counts_what_waits_for_the_unit_and_the_clerk(client, org_user, organization):
    deregistration = walk(client, org_user)
    unit_user = make_user(roles.SUPERVISORY_UNIT, supervisory_unit=organization.supervisory_unit)
    client.force_login(unit_user)
    page = client.get(reverse("admin:index")).content.decode()
    assert 'id="todo-deregistration-consent"' in page
    listed = client.get(reverse("admin:registry_deregistration_changelist") + "?awaiting=consent")
    assert deregistration.reference in listed.content.decode()
    service.deregistration_consent(deregistration=deregistration, by=unit_user, opinion="同意")
    clerk = make_user(roles.CLERK)
    client.force_login(clerk)
    listed = client.get(reverse("admin:registry_deregistration_changelist") + "?awaiting=decision")
    assert deregistration.reference in listed.content.decode()


def test_r_dereg_7_joint_branch_below_two_is_listed_for_the_committee(client, organization):
    from tests.factories import found_party_organization

    partner = OrganizationFactory()
    joint = found_party_organization(organization, partner, mode="joint", name="某联合党支部")
    clerk = make_user(roles.CLERK)
    service.revocation_decide(
        organization=organization, by=clerk, decided_on=TODAY, decision_reason="连续两年不合格"
    )
    client.force_login(make_user(roles.COMMITTEE))
    url = reverse("admin:partybuilding_partyorganization_changelist") + "?joint_size=below_two"
    assert joint.name in client.get(url).content.decode()


def test_returned_application_is_on_the_organizations_next_steps(client, org_user, organization):
    deregistration = walk(client, org_user)
    unit_user = make_user(roles.SUPERVISORY_UNIT, supervisory_unit=organization.supervisory_unit)
    service.deregistration_return(deregistration=deregistration, by=unit_user, remarks="补充")
    client.force_login(org_user)
    page = client.get(reverse("portal:organization", args=[organization.pk])).content.decode()
    assert reverse("portal:deregistration_edit", args=[deregistration.pk]) in page
    assert "按要求修改注销登记申请后重新提交" in page
