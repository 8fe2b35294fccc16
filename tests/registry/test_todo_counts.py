"""The workbench's to-do counts for applications (issue 19): each role counts what waits for it,
over what it may see, and each count links to the change list filtered to the same rows."""

import pytest
from django.urls import reverse

from accounts import roles
from registry.selectors import application_todo_counts
from registry.services.registration import application_consent
from tests.factories import SupervisoryUnitFactory, make_user
from tests.registry.test_review_admin import consented, result_pks, submitted

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:registry_application_changelist")


@pytest.fixture
def setting():
    applicant = make_user(roles.APPLICANT, username="applicant-todo")
    unit = SupervisoryUnitFactory(name="长春市民政局养老服务处")
    other_unit = SupervisoryUnitFactory(name="长春市民政局社会工作处")
    supervisor = make_user(roles.SUPERVISORY_UNIT, username="unit-todo", supervisory_unit=unit)
    other = make_user(roles.SUPERVISORY_UNIT, username="other-todo", supervisory_unit=other_unit)
    return {
        "applicant": applicant,
        "unit": unit,
        "supervisor": supervisor,
        "other": other,
        "waiting_for_unit": submitted(applicant, unit=unit),
        "waiting_for_other_unit": submitted(applicant, unit=other_unit),
        "consented": consented(applicant, unit, supervisor),
        "direct": submitted(applicant),  # no supervisory unit: straight to the clerk
    }


def test_each_role_counts_what_waits_for_it(setting, clerk):
    assert application_todo_counts(setting["supervisor"]) == {"consent": 1, "approval": None}
    assert application_todo_counts(setting["other"]) == {"consent": 1, "approval": None}
    # The clerk decides the consented one and the direct registration; consent is not theirs.
    assert application_todo_counts(clerk) == {"consent": None, "approval": 2}
    application_consent(
        application=setting["waiting_for_unit"], by=setting["supervisor"], opinion="同意"
    )
    assert application_todo_counts(setting["supervisor"])["consent"] == 0
    assert application_todo_counts(clerk)["approval"] == 3


def test_the_counts_link_to_the_same_rows(client, setting, clerk):
    client.force_login(setting["supervisor"])
    assert result_pks(client.get(CHANGELIST, {"awaiting": "consent"})) == {
        setting["waiting_for_unit"].pk
    }
    client.force_login(clerk)
    assert result_pks(client.get(CHANGELIST, {"awaiting": "approval"})) == {
        setting["consented"].pk,
        setting["direct"].pk,
    }


def test_the_workbench_shows_the_counts_in_constant_queries(
    client, setting, clerk, django_assert_max_num_queries
):
    client.force_login(clerk)
    with django_assert_max_num_queries(60) as few:
        response = client.get(reverse("admin:index"))
    html = response.content.decode()
    assert 'id="todo-approval"' in html and "?awaiting=approval" in html
    assert 'id="todo-consent"' not in html
    for _ in range(3):
        submitted(setting["applicant"])
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("admin:index"))
    assert '<span class="todo-count">5</span>' in response.content.decode()
