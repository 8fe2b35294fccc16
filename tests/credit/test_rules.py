"""One test per credit-supervision rule (R-CR-1..16, docs/domain.md)."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from accounts import roles
from core import calendar
from credit import rules
from credit.choices import (
    LIST_OF_GROUND,
    AnswerKind,
    CreditList,
    EntryStatus,
    Ground,
    PenaltyKind,
    RemovalPath,
)
from credit.models import ListEntry
from credit.selectors import current_listings, is_on_serious_list, public_entries
from credit.services import (
    entry_answer_submit,
    entry_confirm,
    entry_dismiss,
    entry_removal_request,
    entry_remove,
)
from credit.services.proposals import propose_entries
from credit.signals import entry_decided
from tests.credit.helpers import letter, listed_entry, penalty, proposed_entry
from tests.factories import OrganizationFactory, make_organization_user, make_user

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2018, 9, 1)
DECISION = {
    "decision_number": "长民信〔2018〕9号",
    "facts": "未按时报送年度工作报告",
    "reasons": "逾期未报",
    "basis": "《社会组织信用信息管理办法》",
    "rights": "可以陈述申辩、申请复议或者提起诉讼",
}


@pytest.fixture
def clerk():
    return make_user(roles.CLERK, username="credit-rules-clerk")


def today():
    return calendar.today()


def days_ago(days):
    return today() - datetime.timedelta(days=days)


def test_r_cr_1_credit_information_is_entered_within_five_working_days(settings):
    settings.REGISTRY = {**settings.REGISTRY, "HOLIDAYS": ["2018-10-01", "2018-10-02"]}
    friday = datetime.date(2018, 9, 28)
    # 3, 4, 5, 8, 9 October: the weekends and the holidays do not count.
    assert rules.recording_due_on(friday) == datetime.date(2018, 10, 9)
    assert not rules.recorded_late(friday, datetime.date(2018, 10, 9))
    assert rules.recorded_late(friday, datetime.date(2018, 10, 10))


def test_r_cr_2_the_public_sees_decided_entries_never_proposals_or_who_decided(clerk):
    organization = OrganizationFactory()
    listed = listed_entry(organization, Ground.ANNUAL_REPORT, on=TODAY, decided_by=clerk)
    proposed_entry(organization, Ground.RECTIFICATION, on=TODAY)
    proposed_entry(organization, Ground.UNREACHABLE, on=TODAY, status=EntryStatus.DISMISSED)
    shown = list(public_entries(organization))
    assert shown == [listed]
    assert "decided_by_id" in shown[0].get_deferred_fields()


def test_r_cr_3_the_grounds_found_in_data_propose_the_abnormal_list():
    missing_report = OrganizationFactory(registered_on=datetime.date(2016, 1, 1))
    warned = OrganizationFactory()
    penalty(warned, PenaltyKind.WARNING, on=datetime.date(2018, 8, 1))
    propose_entries(TODAY)
    found = {
        (entry.organization_id, entry.ground, entry.credit_list)
        for entry in ListEntry.objects.filter(
            ground__in=[Ground.ANNUAL_REPORT, Ground.LIGHT_PENALTY]
        )
    }
    assert (missing_report.pk, Ground.ANNUAL_REPORT, CreditList.ABNORMAL) in found
    assert (warned.pk, Ground.LIGHT_PENALTY, CreditList.ABNORMAL) in found
    abnormal = {g for g, lst in LIST_OF_GROUND.items() if lst == CreditList.ABNORMAL}
    assert abnormal == {
        Ground.ANNUAL_REPORT,
        Ground.NO_PARTY_ORGANIZATION,
        Ground.RECTIFICATION,
        Ground.FUNDRAISING,
        Ground.LIGHT_PENALTY,
        Ground.UNREACHABLE,
        Ground.OTHER_ABNORMAL,
    }


@pytest.mark.parametrize("days_apart, proposed", [(19, False), (20, True), (60, True), (61, False)])
def test_r_cr_4_unreachable_is_two_returned_letters_within_the_interval(days_apart, proposed):
    organization = OrganizationFactory()
    first = datetime.date(2018, 6, 1)
    letter(organization, sent_on=first)
    letter(organization, sent_on=first + datetime.timedelta(days=days_apart))
    propose_entries(TODAY)
    assert ListEntry.objects.filter(ground=Ground.UNREACHABLE).exists() is proposed


def test_r_cr_5_a_certificate_of_no_direct_responsibility_dismisses_for_good(clerk):
    organization = OrganizationFactory(registered_on=datetime.date(2016, 1, 1))
    propose_entries(TODAY)
    entry = ListEntry.objects.get(organization=organization)
    entry_dismiss(entry=entry, by=clerk, reason="业务主管单位书面证明其不负直接责任")
    propose_entries(TODAY + datetime.timedelta(days=1))
    entry.refresh_from_db()
    assert entry.status == EntryStatus.DISMISSED
    assert ListEntry.objects.filter(organization=organization).count() == 1


def test_r_cr_6_a_new_ground_while_listed_restarts_the_term(clerk):
    organization = OrganizationFactory()
    earlier = listed_entry(organization, Ground.LIGHT_PENALTY, on=days_ago(100))
    serious = listed_entry(organization, Ground.HEAVY_FINE, on=days_ago(300))
    removed = listed_entry(
        organization, Ground.RECTIFICATION, on=days_ago(400), status=EntryStatus.REMOVED
    )
    new = proposed_entry(organization, Ground.ANNUAL_REPORT, on=today())
    entry_confirm(entry=new, by=clerk, **DECISION)
    for entry in (earlier, serious):
        entry.refresh_from_db()
        assert entry.term_starts_on == today()
    removed.refresh_from_db()
    assert removed.term_starts_on == days_ago(400)


def test_r_cr_7_the_decision_tells_facts_reasons_basis_and_rights(clerk):
    entry = proposed_entry(OrganizationFactory(), Ground.ANNUAL_REPORT, on=today())
    with pytest.raises(ValidationError):
        entry_confirm(entry=entry, by=clerk, **{**DECISION, "rights": " "})
    heard = []

    def receiver(sender, entry, to_status, **kwargs):
        heard.append((entry.pk, to_status))

    entry_decided.connect(receiver)
    try:
        entry_confirm(entry=entry, by=clerk, **DECISION)
    finally:
        entry_decided.disconnect(receiver)
    entry.refresh_from_db()
    for part in DECISION.values():
        assert part in entry.decision_number + entry.decision_text
    assert (entry.status, entry.listed_on) == (EntryStatus.LISTED, today())
    assert heard == [(entry.pk, EntryStatus.LISTED)]


def test_r_cr_8_an_objection_upheld_removes_the_entry_as_an_error(clerk):
    entry = listed_entry(OrganizationFactory(), Ground.UNREACHABLE, on=days_ago(10))
    user = make_organization_user(entry.organization)
    entry_answer_submit(
        entry=entry, by=user, kind=AnswerKind.OBJECTION, text="住所未变，信件系误投"
    )
    entry_remove(entry=entry, by=clerk, path=RemovalPath.ERROR, reason="经核实系邮寄地址错误")
    entry.refresh_from_db()
    assert (entry.status, entry.removal_path) == (EntryStatus.REMOVED, RemovalPath.ERROR)
    assert entry.answers.get().kind == AnswerKind.OBJECTION


def test_r_cr_9_removal_on_application_within_working_days_of_verification(clerk, settings):
    settings.REGISTRY = {**settings.REGISTRY, "HOLIDAYS": [], "EXTRA_WORKING_DAYS": []}
    entry = listed_entry(OrganizationFactory(), Ground.ANNUAL_REPORT, on=days_ago(30))
    entry_removal_request(
        entry=entry, by=make_organization_user(entry.organization), what_was_done="已补报"
    )
    entry.refresh_from_db()
    with pytest.raises(ValidationError):
        entry_remove(entry=entry, by=clerk, path=RemovalPath.CORRECTED, reason="已补报")
    entry_remove(
        entry=entry, by=clerk, path=RemovalPath.CORRECTED, reason="已补报", verified_on=today()
    )
    entry.refresh_from_db()
    assert entry.status == EntryStatus.REMOVED
    monday = datetime.date(2018, 9, 3)
    entry.removal_verified_on = monday
    assert rules.removal_due_on(entry) == datetime.date(2018, 9, 10)


def test_r_cr_10_a_ground_with_nothing_to_correct_expires_after_six_months():
    organization = OrganizationFactory()
    expiring = listed_entry(organization, Ground.LIGHT_PENALTY, on=datetime.date(2018, 3, 1))
    restarted = listed_entry(
        organization,
        Ground.OTHER_ABNORMAL,
        on=datetime.date(2018, 1, 1),
        term_starts_on=datetime.date(2018, 5, 1),
    )
    to_correct = listed_entry(organization, Ground.RECTIFICATION, on=datetime.date(2017, 1, 1))
    assert rules.expiry_date(expiring) == datetime.date(2018, 9, 1)
    assert rules.expiry_date(to_correct) is None
    propose_entries(TODAY)
    statuses = dict(
        ListEntry.objects.filter(pk__in=[expiring.pk, restarted.pk, to_correct.pk]).values_list(
            "pk", "status"
        )
    )
    assert statuses == {
        expiring.pk: EntryStatus.REMOVED,
        restarted.pk: EntryStatus.LISTED,
        to_correct.pk: EntryStatus.LISTED,
    }


def test_r_cr_11_two_years_on_the_abnormal_list_proposes_the_serious_list(clerk):
    organization = OrganizationFactory()
    old = listed_entry(organization, Ground.ANNUAL_REPORT, on=rules.add_years(today(), -2))
    other = listed_entry(organization, Ground.RECTIFICATION, on=rules.add_years(today(), -2))
    propose_entries(today())
    serious = ListEntry.objects.get(ground=Ground.ABNORMAL_TERM)
    assert (serious.credit_list, serious.status) == (CreditList.SERIOUS, EntryStatus.PROPOSED)
    old.refresh_from_db()
    assert old.status == EntryStatus.LISTED  # until the clerk confirms
    entry_confirm(entry=serious, by=clerk, **DECISION)
    for entry in (old, other):
        entry.refresh_from_db()
        assert (entry.status, entry.escalated_to) == (EntryStatus.ESCALATED, serious)
    assert [e.credit_list for e in current_listings([organization.pk])[organization.pk]] == [
        CreditList.SERIOUS
    ]


def test_r_cr_12_the_serious_list_grounds_from_penalties():
    heavy = OrganizationFactory()
    penalty(heavy, PenaltyKind.FINE, on=datetime.date(2018, 8, 1), amount=80000)
    repeated = OrganizationFactory()
    penalty(repeated, PenaltyKind.FINE, on=datetime.date(2017, 1, 1), amount=2000)
    penalty(repeated, PenaltyKind.WARNING, on=datetime.date(2018, 8, 1))
    revoked = OrganizationFactory(
        status="revoked", registration_ended_on=datetime.date(2018, 8, 15)
    )
    penalty(revoked, PenaltyKind.REGISTRATION_REVOKED, on=datetime.date(2018, 8, 15))
    propose_entries(TODAY)
    serious = set(
        ListEntry.objects.filter(credit_list=CreditList.SERIOUS).values_list(
            "organization_id", "ground"
        )
    )
    assert serious == {
        (heavy.pk, Ground.HEAVY_FINE),
        (repeated.pk, Ground.REPEATED_PENALTIES),
        (revoked.pk, Ground.REVOKED),
    }


def test_r_cr_13_leaving_the_serious_list(clerk):
    organization = OrganizationFactory()
    young = listed_entry(organization, Ground.HEAVY_FINE, on=days_ago(100))
    user = make_organization_user(organization)
    with pytest.raises(ValidationError):
        entry_removal_request(entry=young, by=user, what_was_done="已缴纳罚款")
    with pytest.raises(ValidationError):
        entry_remove(entry=young, by=clerk, path=RemovalPath.DEREGISTERED, reason="已注销")
    served = listed_entry(OrganizationFactory(), Ground.SUSPENSION, on=rules.add_years(today(), -3))
    entry_removal_request(
        entry=served, by=make_organization_user(served.organization), what_was_done="已恢复活动"
    )
    served.refresh_from_db()
    entry_remove(
        entry=served, by=clerk, path=RemovalPath.SERIOUS_TERM, reason="期满", verified_on=today()
    )
    served.refresh_from_db()
    assert served.status == EntryStatus.REMOVED
    deregistered = OrganizationFactory(status="deregistered", registration_ended_on=days_ago(5))
    revoked_entry = listed_entry(deregistered, Ground.REVOKED, on=days_ago(50))
    entry_remove(entry=revoked_entry, by=clerk, path=RemovalPath.DEREGISTERED, reason="已注销")
    assert ListEntry.objects.get(pk=revoked_entry.pk).status == EntryStatus.REMOVED


def test_r_cr_13_a_new_ground_during_the_term_blocks_removal(clerk):
    organization = OrganizationFactory()
    served = listed_entry(organization, Ground.SUSPENSION, on=rules.add_years(today(), -3))
    listed_entry(organization, Ground.LIGHT_PENALTY, on=rules.add_years(today(), -1))
    served.status, served.removal_requested_on = EntryStatus.REMOVAL_REQUESTED, today()
    served.save()
    with pytest.raises(ValidationError):
        entry_remove(
            entry=served,
            by=clerk,
            path=RemovalPath.SERIOUS_TERM,
            reason="期满",
            verified_on=today(),
        )


def test_r_cr_14_no_sanction_is_applied_by_itself(clerk):
    organization = OrganizationFactory()
    version = organization.version
    entry = proposed_entry(organization, Ground.HEAVY_FINE, on=today())
    entry_confirm(entry=entry, by=clerk, **DECISION)
    organization.refresh_from_db()
    assert organization.version == version and organization.status == "active"
    assert is_on_serious_list(organization.pk)


def test_r_cr_15_an_organization_never_listed_has_no_listing_to_show():
    organization = OrganizationFactory()
    propose_entries(TODAY)
    assert current_listings([organization.pk]) == {}
    assert not public_entries(organization).exists()


def test_r_cr_16_only_a_listing_in_force_counts_for_the_evaluation_bar():
    organization = OrganizationFactory()
    entry = listed_entry(organization, Ground.HEAVY_FINE, on=days_ago(10))
    assert is_on_serious_list(organization.pk)
    entry.status = EntryStatus.REMOVED
    entry.removed_on = today()
    entry.save()
    assert not is_on_serious_list(organization.pk)
