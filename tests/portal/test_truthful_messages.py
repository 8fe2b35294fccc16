"""What the applicant is told matches what happens next (issue 19): after submission, who
examines the application first; after approval, which login and password work and that the
organization's account asks for a new password at its first login."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from registry.services.registration import (
    application_approve,
    application_consent,
    application_submit,
)
from tests.words import visible_text

from .wizard_steps import complete_draft, review_data, step_url

pytestmark = pytest.mark.django_db


def submit_through_the_wizard(client, application):
    response = client.post(step_url(application, "review"), review_data())
    assert response.url == reverse("portal:application", args=[application.pk])
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_with_a_supervisory_unit_the_applicant_is_told_it_examines_first(
    client, applicant, places, industry, unit
):
    application = complete_draft(applicant, places, industry, unit=unit)
    client.force_login(applicant)
    [message] = submit_through_the_wizard(client, application)
    assert message == (
        f"申请已提交。先由业务主管单位（{unit.name}）审查并出具意见，再由登记管理机关审查；"
        "办理状态见下方。"
    )


def test_a_direct_registration_goes_to_the_registration_authority(
    client, applicant, places, industry
):
    application = complete_draft(applicant, places, industry)
    client.force_login(applicant)
    [message] = submit_through_the_wizard(client, application)
    assert message == "申请已提交，登记管理机关将进行审查；办理状态见下方。"


def test_after_approval_the_applicant_is_told_the_password_truth(
    client, applicant, places, industry, unit, clerk
):
    from accounts import roles
    from tests.factories import make_user

    application = complete_draft(applicant, places, industry, unit=unit)
    application_submit(application=application, by=applicant)
    supervisor = make_user(roles.SUPERVISORY_UNIT, supervisory_unit=unit)
    application_consent(application=application, by=supervisor, opinion="同意。")
    organization = application_approve(application=application, by=clerk)
    client.force_login(applicant)
    page = visible_text(
        client.get(reverse("portal:application", args=[application.pk])).content.decode()
    )
    assert (
        f"请用统一社会信用代码 {organization.credit_code} 和本申请账号的密码登录。"
        "首次登录时须为组织账号设置新密码" in page
    )
    # ...and that is what happens: the applicant's password opens the organization's account,
    # which asks for a new password first.
    client.logout()
    response = client.post(
        reverse("portal:login"),
        {"username": organization.credit_code, "password": "Test-password-2018"},
    )
    response = client.get(response.url)
    assert response.url == reverse("accounts:password_change")
