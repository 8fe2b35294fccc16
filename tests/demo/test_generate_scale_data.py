"""generate_scale_data writes valid, constraint-respecting, deterministic data in bulk."""

import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from annualcheck.models import AnnualCheck
from core.identity import birth_date_of, sex_of, validate_id_number
from evaluation.models import Evaluation
from partybuilding.choices import FormationMode
from partybuilding.models import Coverage, Dispatch, IndustryLead, PartyMember, PartyOrganization
from registry.credit_codes import validate_credit_code
from registry.models import Organization

pytestmark = pytest.mark.django_db

N = 200


def generate(**options):
    out = io.StringIO()
    call_command("generate_scale_data", stdout=out, **options)
    return out.getvalue()


@pytest.fixture(scope="module")
def generated(django_db_setup, django_db_blocker):
    """Generate once for the module, rolled back at the end (each test runs in a savepoint)."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield generate(organizations=N, seed=7)
        transaction.set_rollback(True)


def fingerprint():
    return (
        list(Organization.objects.order_by("pk").values_list("name", "credit_code", "district")),
        list(PartyMember.objects.order_by("pk").values_list("id_number", "organization__name")),
        list(PartyOrganization.objects.order_by("pk").values_list("name", "formation_mode")),
        list(AnnualCheck.objects.order_by("pk").values_list("organization__name", "result")),
    )


def coverage_report():
    out = io.StringIO()
    call_command("coverage_report", json=True, stdout=out)
    return json.loads(out.getvalue())


def test_generates_n_organizations_with_their_party_members(generated):
    assert Organization.objects.count() == N
    members = PartyMember.objects.count()
    assert 2 * N <= members <= 4 * N  # about 3 on average
    per_organization = [o.party_members.count() for o in Organization.objects.all()]
    assert per_organization.count(0) > N // 5  # skewed: many without members
    assert max(per_organization) >= 10
    assert "每张表的写入时间" in generated
    assert "registry_organization" in generated


def test_every_model_passes_full_clean_on_a_sample(generated):
    for model in (
        Organization,
        PartyMember,
        PartyOrganization,
        Coverage,
        Dispatch,
        IndustryLead,
        AnnualCheck,
        Evaluation,
    ):
        sample = list(model.objects.order_by("pk")[:40])
        assert sample, model
        for instance in sample:
            instance.full_clean()


def test_credit_codes_and_id_numbers_are_valid_and_unique(generated):
    codes = list(Organization.objects.values_list("credit_code", "organization_type"))
    assert len({code for code, _type in codes}) == N
    for code, organization_type in codes:
        validate_credit_code(code, organization_type=organization_type)
    names = Organization.objects.values_list("name", flat=True)
    assert len(set(names)) == N
    rows = list(PartyMember.objects.values_list("id_number", "sex", "birth_date"))
    assert len({number for number, _sex, _birth in rows}) == len(rows)
    for number, sex, birth in rows:
        assert validate_id_number(number) == number
        assert sex == sex_of(number)
        assert birth == birth_date_of(number)


def test_all_four_formation_modes_and_their_companions(generated):
    modes = set(PartyOrganization.objects.values_list("formation_mode", flat=True))
    assert modes == set(FormationMode.values)
    for joint in PartyOrganization.objects.filter(formation_mode=FormationMode.JOINT):
        assert 2 <= joint.coverages.count() <= 5
    for own in PartyOrganization.objects.exclude(formation_mode=FormationMode.JOINT):
        assert own.coverages.count() == 1
    for lead in IndustryLead.objects.all():
        assert lead.lead_organization.party_organizations.get().formation_mode == "lead"
        assert lead.driven_organizations.exists()
    # R-PB-11: a dispatched-formed organization's dispatch ended on its founding day.
    for party_organization in PartyOrganization.objects.filter(formation_mode="dispatched"):
        organization = party_organization.organizations.get()
        assert organization.dispatches.get().ended_on == party_organization.founded_on
    assert Dispatch.objects.filter(ended_on__isnull=True).exists()
    assert AnnualCheck.objects.filter(status="reviewed").exclude(result="").exists()
    assert Evaluation.objects.filter(status="decided").exclude(grade="").exists()


def test_coverage_report_figures_are_consistent(generated):
    figures = coverage_report()
    assert 0 < figures["organizations"] <= N
    assert figures["eligible"] <= figures["organizations"]
    assert figures["eligible"] == figures["standalone_condition"] + figures["joint_candidates"]
    assert figures["organizations"] == figures["eligible"] + figures["needs_dispatch"]
    assert figures["should_build_not_built"] <= figures["standalone_condition"]
    assert 0 < figures["organization_coverage"] <= figures["work_coverage"]
    assert figures["work_coverage"] <= figures["organizations"]
    assert figures["party_organizations"] == sum(figures["by_formation_mode"].values())
    assert all(figures["by_formation_mode"].values())


def test_the_same_seed_gives_the_same_data_and_another_seed_other_data(generated):
    first = fingerprint()
    for seed, same in ((7, True), (8, False)):
        with transaction.atomic():
            _wipe()
            generate(organizations=N, seed=seed)
            assert (fingerprint() == first) is same
            transaction.set_rollback(True)


def _wipe():
    """Delete what the generator wrote, children first (PROTECT foreign keys)."""
    from partybuilding.models import Standing

    Standing.objects.all().delete()
    Evaluation.objects.all().delete()
    AnnualCheck.objects.all().delete()
    IndustryLead.objects.all().delete()
    Dispatch.objects.all().delete()
    PartyMember.objects.all().delete()
    PartyOrganization.objects.all().delete()
    Organization.objects.all().delete()


def test_refuses_to_run_on_a_filled_database_unless_appending(generated):
    with pytest.raises(CommandError, match="--append"):
        generate(organizations=10)
    generate(organizations=10, seed=7, append=True)
    assert Organization.objects.count() == N + 10
    codes = Organization.objects.values_list("credit_code", flat=True)
    assert len(set(codes)) == N + 10
    numbers = PartyMember.objects.values_list("id_number", flat=True)
    assert len(set(numbers)) == len(numbers)
