"""The applicant's list and application page: status, timeline, the clerk's remarks, the
consequence, print links; a returned application is corrected and resubmitted."""

import pytest
from django.urls import reverse

from accounts import roles
from registry.choices import ApplicationStatus
from registry.services.registration import (
    application_approve,
    application_consent,
    application_reject,
    application_return,
    application_start,
    application_submit,
)
from tests.factories import OrganizationFactory, make_organization_user, make_user

from .wizard_steps import charter_filled, complete_draft, post_step, review_data, step_url

pytestmark = pytest.mark.django_db


def test_home_lists_only_my_applications(client, applicant, other_applicant, places, industry):
    mine = complete_draft(applicant, places, industry)
    theirs = application_start(applicant=other_applicant)
    client.force_login(applicant)
    response = client.get(reverse("portal:home"))
    assert response.url == reverse("portal:applications")
    response = client.get(response.url)
    assert list(response.context["applications"]) == [mine]
    page = response.content.decode()
    assert mine.reference in page and mine.name in page
    assert reverse("portal:application_edit", args=[mine.pk]) in page  # editable: continue
    assert theirs.reference not in page


def test_starting_an_application_creates_a_draft_with_the_templates(client, applicant):
    client.force_login(applicant)
    response = client.post(reverse("portal:application_start"))
    application = applicant.applications.get()
    assert application.status == ApplicationStatus.DRAFT
    assert "党建" in application.charter_text and "承诺" in application.pledge_text
    assert response.url == reverse("portal:application_edit", args=[application.pk])


def test_returned_application_shows_the_remarks_and_is_resubmitted(
    client, applicant, places, industry, clerk
):
    application = complete_draft(applicant, places, industry)
    application_submit(application=application, by=applicant)
    client.force_login(applicant)
    # Submitted: viewable, not editable.
    listing = client.get(reverse("portal:applications")).content.decode()
    assert reverse("portal:application_edit", args=[application.pk]) not in listing
    application_return(application=application, by=clerk, remarks="请补充业务范围，写明助餐服务。")

    listing = client.get(reverse("portal:applications")).content.decode()
    assert "请补充业务范围，写明助餐服务。" in listing
    detail = reverse("portal:application", args=[application.pk])
    response = client.get(detail)
    page = response.content.decode()
    assert response.context["show_remarks"]
    assert "请补充业务范围，写明助餐服务。" in page
    assert reverse("portal:application_edit", args=[application.pk]) in page
    # The timeline: submitted, then returned with the reason.
    events = list(response.context["events"])
    assert [(e.from_status, e.to_status) for e in events] == [
        ("draft", "submitted"),
        ("submitted", "returned"),
    ]
    assert events[1].reason == "请补充业务范围，写明助餐服务。"

    # Corrected and resubmitted through the wizard.
    charter = charter_filled(application.charter_text)
    response = post_step(client, application, "charter", {"charter_text": charter})
    assert response.url == step_url(application, "pledge")
    response = client.post(step_url(application, "review"), review_data())
    assert response.url == detail
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    assert application.submissions.count() == 2
    assert "日间照料" in application.charter_text
    assert application.events.last().reason == "第2次提交"


def test_rejection_reason_is_shown(client, applicant, places, industry, clerk):
    application = complete_draft(applicant, places, industry)
    application_submit(application=application, by=applicant)
    application_reject(application=application, by=clerk, reason="名称与已登记组织重复")
    client.force_login(applicant)
    page = client.get(reverse("portal:application", args=[application.pk])).content.decode()
    assert "名称与已登记组织重复" in page
    response = client.get(step_url(application, "basic"))
    assert response.url == reverse("portal:application", args=[application.pk])


def test_approved_application_shows_the_credit_code(
    client, applicant, places, industry, unit, supervisor, clerk
):
    application = complete_draft(applicant, places, industry, unit=unit)
    application_submit(application=application, by=applicant)
    application_consent(application=application, by=supervisor, opinion="同意成立，业务范围适当。")
    organization = application_approve(application=application, by=clerk)
    client.force_login(applicant)
    response = client.get(reverse("portal:application", args=[application.pk]))
    page = response.content.decode()
    assert organization.credit_code in page
    assert "同意成立，业务范围适当。" in page  # the supervisory unit's opinion
    assert [e.to_status for e in response.context["events"]] == [
        "submitted",
        "consented",
        "approved",
    ]
    assert "提交后本组织应单独组建党组织" in page
    # The applicant now logs in with the credit code and the same password, and as it was
    # handed over to a new account, is asked to choose a new one first.
    client.logout()
    response = client.post(
        reverse("portal:login"),
        {"username": organization.credit_code, "password": "Test-password-2018"},
    )
    assert client.get(response.url).url == reverse("accounts:password_change")
    new_password = "Own-choice-2018"
    client.post(
        reverse("accounts:password_change"),
        {
            "old_password": "Test-password-2018",
            "new_password1": new_password,
            "new_password2": new_password,
        },
    )
    assert client.get(response.url).url == reverse("portal:organization", args=[organization.pk])


def test_application_page_links_the_print_pages(client, applicant, places, industry):
    application = complete_draft(applicant, places, industry, members=0)
    client.force_login(applicant)
    response = client.get(reverse("portal:application", args=[application.pk]))
    page = response.content.decode()
    for url in (
        reverse("portal:print_charter", args=[application.pk]),
        reverse("portal:print_pledge", args=[application.pk]),
        reverse("portal:print_member_form", args=[application.pk, "archive"]),
        reverse("portal:print_member_form", args=[application.pk, "supervisory_unit"]),
        reverse("portal:print_member_form", args=[application.pk, "committee"]),
    ):
        assert f'href="{url}"' in page
    assert "由派驻的党建指导员帮助发展党员" in page
    assert "本组织暂无党员" in page


def test_portal_home_sends_each_kind_of_user_to_its_pages(client, applicant, clerk):
    organization = OrganizationFactory()
    client.force_login(make_organization_user(organization))
    assert client.get(reverse("portal:home")).url == reverse(
        "portal:organization", args=[organization.pk]
    )
    assert client.get(reverse("portal:applications")).status_code == 403
    client.force_login(applicant)
    assert client.get(reverse("portal:organization", args=[organization.pk])).status_code == 403
    client.force_login(clerk)
    assert client.get(reverse("portal:applications")).url == reverse("admin:index")
    client.force_login(make_user(roles.COMMITTEE, username="committee-2"))
    assert client.get(reverse("portal:home")).url == reverse("admin:index")
