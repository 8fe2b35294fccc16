"""The grade evaluation in the admin (R-EV-1..6): schemes (locked when in use, leaf sums),
opening an evaluation (eligibility explained), scoring, deciding, the expiring grades and the
statistics page."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts import roles
from evaluation.choices import EvaluationStatus
from evaluation.models import Evaluation, Indicator, Scheme, Score
from evaluation.services import evaluation_decide, evaluation_open, leaf_indicators
from tests.evaluation.test_rules import eligible, scored
from tests.factories import OrganizationFactory, make_user

pytestmark = pytest.mark.django_db

AS_OF = datetime.date(2017, 9, 1)


def opened(clerk, **kwargs):
    organization = eligible(clerk, **kwargs)
    return evaluation_open(organization=organization, year=2017, by=clerk, as_of=AS_OF)


def decided(clerk, *, total_other=770, on=datetime.date(2017, 12, 1), **kwargs):
    evaluation = opened(clerk, **kwargs)
    scored(evaluation, clerk, total_other=total_other)
    return evaluation_decide(evaluation=evaluation, by=clerk, decided_on=on)


def change_url(evaluation):
    return reverse("admin:evaluation_evaluation_change", args=[evaluation.pk])


def score_data(evaluation, **overrides):
    """The scoring form as shown: every leaf with its current points and reason."""
    data = {}
    scores = {s.indicator_id: s for s in evaluation.scores.all()}
    leaves = leaf_indicators(evaluation.scheme, evaluation.organization.organization_type)
    for indicator in leaves:
        score = scores.get(indicator.pk)
        data[f"points_{indicator.pk}"] = score.points if score else indicator.max_points // 2
        if indicator.is_party_building:
            data[f"reason_{indicator.pk}"] = score.reason if score else ""
    data.update(overrides)
    return data


# --- Schemes ----------------------------------------------------------------------------------


def scheme_form_data(scheme, **changes):
    indicators = list(scheme.indicators.order_by("parent_id", "position", "pk"))
    data = {
        "year": scheme.year,
        "name": scheme.name,
        "five_a_from": scheme.five_a_from,
        "four_a_from": scheme.four_a_from,
        "three_a_from": scheme.three_a_from,
        "two_a_from": scheme.two_a_from,
        "one_a_from": scheme.one_a_from,
        "party_building_min_share": scheme.party_building_min_share,
        "indicators-TOTAL_FORMS": len(indicators),
        "indicators-INITIAL_FORMS": len(indicators),
        "indicators-MIN_NUM_FORMS": 0,
        "indicators-MAX_NUM_FORMS": 1000,
    }
    for n, indicator in enumerate(indicators):
        prefix = f"indicators-{n}-"
        data.update(
            {
                prefix + "id": indicator.pk,
                prefix + "scheme": scheme.pk,
                prefix + "name": indicator.name,
                prefix + "parent": indicator.parent_id or "",
                prefix + "max_points": indicator.max_points,
                prefix + "organization_type": indicator.organization_type,
                prefix + "position": indicator.position,
            }
        )
        if indicator.is_party_building:
            data[prefix + "is_party_building"] = "on"
    data.update(changes)
    return data, indicators


def test_a_scheme_shows_its_leaf_sums_and_checks_them_on_save(client, clerk):
    scheme = Scheme.objects.get(year=2017)
    client.force_login(clerk)
    url = reverse("admin:evaluation_scheme_change", args=[scheme.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert [row["total"] for row in response.context["leaf_sums"]] == [1000, 1000, 1000]
    assert b'id="scheme-leaf-sums"' in response.content

    data, indicators = scheme_form_data(scheme)
    first = next(n for n, i in enumerate(indicators) if i.name == "基础条件")
    data[f"indicators-{first}-max_points"] = 90
    response = client.post(url, data)
    assert response.status_code == 200
    assert "末级指标分值之和应为1000分" in response.content.decode()
    assert Indicator.objects.get(pk=indicators[first].pk).max_points == 80

    data, _indicators = scheme_form_data(scheme, five_a_from=950)
    response = client.post(url, data)
    assert response.status_code == 302
    assert Scheme.objects.get(pk=scheme.pk).five_a_from == 950


def test_the_parent_select_offers_only_the_same_schemes_first_level(client, clerk):
    scheme = Scheme.objects.get(year=2017)
    client.force_login(clerk)
    response = client.get(reverse("admin:evaluation_scheme_change", args=[scheme.pk]))
    formset = response.context["inline_admin_formsets"][0].formset
    offered = set(formset.forms[0].fields["parent"].queryset.values_list("pk", flat=True))
    assert offered == set(
        scheme.indicators.filter(parent__isnull=True).values_list("pk", flat=True)
    )


def test_a_scheme_in_use_is_locked(client, clerk):
    opened(clerk)
    scheme = Scheme.objects.get(year=2017)
    assert scheme.in_use
    client.force_login(clerk)
    url = reverse("admin:evaluation_scheme_change", args=[scheme.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert b'id="scheme-locked"' in response.content
    assert not response.context["has_change_permission"]
    data, _indicators = scheme_form_data(scheme, five_a_from=950)
    response = client.post(url, data)
    assert response.status_code == 403
    assert Scheme.objects.get(pk=scheme.pk).five_a_from == 900
    delete = reverse("admin:evaluation_scheme_delete", args=[scheme.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert Scheme.objects.filter(pk=scheme.pk).exists()


# --- Opening ----------------------------------------------------------------------------------


def test_the_clerk_opens_an_evaluation_for_an_eligible_organization(client, clerk):
    organization = eligible(clerk)
    client.force_login(clerk)
    assert client.get(reverse("evaluation:open")).status_code == 200
    search = client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "evaluation",
            "model_name": "evaluation",
            "field_name": "organization",
            "term": organization.name,
        },
    )
    assert search.status_code == 200
    assert str(organization.pk) in [row["id"] for row in search.json()["results"]]
    response = client.post(
        reverse("evaluation:open"), {"organization": organization.pk, "year": 2017}
    )
    evaluation = Evaluation.objects.get(organization=organization, year=2017)
    assert evaluation.status == EvaluationStatus.SCORING
    assert response.status_code == 302
    assert response.url == reverse("evaluation:score", args=[evaluation.pk])
    assert evaluation.scores.filter(prefilled__isnull=False).count() == 3


def test_an_ineligible_organization_gets_the_reasons_in_chinese(client, clerk):
    organization = eligible(clerk)  # annual check 2016 only: 2018 is missing for 2019
    client.force_login(clerk)
    response = client.post(
        reverse("evaluation:open"), {"organization": organization.pk, "year": 2019}, follow=True
    )
    evaluation = Evaluation.objects.get(organization=organization, year=2019)
    assert evaluation.status == EvaluationStatus.INELIGIBLE
    content = response.content.decode()
    assert "未参加2018年度年检或年检尚未审核" in content
    assert 'id="ineligible-reasons"' in content
    assert response.context["evaluation_buttons"] == []


def test_an_organization_without_a_scheme_gets_the_services_message(client, clerk):
    organization = eligible(clerk)
    client.force_login(clerk)
    response = client.post(
        reverse("evaluation:open"), {"organization": organization.pk, "year": 2010}
    )
    assert response.status_code == 200
    assert "没有适用于2010年的评估指标体系" in response.content.decode()
    assert not Evaluation.objects.exists()


# --- Scoring and deciding ---------------------------------------------------------------------


def test_the_change_page_offers_score_and_decide_while_scoring(client, clerk, committee_user):
    evaluation = opened(clerk)
    client.force_login(clerk)
    response = client.get(change_url(evaluation))
    assert [b["label"] for b in response.context["evaluation_buttons"]] == ["评分", "确定评估等级"]
    assert b'id="evaluation-scores"' in response.content
    client.force_login(committee_user)
    response = client.get(change_url(evaluation))
    assert response.status_code == 200
    assert response.context["evaluation_buttons"] == []
    assert client.get(reverse("evaluation:score", args=[evaluation.pk])).status_code == 403
    assert client.get(reverse("evaluation:open")).status_code == 403


def test_the_scoring_page_refuses_a_score_above_the_maximum(client, clerk):
    evaluation = opened(clerk)
    client.force_login(clerk)
    url = reverse("evaluation:score", args=[evaluation.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert len([g for g in response.context["form"].groups]) == 5  # first-level groups
    basic = evaluation.scheme.indicators.get(name="基础条件")
    response = client.post(url, score_data(evaluation, **{f"points_{basic.pk}": 81}))
    assert response.status_code == 200
    assert "“基础条件”最高80分，不能打81分。" in response.content.decode()
    assert not evaluation.scores.filter(indicator=basic).exists()  # nothing saved


def test_a_changed_party_building_score_needs_a_reason(client, clerk):
    evaluation = opened(clerk)
    client.force_login(clerk)
    url = reverse("evaluation:score", args=[evaluation.pk])
    prefilled = evaluation.scores.select_related("indicator").first()
    data = score_data(evaluation, **{f"points_{prefilled.indicator_id}": 0})
    response = client.post(url, data)
    assert response.status_code == 200
    assert "调整须写明理由" in response.content.decode()
    assert Score.objects.get(pk=prefilled.pk).points == prefilled.points
    assert evaluation.scores.count() == 3  # the other leaves were not saved either

    data[f"reason_{prefilled.indicator_id}"] = "现场核查未见活动记录"
    response = client.post(url, data)
    assert response.status_code == 302
    score = Score.objects.get(pk=prefilled.pk)
    assert (score.points, score.reason) == (0, "现场核查未见活动记录")
    assert evaluation.scores.count() == len(
        leaf_indicators(evaluation.scheme, evaluation.organization.organization_type)
    )


def test_deciding_shows_the_explanation(client, clerk):
    evaluation = opened(clerk, covered=False, members=0)
    scored(evaluation, clerk, total_other=770, party=1.0)
    client.force_login(clerk)
    url = reverse("evaluation:decide", args=[evaluation.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, follow=True)
    evaluation.refresh_from_db()
    assert evaluation.status == EvaluationStatus.DECIDED
    assert evaluation.explanation == "总分 820 → 4A；无党组织覆盖，降为 3A"
    content = response.content.decode()
    assert "总分 820 → 4A；无党组织覆盖，降为 3A" in content
    assert 'id="evaluation-explanation"' in content
    assert response.context["evaluation_buttons"] == []
    assert client.post(url).status_code == 200  # no longer scoring: the message, no change


def test_deciding_with_missing_scores_names_them(client, clerk):
    evaluation = opened(clerk)
    client.force_login(clerk)
    response = client.post(reverse("evaluation:decide", args=[evaluation.pk]))
    assert response.status_code == 200
    assert "还有指标未打分" in response.content.decode()
    evaluation.refresh_from_db()
    assert evaluation.status == EvaluationStatus.SCORING


def test_the_supervisory_unit_sees_only_its_organizations(client, clerk):
    evaluation = opened(clerk)  # directly registered: no supervisory unit
    other = OrganizationFactory()
    unit_user = make_user(roles.SUPERVISORY_UNIT, supervisory_unit=other.supervisory_unit)
    client.force_login(unit_user)
    response = client.get(reverse("admin:evaluation_evaluation_changelist"))
    assert response.status_code == 200
    assert response.context["cl"].result_count == 0
    assert client.get(change_url(evaluation)).status_code == 302  # the admin's "not found"
    assert client.get(reverse("evaluation:decide", args=[evaluation.pk])).status_code == 403


# --- Lists ------------------------------------------------------------------------------------


def test_the_evaluation_list_runs_a_flat_number_of_queries(client, clerk):
    decided(clerk)
    opened(clerk)
    client.force_login(clerk)
    url = reverse("admin:evaluation_evaluation_changelist")
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for _n in range(3):
        decided(clerk)
    with CaptureQueriesContext(connection) as more:
        response = client.get(url)
    assert response.context["cl"].result_count == 5
    assert len(more.captured_queries) == len(few.captured_queries)
    assert b"open-evaluation-link" in response.content


def test_expiring_grades_are_listed_and_counted_on_the_index(client, clerk):
    from django.utils import timezone

    today = timezone.localdate()
    soon = decided(clerk, on=today.replace(year=today.year - 5) + datetime.timedelta(days=30))
    decided(clerk)  # expired long ago
    client.force_login(clerk)
    response = client.get(reverse("evaluation:expiring"))
    assert list(response.context["evaluations"]) == [soon]
    response = client.get(reverse("admin:index"))
    assert "评估等级即将到期 1 家" in response.content.decode()
    assert reverse("evaluation:statistics") in response.content.decode()


def test_the_statistics_page_shows_grades_and_the_party_organization_share(client, clerk):
    decided(clerk, total_other=860)  # 5A, covered
    decided(clerk, total_other=770)  # 4A, covered
    decided(clerk, total_other=770, covered=False, members=0)  # 4A → 3A, not covered
    decided(clerk, total_other=560)  # 2A
    client.force_login(clerk)
    response = client.get(reverse("evaluation:statistics"))  # the latest year by default
    assert response.status_code == 200
    assert response.context["year"] == 2017
    report = response.context["report"]
    assert (report["new_3a_plus"], report["new_3a_plus_with_party_org"]) == (3, 2)
    assert response.context["rate_percent"] == 66.7
    counts = {row["grade"]: row["count"] for row in response.context["rows"]}
    assert counts == {"5A": 1, "4A": 1, "3A": 1, "2A": 1, "1A": 0, "none": 0}
    content = response.content.decode()
    assert 'id="evaluation-statistics-data"' in content
    assert "66.7%" in content
    assert "<script>" not in content  # chart data by json_script, the chart by static JS
    empty = client.get(reverse("evaluation:statistics"), {"year": 2015})
    assert empty.context["report"]["evaluated"] == 0


def test_a_new_scheme_is_added_with_first_level_indicators_summing_to_1000(client, clerk):
    client.force_login(clerk)
    url = reverse("admin:evaluation_scheme_add")
    assert client.get(url).status_code == 200
    rows = [("基础条件", 100, ""), ("内部治理", 400, ""), ("工作绩效", 400, "")]
    rows += [("社会评价", 50, ""), ("党建工作", 50, "")]
    data = {
        "year": 2020,
        "name": "社会组织评估指标（2020版）",
        "five_a_from": 900,
        "four_a_from": 800,
        "three_a_from": 700,
        "two_a_from": 600,
        "one_a_from": 500,
        "party_building_min_share": "0.60",
        "indicators-TOTAL_FORMS": len(rows),
        "indicators-INITIAL_FORMS": 0,
        "indicators-MIN_NUM_FORMS": 0,
        "indicators-MAX_NUM_FORMS": 1000,
    }
    for n, (name, points, only_for) in enumerate(rows):
        data.update(
            {
                f"indicators-{n}-name": name,
                f"indicators-{n}-max_points": points,
                f"indicators-{n}-organization_type": only_for,
                f"indicators-{n}-position": n,
            }
        )
    data["indicators-4-is_party_building"] = "on"
    data["indicators-0-max_points"] = 90
    response = client.post(url, data)
    assert response.status_code == 200
    assert "末级指标分值之和应为1000分" in response.content.decode()
    assert not Scheme.objects.filter(year=2020).exists()
    data["indicators-0-max_points"] = 100
    assert client.post(url, data).status_code == 302
    scheme = Scheme.objects.get(year=2020)
    assert sum(i.max_points for i in leaf_indicators(scheme, "foundation")) == 1000
    evaluation_list = client.get(reverse("admin:evaluation_scheme_changelist"))
    assert evaluation_list.status_code == 200
