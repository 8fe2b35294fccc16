"""The evaluation moves through the shared mover (core.workflow, issue 14): an event row for its
opening and its decision, only the registration authority's clerks score and decide, and a
decision or scores from a page older than someone else's change are refused."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from accounts import roles
from core.concurrency import StaleEdit
from evaluation.choices import EvaluationStatus
from evaluation.models import Evaluation, EvaluationEvent
from evaluation.selectors import evaluation_moves_for
from evaluation.services import evaluation_decide, evaluation_open, evaluation_score
from tests.evaluation.test_admin import AS_OF, opened
from tests.evaluation.test_rules import eligible, scored
from tests.factories import make_organization_user, make_user

pytestmark = pytest.mark.django_db

DECIDED_ON = datetime.date(2017, 12, 1)


def fresh(evaluation):
    return Evaluation.objects.get(pk=evaluation.pk)


def test_opening_and_deciding_each_write_an_event_row(clerk):
    evaluation = opened(clerk)
    scored(evaluation, clerk, total_other=770)
    evaluation_decide(evaluation=evaluation, by=clerk, decided_on=DECIDED_ON)
    events = list(EvaluationEvent.objects.filter(evaluation=evaluation).order_by("pk"))
    assert [(e.from_status, e.to_status, e.actor) for e in events] == [
        ("", EvaluationStatus.SCORING, clerk),
        (EvaluationStatus.SCORING, EvaluationStatus.DECIDED, clerk),
    ]
    assert events[1].reason == fresh(evaluation).explanation


def test_an_organization_applies_for_its_own_evaluation_only(clerk):
    organization = eligible(clerk)
    other = eligible(clerk)
    with pytest.raises(PermissionDenied):
        evaluation_open(
            organization=other, year=2017, by=make_organization_user(organization), as_of=AS_OF
        )
    evaluation = evaluation_open(
        organization=organization,
        year=2017,
        by=make_organization_user(organization),
        as_of=AS_OF,
    )
    assert evaluation.events.get().to_status == EvaluationStatus.SCORING


@pytest.mark.parametrize("role", [roles.COMMITTEE, roles.SUPERVISORY_UNIT, roles.ORGANIZATION])
def test_only_clerks_score_and_decide(clerk, role):
    evaluation = opened(clerk)
    scored(evaluation, clerk, total_other=770)
    if role == roles.ORGANIZATION:
        someone = make_organization_user(evaluation.organization)
    elif role == roles.SUPERVISORY_UNIT:
        someone = make_user(role, supervisory_unit=evaluation.organization.supervisory_unit)
    else:
        someone = make_user(role)
    leaf = evaluation.scores.first()
    with pytest.raises(PermissionDenied):
        evaluation_score(evaluation=evaluation, by=someone, points={leaf.indicator_id: 0})
    with pytest.raises(PermissionDenied):
        evaluation_decide(evaluation=evaluation, by=someone, decided_on=DECIDED_ON)
    assert evaluation_moves_for(evaluation, someone) == []
    assert evaluation_moves_for(evaluation, clerk) == [EvaluationStatus.DECIDED]
    evaluation = fresh(evaluation)
    assert evaluation.status == EvaluationStatus.SCORING
    assert not evaluation.events.filter(to_status=EvaluationStatus.DECIDED).exists()


def test_a_decision_from_a_page_older_than_new_scores_is_refused(clerk):
    evaluation = opened(clerk)
    scored(evaluation, clerk, total_other=770)
    seen = fresh(evaluation).version
    other_clerk = make_user(roles.CLERK, username="clerk-other")
    scored(fresh(evaluation), other_clerk, total_other=500)  # another tab, after the page
    with pytest.raises(StaleEdit):
        evaluation_decide(
            evaluation=evaluation, by=clerk, decided_on=DECIDED_ON, expected_version=seen
        )
    evaluation = fresh(evaluation)
    assert evaluation.status == EvaluationStatus.SCORING
    assert evaluation.version == seen + 1
    assert not evaluation.events.filter(to_status=EvaluationStatus.DECIDED).exists()
    evaluation_decide(
        evaluation=evaluation, by=clerk, decided_on=DECIDED_ON, expected_version=seen + 1
    )
    assert fresh(evaluation).status == EvaluationStatus.DECIDED


def test_the_decide_page_refuses_a_stale_confirmation(client, clerk):
    evaluation = opened(clerk)
    scored(evaluation, clerk, total_other=770)
    client.force_login(clerk)
    url = reverse("evaluation:decide", args=[evaluation.pk])
    page = client.get(url).content.decode()
    version = fresh(evaluation).version
    assert f'name="version" value="{version}"' in page
    scored(fresh(evaluation), clerk, total_other=600)  # the scores change meanwhile

    response = client.post(url, {"version": version})

    assert response.status_code == 200
    assert "您的修改未保存" in response.content.decode()
    assert fresh(evaluation).status == EvaluationStatus.SCORING


def test_scores_from_a_stale_page_are_refused(client, clerk):
    evaluation = opened(clerk)
    client.force_login(clerk)
    url = reverse("evaluation:score", args=[evaluation.pk])
    form = client.get(url).context["form"]
    assert form["version"].value() == fresh(evaluation).version
    scored(fresh(evaluation), clerk, total_other=770)  # another tab saves first
    leaf = next(name for name in form.fields if name.startswith("points_"))

    response = client.post(url, {"version": form["version"].value(), leaf: "1"})

    assert response.status_code == 200
    assert "您的修改未保存" in response.content.decode()
    indicator_id = int(leaf.removeprefix("points_"))
    assert fresh(evaluation).scores.get(indicator_id=indicator_id).points != 1
