"""Optimistic locking (issue 8, "data safety"): two people saving the same organization or
application from pages opened on the same version; the second save is refused with a message
naming who changed it and when, and nothing of it is written."""

import threading
import time

import pytest
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from accounts import roles
from core.concurrency import StaleEdit, version_check_and_bump
from registry.choices import ApplicationStatus
from registry.models import Application, ApplicationEvent, Organization
from registry.services import organization_update
from registry.services.registration import application_return, application_submit
from tests.conftest import TwoFactorClient
from tests.factories import OrganizationFactory, SupervisoryUnitFactory, make_user
from tests.portal.wizard_steps import review_data, step_url
from tests.registry.test_registration import complete_application
from tests.registry.test_review_admin import submitted

pytestmark = pytest.mark.django_db


def stale_message(instance, who: str) -> str:
    """The refusal a stale save gets: who saved `instance` last and when (Asia/Shanghai)."""
    moment = timezone.localtime(instance.history.latest().history_date)
    when = f"{moment.year}年{moment.month}月{moment.day}日 {moment:%H:%M}"
    return f"该记录已被 {who} 于 {when} 修改，您的修改未保存。请重新打开本页，核对后再提交。"


def page_data(form) -> dict:
    """What a browser posts back from an unbound form: its fields' initial values."""
    values = {name: form[name].value() for name in form.fields}
    return {key: "" if value is None else value for key, value in values.items()}


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


# --- The service-level check ------------------------------------------------------------------


def test_the_conditional_update_passes_once_per_version():
    organization = OrganizationFactory()
    version = organization.version
    first = Organization.objects.get(pk=organization.pk)
    second = Organization.objects.get(pk=organization.pk)

    version_check_and_bump(first, version)
    assert Organization.objects.get(pk=organization.pk).version == version + 1
    assert first.version == version + 1

    with pytest.raises(StaleEdit) as refused:
        version_check_and_bump(second, version)
    assert refused.value.code == "stale"
    assert Organization.objects.get(pk=organization.pk).version == version + 1


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite lets one writer at a time into the whole database: no two saves overlap",
)
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_saves_cannot_both_pass(reference_data):
    """Two transactions read the same version and try to save at once (READ COMMITTED): the
    second UPDATE waits for the first to commit, then finds the version moved on."""
    organization = OrganizationFactory()
    version = organization.version
    both_read = threading.Barrier(2)
    outcomes = []

    def save(contact_person):
        try:
            with transaction.atomic():
                copy = Organization.objects.get(pk=organization.pk)
                both_read.wait(timeout=10)
                version_check_and_bump(copy, version)
                copy.contact_person = contact_person
                copy.save()
                time.sleep(0.3)  # hold the row while the other one tries
            outcomes.append(contact_person)
        except StaleEdit:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(name,)) for name in ("孙丽娟", "赵强")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    organization.refresh_from_db()
    assert sorted(outcomes) == sorted([organization.contact_person, "refused"])
    assert organization.version == version + 1


def test_every_save_moves_the_version_on_and_a_stale_copy_never_lowers_it(clerk_a):
    organization = OrganizationFactory()
    before = Organization.objects.get(pk=organization.pk).version
    stale_copy = Organization.objects.get(pk=organization.pk)

    organization_update(organization=organization, by=clerk_a, contact_person="孙丽娟")
    assert Organization.objects.get(pk=organization.pk).version == before + 1
    assert organization.history.latest().version == before + 1  # the history row has it too

    stale_copy.save()  # a save path without a page to check still moves it on
    assert Organization.objects.get(pk=organization.pk).version == before + 2


def test_the_message_falls_back_to_the_time_when_no_user_is_recorded():
    organization = OrganizationFactory()  # created without a history user
    with pytest.raises(StaleEdit) as refused:
        version_check_and_bump(organization, organization.version + 5)
    moment = timezone.localtime(organization.history.latest().history_date)
    assert refused.value.messages == [
        f"该记录已于 {moment.year}年{moment.month}月{moment.day}日 {moment:%H:%M} 被他人修改，"
        "您的修改未保存。请重新打开本页，核对后再提交。"
    ]


# --- The organization's admin change form -----------------------------------------------------


def test_two_clerks_change_the_same_organization(two_clerks, clerk_a, clerk_b):
    first, second = two_clerks
    organization = OrganizationFactory(contact_person="张伟", address="长春市朝阳区湖西路88号")
    version = Organization.objects.get(pk=organization.pk).version
    history = organization.history.count()
    url = reverse("admin:registry_organization_change", args=[organization.pk])
    data_a = page_data(first.get(url).context["adminform"].form)
    data_b = page_data(second.get(url).context["adminform"].form)
    assert data_a["lock_version"] == data_b["lock_version"] == version

    response = first.post(url, {**data_a, "contact_person": "孙丽娟"})
    assert response.status_code == 302

    response = second.post(url, {**data_b, "contact_person": "赵强", "address": "南关区自强街1号"})
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert form.non_field_errors() == [stale_message(organization, "王丽")]
    assert stale_message(organization, "王丽") in response.content.decode()
    assert form["address"].value() == "南关区自强街1号"  # the clerk's input is kept

    organization.refresh_from_db()
    assert (organization.contact_person, organization.address) == (
        "孙丽娟",
        "长春市朝阳区湖西路88号",
    )
    assert organization.version == version + 1
    assert organization.history.count() == history + 1
    assert not organization.history.filter(history_user=clerk_b).exists()

    # Reopened, the page carries the new version and the save goes through.
    data_b = page_data(second.get(url).context["adminform"].form)
    assert second.post(url, {**data_b, "address": "南关区自强街1号"}).status_code == 302
    organization.refresh_from_db()
    assert (organization.contact_person, organization.address) == ("孙丽娟", "南关区自强街1号")
    assert organization.version == version + 2


def test_a_read_only_user_sees_the_organization_without_the_lock(client):
    organization = OrganizationFactory()
    client.force_login(make_user(roles.COMMITTEE, username="committee-lock"))
    response = client.get(reverse("admin:registry_organization_change", args=[organization.pk]))
    assert response.status_code == 200
    assert "lock_version" not in response.content.decode()


# --- Applications: two clerks, and a clerk racing the applicant ------------------------------


def review_url(move, application):
    return reverse(f"registry:application_{move}", args=[application.pk])


def test_two_clerks_decide_the_same_application(two_clerks, clerk_b):
    first, second = two_clerks
    applicant = make_user(roles.APPLICANT, username="applicant-lock")
    application = submitted(applicant)  # direct registration: clerks decide it
    version = application.version
    return_data = page_data(first.get(review_url("return", application)).context["form"])
    reject_data = page_data(second.get(review_url("reject", application)).context["form"])
    assert return_data["version"] == reject_data["version"] == version

    response = first.post(review_url("return", application), {**return_data, "remarks": "补充章程"})
    assert response.status_code == 302

    response = second.post(review_url("reject", application), {**reject_data, "reason": "名称重复"})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [stale_message(application, "王丽")]
    assert stale_message(application, "王丽") in response.content.decode()

    application.refresh_from_db()
    assert (application.status, application.remarks) == (ApplicationStatus.RETURNED, "补充章程")
    assert application.version == version + 1
    assert not application.history.filter(history_user=clerk_b).exists()
    assert not ApplicationEvent.objects.filter(application=application, actor=clerk_b).exists()


def test_a_return_written_for_an_earlier_submission_is_refused(two_clerks, clerk_b):
    """Without the lock the second return would pass (submitted → returned is allowed) and
    replace remarks written for the corrected submission with remarks about the first one."""
    first, second = two_clerks
    applicant = make_user(roles.APPLICANT, username="applicant-resubmit", display_name="李秀英")
    application = submitted(applicant)
    first_page = page_data(first.get(review_url("return", application)).context["form"])
    second_page = page_data(second.get(review_url("return", application)).context["form"])
    first.post(review_url("return", application), {**first_page, "remarks": "补充章程"})
    application_submit(application=application, by=applicant)  # corrected and resubmitted
    application.refresh_from_db()
    version = application.version

    response = second.post(review_url("return", application), {**second_page, "remarks": "旧意见"})

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [stale_message(application, "李秀英")]
    application.refresh_from_db()
    assert (application.status, application.remarks) == (ApplicationStatus.SUBMITTED, "补充章程")
    assert application.version == version


def test_the_applicant_cannot_submit_an_old_page_after_a_clerk_returned_it(client, clerk_a):
    """The applicant's review page was opened on the draft; meanwhile the application was
    submitted (in another tab) and returned by a clerk. Submitting the old page would skip the
    clerk's remarks (returned → submitted is allowed): it is refused."""
    applicant = make_user(roles.APPLICANT, username="applicant-race")
    application = complete_application(applicant)
    client.force_login(applicant)
    page = client.get(step_url(application, "review"))
    version = page.context["wizard"]["management_form"]["version"].value()
    assert version == application.version

    application_submit(application=application, by=applicant)
    application_return(application=application, by=clerk_a, remarks="请补充业务范围")
    application.refresh_from_db()
    returned_version = application.version

    response = client.post(
        step_url(application, "review"), {**review_data(), "application_wizard-version": version}
    )

    assert response.status_code == 200
    assert stale_message(application, "王丽") in response.content.decode()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.RETURNED
    assert application.version == returned_version
    assert application.submissions.count() == 1

    # The reopened page carries the new version: submitting it goes through.
    page = client.get(step_url(application, "review"))
    version = page.context["wizard"]["management_form"]["version"].value()
    response = client.post(
        step_url(application, "review"), {**review_data(), "application_wizard-version": version}
    )
    assert response.status_code == 302
    assert Application.objects.get(pk=application.pk).status == ApplicationStatus.SUBMITTED


def test_a_consent_after_a_clerk_returned_the_application_is_refused(client, clerk_a):
    unit = SupervisoryUnitFactory()
    supervisor = make_user(roles.SUPERVISORY_UNIT, username="unit-lock", supervisory_unit=unit)
    applicant = make_user(roles.APPLICANT, username="applicant-consent")
    application = submitted(applicant, unit=unit)
    client.force_login(supervisor)
    data = page_data(client.get(review_url("consent", application)).context["form"])
    application_return(application=application, by=clerk_a, remarks="请补充业务范围")

    response = client.post(review_url("consent", application), {**data, "opinion": "同意"})

    assert response.status_code == 200
    application.refresh_from_db()
    assert response.context["form"].non_field_errors() == [stale_message(application, "王丽")]
    assert application.status == ApplicationStatus.RETURNED
    assert application.supervisory_opinion == ""
