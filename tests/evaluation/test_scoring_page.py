"""The scoring and deciding pages for the evaluator (issue 19): the box in error is marked, the
total so far is shown, and deciding shows the grade, with the one-grade-lower step in words,
before the clerk confirms it."""

import re

import pytest
from django.urls import reverse

from evaluation.choices import EvaluationStatus
from tests.evaluation.test_admin import opened, score_data
from tests.evaluation.test_rules import scored

pytestmark = pytest.mark.django_db


def row_of(html, field_name):
    return re.search(rf'<tr class="([^"]*)">(?:(?!</tr>).)*name="{field_name}"', html, re.S)


def test_the_box_in_error_is_marked(client, clerk):
    evaluation = opened(clerk)
    client.force_login(clerk)
    url = reverse("evaluation:score", args=[evaluation.pk])
    basic = evaluation.scheme.indicators.get(name="基础条件")
    prefilled = evaluation.scores.select_related("indicator").first()
    data = score_data(
        evaluation, **{f"points_{basic.pk}": 81, f"points_{prefilled.indicator_id}": 0}
    )
    response = client.post(url, data)
    form = response.context["form"]
    assert form.errors[f"points_{basic.pk}"] == ["“基础条件”最高80分，不能打81分。"]
    assert "调整须写明理由" in form.errors[f"reason_{prefilled.indicator_id}"][0]
    html = response.content.decode()
    assert "has-error" in row_of(html, f"points_{basic.pk}").group(1)
    assert "has-error" in row_of(html, f"reason_{prefilled.indicator_id}").group(1)
    marked = {f"points_{basic.pk}", f"points_{prefilled.indicator_id}"}
    other = next(name for name in data if name.startswith("points_") and name not in marked)
    assert "has-error" not in row_of(html, other).group(1)


def test_the_page_shows_the_total_so_far(client, clerk):
    evaluation = opened(clerk)
    scored(evaluation, clerk, total_other=770)
    client.force_login(clerk)
    response = client.get(reverse("evaluation:score", args=[evaluation.pk]))
    total = sum(score.points for score in evaluation.scores.all())
    assert response.context["total_so_far"] == total
    assert f'id="running-total" aria-live="polite">{total}</td>' in response.content.decode()
    assert "js/evaluation-score.js" in response.content.decode()


def test_deciding_previews_the_grade_and_the_step_down_before_confirming(client, clerk):
    evaluation = opened(clerk, covered=False, members=0)
    scored(evaluation, clerk, total_other=770, party=1.0)
    client.force_login(clerk)
    url = reverse("evaluation:decide", args=[evaluation.pk])
    html = client.get(url).content.decode()
    preview = re.search(r'id="grade-preview">.*?</div>', html, re.S).group(0)
    assert "总分 820 分，按评估等级标准为 4A。" in preview
    assert (
        "无党组织覆盖：没有党组织覆盖或党建工作得分低于规定比例的，评估等级降低一个等级" in preview
    )
    assert 'id="previewed-grade">3A</strong>' in preview
    assert 'value="确认评定为 3A"' in html
    evaluation.refresh_from_db()
    assert evaluation.status == EvaluationStatus.SCORING  # nothing decided by looking
    client.post(url)
    evaluation.refresh_from_db()
    assert (evaluation.status, evaluation.grade) == (EvaluationStatus.DECIDED, "3A")
