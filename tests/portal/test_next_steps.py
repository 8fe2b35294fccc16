"""The portal home (issue 19): the organization's Party-building standing and what it must do
next: last year's annual check, unanswered rectification items, its Party organization."""

import datetime

import pytest
from django.urls import reverse

from annualcheck.services.rectifications import rectification_answer
from partybuilding.ledger.selectors import party_building_glance
from portal.next_steps import organization_next_steps
from tests.factories import (
    OrganizationFactory,
    add_members,
    found_party_organization,
    make_organization_user,
)

from .test_annual_check_pages import reviewed

pytestmark = pytest.mark.django_db

JULY_2018 = datetime.date(2018, 7, 1)


def texts(user, today=JULY_2018):
    glance = party_building_glance(user.organization_id)
    return [step.text for step in organization_next_steps(user, glance, today=today)]


def test_an_organization_without_its_check_or_party_organization_is_told_both(clerk):
    organization = OrganizationFactory()
    add_members(organization, 3)
    user = make_organization_user(organization)
    steps = texts(user)
    assert steps[0] == "填报2017年度年检报告（2018年3月31日前提交）"  # overdue: first
    assert steps[1].startswith("本组织有 3 名党员，应当组建党组织，目前尚未组建")
    found_party_organization(organization, founded_on=datetime.date(2018, 1, 2))
    assert not any("组建党组织" in text for text in texts(user))


def test_an_open_rectification_item_is_asked_until_it_is_answered(clerk):
    organization = OrganizationFactory()
    annual_check, user = reviewed(
        organization, clerk, rectifications=[("尽快组建党支部", datetime.date(2018, 9, 30))]
    )
    steps = texts(user)
    assert steps == ["答复2017年度年检整改事项“尽快组建党支部”（期限2018年9月30日）"]
    assert "已逾期" in texts(user, today=datetime.date(2018, 10, 8))[0]
    rectification_answer(
        rectification=annual_check.rectifications.get(), by=user, answer="已组建党支部"
    )
    assert texts(user) == []


def test_the_portal_home_shows_standing_and_next_steps(client, clerk):
    organization = OrganizationFactory(name="长春市福寿养老院")
    add_members(organization, 3)
    client.force_login(make_organization_user(organization))
    response = client.get(reverse("portal:home"), follow=True)
    html = response.content.decode()
    assert 'id="party-building-standing"' in html and "应建未建" in html
    assert 'id="next-steps"' in html
    assert [step.text for step in response.context["next_steps"]] == [
        step.text
        for step in organization_next_steps(
            response.context["user"], party_building_glance(organization.pk)
        )
    ]
