"""The coverage aggregates across transactions: a restore recounts them, and two writers at once
on PostgreSQL leave them equal to a full recount (each applies its deltas in the keys' order)."""

import shutil

import pytest
from django.core.management import call_command
from django.db import connection, transaction

from partybuilding.coverage.aggregates import aggregates_verify
from partybuilding.coverage.selectors import coverage_figures
from partybuilding.models import CoverageGroup, PartyMember
from registry.models import Organization
from tests.factories import OrganizationFactory, add_members, found_party_organization
from tests.threads import at_once

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def fresh_install(reference_data):
    """Each test starts like a fresh install (see tests/conftest.py)."""


def test_a_restore_recounts_the_aggregates(tmp_path):
    if connection.vendor == "postgresql" and not shutil.which("pg_restore"):
        pytest.skip("pg_restore is not on PATH")
    first, second = OrganizationFactory.create_batch(2)
    add_members(first, 3)
    found_party_organization(first)
    call_command("backup", str(tmp_path / "nightly.backup"), verbosity=0)
    backed_up = coverage_figures(Organization.objects.all(), copied={})

    add_members(second, 5)
    PartyMember.objects.filter(organization=first).first().delete()
    # And aggregates gone wrong after the backup (SQL written around the product …).
    CoverageGroup.objects.update(organizations=99)

    call_command("restore", str(tmp_path / "nightly.backup"), "--noinput", verbosity=0)
    assert aggregates_verify() == []
    assert coverage_figures(Organization.objects.all(), copied={}) == backed_up


@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers: PostgreSQL only")
def test_two_writers_at_once_leave_the_aggregates_equal_to_a_recount():
    """Two threads, each on its own connection, write members and Party organizations of
    organizations of the same groups at the same time, many transactions each."""
    organizations = OrganizationFactory.create_batch(8)

    def write(mine):
        for organization in mine:
            with transaction.atomic():
                add_members(organization, 3)
                found_party_organization(organization)
            with transaction.atomic():
                PartyMember.objects.filter(organization=organization).first().delete()
                organization.refresh_from_db()
                organization.status = "deregistered"
                organization.save()

    at_once(write, [organizations[0::2], organizations[1::2]])
    assert aggregates_verify() == []
    figures = coverage_figures(Organization.objects.all(), copied={"status": "deregistered"})
    assert figures["organizations"] == 0
    assert Organization.objects.filter(status="deregistered").count() == 8
