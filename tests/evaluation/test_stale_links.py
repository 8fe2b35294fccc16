"""Issue 19: the scoring link of an evaluation whose grade is already decided shows the
evaluation and who decided it, not HTTP 500."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from evaluation.choices import EvaluationStatus
from tests.evaluation.test_admin import decided
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def test_a_stale_scoring_link_shows_the_decided_evaluation(client, clerk):
    clerk.first_name = "王丽"
    clerk.save()
    evaluation = decided(clerk, on=datetime.date(2017, 12, 1))
    assert evaluation.status == EvaluationStatus.DECIDED
    client.force_login(make_user("clerk", username="clerk-two"))
    response = client.get(reverse("evaluation:score", args=[evaluation.pk]))
    change = reverse("admin:evaluation_evaluation_change", args=[evaluation.pk])
    assert response.status_code == 302
    assert response["Location"] == change
    [message] = [str(m) for m in get_messages(response.wsgi_request)]
    assert message.startswith("该评估已由 王丽 于")
    assert "当前状态为“已评定等级”" in message
    assert "该评估已由 王丽 于" in client.get(change).content.decode()
