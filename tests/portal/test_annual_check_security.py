"""Security of the annual-check portal pages: another organization's user gets 404 on every URL
with the first organization's ids and changes nothing; anonymous users are sent to log in;
applicants and staff do not use these pages; whatever is typed comes back escaped."""

import datetime

import pytest
from django.urls import reverse

from accounts import roles
from annualcheck.models import AnnualCheck
from annualcheck.services import annual_check_review, annual_check_submit
from annualcheck.services.rectifications import rectification_answer
from tests.factories import OrganizationFactory, add_members, make_organization_user, make_user

from .annual_check_steps import (
    complete,
    item_steps,
    party_building_data,
    post_step,
    prefixed,
    register_data,
    register_row,
    review_data,
    started,
    step_url,
)

pytestmark = pytest.mark.django_db

STEPS = ("party_building", "register", *item_steps(), "review")
SCRIPT = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"


@pytest.fixture
def first(db):
    """The first organization's check, with a rectification item: (check, its user)."""
    organization = OrganizationFactory(supervisory_unit=None)
    add_members(organization, 2)
    annual_check, user = started(organization)
    return annual_check, user


def with_rectification(annual_check, user, clerk, state):
    if state == "draft":
        return None
    complete(annual_check, user)
    annual_check_submit(annual_check=annual_check, by=user, today=datetime.date(2018, 3, 1))
    if state == "submitted":
        return None
    annual_check_review(
        annual_check=annual_check,
        by=clerk,
        result="qualified",
        rectifications=[("党组织未按期换届", datetime.date(2018, 9, 30))],
    )
    return annual_check.rectifications.get()


def get_urls(annual_check, rectification=None):
    pk = annual_check.pk
    urls = [
        reverse("portal:annual_check", args=[pk]),
        reverse("portal:annual_check_edit", args=[pk]),
        reverse("portal:annual_check_print", args=[pk]),
    ]
    return urls + [step_url(annual_check, step) for step in STEPS]


def post_requests(annual_check, rectification=None):
    """(url, data) of every POST with an id, each valid for the owner."""
    entries = list(annual_check.register.all())
    requests = [
        (
            step_url(annual_check, "party_building"),
            prefixed("party_building", party_building_data(secretary="篡改")),
        ),
        (
            step_url(annual_check, "register"),
            register_data([register_row(entry, name="篡改") for entry in entries]),
        ),
        *(
            (step_url(annual_check, step), prefixed(step, {"report": "篡改"}))
            for step in item_steps()
        ),
        (step_url(annual_check, "review"), review_data()),
        (reverse("portal:annual_check_edit", args=[annual_check.pk]), review_data()),
        (reverse("portal:annual_check", args=[annual_check.pk]), {}),
    ]
    rectification_pk = rectification.pk if rectification else 1
    requests.append(
        (
            reverse("portal:annual_check_answer", args=[annual_check.pk, rectification_pk]),
            {f"answer-{rectification_pk}-answer": "篡改"},
        )
    )
    return requests


def snapshot(annual_check):
    annual_check = AnnualCheck.objects.get(pk=annual_check.pk)
    report = annual_check.party_building
    return (
        annual_check.status,
        annual_check.submitted_on,
        annual_check.late,
        report.secretary,
        report.party_organization_name,
        list(annual_check.items.values_list("number", "report")),
        list(annual_check.register.values_list("name", "id_number", "left_on")),
        list(annual_check.rectifications.values_list("status", "answer")),
        annual_check.events.count(),
    )


@pytest.mark.parametrize("state", ["draft", "submitted", "reviewed"])
def test_another_organization_gets_404_on_every_url_and_changes_nothing(
    client, first, clerk, state
):
    annual_check, owner = first
    rectification = with_rectification(annual_check, owner, clerk, state)
    before = snapshot(annual_check)
    other = OrganizationFactory(supervisory_unit=None)
    client.force_login(make_organization_user(other))
    for url in get_urls(annual_check, rectification):
        assert client.get(url).status_code == 404, url
    for url, data in post_requests(annual_check, rectification):
        assert client.post(url, data).status_code == 404, url
    assert snapshot(annual_check) == before
    # Their own list shows nothing of the first organization's; starting makes their own.
    page = client.get(reverse("portal:annual_checks"))
    assert list(page.context["annual_checks"]) == []
    client.post(reverse("portal:annual_check_start"))
    theirs = AnnualCheck.objects.get(organization=other)
    assert theirs.pk != annual_check.pk
    assert snapshot(annual_check) == before
    # Their own rectification id on the first organization's check: 404 too.
    if rectification is not None:
        url = reverse("portal:annual_check_answer", args=[theirs.pk, rectification.pk])
        assert client.post(url, {f"answer-{rectification.pk}-answer": "篡改"}).status_code == 404
    assert snapshot(annual_check) == before


def test_a_rectification_of_another_check_is_not_answered_through_ones_own(client, first, clerk):
    annual_check, owner = first
    rectification = with_rectification(annual_check, owner, clerk, "reviewed")
    other = OrganizationFactory(supervisory_unit=None)
    other_check, other_user = started(other)
    client.force_login(other_user)
    url = reverse("portal:annual_check_answer", args=[other_check.pk, rectification.pk])
    assert client.post(url, {f"answer-{rectification.pk}-answer": "篡改"}).status_code == 404
    rectification.refresh_from_db()
    assert rectification.answer == ""


def test_anonymous_users_are_sent_to_log_in(client, first):
    annual_check, _owner = first
    before = snapshot(annual_check)
    login = reverse("portal:login")
    for url in get_urls(annual_check) + [reverse("portal:annual_checks")]:
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(login), url
    for url, data in post_requests(annual_check) + [(reverse("portal:annual_check_start"), {})]:
        response = client.post(url, data)
        assert response.status_code == 302 and response.url.startswith(login), url
    assert snapshot(annual_check) == before
    assert AnnualCheck.objects.count() == 1


def test_applicants_are_refused(client, first, applicant):
    annual_check, _owner = first
    before = snapshot(annual_check)
    client.force_login(applicant)
    for url in get_urls(annual_check):
        assert client.get(url).status_code in (403, 404), url
    for url, data in post_requests(annual_check):
        assert client.post(url, data).status_code == 403, url
    assert client.get(reverse("portal:annual_checks")).status_code == 403
    assert client.post(reverse("portal:annual_check_start")).status_code == 403
    assert snapshot(annual_check) == before
    assert AnnualCheck.objects.count() == 1


def test_staff_use_the_admin_but_may_print_what_they_may_see(client, first, clerk):
    annual_check, owner = first
    # A draft is the organization's own: not even printed for the clerk.
    client.force_login(clerk)
    assert (
        client.get(reverse("portal:annual_check_print", args=[annual_check.pk])).status_code == 404
    )
    with_rectification(annual_check, owner, clerk, "submitted")
    before = snapshot(annual_check)
    for step in STEPS:
        assert client.get(step_url(annual_check, step)).url == reverse("admin:index")
    for url, data in post_requests(annual_check):
        response = client.post(url, data)
        assert response.status_code == 302 and response.url == reverse("admin:index"), url
    assert snapshot(annual_check) == before
    assert (
        client.get(reverse("portal:annual_check_print", args=[annual_check.pk])).status_code == 200
    )


def test_supervisory_units_print_only_their_organizations_checks(client, clerk):
    supervised = OrganizationFactory()
    annual_check, owner = started(supervised)
    with_rectification(annual_check, owner, clerk, "submitted")
    url = reverse("portal:annual_check_print", args=[annual_check.pk])
    own_unit = make_user(roles.SUPERVISORY_UNIT, supervisory_unit=supervised.supervisory_unit)
    client.force_login(own_unit)
    assert client.get(url).status_code == 200
    # Supervisory units are staff: the portal's own pages send them to the admin.
    response = client.get(reverse("portal:annual_check", args=[annual_check.pk]))
    assert response.status_code == 302 and response.url == reverse("admin:index")
    other_unit = make_user(
        roles.SUPERVISORY_UNIT, supervisory_unit=OrganizationFactory().supervisory_unit
    )
    client.force_login(other_unit)
    assert client.get(url).status_code == 404


def test_typed_text_is_escaped_everywhere(client, first, clerk):
    annual_check, owner = first
    client.force_login(owner)
    post_step(
        client,
        annual_check,
        "party_building",
        party_building_data(secretary=f"王{SCRIPT}"[:50], activities=SCRIPT),
    )
    for step in item_steps():
        post_step(client, annual_check, step, {"report": f"情况{SCRIPT}"})
    annual_check.refresh_from_db()
    assert annual_check.items.get(number=2).report == f"情况{SCRIPT}"
    pages = [
        step_url(annual_check, "item_2"),
        step_url(annual_check, "review"),
        reverse("portal:annual_check", args=[annual_check.pk]),
        reverse("portal:annual_check_print", args=[annual_check.pk]),
    ]
    for url in pages:
        page = client.get(url).content.decode()
        assert SCRIPT not in page, url
        assert ESCAPED in page, url
    client.post(step_url(annual_check, "review"), review_data())
    annual_check_review(
        annual_check=annual_check,
        by=clerk,
        result="qualified",
        rectifications=[(f"问题{SCRIPT}", datetime.date(2018, 9, 30))],
    )
    rectification_answer(
        rectification=annual_check.rectifications.get(), by=owner, answer=f"答复{SCRIPT}"
    )
    for url in (reverse("portal:annual_checks"), pages[2], pages[3]):
        page = client.get(url).content.decode()
        assert SCRIPT not in page and ESCAPED in page, url
