"""The evaluation path in the browser (R-EV-1, R-EV-3): a clerk opens an organization's 2017
evaluation, keeps the prefilled Party-building points, enters the other leaves, saves and
decides; the grade by the score is 5A, but the organization has no Party organization coverage,
so it ends one grade lower, 4A, with the explanation saying so. The organization then sees its
grade, the explanation and the validity date in the portal."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from playwright.sync_api import expect

from accounts import roles
from evaluation.choices import EvaluationStatus, Grade
from evaluation.models import Evaluation
from evaluation.services import leaf_indicators, scheme_for
from tests.browser.conftest import admin_login, portal_login
from tests.evaluation.test_rules import checked, eligible
from tests.factories import make_organization_user, make_user

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

PASSWORD = "Test-password-2018"
YEAR = 2017
BELOW_MAXIMUM = 5  # points taken off each leaf that is not Party building


@pytest.fixture
def people():
    clerk = make_user(roles.CLERK, username="clerk-qian")
    # Registered in 2012, the 2016 annual check reviewed 合格, no Party organization and no
    # members: eligible for 2017 (R-EV-4 bars 应建未建 only from 2018) but not covered (R-EV-3).
    organization = eligible(clerk, covered=False, members=0)
    if YEAR != 2017:  # eligible() reviews the 2016 check; the year opened needs the year before
        checked(organization, clerk, {YEAR - 1: "qualified"})
    return {
        "clerk": clerk,
        "organization": organization,
        "user": make_organization_user(organization),
    }


def zh(label) -> str:
    with translation.override("zh-hans"):
        return str(label)


def test_clerk_scores_and_decides_organization_sees_downgraded_grade(
    live_server, page, open_page, people
):
    organization = people["organization"]
    leaves = leaf_indicators(scheme_for(YEAR), organization.organization_type)
    party = [leaf for leaf in leaves if leaf.is_party_building]
    others = [leaf for leaf in leaves if not leaf.is_party_building]
    assert party and others

    # --- The clerk opens the evaluation from the admin index -----------------------------------
    clerk_page = open_page()
    admin_login(clerk_page, live_server, people["clerk"])
    clerk_page.locator("#open-evaluation-row a").click()
    clerk_page.wait_for_url(re.compile(r"/admin/evaluation/open/$"))
    expect(clerk_page.locator("#id_year")).to_have_value(str(timezone.localdate().year))
    clerk_page.fill("#id_year", str(YEAR))
    # The organization is an autocomplete (select2) field, searched by credit code.
    clerk_page.locator(".field-organization .select2-selection").click()
    clerk_page.locator(".select2-container--open .select2-search__field").fill(
        organization.credit_code
    )
    option = clerk_page.locator(".select2-results__option", has_text=organization.name)
    expect(option).to_have_count(1)
    option.click()
    expect(clerk_page.locator("#id_organization")).to_have_value(str(organization.pk))
    clerk_page.locator("#content-main input[type=submit]").click()
    clerk_page.wait_for_url(re.compile(r"/admin/evaluation/evaluations/\d+/score/$"))
    evaluation = Evaluation.objects.get(organization=organization)
    assert evaluation.year == YEAR
    assert evaluation.status == EvaluationStatus.SCORING
    assert evaluation.ineligible_reasons == []
    assert clerk_page.url.endswith(reverse("evaluation:score", args=[evaluation.pk]))
    expect(clerk_page.locator(".messagelist .success")).to_have_count(1)

    # --- Scoring: the Party-building points are prefilled from the records (R-EV-3) ------------
    prefilled = {s.indicator_id: s.prefilled for s in evaluation.scores.all()}
    assert set(prefilled) == {leaf.pk for leaf in party}
    for leaf in party:
        row = clerk_page.locator(
            "tr.party-building-row", has=clerk_page.locator(f"#id_points_{leaf.pk}")
        )
        expect(row).to_contain_text(leaf.name)
        expect(clerk_page.locator(f"#id_points_{leaf.pk}")).to_have_value(str(prefilled[leaf.pk]))
    by_name = {leaf.name: prefilled[leaf.pk] for leaf in party}
    assert by_name["党组织建设"] == 0  # no Party organization, no coverage of any kind
    for leaf in others:
        field = clerk_page.locator(f"#id_points_{leaf.pk}")
        expect(field).to_have_value("")
        field.fill(str(leaf.max_points - BELOW_MAXIMUM))
    total = sum(leaf.max_points - BELOW_MAXIMUM for leaf in others) + sum(prefilled.values())
    assert total >= 900  # 5A by the score (R-EV-1 default thresholds)
    clerk_page.locator("#content-main input[type=submit][name=_decide]").click()
    clerk_page.wait_for_url(re.compile(rf"/admin/evaluation/evaluations/{evaluation.pk}/decide/$"))
    expect(clerk_page.locator(".messagelist .success")).to_have_count(1)
    expect(clerk_page.locator(".errorlist")).to_have_count(0)
    expect(clerk_page.locator(".evaluation-decide > p").first).to_contain_text(str(total))
    for leaf in others:
        expect(clerk_page.locator("#evaluation-scores")).to_contain_text(leaf.name)

    # --- Deciding: 5A by the score, one grade lower without coverage (R-EV-3) -----------------
    clerk_page.locator("#content-main form input[type=submit].default").click()
    clerk_page.wait_for_url(re.compile(rf"/admin/evaluation/evaluation/{evaluation.pk}/change/$"))
    today = timezone.localdate()
    evaluation.refresh_from_db()
    assert evaluation.status == EvaluationStatus.DECIDED
    assert evaluation.total == total
    assert evaluation.party_building_score == sum(prefilled.values())
    assert evaluation.grade_by_score == Grade.FIVE_A
    assert evaluation.grade == Grade.FOUR_A
    assert evaluation.downgraded is True
    assert evaluation.had_party_organization is False
    assert evaluation.explanation.startswith(f"总分 {total} → 5A；")
    assert "无党组织覆盖" in evaluation.explanation
    assert evaluation.explanation.endswith("降为 4A")
    assert evaluation.decided_on == today
    # Valid five years from the decision (R-EV-1); 29 February ends on the 28th.
    try:
        valid_until = today.replace(year=today.year + 5)
    except ValueError:
        valid_until = today.replace(year=today.year + 5, day=28)
    assert evaluation.valid_until == valid_until
    assert evaluation.decided_by == people["clerk"]

    message = clerk_page.locator(".messagelist .success")
    expect(message).to_contain_text("总分")
    expect(message).to_contain_text("降为")
    expect(message).to_contain_text(evaluation.explanation)
    explanation = clerk_page.locator("#evaluation-explanation")
    expect(explanation).to_contain_text(f"总分 {total}")
    expect(explanation).to_contain_text("无党组织覆盖，降为 4A")
    expect(clerk_page.locator(".field-grade_by_score .readonly")).to_have_text("5A")
    expect(clerk_page.locator(".field-grade .readonly")).to_have_text("4A")
    expect(clerk_page.locator(".field-total .readonly")).to_have_text(str(total))
    # Decided: no more scoring buttons.
    expect(clerk_page.locator("a.review-move")).to_have_count(0)

    # --- The organization sees its grade, the explanation and the validity date --------------
    portal_login(page, live_server, organization)
    page.locator("#evaluations-link").click()
    page.wait_for_url(re.compile(r"/portal/evaluations/$"))
    rows = page.locator(".evaluation-list tbody tr")
    expect(rows).to_have_count(1)
    row = rows.first
    expect(row.locator("td").first).to_have_text(str(YEAR))
    expect(row.locator(f".badge.status-{EvaluationStatus.DECIDED}")).to_have_text(
        zh(EvaluationStatus.DECIDED.label)
    )
    expect(row.locator(".grade")).to_have_text(zh(Grade.FOUR_A.label))
    expect(row).to_contain_text(evaluation.explanation)
    expect(row).to_contain_text(valid_until.isoformat())

    row.locator(f"a[href='{reverse('portal:evaluation', args=[evaluation.pk])}']").click()
    page.wait_for_url(re.compile(rf"/portal/evaluations/{evaluation.pk}/$"))
    result = page.locator(".evaluation-result")
    expect(result.locator(".grade")).to_have_text(zh(Grade.FOUR_A.label))
    expect(result.locator(".explanation")).to_have_text(evaluation.explanation)
    expect(result).to_contain_text(str(total))
    expect(result).to_contain_text(today.isoformat())
    expect(result).to_contain_text(valid_until.isoformat())
    scores = page.locator("table.evaluation-scores")
    for leaf in others:
        expect(scores).to_contain_text(leaf.name)
