"""The grade evaluation in the portal: an organization applies for the year, sees the reasons
or its grade with the explanation; another organization's evaluations answer 404."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from evaluation.choices import EvaluationStatus
from evaluation.models import Evaluation
from evaluation.services import evaluation_decide, evaluation_open
from tests.evaluation.test_rules import eligible, scored
from tests.factories import OrganizationFactory, make_organization_user

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2017, 9, 1)


@pytest.fixture
def in_2017(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: TODAY)


def test_an_organization_applies_then_sees_its_grade(client, clerk, in_2017):
    organization = eligible(clerk)
    client.force_login(make_organization_user(organization))
    response = client.get(reverse("portal:evaluations"))
    assert response.status_code == 200
    assert reverse("portal:evaluation_apply") in response.content.decode()

    response = client.post(reverse("portal:evaluation_apply"))
    evaluation = Evaluation.objects.get(organization=organization)
    assert (evaluation.year, evaluation.status) == (2017, EvaluationStatus.SCORING)
    assert response.url == reverse("portal:evaluation", args=[evaluation.pk])
    assert client.get(response.url).status_code == 200

    scored(evaluation, clerk, total_other=770)
    evaluation_decide(evaluation=evaluation, by=clerk, decided_on=datetime.date(2017, 12, 1))
    content = client.get(reverse("portal:evaluations")).content.decode()
    assert "总分 820 → 4A" in content
    assert "2022-12-01" in content
    content = client.get(reverse("portal:evaluation", args=[evaluation.pk])).content.decode()
    assert "总分 820 → 4A" in content
    assert "党组织建设" in content


def test_an_ineligible_organization_sees_the_reasons(client, clerk, in_2017):
    organization = OrganizationFactory(registered_on=datetime.date(2016, 5, 1))
    client.force_login(make_organization_user(organization))
    response = client.post(reverse("portal:evaluation_apply"), follow=True)
    evaluation = Evaluation.objects.get(organization=organization)
    assert evaluation.status == EvaluationStatus.INELIGIBLE
    content = response.content.decode()
    assert "登记未满2年（2016年05月01日登记）。" in content
    assert "未参加2016年度年检或年检尚未审核。" in content
    content = client.get(reverse("portal:evaluations")).content.decode()
    assert "登记未满2年" in content


def test_another_organizations_evaluations_answer_404(client, clerk):
    other = eligible(clerk)
    theirs = evaluation_open(organization=other, year=2017, by=clerk, as_of=TODAY)
    mine = OrganizationFactory()
    client.force_login(make_organization_user(mine))
    assert client.get(reverse("portal:evaluation", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("portal:evaluation", args=[999999])).status_code == 404
    response = client.get(reverse("portal:evaluations"))
    assert list(response.context["evaluations"]) == []
    assert client.get(reverse("portal:evaluation_apply")).status_code == 405


def test_the_pages_need_an_organization_login(client, clerk):
    evaluation = evaluation_open(organization=eligible(clerk), year=2017, by=clerk, as_of=TODAY)
    for url in (
        reverse("portal:evaluations"),
        reverse("portal:evaluation", args=[evaluation.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert "login" in response.url
    response = client.post(reverse("portal:evaluation_apply"))
    assert response.status_code == 302 and "login" in response.url
    assert not Evaluation.objects.exclude(pk=evaluation.pk).exists()
    client.force_login(clerk)  # staff have the admin
    assert client.get(reverse("portal:evaluations")).status_code == 302


def test_the_organization_page_links_the_evaluations(client):
    organization = OrganizationFactory()
    client.force_login(make_organization_user(organization))
    response = client.get(reverse("portal:organization", args=[organization.pk]))
    assert reverse("portal:evaluations") in response.content.decode()
