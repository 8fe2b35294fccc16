"""R-EV-1: a grade is valid five years; an expired grade says 已过期 in the admin list, the
ledger column and the portal (issue 19)."""

import datetime

import pytest
from django.urls import reverse

from evaluation.ledger import GRADE
from tests.evaluation.test_admin import decided
from tests.factories import make_organization_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_on(settings):
    def on(day):
        settings.ACCOUNTS = {**settings.ACCOUNTS, "DEMO_MODE": True}
        settings.REGISTRY = {**settings.REGISTRY, "DEMO_TODAY": day}

    return on


def test_a_2017_grade_is_current_in_2018_and_expired_after_its_five_years(client, clerk, demo_on):
    evaluation = decided(clerk, on=datetime.date(2017, 12, 1))
    assert evaluation.valid_until == datetime.date(2022, 12, 1)
    organization = evaluation.organization

    demo_on("2018-07-01")
    assert not evaluation.is_expired
    assert (
        "已过期" not in GRADE.texts([organization.pk], datetime.date(2018, 7, 1))[organization.pk]
    )
    client.force_login(make_organization_user(evaluation.organization))
    assert "已过期" not in client.get(reverse("portal:evaluations")).content.decode()

    demo_on("2023-01-10")
    assert evaluation.is_expired
    assert GRADE.texts([organization.pk], datetime.date(2023, 1, 10))[organization.pk].endswith(
        "（已过期，有效期至2022-12-01）"
    )
    assert "（已过期）" in client.get(reverse("portal:evaluations")).content.decode()
    assert (
        "（已过期）"
        in client.get(reverse("portal:evaluation", args=[evaluation.pk])).content.decode()
    )
    client.force_login(clerk)
    page = client.get(reverse("admin:evaluation_evaluation_changelist")).content.decode()
    assert '2022-12-01 <span class="grade-expired">（已过期）</span>' in page
