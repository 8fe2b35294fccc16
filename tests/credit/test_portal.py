"""The organization's credit listings in the portal: its own decided entries only, its answers
and its removal request; another organization's ids answer 404 and read-only roles write
nothing."""

import datetime

import pytest
from django.urls import reverse

from accounts import roles
from credit.choices import EntryStatus, Ground
from credit.models import EntryAnswer, ListEntry
from tests.credit.helpers import listed_entry, proposed_entry
from tests.factories import OrganizationFactory, make_organization_user, make_user

pytestmark = pytest.mark.django_db

ON = datetime.date(2018, 6, 1)


@pytest.fixture
def mine():
    organization = OrganizationFactory()
    return listed_entry(organization, Ground.ANNUAL_REPORT, on=ON)


def test_the_organization_sees_its_decided_entries_only(client, mine):
    proposal = proposed_entry(mine.organization, Ground.RECTIFICATION, on=ON)
    client.force_login(make_organization_user(mine.organization))
    page = client.get(reverse("portal:credit_entries"))
    assert list(page.context["entries"]) == [mine]
    detail = client.get(reverse("portal:credit_entry", args=[mine.pk])).content.decode()
    assert mine.decision_number in detail
    assert client.get(reverse("portal:credit_entry", args=[proposal.pk])).status_code == 404


def test_another_organizations_entry_answers_404_and_nothing_is_written(client, mine):
    stranger = OrganizationFactory()
    client.force_login(make_organization_user(stranger))
    assert client.get(reverse("portal:credit_entry", args=[mine.pk])).status_code == 404
    for name, data in (
        ("portal:credit_entry_answer", {"kind": "objection", "text": "x"}),
        ("portal:credit_entry_removal", {"what_was_done": "x", "version": mine.version}),
    ):
        assert client.post(reverse(name, args=[mine.pk]), data).status_code == 404
    assert not EntryAnswer.objects.exists()
    assert ListEntry.objects.get(pk=mine.pk).status == EntryStatus.LISTED


@pytest.mark.parametrize("role", [roles.COMMITTEE, roles.CLERK])
def test_staff_roles_post_nothing_through_the_portal(client, mine, role):
    client.force_login(make_user(role))
    response = client.post(
        reverse("portal:credit_entry_answer", args=[mine.pk]), {"kind": "objection", "text": "x"}
    )
    assert response.status_code in (302, 403, 404)
    assert not EntryAnswer.objects.exists()


def test_answer_and_removal_request(client, mine):
    user = make_organization_user(mine.organization)
    client.force_login(user)
    response = client.post(
        reverse("portal:credit_entry_answer", args=[mine.pk]),
        {"kind": "statement", "text": "已于2018年6月10日补报年度工作报告"},
    )
    assert response.status_code == 302
    assert EntryAnswer.objects.get().submitted_by == user
    response = client.post(
        reverse("portal:credit_entry_removal", args=[mine.pk]),
        {"what_was_done": "已补报并经业务主管单位初审", "version": mine.version},
    )
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.status == EntryStatus.REMOVAL_REQUESTED
    assert mine.events.get().reason == "已补报并经业务主管单位初审"


def test_hostile_input_is_refused_on_the_forms(client, mine):
    client.force_login(make_organization_user(mine.organization))
    response = client.post(
        reverse("portal:credit_entry_answer", args=[mine.pk]),
        {"kind": "<script>", "text": "x" * 5000},
    )
    assert response.status_code == 200
    assert not EntryAnswer.objects.exists()
    response = client.post(
        reverse("portal:credit_entry_removal", args=[mine.pk]),
        {"what_was_done": "   ", "version": "-1"},
    )
    assert response.status_code == 200
    assert ListEntry.objects.get(pk=mine.pk).status == EntryStatus.LISTED


def test_a_light_penalty_listing_offers_no_removal_request(client):
    entry = listed_entry(OrganizationFactory(), Ground.LIGHT_PENALTY, on=ON)
    client.force_login(make_organization_user(entry.organization))
    page = client.get(reverse("portal:credit_entry", args=[entry.pk])).content.decode()
    assert "2018-12-01" in page or "2018年12月01日" in page
    response = client.post(
        reverse("portal:credit_entry_removal", args=[entry.pk]),
        {"what_was_done": "已缴纳罚款", "version": entry.version},
    )
    assert response.status_code == 200
    assert ListEntry.objects.get(pk=entry.pk).status == EntryStatus.LISTED
