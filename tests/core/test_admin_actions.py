"""Admin actions on a selection the user's queryset does not hold (redteam, after issue 13).

Django runs an action on `get_queryset(request).filter(pk__in=selected)`: ids of another unit's
records are dropped, and when every selected id is dropped the action received an empty
queryset. The annual-check export then answered HTTP 500 (IndexError on the years). BaseAdmin
answers as Django does for an empty selection, for every action of every admin."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from accounts import roles
from annualcheck.models import AnnualCheck
from tests.annualcheck.test_rules import submitted
from tests.factories import OrganizationFactory, SupervisoryUnitFactory, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_units_check():
    return submitted(OrganizationFactory(supervisory_unit=SupervisoryUnitFactory()))


def test_an_action_on_other_units_records_only_is_refused_with_a_message(
    client, other_units_check
):
    own_unit = SupervisoryUnitFactory()
    supervisor = make_user(roles.SUPERVISORY_UNIT, supervisory_unit=own_unit)
    client.force_login(supervisor)
    changelist = reverse("admin:annualcheck_annualcheck_changelist")

    response = client.post(
        changelist, {"action": "export_results", "_selected_action": [other_units_check.pk]}
    )

    assert response.status_code == 302 and response.url.startswith(changelist)
    shown = [str(message) for message in get_messages(response.wsgi_request)]
    assert any("没有" in message for message in shown), shown
    assert AnnualCheck.objects.filter(pk=other_units_check.pk).exists()


def test_an_action_on_ids_that_do_not_exist_is_refused_with_a_message(client, clerk):
    client.force_login(clerk)
    changelist = reverse("admin:annualcheck_annualcheck_changelist")

    response = client.post(changelist, {"action": "export_results", "_selected_action": [987654]})

    assert response.status_code == 302


def test_an_action_on_visible_records_still_runs(client, clerk, other_units_check):
    client.force_login(clerk)
    response = client.post(
        reverse("admin:annualcheck_annualcheck_changelist"),
        {"action": "export_results", "_selected_action": [other_units_check.pk]},
    )
    assert response.status_code == 200
    assert "spreadsheetml" in response["Content-Type"]


@pytest.mark.parametrize("selected", ["abc", "1 OR 1=1"])
def test_an_action_on_ids_that_are_not_ids_is_refused_not_a_500(client, clerk, selected):
    client.force_login(clerk)
    response = client.post(
        reverse("admin:registry_organization_changelist"),
        {"action": "export_party_building_ledger", "_selected_action": [selected]},
    )
    assert response.status_code == 302
