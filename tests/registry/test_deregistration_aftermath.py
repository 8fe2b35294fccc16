"""R-DEREG-10: once its registration has ended, an organization files no annual check, is not
evaluated and is not reminded of its grade's expiry — through the services and the portal."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts import roles
from annualcheck.models import AnnualCheck
from evaluation.choices import EvaluationStatus
from evaluation.selectors import expiring_grades
from evaluation.services import evaluation_decide, evaluation_open
from portal.next_steps import annual_check_step
from registry.services import deregistration as service
from tests.evaluation.test_rules import eligible, scored
from tests.factories import OrganizationFactory, make_organization_user, make_user

ENDED = datetime.date(2018, 3, 1)


@pytest.fixture(autouse=True)
def demo_today(settings):
    settings.REGISTRY = {**settings.REGISTRY, "DEMO_TODAY": "2018-07-01"}
    settings.ACCOUNTS = {**settings.ACCOUNTS, "DEMO_MODE": True}


@pytest.fixture
def clerk_user(db):
    return make_user(roles.CLERK)


def revoked(organization, clerk_user):
    service.revocation_decide(
        organization=organization,
        by=clerk_user,
        decided_on=ENDED,
        decision_reason="连续两年年检不合格。",
    )
    organization.refresh_from_db()
    return organization


def test_r_dereg_10_no_annual_check_after_the_registration_ends(clerk_user, client):
    organization = revoked(OrganizationFactory(), clerk_user)
    org_user = make_organization_user(organization)
    with pytest.raises(ValidationError, match="2018年03月01日"):
        from annualcheck.services import annual_check_start

        annual_check_start(organization=organization, year=2017, by=org_user)
    assert not AnnualCheck.objects.filter(organization=organization).exists()
    # The portal says why instead of asking for the report, and its home asks nothing.
    assert annual_check_step(org_user, today=datetime.date(2018, 7, 1)) is None
    client.force_login(org_user)
    page = client.get(reverse("portal:annual_checks")).content.decode()
    assert "登记已于2018年03月01日终止" in page
    response = client.post(reverse("portal:annual_check_start"), follow=True)
    assert "不再参加年度检查" in response.content.decode()
    assert not AnnualCheck.objects.filter(organization=organization).exists()


def test_r_dereg_10_an_ended_registration_is_not_evaluated(clerk_user):
    organization = eligible(clerk_user)
    revoked(organization, clerk_user)
    evaluation = evaluation_open(
        organization=organization, year=2017, by=clerk_user, as_of=datetime.date(2018, 7, 1)
    )
    assert evaluation.status == EvaluationStatus.INELIGIBLE
    assert any("2018年03月01日" in reason for reason in evaluation.ineligible_reasons)


def test_r_dereg_10_no_grade_expiry_reminder_for_an_ended_registration(clerk_user):
    kept, ended = eligible(clerk_user), eligible(clerk_user)
    for organization in (kept, ended):
        evaluation = evaluation_open(
            organization=organization, year=2017, by=clerk_user, as_of=datetime.date(2017, 9, 1)
        )
        scored(evaluation, clerk_user, total_other=800, party=1.0)
        evaluation_decide(
            evaluation=evaluation, by=clerk_user, decided_on=datetime.date(2017, 12, 1)
        )
    revoked(ended, clerk_user)
    reminded = expiring_grades(today=datetime.date(2022, 8, 1))
    assert [e.organization_id for e in reminded] == [kept.pk]


def test_r_dereg_10_the_portal_home_says_the_registration_ended(clerk_user, client):
    organization = revoked(OrganizationFactory(), clerk_user)
    client.force_login(make_organization_user(organization))
    page = client.get(reverse("portal:organization", args=[organization.pk])).content.decode()
    assert "本组织已于2018-03-01被撤销登记" in page
    revocation = organization.deregistrations.get()
    assert reverse("portal:print_deregistration_notice", args=[revocation.pk]) in page
    assert "不再计入当前党建统计" in page
