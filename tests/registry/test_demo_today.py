"""The date the product works on (core.calendar.today): today's date, or the demo's own date
in demo mode only, so that the mid-2018 demo shows deadlines, overdue flags and default years
that follow its data (issue 19)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from core import calendar

DEMO_DAY = "2018-07-01"


@pytest.fixture
def demo(settings):
    settings.ACCOUNTS = {**settings.ACCOUNTS, "DEMO_MODE": True}
    settings.REGISTRY = {**settings.REGISTRY, "DEMO_TODAY": DEMO_DAY}


def test_today_is_the_real_date_outside_demo_mode(settings):
    settings.REGISTRY = {**settings.REGISTRY, "DEMO_TODAY": DEMO_DAY}
    settings.ACCOUNTS = {**settings.ACCOUNTS, "DEMO_MODE": False}
    assert calendar.today() == timezone.localdate()


def test_today_is_the_demo_date_in_demo_mode(demo):
    assert calendar.today() == datetime.date(2018, 7, 1)


def test_demo_mode_without_a_demo_date_runs_on_today(settings):
    settings.ACCOUNTS = {**settings.ACCOUNTS, "DEMO_MODE": True}
    settings.REGISTRY = {**settings.REGISTRY, "DEMO_TODAY": ""}
    assert calendar.today() == timezone.localdate()


def test_the_local_settings_put_the_demo_in_mid_2018():
    from config.settings import local

    assert local.REGISTRY["DEMO_TODAY"] == DEMO_DAY
    assert local.ACCOUNTS["DEMO_MODE"] is True


@pytest.mark.django_db
def test_r_ac_2_the_portal_asks_the_demo_organization_for_2017(client, demo):
    from tests.factories import OrganizationFactory, make_organization_user

    organization = OrganizationFactory(registered_on=datetime.date(2015, 5, 1))
    client.force_login(make_organization_user(organization))
    response = client.get(reverse("portal:annual_checks"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "2017" in page
    assert str(timezone.localdate().year - 1) not in page
