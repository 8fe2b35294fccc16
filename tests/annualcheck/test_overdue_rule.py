"""R-AC-5's "overdue" is written once (annualcheck.selectors.overdue_condition): the flag the
admin's lists, the check's page, the portal and the to-do counts show all come from it."""

import datetime

import pytest

from annualcheck.choices import RectificationStatus as R
from annualcheck.models import Rectification
from annualcheck.selectors import overdue_rectifications, with_overdue_flag
from annualcheck.services import annual_check_review
from tests.annualcheck.test_rules import direct_organization, submitted
from tests.factories import make_user

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2018, 9, 1)


def test_the_flag_and_the_overdue_list_agree():
    annual_check = submitted(direct_organization())
    annual_check_review(
        annual_check=annual_check,
        by=make_user("clerk"),
        result="qualified",
        rectifications=[
            ("past, open", datetime.date(2018, 6, 30)),
            ("past, closed", datetime.date(2018, 6, 30)),
            ("due today", TODAY),
            ("future", datetime.date(2018, 12, 31)),
        ],
    )
    Rectification.objects.filter(problem="past, closed").update(status=R.CLOSED)
    flags = dict(
        with_overdue_flag(Rectification.objects.all(), TODAY).values_list("problem", "is_overdue")
    )
    assert flags == {
        "past, open": True,
        "past, closed": False,
        "due today": False,
        "future": False,
    }
    listed = set(overdue_rectifications(TODAY).values_list("problem", flat=True))
    assert listed == {problem for problem, overdue in flags.items() if overdue}
