"""The workbench's annual-check to-do counts (issue 19): checks waiting for the supervisory
unit's pre-review or the clerk's review, rectification items overdue or answered; each over
what the user may see, each linking to the change list filtered to the same rows."""

import datetime

import pytest
from django.urls import reverse

from accounts import roles
from annualcheck.selectors import annual_check_todo_counts
from annualcheck.services import annual_check_pre_review, annual_check_review
from annualcheck.services.rectifications import rectification_answer
from tests.annualcheck.test_rules import direct_organization, reporter, submitted
from tests.factories import OrganizationFactory, SupervisoryUnitFactory, make_user

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:annualcheck_annualcheck_changelist")
TODAY = datetime.date(2018, 7, 1)


def pks(response):
    return {check.pk for check in response.context["cl"].result_list}


@pytest.fixture
def setting(clerk):
    unit = SupervisoryUnitFactory(name="长春市民政局养老服务处")
    supervisor = make_user(roles.SUPERVISORY_UNIT, username="unit-ac-todo", supervisory_unit=unit)
    waiting_for_unit = submitted(OrganizationFactory(supervisory_unit=unit))
    elsewhere = submitted(OrganizationFactory())  # another unit's organization
    pre_reviewed = submitted(OrganizationFactory(supervisory_unit=unit))
    annual_check_pre_review(annual_check=pre_reviewed, by=supervisor, opinion="通过", passed=True)
    direct = submitted(direct_organization())
    reviewed = submitted(direct_organization())
    annual_check_review(
        annual_check=reviewed,
        by=clerk,
        result="basically_qualified",
        rectifications=[
            ("问题一", datetime.date(2018, 6, 1)),
            ("问题二", datetime.date(2018, 9, 1)),
        ],
    )
    return {
        "supervisor": supervisor,
        "waiting_for_unit": waiting_for_unit,
        "elsewhere": elsewhere,
        "pre_reviewed": pre_reviewed,
        "direct": direct,
        "reviewed": reviewed,
    }


def test_each_role_counts_what_waits_for_it(setting, clerk):
    supervisor = setting["supervisor"]
    assert annual_check_todo_counts(supervisor, today=TODAY) == {
        "pre_review": 1,
        "review": None,
        "overdue": 0,  # the overdue item is a direct registration's, not the unit's
        "answered": None,
    }
    assert annual_check_todo_counts(clerk, today=TODAY) == {
        "pre_review": None,
        "review": 2,  # pre-reviewed, and the direct registration's
        "overdue": 1,
        "answered": 0,
    }
    item = setting["reviewed"].rectifications.get(problem="问题二")
    rectification_answer(
        rectification=item, by=reporter(setting["reviewed"].organization), answer="已整改"
    )
    assert annual_check_todo_counts(clerk, today=TODAY)["answered"] == 1


def test_the_counts_link_to_the_same_rows(client, setting, clerk):
    client.force_login(setting["supervisor"])
    assert pks(client.get(CHANGELIST, {"awaiting": "pre_review"})) == {
        setting["waiting_for_unit"].pk
    }
    client.force_login(clerk)
    assert pks(client.get(CHANGELIST, {"awaiting": "review"})) == {
        setting["pre_reviewed"].pk,
        setting["direct"].pk,
    }
