"""Writes of the grade evaluation (R-EV-1..5). Eligibility is checked first and explained;
scores never exceed an indicator's maximum; the grade comes from the thresholds, then the
Party-building downgrade, and every step is written into the explanation. Who may take each
step, the version check and the event rows: evaluation.workflow and the shared mover."""

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext

from annualcheck.choices import CheckResult
from annualcheck.models import AnnualCheck
from core import calendar
from core.concurrency import version_check_and_bump
from credit.choices import CreditList
from credit.listings import listed_since
from partybuilding.standings.selectors import with_party_building
from registry.models import Organization

from .choices import EvaluationStatus, Grade, one_grade_lower
from .models import Evaluation, Scheme, Score
from .reference_data import CHARTER_CLAUSE, PARTY_ORGANIZATION
from .workflow import CLERK, EVALUATION_WORKFLOW, OPENERS, SCORERS, evaluation_acts_as

# R-EV-4 applies from this year on (the article: "2018年起应建未建的将直接取消评估资格").
SHOULD_BUILD_BARS_FROM = 2018
ACTIVITIES_FOR_FULL_POINTS = 12  # a monthly Party day
# R-EV-5: an organization is evaluated once registered this many years.
REGISTERED_YEARS_BEFORE_EVALUATION = 2
GRADE_VALID_YEARS = 5  # R-EV-1


def scheme_for(year: int) -> Scheme:
    scheme = Scheme.objects.filter(year__lte=year).order_by("-year").first()
    if scheme is None:
        raise ValidationError(
            gettext("No scoring scheme applies to %(year)s."), params={"year": year}
        )
    return scheme


def _add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _party_building_row(organization, as_of):
    return with_party_building(Organization.objects.filter(pk=organization.pk), as_of=as_of).get()


def eligibility_problems(
    *, organization: Organization, year: int, as_of: datetime.date
) -> list[str]:
    """R-EV-4 and R-EV-5, in Chinese, one sentence each."""
    problems = []
    if organization.registration_ended_on is not None:
        # R-DEREG-10: an organization whose registration has ended is not evaluated any more.
        problems.append(
            gettext("Its registration ended on %(date)s.")
            % {"date": calendar.long_date(organization.registration_ended_on)}
        )
    if _add_years(organization.registered_on, REGISTERED_YEARS_BEFORE_EVALUATION) > as_of:
        problems.append(
            gettext("Registered less than %(years)d years ago (on %(date)s).")
            % {
                "years": REGISTERED_YEARS_BEFORE_EVALUATION,
                "date": calendar.long_date(organization.registered_on),
            }
        )
    results = dict(
        AnnualCheck.objects.filter(
            organization=organization, year__in=[year - 1, year - 2], result__gt=""
        ).values_list("year", "result")
    )
    last = results.get(year - 1)
    if last is None:
        problems.append(
            gettext("No annual check for %(year)s, or it is not reviewed yet.") % {"year": year - 1}
        )
    elif last == CheckResult.UNQUALIFIED:
        problems.append(
            gettext("The annual check for %(year)s is unqualified.") % {"year": year - 1}
        )
    elif last == results.get(year - 2) == CheckResult.BASICALLY_QUALIFIED:
        problems.append(
            gettext("The annual checks for %(first)s and %(second)s are both basically qualified.")
            % {"first": year - 2, "second": year - 1}
        )
    if (
        year >= SHOULD_BUILD_BARS_FROM
        and _party_building_row(organization, as_of).should_build_not_built
    ):
        problems.append(
            gettext(
                "Able to build its own Party organization but has built none (should build, "
                "not built): not eligible for evaluation."
            )
        )
    problems.extend(_listing_problems(organization, as_of))
    return problems


def _listing_problems(organization: Organization, as_of: datetime.date) -> list[str]:
    """R-CR-16: not evaluated while on the serious-violation list (CREDIT
    ["LISTED_BLOCKS_EVALUATION"]) nor, where the bureau applies the 2021 national rule, on the
    abnormal-activity list (CREDIT["ABNORMAL_BLOCKS_EVALUATION"])."""
    barring = [
        credit_list
        for credit_list, setting, default in (
            (CreditList.SERIOUS, "LISTED_BLOCKS_EVALUATION", True),
            (CreditList.ABNORMAL, "ABNORMAL_BLOCKS_EVALUATION", False),
        )
        if settings.CREDIT.get(setting, default)
    ]
    if not barring:
        return []
    serious, abnormal = listed_since([organization.pk], as_of).get(organization.pk, (None, None))
    since = {CreditList.SERIOUS: serious, CreditList.ABNORMAL: abnormal}
    return [
        gettext("On the %(list)s since %(date)s: not eligible for evaluation.")
        % {"list": credit_list.label, "date": calendar.long_date(since[credit_list])}
        for credit_list in barring
        if since[credit_list] is not None
    ]


def leaf_indicators(scheme: Scheme, organization_type: str):
    """The indicators points are entered for: leaves of the tree that apply to the type."""
    indicators = list(scheme.indicators.all())
    parents = {i.parent_id for i in indicators if i.parent_id}
    applies = {
        i.pk
        for i in indicators
        if not i.parent_id and i.organization_type in ("", organization_type)
    }
    return [
        i for i in indicators if i.pk not in parents and (i.pk in applies or i.parent_id in applies)
    ]


def party_building_prefill(
    *, organization: Organization, year: int, scheme: Scheme, as_of: datetime.date
) -> dict[int, int]:
    """The Party-building leaves scored from the records: coverage (组织覆盖), the charter clause
    and the activities reported in last year's annual check, in proportion to each maximum."""
    row = _party_building_row(organization, as_of)
    check = (
        AnnualCheck.objects.filter(organization=organization, year=year - 1)
        .select_related("party_building")
        .first()
    )
    report = getattr(check, "party_building", None) if check else None
    clause = bool(report and report.charter_has_clause)
    activities = report.activities_held if report else 0
    points = {}
    for indicator in leaf_indicators(scheme, organization.organization_type):
        if not indicator.is_party_building:
            continue
        if indicator.code == PARTY_ORGANIZATION:
            share = (
                1.0
                if row.has_own_party_organization
                else (0.8 if row.organization_covered else (0.3 if row.work_covered else 0.0))
            )
        elif indicator.code == CHARTER_CLAUSE:
            share = 1.0 if clause else 0.0
        else:
            share = min(activities, ACTIVITIES_FOR_FULL_POINTS) / ACTIVITIES_FOR_FULL_POINTS
        points[indicator.pk] = round(indicator.max_points * share)
    return points


@transaction.atomic
def evaluation_open(
    *, organization: Organization, year: int, by, as_of: datetime.date | None = None
) -> Evaluation:
    """Open the year's evaluation: ineligible with the reasons, or ready to be scored with the
    Party-building indicator prefilled."""
    if not any(
        evaluation_acts_as(by, actor, Evaluation(organization=organization)) for actor in OPENERS
    ):
        raise PermissionDenied(gettext("You can only ask for your own organization's evaluation."))
    existing = Evaluation.objects.filter(organization=organization, year=year).first()
    if existing:
        return existing
    as_of = as_of or calendar.today()
    scheme = scheme_for(year)
    problems = eligibility_problems(organization=organization, year=year, as_of=as_of)
    evaluation = Evaluation(
        organization=organization,
        year=year,
        scheme=scheme,
        status=EvaluationStatus.INELIGIBLE if problems else EvaluationStatus.SCORING,
        ineligible_reasons=problems,
    )
    evaluation._history_user = by
    evaluation.save()
    EVALUATION_WORKFLOW.log(
        evaluation, by, from_status="", to_status=evaluation.status, reason="；".join(problems)
    )
    if not problems:
        prefill = party_building_prefill(
            organization=organization, year=year, scheme=scheme, as_of=as_of
        )
        for indicator_id, points in prefill.items():
            Score.objects.create(
                evaluation=evaluation, indicator_id=indicator_id, points=points, prefilled=points
            )
    return evaluation


@transaction.atomic
def evaluation_score(
    *,
    evaluation: Evaluation,
    by,
    points: dict[int, int],
    reasons: dict[int, str] | None = None,
    expected_version: int | None = None,
) -> Evaluation:
    """Evaluators' points per leaf indicator; none above its maximum; a prefilled
    Party-building score changed only with a reason. Refused when the evaluation changed since
    the page showed `expected_version`."""
    evaluation = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
    if not any(evaluation_acts_as(by, actor, evaluation) for actor in SCORERS):
        raise PermissionDenied(
            gettext("Only the registration authority (the evaluation committee) scores.")
        )
    version_check_and_bump(evaluation, expected_version)
    if evaluation.status != EvaluationStatus.SCORING:
        raise ValidationError(gettext("This evaluation is not being scored."), code="status")
    reasons = reasons or {}
    leaves = {
        i.pk: i
        for i in leaf_indicators(evaluation.scheme, evaluation.organization.organization_type)
    }
    errors = []
    existing = {s.indicator_id: s for s in evaluation.scores.all()}
    for indicator_id, value in points.items():
        indicator = leaves.get(indicator_id)
        if indicator is None:
            errors.append(
                gettext("Indicator %(id)s does not apply to this organization.")
                % {"id": indicator_id}
            )
            continue
        # Each error names its indicator and field (params), so the page can mark the box.
        if value is None or value < 0 or value > indicator.max_points:
            errors.append(
                ValidationError(
                    gettext("“%(name)s” is worth at most %(max)s points, not %(value)s."),
                    code="points",
                    params={
                        "indicator_id": indicator_id,
                        "field": "points",
                        "name": indicator.name,
                        "max": indicator.max_points,
                        "value": value,
                    },
                )
            )
            continue
        score = existing.get(indicator_id)
        if (
            score
            and score.prefilled is not None
            and value != score.prefilled
            and not (reasons.get(indicator_id) or score.reason).strip()
        ):
            errors.append(
                ValidationError(
                    gettext(
                        "“%(name)s” was prefilled with %(prefilled)s points from the "
                        "Party-building records; give the reason for changing it."
                    ),
                    code="reason",
                    params={
                        "indicator_id": indicator_id,
                        "field": "reason",
                        "name": indicator.name,
                        "prefilled": score.prefilled,
                    },
                )
            )
    if errors:
        raise ValidationError(errors, code="points")
    for indicator_id, value in points.items():
        score = existing.get(indicator_id) or Score(
            evaluation=evaluation, indicator_id=indicator_id
        )
        score.points = value
        if indicator_id in reasons:
            score.reason = reasons[indicator_id].strip()
        score.save()
    # The evaluation is saved with its scores: its version moves on and its history names
    # the scorer, so another tab's scores or decision from before are refused.
    evaluation._history_user = by
    evaluation.save()
    return evaluation


def grade_for(total: int, scheme: Scheme) -> str:
    """R-EV-1."""
    for grade, threshold in scheme.thresholds():
        if total >= threshold:
            return grade
    return Grade.NONE


def grade_decision(evaluation: Evaluation, *, decided_on: datetime.date) -> dict:
    """What deciding `evaluation` now would give, without saving anything (the decide page
    shows it before the clerk confirms; evaluation_decide saves it): total → grade by the
    thresholds (R-EV-1) → one grade lower without Party organization coverage or below the
    Party-building minimum (R-EV-3). `missing` names the indicators not yet scored."""
    scheme = evaluation.scheme
    leaves = leaf_indicators(scheme, evaluation.organization.organization_type)
    scores = {s.indicator_id: s.points for s in evaluation.scores.all()}
    missing = [i.name for i in leaves if i.pk not in scores]
    total = sum(scores.get(i.pk, 0) for i in leaves)
    party_max = sum(i.max_points for i in leaves if i.is_party_building)
    party_score = sum(scores.get(i.pk, 0) for i in leaves if i.is_party_building)
    minimum_share = float(scheme.party_building_min_share)
    by_score = grade_for(total, scheme)
    covered = _party_building_row(evaluation.organization, decided_on).organization_covered
    steps = [
        gettext("Total %(total)s → %(grade)s") % {"total": total, "grade": Grade(by_score).label}
    ]
    reasons = []
    if not covered:
        reasons.append(gettext("no Party organization coverage"))
    if party_score < minimum_share * party_max:
        reasons.append(
            gettext("Party-building score %(score)s/%(max)s, below %(share)s")
            % {
                "score": party_score,
                "max": party_max,
                "share": f"{scheme.party_building_min_share:.0%}",
            }
        )
    grade = by_score
    if reasons and by_score != Grade.NONE:
        grade = one_grade_lower(by_score)
        steps.append(
            gettext("%(reasons)s, down to %(grade)s")
            % {"reasons": "、".join(reasons), "grade": Grade(grade).label}
        )
    return {
        "missing": missing,
        "total": total,
        "party_building_score": party_score,
        "party_building_max": party_max,
        "party_building_minimum": minimum_share * party_max,
        "covered": covered,
        "party_building_min_share": minimum_share,
        "grade_by_score": by_score,
        "grade_by_score_label": Grade(by_score).label,
        "downgrade_reasons": reasons,
        "grade": grade,
        "grade_label": Grade(grade).label,
        "steps": steps,
    }


@transaction.atomic
def evaluation_decide(
    *,
    evaluation: Evaluation,
    by,
    decided_on: datetime.date | None = None,
    expected_version: int | None = None,
) -> Evaluation:
    """Total → grade by the thresholds (R-EV-1) → one grade lower without Party organization
    coverage or below the Party-building minimum (R-EV-3); valid five years. Refused when the
    evaluation changed since the page showed `expected_version`."""
    evaluation = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
    if not evaluation_acts_as(by, CLERK, evaluation):
        raise PermissionDenied(gettext("Only the registration authority decides the grade."))
    version_check_and_bump(evaluation, expected_version)
    if evaluation.status != EvaluationStatus.SCORING:
        raise ValidationError(gettext("This evaluation is not being scored."), code="status")
    decided_on = decided_on or calendar.today()
    decision = grade_decision(evaluation, decided_on=decided_on)
    if decision["missing"]:
        raise ValidationError(
            gettext("Indicators not scored yet: %(names)s."),
            code="missing",
            params={"names": "、".join(decision["missing"])},
        )
    total, party_score = decision["total"], decision["party_building_score"]
    by_score, grade, covered = decision["grade_by_score"], decision["grade"], decision["covered"]
    steps = decision["steps"]
    evaluation.total = total
    evaluation.party_building_score = party_score
    evaluation.grade_by_score = by_score
    evaluation.grade = grade
    evaluation.downgraded = grade != by_score
    evaluation.had_party_organization = covered
    evaluation.explanation = "；".join(steps)
    evaluation.decided_on = decided_on
    evaluation.valid_until = (
        _add_years(decided_on, GRADE_VALID_YEARS) if grade != Grade.NONE else None
    )
    evaluation.decided_by = by
    EVALUATION_WORKFLOW.move(
        evaluation,
        EvaluationStatus.DECIDED,
        by,
        reason=evaluation.explanation,
        expected_version=expected_version,
    )
    return evaluation
