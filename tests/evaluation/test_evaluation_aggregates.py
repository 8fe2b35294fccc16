"""The evaluation aggregates (issue 16): the dashboard's evaluation panel counted by year, grade
and the coverage aggregates' keys, moved in the transaction of every write of an evaluation or
a standing, equal a full recount after each kind of write, and give the panel the figures the
per-organization path gives."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.backups import database_restored
from evaluation.aggregates import (
    aggregated_grade_counts,
    evaluation_aggregates_rebuild,
    evaluation_aggregates_verify,
)
from evaluation.models import Evaluation, EvaluationGroup, Scheme
from evaluation.selectors import evaluation_report, grade_report
from partybuilding.choices import PartyBuildingStatus
from registry.models import Organization
from tests.factories import DistrictFactory, IndustryFactory, SupervisoryUnitFactory
from tests.partybuilding.test_coverage_aggregates import organization, per_organization, scopes

pytestmark = pytest.mark.django_db

YEAR = 2017


@pytest.fixture
def places():
    """Two of each key (as tests/partybuilding/test_coverage_aggregates.py's)."""
    districts = [DistrictFactory(name="朝阳区", code="220104")]
    districts.append(DistrictFactory(name="南关区", code="220102"))
    industries = [IndustryFactory(code="elderly_care", name="养老", sort_order=1)]
    industries.append(IndustryFactory(code="social_work", name="社工", sort_order=2))
    units = [SupervisoryUnitFactory(name="长春市民政局社会组织管理处")]
    units.append(SupervisoryUnitFactory(name="长春市科学技术协会", is_civil_affairs=False))
    return {"districts": districts, "industries": industries, "units": units}


def evaluate(organization, *, year=YEAR, grade="4A", status="decided", **fields):
    scheme, _ = Scheme.objects.get_or_create(year=year, defaults={"name": f"{year}"})
    return Evaluation.objects.create(
        organization=organization, year=year, scheme=scheme, status=status, grade=grade, **fields
    )


def assert_recounted(year=YEAR):
    """The aggregates equal a full recount, and the panel's report read from them equals the
    report counted evaluation by evaluation, for every shape of scope."""
    assert evaluation_aggregates_verify() == []
    for copied in scopes():
        aggregated = grade_report(year, aggregated_grade_counts(year, copied))
        organizations = per_organization(copied)
        counted = evaluation_report(
            year=year, evaluations=Evaluation.objects.filter(organization__in=organizations)
        )
        assert aggregated == counted, copied


def test_the_aggregates_follow_evaluation_writes(places):
    first, second = organization(places), organization(places, 1, 1, 1)
    scoring = evaluate(first, status="scoring", grade="")
    evaluate(second, grade="5A", had_party_organization=True)
    evaluate(second, year=YEAR - 1, grade="3A", downgraded=True)
    assert_recounted()
    assert_recounted(YEAR - 1)
    assert EvaluationGroup.objects.filter(supervisory_unit_key=-1).exists()

    scoring.status, scoring.grade, scoring.downgraded = "decided", "3A", True  # decided
    scoring.save()
    assert_recounted()
    scoring.grade, scoring.had_party_organization = "2A", True  # the grade corrected
    scoring.save()
    assert_recounted()
    scoring.status = "scoring"  # back to scoring: out of the counts
    scoring.save()
    assert_recounted()

    Evaluation.objects.filter(organization=second, year=YEAR).get().delete()
    assert_recounted()
    Evaluation.objects.filter(organization=second).delete()  # a queryset's delete
    assert_recounted(YEAR - 1)


def test_the_aggregates_follow_the_organizations(places):
    moving, leaving, deleted = (organization(places, index, index, index) for index in (0, 1, 1))
    for made in (moving, leaving, deleted):
        evaluate(made, had_party_organization=made is moving)
    assert_recounted()

    # A move of district, industry and supervisory unit moves its evaluations between groups.
    moving.district, moving.industry = places["districts"][1], places["industries"][1]
    moving.supervisory_unit = places["units"][1]
    moving.save()
    assert_recounted()

    leaving.status = "deregistered"  # in the "all statuses" and "deregistered" scopes only
    leaving.save()
    assert_recounted()

    Evaluation.objects.filter(organization=deleted).delete()
    deleted.delete()  # its standing goes with it
    assert_recounted()


def test_the_aggregates_follow_the_ledger_import(places, tmp_path):
    from partybuilding.ledger_import import import_ledger
    from tests.factories import StreetFactory
    from tests.partybuilding.test_ledger_import import ledger_sheet, row_of, write_book

    StreetFactory(district=places["districts"][0], name="湖西街道")
    stored = organization(places)
    evaluate(stored, grade="5A")
    assert_recounted()
    moved = row_of(stored, {"所属区": "南关区", "所属街道": ""})
    result = import_ledger(write_book(tmp_path / "ledger.xlsx", ledger_sheet([moved])), by=None)
    assert result.ok, result.report()
    assert Organization.objects.get(pk=stored.pk).district == places["districts"][1]
    assert_recounted()


def test_a_restore_rebuilds_them_and_the_command_verifies(places):
    evaluate(organization(places), grade="3A")
    call_command("evaluation_aggregates", "--verify", stdout=StringIO())
    EvaluationGroup.objects.update(evaluated=9)
    with pytest.raises(CommandError) as refused:
        call_command("evaluation_aggregates", "--verify", stdout=(out := StringIO()))
    assert "evaluation_aggregates" in str(refused.value)
    assert "9/" in out.getvalue()
    database_restored.send(sender=None, manifest={})
    assert_recounted()

    EvaluationGroup.objects.all().delete()
    call_command("evaluation_aggregates", stdout=StringIO())
    assert_recounted()


def test_a_rebuild_gives_what_the_writes_kept(places):
    for index in range(6):
        made = organization(places, index % 2, index // 3, index % 2)
        evaluate(made, grade=("5A", "3A", "none")[index % 3], downgraded=index == 4)
    fields = [f.name for f in EvaluationGroup._meta.fields if f.name != "id"]
    kept = set(EvaluationGroup.objects.exclude(evaluated=0).values_list(*fields))
    evaluation_aggregates_rebuild()
    assert kept == set(EvaluationGroup.objects.values_list(*fields))


def test_the_dashboard_panel_reads_the_aggregates(places, client, committee_user):
    for index in range(4):
        evaluate(organization(places, index % 2, index % 2), grade="4A")
    client.force_login(committee_user)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("partybuilding:dashboard"))
    assert page.context["panels"][0]["evaluation_report"]["evaluated"] == 4
    evaluation_queries = [q["sql"] for q in queries.captured_queries if "evaluation_" in q["sql"]]
    # The latest year, then the year's groups: no evaluation is read one by one.
    assert len(evaluation_queries) == 2
    assert "evaluation_evaluationgroup" in evaluation_queries[1]
    # A scope the aggregates cannot answer (a computed status) counts the evaluations.
    page = client.get(
        reverse("partybuilding:dashboard"),
        {"party_building_status": PartyBuildingStatus.SHOULD_BUILD},
    )
    assert page.status_code == 200
