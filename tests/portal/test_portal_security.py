"""Security of the applicant pages: another applicant's ids answer 404 on every portal URL and
change nothing; anonymous users are sent to log in; organization users and staff do not use
applicant pages; whatever is typed comes back escaped."""

import pytest
from django.urls import reverse

from registry.models import Application
from registry.services.registration import application_return, application_submit
from tests.factories import OrganizationFactory, make_organization_user

from .wizard_steps import (
    PREFIX,
    basic_data,
    complete_draft,
    member_row,
    members_data,
    pledge_data,
    post_step,
    review_data,
    step_url,
)

pytestmark = pytest.mark.django_db

STEPS = ("basic", "charter", "pledge", "members", "review")
SCRIPT = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"


def get_urls(application):
    """Every portal URL that takes an application id, for GET."""
    pk = application.pk
    urls = [
        reverse("portal:application", args=[pk]),
        reverse("portal:application_edit", args=[pk]),
        reverse("portal:print_charter", args=[pk]),
        reverse("portal:print_pledge", args=[pk]),
    ]
    urls += [
        reverse("portal:print_member_form", args=[pk, c])
        for c in ("archive", "supervisory_unit", "committee", "nonsense")
    ]
    urls += [step_url(application, step) for step in STEPS]
    return urls


def post_requests(application, places, industry):
    """(url, data) of every POST the wizard takes, each valid for the owner."""
    return [
        (
            step_url(application, "basic"),
            _prefixed("basic", basic_data(places, industry, name="篡改")),
        ),
        (step_url(application, "charter"), _prefixed("charter", {"charter_text": "篡改"})),
        (step_url(application, "pledge"), _prefixed("pledge", pledge_data())),
        (step_url(application, "members"), members_data([], no_party_members=True)),
        (step_url(application, "review"), review_data()),
        (reverse("portal:application_edit", args=[application.pk]), review_data()),
        (reverse("portal:application", args=[application.pk]), {}),
    ]


def _prefixed(step, data):
    payload = {f"{PREFIX}-current_step": step}
    payload.update({f"{step}-{key}": value for key, value in data.items()})
    return payload


def snapshot(application):
    application = Application.objects.get(pk=application.pk)
    return (
        application.status,
        application.name,
        application.charter_text,
        application.pledge_signed_by,
        application.no_party_members,
        application.updated_at,
        list(application.members.values_list("id_number", flat=True)),
    )


@pytest.mark.parametrize("state", ["draft", "submitted", "returned"])
def test_another_applicant_gets_404_on_every_url_and_changes_nothing(
    client, applicant, other_applicant, places, industry, clerk, state
):
    application = complete_draft(applicant, places, industry)
    if state != "draft":
        application_submit(application=application, by=applicant)
    if state == "returned":
        application_return(application=application, by=clerk, remarks="请修改")
    before = snapshot(application)
    client.force_login(other_applicant)
    for url in get_urls(application):
        assert client.get(url).status_code == 404, url
    for url, data in post_requests(application, places, industry):
        assert client.post(url, data).status_code == 404, url
    assert snapshot(application) == before
    # Their own pages work, and list nothing of the first applicant's.
    page = client.get(reverse("portal:applications")).content.decode()
    assert application.reference not in page and application.name not in page
    response = client.post(reverse("portal:application_start"))
    theirs = other_applicant.applications.get()
    assert response.url == reverse("portal:application_edit", args=[theirs.pk])
    assert snapshot(application) == before
    assert client.get(reverse("portal:application", args=[999_999])).status_code == 404


def test_anonymous_users_are_sent_to_log_in(client, applicant, places, industry):
    application = complete_draft(applicant, places, industry)
    before = snapshot(application)
    login = reverse("portal:login")
    urls = get_urls(application) + [reverse("portal:applications")]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(login), url
    for url, data in post_requests(application, places, industry) + [
        (reverse("portal:application_start"), {})
    ]:
        response = client.post(url, data)
        assert response.status_code == 302 and response.url.startswith(login), url
    assert snapshot(application) == before
    assert Application.objects.count() == 1


def test_organization_users_cannot_use_applicant_pages(client, applicant, places, industry):
    application = complete_draft(applicant, places, industry)
    before = snapshot(application)
    client.force_login(make_organization_user(OrganizationFactory()))
    for url in get_urls(application):
        assert client.get(url).status_code in (403, 404), url
    for url, data in post_requests(application, places, industry):
        assert client.post(url, data).status_code in (403, 404), url
    assert client.get(reverse("portal:applications")).status_code == 403
    assert client.post(reverse("portal:application_start")).status_code == 403
    assert snapshot(application) == before
    assert Application.objects.count() == 1


def test_staff_use_the_admin_not_the_applicant_pages(client, applicant, places, industry, clerk):
    application = complete_draft(applicant, places, industry)
    application_submit(application=application, by=applicant)
    before = snapshot(application)
    client.force_login(clerk)
    for step in STEPS:
        assert client.get(step_url(application, step)).url == reverse("admin:index")
    for url, data in post_requests(application, places, industry):
        response = client.post(url, data)
        assert response.status_code == 302 and response.url == reverse("admin:index"), url
    assert snapshot(application) == before
    # …but they may print what they may see.
    assert client.get(reverse("portal:print_pledge", args=[application.pk])).status_code == 200


def test_typed_text_is_escaped_everywhere(client, applicant, places, industry, clerk):
    client.force_login(applicant)
    client.post(reverse("portal:application_start"))
    application = applicant.applications.get()
    legal = f"李{SCRIPT}"[:50]
    post_step(
        client,
        application,
        "basic",
        basic_data(
            places,
            industry,
            name=f"福寿{SCRIPT}",
            legal_representative=legal,
            address=f"湖西路{SCRIPT}",
        ),
    )
    application.refresh_from_db()
    assert application.name == f"福寿{SCRIPT}"
    charter = application.charter_text + f"\n第十二条　{SCRIPT}"
    post_step(client, application, "charter", {"charter_text": charter})
    post_step(client, application, "pledge", pledge_data(pledge_signed_by=legal))
    client.post(
        step_url(application, "members"),
        members_data(
            [
                member_row(
                    name=f"王{SCRIPT}"[:50],
                    certificate_letter_issuer=SCRIPT,
                    certificate_letter_on="2018-01-01",
                )
            ]
        ),
    )
    application.refresh_from_db()
    assert application.pledge_signed_by == legal and application.members.count() == 1

    pages = [
        reverse("portal:applications"),
        step_url(application, "basic"),
        step_url(application, "charter"),
        step_url(application, "pledge"),
        step_url(application, "members"),
        step_url(application, "review"),
        reverse("portal:application", args=[application.pk]),
        reverse("portal:print_charter", args=[application.pk]),
        reverse("portal:print_pledge", args=[application.pk]),
        reverse("portal:print_member_form", args=[application.pk, "archive"]),
    ]
    for url in pages:
        page = client.get(url).content.decode()
        assert SCRIPT not in page, url
        assert ESCAPED in page, url

    # The clerk's remarks are escaped too.
    client.post(step_url(application, "review"), review_data())
    application_return(application=application, by=clerk, remarks=f"请修改{SCRIPT}")
    for url in (
        reverse("portal:applications"),
        reverse("portal:application", args=[application.pk]),
    ):
        page = client.get(url).content.decode()
        assert SCRIPT not in page and f"请修改{ESCAPED}" in page
