"""Issue 13 point 9 and issue 19: the pre-review, review or return page of an annual check that
has moved on answers with the check and who dealt with it, not HTTP 500
('PreReviewForm' object has no attribute 'cleaned_data')."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from annualcheck.choices import CheckStatus
from annualcheck.services import annual_check_pre_review, annual_check_review
from tests.annualcheck.test_admin_review import supervisor_of
from tests.annualcheck.test_rules import submitted
from tests.factories import OrganizationFactory, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def reviewed(clerk):
    organization = OrganizationFactory()
    annual_check = submitted(organization)
    unit_user = supervisor_of(organization, username="unit-stale")
    annual_check_pre_review(annual_check=annual_check, by=unit_user, opinion="同意", passed=True)
    clerk.first_name = "王丽"
    clerk.save()
    annual_check.refresh_from_db()
    annual_check_review(annual_check=annual_check, by=clerk, result="qualified")
    annual_check.refresh_from_db()
    return annual_check, unit_user


@pytest.mark.parametrize(
    ("who", "name"),
    [("unit", "pre_review"), ("unit", "return"), ("clerk", "review"), ("clerk", "return")],
)
def test_a_stale_link_on_a_reviewed_check_shows_the_check_and_who_reviewed_it(
    client, clerk, reviewed, who, name
):
    annual_check, unit_user = reviewed
    client.force_login(unit_user if who == "unit" else make_user("clerk", username="clerk-two"))
    response = client.get(reverse(f"annualcheck:{name}", args=[annual_check.pk]))
    change = reverse("admin:annualcheck_annualcheck_change", args=[annual_check.pk])
    assert response.status_code == 302
    assert response["Location"] == change
    [message] = [str(m) for m in get_messages(response.wsgi_request)]
    assert message.startswith("该年检已由 王丽 于")
    assert "当前状态为“已审核”" in message
    page = client.get(change)
    assert page.status_code == 200
    assert "该年检已由 王丽 于" in page.content.decode()
    annual_check.refresh_from_db()
    assert annual_check.status == CheckStatus.REVIEWED
