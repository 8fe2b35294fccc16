"""The evaluation aggregates under two writers at once on PostgreSQL (issue 16): each decides
evaluations and moves organizations of the same groups in many transactions; afterwards the
groups equal a full recount."""

import pytest
from django.db import connection, transaction

from evaluation.aggregates import evaluation_aggregates_verify
from tests.evaluation.test_evaluation_aggregates import evaluate, places  # noqa: F401 (fixture)
from tests.partybuilding.test_coverage_aggregates import organization
from tests.threads import at_once

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="concurrent writers: PostgreSQL only"
    ),
]


@pytest.fixture(autouse=True)
def fresh_install(reference_data):
    """Each test starts like a fresh install (see tests/conftest.py)."""


def test_two_writers_at_once_leave_the_evaluation_aggregates_equal_to_a_recount(places):  # noqa: F811
    organizations = [organization(places, index % 2, 0, 0) for index in range(8)]

    def write(mine):
        for made in mine:
            with transaction.atomic():
                evaluation = evaluate(made, status="scoring", grade="")
            with transaction.atomic():
                evaluation.status, evaluation.grade = "decided", "4A"
                evaluation.save()
                evaluate(made, year=2016, grade="3A")
            with transaction.atomic():
                made.refresh_from_db()
                made.district = places["districts"][1]
                made.save()

    at_once(write, [organizations[0::2], organizations[1::2]])
    assert evaluation_aggregates_verify() == []
