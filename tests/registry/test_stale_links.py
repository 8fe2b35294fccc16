"""A review link opened after its application moved on (an old tab, the back button, a second
clerk) shows the application as it is now and who dealt with it, never a server error
(issue 19)."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from registry.choices import ApplicationStatus
from registry.services.registration import application_approve, credit_code_propose
from tests.factories import make_user
from tests.registry.test_review_admin import submitted

pytestmark = pytest.mark.django_db


@pytest.fixture
def approved(clerk):
    from accounts import roles

    applicant = make_user(roles.APPLICANT, username="applicant-stale")
    application = submitted(applicant)
    clerk.first_name = "王丽"
    clerk.save()
    application_approve(
        application=application,
        by=clerk,
        credit_code=credit_code_propose(organization_type=application.organization_type),
    )
    application.refresh_from_db()
    return application


@pytest.mark.parametrize("move", ["approve", "return", "reject"])
def test_a_stale_review_link_shows_the_record_and_who_dealt_with_it(client, clerk, approved, move):
    other_clerk = make_user("clerk", username="clerk-two")
    client.force_login(other_clerk)
    response = client.get(reverse(f"registry:application_{move}", args=[approved.pk]))
    change = reverse("admin:registry_application_change", args=[approved.pk])
    assert response.status_code == 302
    assert response["Location"] == change
    [message] = [str(m) for m in get_messages(response.wsgi_request)]
    assert "该申请已由 王丽 于" in message
    assert "办理" in message
    assert "当前状态为“已核准登记”" in message
    page = client.get(change)
    assert page.status_code == 200
    assert "该申请已由 王丽 于" in page.content.decode()
    approved.refresh_from_db()
    assert approved.status == ApplicationStatus.APPROVED
