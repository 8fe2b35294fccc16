"""Optimistic locking of the annual check (issue 8, "data safety"): two clerks reviewing the
same check, the supervisory unit and a clerk, the organization and a clerk; the second save is
refused with a message naming who changed it and when, and nothing of it is written."""

import pytest

from accounts import roles
from annualcheck.choices import CheckStatus
from annualcheck.models import AnnualCheck, CheckEvent
from annualcheck.services import annual_check_return, annual_check_submit
from tests.annualcheck.test_admin_review import page, review_data, supervisor_of
from tests.annualcheck.test_rules import direct_organization, submitted
from tests.conftest import TwoFactorClient
from tests.factories import OrganizationFactory, make_organization_user, make_user
from tests.portal.annual_check_steps import complete, started, step_url
from tests.portal.annual_check_steps import review_data as wizard_review_data
from tests.registry.test_optimistic_locking import page_data, stale_message

pytestmark = pytest.mark.django_db


def fresh(annual_check):
    return AnnualCheck.objects.get(pk=annual_check.pk)


def opinions(annual_check):
    return dict(annual_check.items.values_list("number", "clerk_opinion"))


@pytest.fixture
def clerk_a():
    return make_user(roles.CLERK, username="clerk-a", display_name="王丽")


@pytest.fixture
def clerk_b():
    return make_user(roles.CLERK, username="clerk-b", display_name="赵强")


@pytest.fixture
def two_clerks(clerk_a, clerk_b):
    """Two browsers, two sessions: clerk A's and clerk B's."""
    first, second = TwoFactorClient(), TwoFactorClient()
    first.force_login(clerk_a)
    second.force_login(clerk_b)
    return first, second


def test_two_clerks_review_the_same_annual_check(two_clerks, clerk_b):
    """Clerk A saves opinions; clerk B, from a page opened before, sets the result with other
    opinions: without the lock B's opinions would replace A's."""
    first, second = two_clerks
    annual_check = submitted(direct_organization())
    version = fresh(annual_check).version
    data_a = page_data(first.get(page("review", annual_check)).context["form"])
    data_b = page_data(second.get(page("review", annual_check)).context["form"])
    assert data_a["version"] == data_b["version"] == version
    history = annual_check.history.count()

    response = first.post(
        page("review", annual_check), {**data_a, "opinion_2": "遵守法规", "_save_opinions": "1"}
    )
    assert response.status_code == 302
    assert opinions(annual_check)[2] == "遵守法规"

    response = second.post(
        page("review", annual_check),
        {**data_b, **review_data(result="qualified", opinion_2="未见问题", opinion_3="已核对")},
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [stale_message(annual_check, "王丽")]
    assert stale_message(annual_check, "王丽") in response.content.decode()
    assert response.context["form"]["opinion_3"].value() == "已核对"  # the input is kept

    annual_check = fresh(annual_check)
    assert (annual_check.status, annual_check.result) == (CheckStatus.SUBMITTED, "")
    assert opinions(annual_check)[2] == "遵守法规" and opinions(annual_check)[3] == ""
    assert annual_check.version == version + 1
    assert annual_check.history.count() == history + 1
    assert not annual_check.history.filter(history_user=clerk_b).exists()
    assert not CheckEvent.objects.filter(annual_check=annual_check, actor=clerk_b).exists()

    # Reopened, the page shows A's opinions and carries the new version.
    data_b = page_data(second.get(page("review", annual_check)).context["form"])
    assert data_b["opinion_2"] == "遵守法规"
    response = second.post(page("review", annual_check), {**data_b, "result": "qualified"})
    assert response.status_code == 302
    annual_check = fresh(annual_check)
    assert annual_check.result == "qualified" and annual_check.version == version + 2


def test_a_pre_review_after_a_clerk_returned_the_check_is_refused(client, clerk_a):
    organization = OrganizationFactory()
    annual_check = submitted(organization)
    client.force_login(supervisor_of(organization, username="unit-lock"))
    data = page_data(client.get(page("pre_review", annual_check)).context["form"])
    annual_check_return(annual_check=annual_check, by=clerk_a, remarks="第7项财务数据不全")
    version = fresh(annual_check).version

    response = client.post(page("pre_review", annual_check), {**data, "opinion": "同意"})

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [stale_message(annual_check, "王丽")]
    annual_check = fresh(annual_check)
    assert annual_check.status == CheckStatus.RETURNED
    assert annual_check.supervisory_opinion == ""
    assert annual_check.version == version


def test_the_organization_cannot_submit_an_old_page_after_a_clerk_returned_it(client, clerk_a):
    """The organization's review page was opened on the draft; meanwhile the check was
    submitted (another tab) and returned by a clerk. Submitting the old page would skip the
    clerk's remarks (returned → submitted is allowed): it is refused."""
    organization = direct_organization()
    annual_check, user = started(organization, user=make_organization_user(organization))
    complete(annual_check, user)
    client.force_login(user)
    page_ = client.get(step_url(annual_check, "review"))
    version = page_.context["wizard"]["management_form"]["version"].value()
    assert version == fresh(annual_check).version

    annual_check_submit(annual_check=annual_check, by=user)
    annual_check_return(annual_check=annual_check, by=clerk_a, remarks="第7项财务数据不全")
    returned_version = fresh(annual_check).version
    events = CheckEvent.objects.filter(annual_check=annual_check).count()

    response = client.post(
        step_url(annual_check, "review"),
        {**wizard_review_data(), "annual_check_wizard-version": version},
    )

    assert response.status_code == 200
    assert stale_message(annual_check, "王丽") in response.content.decode()
    annual_check = fresh(annual_check)
    assert annual_check.status == CheckStatus.RETURNED
    assert annual_check.version == returned_version
    assert CheckEvent.objects.filter(annual_check=annual_check).count() == events

    # Reopened, the page carries the new version and the submission goes through.
    page_ = client.get(step_url(annual_check, "review"))
    version = page_.context["wizard"]["management_form"]["version"].value()
    response = client.post(
        step_url(annual_check, "review"),
        {**wizard_review_data(), "annual_check_wizard-version": version},
    )
    assert response.status_code == 302
    assert fresh(annual_check).status == CheckStatus.SUBMITTED
