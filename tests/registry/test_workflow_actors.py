"""Who may move an application is decided once (registry.workflow.application_acts_as): the
services refuse exactly the moves the review pages do not offer (issue 14). Before, the services
let any clerk decide while the pages asked for the right to change applications."""

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied

from accounts import roles
from core.workflow import workflow_moved
from registry.choices import ApplicationStatus as S
from registry.models import Application
from registry.selectors import application_moves_for
from registry.services.registration import (
    application_consent,
    application_reject,
    application_submit,
)
from tests.factories import SupervisoryUnitFactory, make_user
from tests.registry.test_registration import complete_application

pytestmark = pytest.mark.django_db


def clerk_without_the_right_to_decide():
    """A clerk whose role the bureau narrowed: the group keeps every right but changing
    applications (the test's transaction undoes it)."""
    user = make_user(roles.CLERK, username="clerk-narrowed")
    change = Permission.objects.get(
        content_type__app_label="registry", codename="change_application"
    )
    for group in user.groups.all():
        group.permissions.remove(change)
    return type(user).objects.get(pk=user.pk)


@pytest.fixture
def applicant():
    return make_user(roles.APPLICANT, username="applicant-1")


@pytest.fixture
def unit():
    return SupervisoryUnitFactory(name="长春市民政局养老服务处")


@pytest.fixture
def supervisor(unit):
    return make_user(roles.SUPERVISORY_UNIT, supervisory_unit=unit)


@pytest.fixture
def submitted(applicant, unit):
    application = complete_application(applicant, unit=unit)
    application_submit(application=application, by=applicant)
    return Application.objects.get(pk=application.pk)


def test_the_pages_offer_exactly_the_moves_the_services_allow(
    submitted, applicant, supervisor, clerk
):
    other_unit = make_user(roles.SUPERVISORY_UNIT, supervisory_unit=SupervisoryUnitFactory())
    assert application_moves_for(submitted, supervisor) == [S.CONSENTED, S.RETURNED]
    assert application_moves_for(submitted, clerk) == [S.RETURNED, S.REJECTED]
    assert application_moves_for(submitted, applicant) == []
    assert application_moves_for(submitted, other_unit) == []
    for user in (applicant, other_unit, clerk):
        with pytest.raises(PermissionDenied):
            application_consent(application=submitted, by=user, opinion="同意")
    for user in (applicant, supervisor, other_unit):
        with pytest.raises(PermissionDenied):
            application_reject(application=submitted, by=user, reason="不符合条件")
    assert Application.objects.get(pk=submitted.pk).status == S.SUBMITTED


def test_a_clerk_without_the_right_to_change_applications_decides_nothing(submitted):
    narrowed = clerk_without_the_right_to_decide()
    assert narrowed.is_clerk and not narrowed.has_perm("registry.change_application")
    assert application_moves_for(submitted, narrowed) == []
    with pytest.raises(PermissionDenied):
        application_reject(application=submitted, by=narrowed, reason="不符合条件")


def test_every_move_sends_workflow_moved(submitted, supervisor):
    moves = []

    def receiver(sender, record, from_status, to_status, by, **kwargs):
        moves.append((sender, record.pk, from_status, to_status, by))

    workflow_moved.connect(receiver, sender=Application)
    try:
        application_consent(application=submitted, by=supervisor, opinion="同意成立")
    finally:
        workflow_moved.disconnect(receiver, sender=Application)
    assert moves == [(Application, submitted.pk, S.SUBMITTED, S.CONSENTED, supervisor)]
    assert submitted.events.filter(to_status=S.CONSENTED, actor=supervisor).count() == 1
