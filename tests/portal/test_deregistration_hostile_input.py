"""Hostile input on the deregistration forms (issue 8's property, R-DEREG): each step of the
organization's wizard, the supervisory unit's and the clerk's review pages, the revocation.
Refused with the form's errors and nothing written, or saved and shown as text on every page
that shows it; never a server error."""

import datetime

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from accounts import roles
from portal import deregistration_views
from registry.models import Deregistration, Organization
from registry.services import deregistration as service
from tests.factories import OrganizationFactory, make_organization_user, make_user
from tests.hostile import (
    assert_escaped,
    assert_not_server_error,
    assert_pages_show_text,
    hostile_settings,
    post_hostile_form,
    rolled_back,
    step_data,
)

from .test_hostile_input import post_wizard_step, snapshot

pytestmark = pytest.mark.django_db

FILLED = {
    "reason": "dissolved",
    "reason_details": "会员大会决议解散",
    "resolved_on": datetime.date(2018, 5, 2),
    "liquidation_group": "张三",
    "liquidation_started_on": datetime.date(2018, 5, 10),
    "liquidation_ended_on": datetime.date(2018, 6, 20),
    "liquidation_report": "清算完毕",
    "remaining_assets": "捐赠",
}


@pytest.fixture
def organization():
    return OrganizationFactory()


@pytest.fixture
def org_client(client, organization):
    client.force_login(make_organization_user(organization))
    return client


@pytest.fixture
def draft(org_client, organization):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(organization=organization)
    return service.deregistration_start(organization=organization, by=user)


@pytest.fixture
def staff_client(client, clerk):
    staff = type(client)()
    staff.force_login(clerk)
    return staff


@pytest.mark.parametrize("step", deregistration_views.STEPS)
@hostile_settings(10)
@given(data=st.data())
def test_deregistration_steps_refuse_or_save_hostile_input(
    org_client, staff_client, draft, step, data
):
    url = reverse("portal:deregistration_wizard", args=[draft.pk, step])
    with rolled_back():
        before = snapshot(draft)
        form = org_client.get(url).context["wizard"]["form"]
        posted = data.draw(step_data(form), label="post")

        response = post_wizard_step(
            org_client, url, deregistration_views.PREFIX, step, posted, str(before["version"])
        )

        assert_not_server_error(response, posted)
        if response.status_code != 302:
            assert snapshot(draft) == before
        else:
            for page in (
                reverse("portal:deregistration", args=[draft.pk]),
                reverse("portal:deregistration_wizard", args=[draft.pk, "review"]),
            ):
                assert_escaped(org_client.get(page).content.decode(), page)


@pytest.fixture
def submitted(organization):
    user = make_organization_user(organization)
    draft = service.deregistration_start(organization=organization, by=user)
    service.deregistration_save_step(deregistration=draft, by=user, **FILLED)
    return service.deregistration_submit(deregistration=draft, by=user)


@pytest.fixture
def reviewers(organization):
    unit = make_user(
        roles.SUPERVISORY_UNIT,
        username="unit-hostile",
        supervisory_unit=organization.supervisory_unit,
    )
    return unit, make_user(roles.CLERK, username="clerk-hostile")


@pytest.mark.parametrize("move", ["consent", "return", "reject", "complete"])
@hostile_settings(8)
@given(data=st.data())
def test_review_pages_refuse_or_record_hostile_input(client, submitted, reviewers, move, data):
    unit, clerk = reviewers
    with rolled_back():
        record = submitted
        if move in ("reject", "complete"):
            record = service.deregistration_consent(deregistration=record, by=unit, opinion="同意")
        client.force_login(unit if move == "consent" else clerk)
        url = reverse(f"registry:deregistration_{move}", args=[record.pk])
        before = snapshot(record)
        response, _posted = post_hostile_form(
            client, url, data.draw, overrides={"version": str(before["version"])}
        )
        if response.status_code != 302:
            assert snapshot(record) == before
        else:
            change = reverse("admin:registry_deregistration_change", args=[record.pk])
            assert_pages_show_text([(client, change)])


@hostile_settings(10)
@given(data=st.data())
def test_the_revocation_page_refuses_or_records_hostile_input(client, clerk, organization, data):
    url = reverse("registry:organization_revoke", args=[organization.pk])
    with rolled_back():
        client.force_login(clerk)
        fresh = Organization.objects.get(pk=organization.pk)
        records = Deregistration.objects.count()
        response, _posted = post_hostile_form(
            client, url, data.draw, overrides={"version": str(fresh.version)}
        )
        if response.status_code != 302:
            assert Deregistration.objects.count() == records
            assert Organization.objects.get(pk=organization.pk).status == fresh.status
        else:
            revocation = Deregistration.objects.latest("pk")
            assert_pages_show_text(
                [
                    (client, reverse("admin:registry_deregistration_change", args=[revocation.pk])),
                    (client, reverse("portal:print_deregistration_notice", args=[revocation.pk])),
                ]
            )
