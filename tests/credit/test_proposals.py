"""The daily job (credit.services.proposals): each ground's proposal from data, idempotent, set-
based, never for an organization whose registration ended."""

import datetime

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from annualcheck.services import annual_check_review
from credit.choices import CreditList, EntryStatus, Ground, PenaltyKind, RemovalPath
from credit.evidence import evidence_lines
from credit.models import ListEntry, ListEntryEvent, NoPartyOrganizationSpell, RectificationNotice
from credit.services.proposals import propose_entries
from tests.annualcheck.test_rules import direct_organization, submitted
from tests.credit.helpers import letter, listed_entry, penalty
from tests.factories import OrganizationFactory, add_members, found_party_organization, make_user

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2018, 9, 1)


def proposals(ground=None):
    entries = ListEntry.objects.filter(status=EntryStatus.PROPOSED)
    if ground:
        entries = entries.filter(ground=ground)
    return entries


def test_annual_report_missing_is_proposed_once_with_its_year():
    missing = OrganizationFactory(registered_on=datetime.date(2016, 1, 1))
    filed = direct_organization()
    submitted(filed, on=datetime.date(2018, 3, 20))
    exempt = OrganizationFactory(registered_on=datetime.date(2017, 8, 1))
    propose_entries(TODAY)
    entry = proposals(Ground.ANNUAL_REPORT).get()
    assert entry.organization == missing
    assert entry.evidence_key == "annual_report:2017"
    assert "2017" in evidence_lines(entry.evidence)[0]["text"]
    assert not proposals().filter(organization__in=[filed, exempt]).exists()
    # Idempotent: the second run proposes nothing more; a dismissal is not undone.
    ListEntry.objects.filter(pk=entry.pk).update(status=EntryStatus.DISMISSED)
    assert propose_entries(TODAY).proposed.get(Ground.ANNUAL_REPORT, 0) == 0
    assert ListEntry.objects.filter(ground=Ground.ANNUAL_REPORT).count() == 1
    event = ListEntryEvent.objects.get(entry=entry)
    assert (event.actor, event.to_status) == (None, EntryStatus.PROPOSED)


def test_organizations_whose_registration_ended_are_not_proposed():
    OrganizationFactory(
        registered_on=datetime.date(2016, 1, 1),
        status="deregistered",
        registration_ended_on=datetime.date(2018, 1, 10),
    )
    propose_entries(TODAY)
    assert not ListEntry.objects.exists()


def test_no_party_organization_after_the_grace_period_seen_continuously(settings):
    settings.CREDIT = {**settings.CREDIT, "NO_PARTY_ORGANIZATION_GRACE_DAYS": 30}
    organization = OrganizationFactory()
    add_members(organization, 3)
    covered = OrganizationFactory()
    add_members(covered, 3)
    found_party_organization(covered, founded_on=datetime.date(2017, 7, 1))
    propose_entries(TODAY)
    spell = NoPartyOrganizationSpell.objects.get()
    assert (spell.organization, spell.since) == (organization, TODAY)
    assert not proposals(Ground.NO_PARTY_ORGANIZATION).exists()
    later = TODAY + datetime.timedelta(days=30)
    propose_entries(later)
    entry = proposals(Ground.NO_PARTY_ORGANIZATION).get()
    assert entry.organization == organization
    assert entry.evidence[0]["params"]["since"] == TODAY.isoformat()
    assert entry.evidence[0]["params"]["counted_members"] == 3
    propose_entries(later + datetime.timedelta(days=1))
    assert proposals(Ground.NO_PARTY_ORGANIZATION).count() == 1


def test_a_spell_ends_when_the_party_organization_is_built():
    organization = OrganizationFactory()
    add_members(organization, 3)
    propose_entries(TODAY)
    found_party_organization(organization, founded_on=datetime.date(2018, 9, 2))
    propose_entries(TODAY + datetime.timedelta(days=2))
    assert not NoPartyOrganizationSpell.objects.exists()


def test_overdue_rectifications_of_both_kinds_are_proposed():
    organization = direct_organization()
    annual_check = submitted(organization)
    annual_check_review(
        annual_check=annual_check,
        by=make_user("clerk"),
        result="qualified",
        rectifications=[("制度不全", datetime.date(2018, 6, 30)), ("later", TODAY)],
    )
    RectificationNotice.objects.create(
        organization=organization,
        notice_number="长民整〔2018〕1号",
        matter="补齐财务制度",
        issued_on=datetime.date(2018, 5, 1),
        due_on=datetime.date(2018, 7, 1),
    )
    propose_entries(TODAY)
    keys = set(proposals(Ground.RECTIFICATION).values_list("evidence_key", flat=True))
    assert len(keys) == 2
    assert {key.split(":")[0] for key in keys} == {"ac_rectification", "rectification_notice"}


def test_penalties_light_heavy_and_repeated(settings):
    light = OrganizationFactory()
    penalty(light, PenaltyKind.FINE, on=datetime.date(2018, 8, 1), amount=10000)
    heavy = OrganizationFactory()
    penalty(heavy, PenaltyKind.FINE, on=datetime.date(2018, 8, 1), amount=50000)
    suspended = OrganizationFactory()
    penalty(suspended, PenaltyKind.SUSPENSION, on=datetime.date(2018, 8, 1))
    repeated = OrganizationFactory()
    penalty(repeated, PenaltyKind.WARNING, on=datetime.date(2016, 3, 1))
    penalty(repeated, PenaltyKind.WARNING, on=datetime.date(2018, 8, 20))
    propose_entries(TODAY)
    by_org = {
        (e.organization_id, e.ground)
        for e in proposals().exclude(ground=Ground.ANNUAL_REPORT).only("organization_id", "ground")
    }
    assert by_org == {
        (light.pk, Ground.LIGHT_PENALTY),
        (heavy.pk, Ground.HEAVY_FINE),
        (suspended.pk, Ground.SUSPENSION),
        (repeated.pk, Ground.LIGHT_PENALTY),
        (repeated.pk, Ground.REPEATED_PENALTIES),
    }
    serious = proposals(Ground.REPEATED_PENALTIES).get()
    assert serious.credit_list == CreditList.SERIOUS
    assert len(serious.evidence[0]["params"]["penalties"]) == 2


def test_two_returned_letters_within_the_interval():
    near = OrganizationFactory()
    letter(near, sent_on=datetime.date(2018, 6, 1))
    letter(near, sent_on=datetime.date(2018, 7, 1))
    too_close = OrganizationFactory()
    letter(too_close, sent_on=datetime.date(2018, 7, 1))
    letter(too_close, sent_on=datetime.date(2018, 7, 5))
    propose_entries(TODAY)
    entry = proposals(Ground.UNREACHABLE).get()
    assert entry.organization == near
    assert "30" in evidence_lines(entry.evidence)[0]["text"]


def test_the_command_runs_for_a_date(capsys):
    OrganizationFactory(registered_on=datetime.date(2016, 1, 1))
    call_command("credit_proposals", "--date", "2018-09-01")
    assert ListEntry.objects.filter(ground=Ground.ANNUAL_REPORT).count() == 1


def test_the_job_reads_in_set_based_queries():
    def run_with(count):
        for _ in range(count):
            organization = OrganizationFactory(registered_on=datetime.date(2016, 1, 1))
            add_members(organization, 3)
            penalty(organization, PenaltyKind.WARNING, on=datetime.date(2018, 8, 1))
            letter(organization, sent_on=datetime.date(2018, 6, 1))
            letter(organization, sent_on=datetime.date(2018, 7, 1))
        with CaptureQueriesContext(connection) as queries:
            propose_entries(TODAY)
        ListEntry.objects.all().delete()
        return len(queries)

    assert run_with(2) == run_with(8)


def test_removed_at_expiry_by_the_job_without_a_person():
    organization = OrganizationFactory()
    entry = listed_entry(organization, Ground.LIGHT_PENALTY, on=datetime.date(2018, 3, 1))
    keeps = listed_entry(organization, Ground.ANNUAL_REPORT, on=datetime.date(2018, 3, 1))
    assert propose_entries(TODAY).expired == 1
    entry.refresh_from_db()
    assert (entry.status, entry.removal_path, entry.removed_on) == (
        EntryStatus.REMOVED,
        RemovalPath.EXPIRED,
        TODAY,
    )
    assert entry.events.get().actor is None
    keeps.refresh_from_db()
    assert keeps.status == EntryStatus.LISTED


def test_the_task_runs_the_job_for_a_day():
    from credit.tasks import propose_credit_entries

    OrganizationFactory(registered_on=datetime.date(2016, 1, 1))
    result = propose_credit_entries.call("2018-09-01")
    assert result == {"proposed": {Ground.ANNUAL_REPORT: 1}, "expired": 0}
