"""Grade evaluation (R-EV-1..6), through the services, without HTTP."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from annualcheck.services import annual_check_review
from evaluation.choices import EvaluationStatus, Grade
from evaluation.models import Indicator, Scheme
from evaluation.reference_data import CHARTER_CLAUSE, PARTY_ORGANIZATION
from evaluation.selectors import evaluation_report, expiring_grades
from evaluation.services import (
    evaluation_decide,
    evaluation_open,
    evaluation_score,
    leaf_indicators,
    scheme_for,
)
from tests.annualcheck.test_rules import submitted
from tests.factories import OrganizationFactory, add_members, found_party_organization

pytestmark = pytest.mark.django_db

OLD = datetime.date(2012, 3, 10)


def checked(organization, clerk, results):
    """Annual checks reviewed with the given results, {year: result}."""
    for year, result in results.items():
        annual_check = submitted(
            organization,
            on=datetime.date(year + 1, 3, 1),
            year=year,
            party_organization_name="某党支部",
            activities_held=12,
            charter_has_clause=True,
        )
        annual_check_review(
            annual_check=annual_check,
            by=clerk,
            result=result,
            reason="测试" if result != "unqualified" else "",
            today=datetime.date(year + 1, 5, 1),
        )


def eligible(clerk, *, covered=True, members=3):
    organization = OrganizationFactory(supervisory_unit=None, established_on=OLD, registered_on=OLD)
    add_members(organization, members)
    if covered:
        found_party_organization(organization, founded_on=datetime.date(2015, 1, 1))
    checked(organization, clerk, {2016: "qualified"})
    return organization


def scored(evaluation, clerk, *, total_other, party=None):
    """Points so that the non-Party-building leaves sum to `total_other`."""
    leaves = leaf_indicators(evaluation.scheme, evaluation.organization.organization_type)
    others = [i for i in leaves if not i.is_party_building]
    capacity = sum(i.max_points for i in others)
    points, left = {}, total_other
    for indicator in others:
        value = min(indicator.max_points, round(total_other * indicator.max_points / capacity))
        points[indicator.pk] = value
        left -= value
    points[others[0].pk] += left
    reasons = {}
    if party is not None:
        for indicator in leaves:
            if indicator.is_party_building:
                points[indicator.pk] = round(indicator.max_points * party)
                reasons[indicator.pk] = "现场核查调整"
    evaluation_score(evaluation=evaluation, by=clerk, points=points, reasons=reasons)
    return evaluation


def test_r_ev_1_grade_from_thresholds_valid_five_years(clerk):
    organization = eligible(clerk)
    evaluation = evaluation_open(
        organization=organization, year=2017, by=clerk, as_of=datetime.date(2017, 9, 1)
    )
    scored(evaluation, clerk, total_other=770)
    decided = evaluation_decide(
        evaluation=evaluation, by=clerk, decided_on=datetime.date(2017, 12, 1)
    )
    assert decided.total == 770 + decided.party_building_score
    assert decided.grade == Grade.FOUR_A
    assert decided.valid_until == datetime.date(2022, 12, 1)
    assert decided.explanation.startswith(f"总分 {decided.total} → 4A")


def test_r_ev_2_party_building_is_20_points_before_2017_and_50_from_2017():
    def party_max(year):
        scheme = scheme_for(year)
        return sum(
            i.max_points for i in leaf_indicators(scheme, "social_group") if i.is_party_building
        )

    assert (party_max(2016), party_max(2017), party_max(2018)) == (20, 50, 50)
    for scheme in Scheme.objects.all():
        for kind in ("social_group", "private_non_enterprise", "foundation"):
            assert sum(i.max_points for i in leaf_indicators(scheme, kind)) == 1000


def test_r_ev_3_no_party_organization_coverage_costs_one_grade(clerk):
    organization = eligible(clerk, covered=False, members=0)
    evaluation = evaluation_open(
        organization=organization, year=2017, by=clerk, as_of=datetime.date(2017, 9, 1)
    )
    scored(evaluation, clerk, total_other=860, party=1.0)
    decided = evaluation_decide(
        evaluation=evaluation, by=clerk, decided_on=datetime.date(2017, 12, 1)
    )
    assert (decided.grade_by_score, decided.grade, decided.downgraded) == ("5A", "4A", True)
    assert "无党组织覆盖，降为 4A" in decided.explanation


def test_r_ev_3_a_low_party_building_score_costs_one_grade_and_1a_becomes_none(clerk):
    organization = eligible(clerk)
    evaluation = evaluation_open(
        organization=organization, year=2017, by=clerk, as_of=datetime.date(2017, 9, 1)
    )
    scored(evaluation, clerk, total_other=510, party=0.4)
    decided = evaluation_decide(
        evaluation=evaluation, by=clerk, decided_on=datetime.date(2017, 12, 1)
    )
    assert (decided.grade_by_score, decided.grade) == ("1A", "none")
    assert decided.valid_until is None


def test_r_ev_3_the_prefilled_party_building_score_needs_a_reason_to_change(clerk):
    organization = eligible(clerk)
    evaluation = evaluation_open(
        organization=organization, year=2017, by=clerk, as_of=datetime.date(2017, 9, 1)
    )
    party = [s for s in evaluation.scores.select_related("indicator")]
    assert sum(s.points for s in party) == 50  # own branch, clause, 12 activities
    first = party[0]
    with pytest.raises(ValidationError, match="理由"):
        evaluation_score(evaluation=evaluation, by=clerk, points={first.indicator_id: 0})
    with pytest.raises(ValidationError, match="最高"):
        evaluation_score(
            evaluation=evaluation,
            by=clerk,
            points={first.indicator_id: first.indicator.max_points + 1},
            reasons={first.indicator_id: "x"},
        )


def test_the_prefill_knows_its_indicators_by_code_not_by_name(clerk):
    """A clerk may reword an indicator's name; the coverage share still lands on it."""
    organization = eligible(clerk, covered=False)
    Indicator.objects.filter(code=PARTY_ORGANIZATION).update(name="党组织组建情况")
    evaluation = evaluation_open(
        organization=organization, year=2017, by=clerk, as_of=datetime.date(2017, 9, 1)
    )
    prefilled = {s.indicator.code: s.points for s in evaluation.scores.select_related("indicator")}
    # 3 members, no Party organization: no coverage at all, whatever the name says.
    assert prefilled[PARTY_ORGANIZATION] == 0
    assert prefilled[CHARTER_CLAUSE] == 10


def test_r_ev_4_should_build_not_built_cannot_be_evaluated_from_2018(clerk):
    organization = eligible(clerk, covered=False, members=3)
    checked(organization, clerk, {2017: "basically_qualified"})
    before = evaluation_open(
        organization=organization, year=2017, by=clerk, as_of=datetime.date(2017, 9, 1)
    )
    assert before.status == EvaluationStatus.SCORING
    refused = evaluation_open(
        organization=organization, year=2018, by=clerk, as_of=datetime.date(2018, 9, 1)
    )
    assert refused.status == EvaluationStatus.INELIGIBLE
    assert any("应建未建" in reason for reason in refused.ineligible_reasons)


@pytest.mark.parametrize(
    ("registered_on", "results", "expected"),
    [
        (datetime.date(2016, 3, 1), {2016: "qualified"}, "登记未满2年"),
        (OLD, {}, "未参加2016年度年检"),
        (OLD, {2016: "unqualified"}, "2016年度年检不合格"),
        (OLD, {2015: "basically_qualified", 2016: "basically_qualified"}, "连续两年年检基本合格"),
    ],
)
def test_r_ev_5_eligibility(clerk, registered_on, results, expected):
    organization = OrganizationFactory(
        supervisory_unit=None, established_on=registered_on, registered_on=registered_on
    )
    found_party_organization(organization, founded_on=datetime.date(2016, 6, 1))
    checked(organization, clerk, results)
    evaluation = evaluation_open(
        organization=organization, year=2017, by=clerk, as_of=datetime.date(2017, 9, 1)
    )
    assert evaluation.status == EvaluationStatus.INELIGIBLE
    assert any(expected in reason for reason in evaluation.ineligible_reasons)


def test_r_ev_6_share_of_new_3a_plus_with_party_organization_coverage(clerk):
    decided_on = datetime.date(2017, 12, 1)
    for covered, other in [(True, 800), (True, 800), (True, 700), (False, 880), (True, 500)]:
        organization = eligible(clerk, covered=covered, members=3 if covered else 0)
        evaluation = evaluation_open(
            organization=organization, year=2017, by=clerk, as_of=datetime.date(2017, 9, 1)
        )
        scored(evaluation, clerk, total_other=other, party=1.0)
        evaluation_decide(evaluation=evaluation, by=clerk, decided_on=decided_on)
    report = evaluation_report(year=2017)
    # 850, 850, 750 covered (4A, 4A, 3A); 930 uncovered → 5A downgraded to 4A; 550 → 1A.
    assert report["by_grade"]["4A"] == 3 and report["by_grade"]["3A"] == 1
    assert (report["new_3a_plus"], report["new_3a_plus_with_party_org"]) == (4, 3)
    assert report["new_3a_plus_party_org_rate"] == 0.75
    assert report["evaluated"] == 5
    assert list(expiring_grades(today=datetime.date(2022, 8, 1)))  # within 6 months of expiry


def test_r_ev_6_is_on_the_coverage_dashboard(client, clerk, committee_user):
    from django.urls import reverse

    decided_on = datetime.date(2017, 12, 1)
    for covered in (True, False):
        organization = eligible(clerk, covered=covered, members=3 if covered else 0)
        evaluation = evaluation_open(
            organization=organization, year=2017, by=clerk, as_of=datetime.date(2017, 9, 1)
        )
        scored(evaluation, clerk, total_other=800, party=1.0)
        evaluation_decide(evaluation=evaluation, by=clerk, decided_on=decided_on)
    client.force_login(committee_user)
    page = client.get(reverse("partybuilding:dashboard"))
    panel = page.context["panels"][0]
    assert panel["evaluation_year"] == 2017
    assert panel["evaluation_report"]["new_3a_plus"] == 2
    assert panel["evaluation_rate"] == "50.0%"
    assert 'id="new-3a-plus-rate">50.0%' in page.content.decode()
