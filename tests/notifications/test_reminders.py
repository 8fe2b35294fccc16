"""R-NTF-1..6: each reminder on its first day (and not the day before), to its people, once.
The days before are NOTIFICATIONS["DAYS_BEFORE"] (defaults 30, 14, 7, 90, 30)."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command

from accounts import roles
from annualcheck.choices import CheckStatus, RectificationStatus
from annualcheck.models import AnnualCheck, Rectification
from notifications.choices import Kind
from notifications.models import Notification
from notifications.reminders import send_reminders
from notifications.tasks import send_reminders as send_reminders_task
from partybuilding.models import MemberFormCopy
from tests.evaluation.test_evaluation_aggregates import evaluate
from tests.factories import (
    OrganizationFactory,
    PartyMemberFactory,
    SupervisoryUnitFactory,
    make_organization_user,
    make_user,
)

pytestmark = pytest.mark.django_db

day = datetime.date


def received(user, kind=None):
    rows = Notification.objects.filter(recipient=user)
    if kind:
        rows = rows.filter(kind=kind)
    return list(rows.values_list("kind", "due_on", "link"))


@pytest.fixture
def organization():
    return OrganizationFactory(supervisory_unit=SupervisoryUnitFactory(name="长春市民政局养老处"))


@pytest.fixture
def portal_user(organization):
    return make_organization_user(organization)


# R-NTF-1 ---------------------------------------------------------------------------------------


def test_annual_check_deadline_from_30_days_before_to_organizations_that_have_not_filed(
    organization, portal_user
):
    filed = OrganizationFactory(supervisory_unit=organization.supervisory_unit)
    filed_user = make_organization_user(filed)
    AnnualCheck.objects.create(organization=filed, year=2025, status=CheckStatus.SUBMITTED)
    AnnualCheck.objects.create(organization=organization, year=2025, status=CheckStatus.DRAFT)
    assert send_reminders(day(2026, 2, 28)) == 0
    assert send_reminders(day(2026, 3, 1)) == 1
    assert received(portal_user) == [
        (Kind.ANNUAL_CHECK_DUE, day(2026, 3, 31), "/portal/annual-checks/")
    ]
    assert received(filed_user) == []
    assert send_reminders(day(2026, 3, 2)) == 0  # once


def test_direct_registration_is_reminded_before_the_authoritys_deadline(settings):
    direct = OrganizationFactory(supervisory_unit=None)
    user = make_organization_user(direct)
    late_registered = OrganizationFactory(supervisory_unit=None, registered_on=day(2025, 7, 1))
    late_user = make_organization_user(late_registered)
    send_reminders(day(2026, 4, 30))
    assert received(user) == []
    send_reminders(day(2026, 5, 1))
    assert [row[1] for row in received(user)] == [day(2026, 5, 31)]
    assert received(late_user) == []  # exempt (R-AC-2)


# R-NTF-2 ---------------------------------------------------------------------------------------


def test_checks_awaiting_pre_review_remind_the_supervisory_unit(organization):
    unit = organization.supervisory_unit
    supervisor = make_user(roles.SUPERVISORY_UNIT, username="unit-ntf", supervisory_unit=unit)
    other = make_user(
        roles.SUPERVISORY_UNIT,
        username="other-unit-ntf",
        supervisory_unit=SupervisoryUnitFactory(name="长春市科协"),
    )
    AnnualCheck.objects.create(organization=organization, year=2025, status=CheckStatus.SUBMITTED)
    send_reminders(day(2026, 5, 16))
    assert received(supervisor) == []
    send_reminders(day(2026, 5, 17))
    notification = Notification.objects.get(recipient=supervisor)
    assert notification.kind == Kind.ANNUAL_CHECK_REVIEW
    assert notification.subject.startswith("2025年度有 1 份年检")
    assert received(other) == []


# R-NTF-3 ---------------------------------------------------------------------------------------


def test_an_open_rectification_is_reminded_7_days_before_its_due_date(organization, portal_user):
    check = AnnualCheck.objects.create(
        organization=organization, year=2025, status=CheckStatus.REVIEWED, result="qualified"
    )
    item = Rectification.objects.create(
        annual_check=check, problem="未建党组织", due_on=day(2026, 6, 10)
    )
    Rectification.objects.create(
        annual_check=check,
        problem="已答复",
        due_on=day(2026, 6, 10),
        status=RectificationStatus.ANSWERED,
    )
    send_reminders(day(2026, 6, 2))
    assert received(portal_user, Kind.RECTIFICATION_DUE) == []
    send_reminders(day(2026, 6, 3))
    assert received(portal_user, Kind.RECTIFICATION_DUE) == [
        (Kind.RECTIFICATION_DUE, day(2026, 6, 10), f"/portal/annual-checks/{check.pk}/")
    ]
    item.due_on = day(2026, 7, 10)  # a new deadline is reminded anew
    item.save()
    send_reminders(day(2026, 7, 3))
    assert len(received(portal_user, Kind.RECTIFICATION_DUE)) == 2


# R-NTF-4 ---------------------------------------------------------------------------------------


def test_a_grade_is_reminded_90_days_before_it_expires(organization, portal_user, clerk):
    evaluation = evaluate(organization, year=2021, valid_until=day(2026, 9, 30))
    superseded = OrganizationFactory()
    superseded_user = make_organization_user(superseded)
    evaluate(superseded, year=2021, valid_until=day(2026, 9, 30))
    evaluate(superseded, year=2025, valid_until=day(2030, 9, 30))
    send_reminders(day(2026, 7, 1))
    assert received(portal_user) == [] and received(clerk) == []
    send_reminders(day(2026, 7, 2))
    assert received(portal_user) == [
        (Kind.GRADE_EXPIRY, day(2026, 9, 30), f"/portal/evaluations/{evaluation.pk}/")
    ]
    assert received(clerk) == [
        (
            Kind.GRADE_EXPIRY,
            day(2026, 9, 30),
            f"/admin/evaluation/evaluation/{evaluation.pk}/change/",
        )
    ]
    assert received(superseded_user) == []


# R-NTF-5 ---------------------------------------------------------------------------------------


def test_an_unacknowledged_copy_is_reminded_on_its_last_day(clerk, committee_user):
    from tests.partybuilding.test_member_form_copies_admin import approve

    unit = SupervisoryUnitFactory(name="长春市民政局养老服务处")
    supervisor = make_user(roles.SUPERVISORY_UNIT, username="sup-copies", supervisory_unit=unit)
    applicant = make_user(roles.APPLICANT, username="applicant-ntf")
    approve(applicant, clerk, unit=unit, supervisor=supervisor)
    MemberFormCopy.objects.update(filed_on=day(2018, 6, 4))  # a Monday
    committee_copy = MemberFormCopy.objects.get(kind="committee")
    committee_copy.acknowledged_at = datetime.datetime(2018, 6, 5, tzinfo=datetime.UTC)
    committee_copy.save()
    send_reminders(day(2018, 6, 8))
    assert Notification.objects.count() == 0
    send_reminders(day(2018, 6, 11))  # the fifth working day
    assert received(supervisor) == [
        (
            Kind.COPY_UNACKNOWLEDGED,
            day(2018, 6, 11),
            f"/admin/partybuilding/memberformcopy/"
            f"{MemberFormCopy.objects.get(kind='supervisory_unit').pk}/change/",
        )
    ]
    assert len(received(clerk)) == 1  # the archive copy
    assert received(committee_user) == []  # acknowledged


# R-NTF-6 ---------------------------------------------------------------------------------------


def test_a_probationary_member_is_reminded_30_days_before_full_membership(
    organization, portal_user, committee_user
):
    member = PartyMemberFactory(
        organization=organization,
        status="probationary",
        full_membership_due_on=day(2026, 12, 31),
    )
    PartyMemberFactory(organization=organization)
    send_reminders(day(2026, 11, 30))
    assert received(portal_user) == []
    send_reminders(day(2026, 12, 1))
    assert received(portal_user) == [
        (Kind.FULL_MEMBERSHIP_DUE, day(2026, 12, 31), f"/portal/organizations/{organization.pk}/")
    ]
    assert received(committee_user) == [
        (
            Kind.FULL_MEMBERSHIP_DUE,
            day(2026, 12, 31),
            f"/admin/partybuilding/partymember/{member.pk}/change/",
        )
    ]
    notification = Notification.objects.get(recipient=portal_user)
    assert member.name in notification.subject and "预备期满" in notification.subject


# The daily job -------------------------------------------------------------------------------


def test_the_command_and_the_task_run_the_same_job_and_write_nothing_twice(
    organization, portal_user
):
    out = StringIO()
    call_command("send_reminders", "--date", "2026-03-01", stdout=out)
    assert "1" in out.getvalue()
    assert send_reminders_task.call("2026-03-01") == 0
    assert Notification.objects.count() == 1


def test_the_command_refuses_a_malformed_date():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("send_reminders", "--date", "2026-13-01")


def test_an_ended_registration_is_reminded_of_nothing(organization, portal_user):
    """R-DEREG-10: no annual check, grade or member reminders once the registration ended."""
    evaluate(organization, year=2021, valid_until=day(2026, 3, 20))
    PartyMemberFactory(
        organization=organization, status="probationary", full_membership_due_on=day(2026, 3, 25)
    )
    type(organization).objects.filter(pk=organization.pk).update(
        registration_ended_on=day(2026, 1, 1)
    )
    assert send_reminders(day(2026, 3, 1)) == 0
    assert received(portal_user) == []
