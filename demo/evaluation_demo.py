"""The grade-evaluation part of the demo (R-EV-1..6), all through the services.

- 2016 (2014 scheme, Party building 20 points): eight long-registered organizations, eligible
  on their 2015 annual checks, which this module files first (the rest of the demo starts with
  the 2016 checks). Only the 至爱 nursing home had a Party organization then; the others lose
  one grade (R-EV-3).
- 2017 (2017 scheme, Party building 50 points): the round applied for in spring 2018 and
  decided in June 2018, when the bureau's survey had brought the branches in (most were founded
  between July 2017 and June 2018). 16 of the 17 organizations rated 3A or above are covered by
  a Party organization — 94.1 %, the article's 94 % (R-EV-6); the 17th, without coverage,
  scored 4A and ends 3A (R-EV-3). Five more organizations without coverage rate below 3A.
- 2018: one 应建未建 organization applies and is refused (R-EV-4; its 2017 check was 不合格 too).
"""

import datetime

from django.conf import settings
from django.utils import translation

from annualcheck.services import is_exempt
from evaluation.models import Evaluation
from evaluation.services import (
    evaluation_decide,
    evaluation_open,
    evaluation_score,
    leaf_indicators,
)

from .annualcheck_demo import _file

# key, total score, Party-building share (of the indicator's maximum; None keeps the prefill)
EVALUATIONS_2016 = [
    ("zhiai_nursing_home", 912, 0.9),
    ("songhe_elderly_home", 836, 0.25),
    ("dongsheng_apartment", 748, 0.25),
    ("nanhu_apartment", 705, 0.2),
    ("changbai_apartment", 662, 0.2),
    ("puyang_apartment", 618, None),
    ("rongguang_elderly_home", 574, None),
    ("marriage_society", 803, 0.3),
]
AS_OF_2016 = datetime.date(2016, 9, 1)
DECIDED_2016 = datetime.date(2016, 12, 15)

EVALUATIONS_2017 = [
    # Covered by a Party organization when the grades were decided: 16, all 3A or above.
    ("chunhui_nursing_home", 934, 1.0),
    ("yihe_nursing_home", 918, 0.96),
    ("kangning_nursing_home", 905, 0.9),
    ("zhiai_home_care", 887, 0.92),
    ("tianlun_nursing_home", 861, 0.9),
    ("xiyanghong_apartment", 846, 0.86),
    ("yangguang_sw", 828, 0.8),
    ("social_workers_assoc", 872, 0.84),
    ("org_federation", 815, 0.8),
    ("jinqiu_home_care", 793, 0.8),
    ("moral_culture_assoc", 776, 0.76),
    ("funeral_assoc", 764, 0.7),
    ("org_promotion_assoc", 751, 0.72),
    ("qihang_sw", 738, 0.7),
    ("shanxing_sw", 724, 0.66),
    ("incubator_center", 712, 0.66),
    # No Party organization coverage: one grade lower (R-EV-3).
    ("community_assoc", 832, 0.3),  # 4A by its score, 3A in the end
    ("renai_nursing_home", 721, None),  # 3A → 2A
    ("volunteer_assoc", 655, None),  # 2A → 1A
    ("huanglong_apartment", 612, None),  # 2A → 1A
    ("yishou_elderly_home", 547, None),  # 1A → no grade
    ("fukang_elderly_home", 468, None),  # no grade
]
# The 2017 round: applications checked in April 2018, grades decided in June 2018.
AS_OF_2017 = datetime.date(2018, 4, 10)
DECIDED_2017 = datetime.date(2018, 6, 20)

REFUSED_2018 = "defu_nursing_home"  # 应建未建 (partybuilding_demo.SHOULD_BUILD)
AS_OF_2018 = datetime.date(2018, 9, 1)

PARTY_REASON = "评估组现场核查党组织建设、章程和组织生活记录后调整。"


def seed_evaluations(*, organizations: dict, staff: dict, reporters: dict) -> None:
    """`organizations`: orgdata key -> Organization; `staff` as in seed_demo (with "clerk" and
    "units"); `reporters`: orgdata key -> the organization's portal user. Runs once."""
    if Evaluation.objects.exists():
        return
    clerk = staff["clerk"]
    with translation.override(settings.LANGUAGE_CODE):
        for key, _total, _share in EVALUATIONS_2016:
            organization = organizations[key]
            if not is_exempt(organization=organization, year=2015):
                unit_user = staff["units"].get(organization.supervisory_unit_id)
                _file(organization, 2015, reporters[key], unit_user, clerk, stop=None, key=key)
        for key, total, share in EVALUATIONS_2016:
            _evaluate(organizations[key], 2016, clerk, total, share, AS_OF_2016, DECIDED_2016)
        for key, total, share in EVALUATIONS_2017:
            _evaluate(organizations[key], 2017, clerk, total, share, AS_OF_2017, DECIDED_2017)
        evaluation_open(
            organization=organizations[REFUSED_2018], year=2018, by=clerk, as_of=AS_OF_2018
        )


def _evaluate(organization, year, clerk, total, share, as_of, decided_on) -> Evaluation:
    evaluation = evaluation_open(organization=organization, year=year, by=clerk, as_of=as_of)
    if evaluation.status != "scoring":
        raise RuntimeError(f"{organization} {year}: {evaluation.ineligible_reasons}")
    evaluation_score(evaluation=evaluation, by=clerk, **_points(evaluation, total, share))
    return evaluation_decide(evaluation=evaluation, by=clerk, decided_on=decided_on)


def _points(evaluation, total: int, share: float | None) -> dict:
    """Points per leaf adding up to `total`: the Party-building leaves at `share` of their
    maximum (with a reason where that differs from the prefill), the others in proportion to
    their maximum, each below it."""
    leaves = leaf_indicators(evaluation.scheme, evaluation.organization.organization_type)
    prefilled = {s.indicator_id: s.prefilled for s in evaluation.scores.all()}
    points, reasons = {}, {}
    for indicator in leaves:
        if not indicator.is_party_building:
            continue
        value = prefilled[indicator.pk] if share is None else round(indicator.max_points * share)
        points[indicator.pk] = value
        if value != prefilled[indicator.pk]:
            reasons[indicator.pk] = PARTY_REASON
    others = [i for i in leaves if not i.is_party_building]
    wanted = total - sum(points.values())
    capacity = sum(i.max_points for i in others)
    for indicator in others:
        points[indicator.pk] = min(
            indicator.max_points - 1, wanted * indicator.max_points // capacity
        )
    left = wanted - sum(points[i.pk] for i in others)
    for indicator in sorted(others, key=lambda i: -i.max_points):  # the remainder, largest first
        extra = min(left, indicator.max_points - 1 - points[indicator.pk])
        points[indicator.pk] += extra
        left -= extra
    assert left == 0, (evaluation, total)
    return {"points": points, "reasons": reasons}
