"""seed_demo reproduces the 2018 article's figures (domain.md §5) and is safe to run again."""

import io
import json
import re

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db.models import Sum

from accounts import roles
from accounts.models import User
from audit.models import AuditRecord
from core.identity import birth_date_of, sex_of, validate_id_number
from demo import changes_demo, deregistration_demo, orgdata, partybuilding_demo
from demo.registry_demo import credit_code_of
from partybuilding.choices import FormationMode, MemberRole, MemberStatus, Relationship
from partybuilding.coverage.selectors import industry_lead_progress
from partybuilding.models import Dispatch, IndustryLead, PartyMember, PartyOrganization
from partybuilding.standings.selectors import with_party_building
from registry.credit_codes import validate_credit_code
from registry.models import Organization

pytestmark = pytest.mark.django_db

PASSWORD = "Demo-pass-2018"


def seed(**options):
    out = io.StringIO()
    call_command("seed_demo", stdout=out, **options)
    return out.getvalue()


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """Seed once for the module (a full seed takes seconds), inside a transaction rolled back
    at the end, so other modules still start from an empty database. Each test runs in a
    savepoint within it."""
    from django.db import transaction

    with django_db_blocker.unblock(), transaction.atomic():
        yield seed(password=PASSWORD)
        transaction.set_rollback(True)


def coverage_report():
    return json.loads(_report())


def _report():
    out = io.StringIO()
    call_command("coverage_report", json=True, stdout=out)
    return out.getvalue()


def org(key):
    return Organization.objects.get(credit_code=credit_code_of(orgdata.ORGANIZATIONS_BY_KEY[key]))


def model_counts():
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


def test_the_plan_adds_up():
    """The arithmetic of partybuilding_demo's docstring, before any database write."""
    partybuilding_demo._check()


def test_coverage_report_shows_the_article_figures(seeded):
    """71 surveyed, 45 eligible (R-PB-5), 15 Party organizations: 12 standalone, 2 joint and
    1 formed after dispatched help; 3 应建未建 (R-PB-6); 3 open dispatches (R-PB-4)."""
    output = seeded
    figures = coverage_report()

    assert figures["organizations"] == 71
    assert figures["eligible"] == 45
    assert figures["party_organizations"] == 15
    assert figures["by_formation_mode"] == {
        "standalone": 12,
        "joint": 2,
        "lead": 0,
        "dispatched": 1,
    }
    assert figures["should_build_not_built"] == 3
    assert figures["open_dispatches"] == 3
    assert figures["organization_coverage"] == 17  # 12 + 4 joint-covered + 1 dispatched-formed
    assert figures["work_coverage"] == 20
    assert figures["needs_dispatch"] == 71 - 45
    assert "党建：符合党建条件 45 家，党组织 15 个" in output
    assert "应建未建 3 家" in output


def test_registry_and_users(seeded):

    # The article's 71, active; the one deregistered in June 2018 is not among them.
    organizations = list(Organization.objects.filter(status="active"))
    assert len(organizations) == 71
    assert Organization.objects.exclude(status="active").get().credit_code == (
        deregistration_demo.deregistered_credit_code()
    )
    for organization in organizations:
        assert organization.bureau_managed, organization
        validate_credit_code(
            organization.credit_code, organization_type=organization.organization_type
        )
    names = {organization.name for organization in organizations}
    assert {
        "长春市至爱居家养老服务中心",
        "长春至爱护理院",
        "长春金秋居家养老服务中心",
        "吉林省道德传统文化协会",
        "长春市社会工作者协会",
        "长春市养老服务业协会",
    } <= names

    for role in (roles.CLERK, roles.SUPERVISORY_UNIT, roles.COMMITTEE):
        assert User.objects.filter(groups__name=roles.GROUP_NAMES[role]).exists(), role
    organization_users = User.objects.filter(groups__name=roles.GROUP_NAMES[roles.ORGANIZATION])
    assert organization_users.count() == 71 + 1  # the deregistered one applied through its own
    for user in organization_users.select_related("organization"):
        assert user.username == user.organization.credit_code
        assert not user.is_staff
    assert User.objects.get(username="clerk").check_password(PASSWORD)


def test_the_articles_party_organizations(seeded):
    clerk = User.objects.get(username="clerk")

    # 至爱: 8 staff members who count, 20 elderly members who do not (R-PB-1).
    zhiai = PartyOrganization.objects.get(name="长春市至爱联合党支部")
    nursing_home, home_care = org(orgdata.ZHIAI_NURSING_HOME), org(orgdata.ZHIAI_HOME_CARE)
    assert zhiai.formation_mode == FormationMode.JOINT
    assert zhiai.kind == "joint_branch"
    assert set(zhiai.organizations.all()) == {nursing_home, home_care}
    assert zhiai.founded_on.year == 2014
    assert zhiai.founded_on >= max(nursing_home.registered_on, home_care.registered_on)
    counted = with_party_building(
        Organization.objects.filter(pk__in=[nursing_home.pk, home_care.pk])
    ).aggregate(n=Sum("counted_members"))["n"]
    assert counted == 8
    elderly = PartyMember.objects.filter(role=MemberRole.SERVICE_RECIPIENT)
    assert elderly.count() == 20
    assert set(elderly.values_list("organization", "party_organization").distinct()) == {
        (nursing_home.pk, zhiai.pk)
    }
    assert all(1930 <= m.birth_date.year <= 1950 for m in elderly)
    staff = PartyMember.objects.filter(
        organization__in=[nursing_home, home_care], role=MemberRole.FULL_TIME_STAFF
    )
    assert staff.count() == 8
    assert set(staff.values_list("status", "relationship").distinct()) == {
        (MemberStatus.FULL, Relationship.TRANSFERRED)
    }

    # 金秋, joint by location.
    jinqiu = PartyOrganization.objects.get(
        organizations=org(orgdata.JINQIU_HOME_CARE), formation_mode=FormationMode.JOINT
    )
    assert set(jinqiu.organizations.all()) == {
        org(orgdata.JINQIU_HOME_CARE),
        org(orgdata.MORAL_CULTURE_ASSOCIATION),
    }

    # The social workers' association: branch in May 2018, E-branch, lead of 13 agencies.
    social_workers = org(orgdata.SOCIAL_WORK_LEAD)
    branch = PartyOrganization.objects.get(organizations=social_workers)
    assert branch.formation_mode == FormationMode.STANDALONE
    assert (branch.founded_on.year, branch.founded_on.month) == (2018, 5)
    assert branch.e_branch_joined_on is not None
    assert branch.parent_body is not None and branch.parent_body.is_default
    lead = IndustryLead.objects.get(lead_organization=social_workers)
    assert lead.driven_organizations.count() == 13
    assert set(lead.driven_organizations.values_list("industry__code", flat=True)) == {
        "social_work"
    }
    elderly_lead = IndustryLead.objects.get(lead_organization=org(orgdata.ELDERLY_CARE_LEAD))
    assert elderly_lead.driven_organizations.count() >= 40
    progress = {p.lead.pk: p for p in industry_lead_progress(Organization.objects.all())}
    assert progress[lead.pk].lead_has_party_organization
    assert 0 < progress[lead.pk].driven_covered < 13
    assert not progress[elderly_lead.pk].lead_has_party_organization

    # R-PB-11: the dispatched-formed organization's dispatch ended on its founding day.
    formed = PartyOrganization.objects.get(formation_mode=FormationMode.DISPATCHED)
    (covered,) = formed.organizations.all()
    (dispatch,) = Dispatch.objects.filter(organization=covered)
    assert dispatch.started_on < formed.founded_on
    assert dispatch.ended_on == formed.founded_on
    assert dispatch.end_reason

    # Open dispatches: three organizations without counted members (R-PB-4).
    open_dispatches = Dispatch.objects.filter(ended_on__isnull=True)
    assert open_dispatches.count() == 3
    assert set(
        with_party_building(
            Organization.objects.filter(dispatches__in=open_dispatches)
        ).values_list("counted_members", flat=True)
    ) == {0}
    for dispatch in Dispatch.objects.all():
        assert dispatch.instructor_unit in ("长春市民政局", "长春市民间组织管理局")

    # Written through the services: history names the clerk (the deregistered organization's
    # branch was dissolved, its members transferred out, by the Party working committee).
    assert set(
        PartyOrganization.history.exclude(name=deregistration_demo.BRANCH).values_list(
            "history_user", flat=True
        )
    ) == {clerk.pk}
    assert PartyMember.history.filter(history_user=clerk).count() == PartyMember.objects.count()


def test_members_are_realistic(seeded):
    members = list(PartyMember.objects.all())
    assert len({m.id_number for m in members}) == len(members)
    for member in members:
        assert validate_id_number(member.id_number) == member.id_number
        assert member.id_number.startswith("2201")
        assert birth_date_of(member.id_number) == member.birth_date
        assert sex_of(member.id_number) == member.sex
        assert 1930 <= member.birth_date.year <= 1995
        assert member.joined_party_on.year < 2018
        assert member.joined_party_on.year - member.birth_date.year >= 18
    assert PartyMember.objects.filter(status=MemberStatus.PROBATIONARY).exists()
    assert PartyMember.objects.filter(left_on__isnull=False).exclude(left_reason="").exists()
    floating = PartyMember.objects.filter(relationship=Relationship.FLOATING)
    assert floating.filter(certificate_letter_on__isnull=False).exists()
    assert floating.filter(certificate_letter_on__isnull=True).exists()
    assert PartyMember.objects.filter(
        role=MemberRole.PART_TIME_STAFF,
        relationship=Relationship.HELD_ELSEWHERE,
        certificate_letter_on__isnull=False,
    ).exists()


def test_running_again_creates_nothing_and_a_generated_password_is_printed(seeded):
    before = model_counts()
    report = _report()

    output = seed()  # no --password: one is generated and printed

    # Nothing created; each account given the new password is an account operation, audited
    # once ("restored").
    after = model_counts()
    written = after.pop("audit.AuditRecord") - before.pop("audit.AuditRecord")
    assert after == before
    records = AuditRecord.objects.order_by("-sequence")[:written]
    assert written and {r.details["event"] for r in records} == {"restored"}
    assert len({r.object_id for r in records}) == written
    assert PartyMember.objects.count() == before["partybuilding.PartyMember"]
    assert json.loads(_report()) == json.loads(report)
    match = re.search(r"所有演示账号的密码：(\S+)", output)
    assert match
    password = match.group(1)
    assert password != PASSWORD
    assert User.objects.get(username="clerk").check_password(password)


def test_demo_has_applications_in_every_state(seeded):
    from partybuilding.member_forms.selectors import overdue_copies
    from partybuilding.models import MemberFormCopy
    from registry.models import Application

    states = set(Application.objects.values_list("status", flat=True))
    assert states == {"draft", "submitted", "consented", "returned", "rejected", "approved"}
    approved = Application.objects.get(status="approved")
    assert approved.organization.name == "长春市永昌居家养老服务中心"
    copies = MemberFormCopy.objects.filter(application=approved)
    assert copies.count() == 3
    assert copies.filter(kind="committee", acknowledged_at__isnull=False).exists()
    assert overdue_copies(copies).filter(kind="supervisory_unit").exists()


def test_demo_has_the_2017_annual_checks(seeded):
    from annualcheck.models import AnnualCheck, Rectification
    from annualcheck.selectors import revocation_review_candidates

    checks_2017 = AnnualCheck.objects.filter(year=2017)
    states = set(checks_2017.values_list("status", flat=True))
    assert states == {"draft", "submitted", "pre_reviewed", "returned", "reviewed"}
    # R-AC-4: the three organizations still 应建未建 today were judged 不合格 in 2017.
    for key in partybuilding_demo.SHOULD_BUILD:
        check = checks_2017.get(organization=org(key))
        assert (check.result, check.default_result) == ("unqualified", "unqualified")
    assert Rectification.objects.filter(status="open").exists()
    assert Rectification.objects.filter(status="answered").exists()
    assert [o.name for o in revocation_review_candidates(year=2017)] == ["长春市福寿养老院"]
    exempt = Organization.objects.filter(registered_on__gt="2017-06-30")
    assert not checks_2017.filter(organization__in=exempt).exists()


def test_demo_evaluations(seeded):
    """2016 under the 2014 scheme (20 Party-building points); 2017 under the 2017 scheme with
    94 % of the newly rated 3A+ covered by a Party organization (R-EV-6), one of them downgraded
    (R-EV-3); a 应建未建 organization refused in 2018 (R-EV-4)."""
    from evaluation.models import Evaluation
    from evaluation.selectors import evaluation_report
    from evaluation.services import leaf_indicators

    figures = evaluation_report(year=2017)
    assert round(figures["new_3a_plus_party_org_rate"] * 100) == 94
    assert (figures["new_3a_plus"], figures["new_3a_plus_with_party_org"]) == (17, 16)
    assert figures["downgraded"] >= 1
    uncovered_3a_plus = Evaluation.objects.get(
        year=2017, grade__in=["5A", "4A", "3A"], had_party_organization=False
    )
    assert (uncovered_3a_plus.grade_by_score, uncovered_3a_plus.grade) == ("4A", "3A")
    assert uncovered_3a_plus.downgraded and "无党组织覆盖" in uncovered_3a_plus.explanation
    for evaluation in Evaluation.objects.filter(year=2017).select_related("scheme"):
        assert evaluation.scheme.year == 2017
        assert evaluation.status == "decided"

    refused = Evaluation.objects.get(year=2018)
    assert refused.status == "ineligible"
    assert refused.organization.credit_code in {
        org(key).credit_code for key in partybuilding_demo.SHOULD_BUILD
    }
    assert any("应建未建" in reason for reason in refused.ineligible_reasons)

    evaluations_2016 = Evaluation.objects.filter(year=2016).select_related("scheme", "organization")
    assert evaluations_2016.count() >= 5
    for evaluation in evaluations_2016:
        assert evaluation.status == "decided"
        leaves = leaf_indicators(evaluation.scheme, evaluation.organization.organization_type)
        assert sum(i.max_points for i in leaves if i.is_party_building) == 20
        assert evaluation.party_building_score <= 20
        assert evaluation.total == sum(evaluation.scores.values_list("points", flat=True))


def test_seed_demo_reuses_the_districts_and_streets_migrate_made(seeded):
    """Issue 15: `migrate` already made Changchun's districts and streets from the national
    list; the demo finds them by code and name instead of adding copies."""
    from demo.registry_demo import FUNCTIONAL_ZONES
    from registry.divisions import jurisdiction_counties
    from registry.models import District, Division, Street

    counties = {county.code: county.name for county in jurisdiction_counties("220100")}
    administrative = District.objects.filter(kind="administrative")
    assert dict(administrative.values_list("code", "name")) == counties
    assert set(District.objects.filter(kind="functional_zone").values_list("name", flat=True)) == (
        set(FUNCTIONAL_ZONES)
    )
    townships = set(Division.objects.filter(level="township").values_list("code", flat=True))
    assert set(Street.objects.exclude(code="").values_list("code", flat=True)) == townships
    # Only a 2018 street the 2023 list no longer has is the demo's own.
    assert list(Street.objects.filter(code="").values_list("name", flat=True)) == ["南站街道"]
    for key, code in orgdata.DISTRICT_CODES.items():
        assert District.objects.get(name=key).code == code


def test_demo_changes_in_2018_in_their_states(seeded):
    """R-CHG-1..7: an approved change of residence and of legal representative (its new
    legal representative signed the pledge again), an approved charter amendment, one filed
    and waiting for the clerk, one submitted and waiting for the unit; all dated in 2018.
    Approval wrote the organization, reissued its certificates (R-CERT-3) and the ledger as of
    a day before the change still shows the values it replaced (R-CHG-4)."""
    import datetime

    from partybuilding.ledger.selectors import ledger_rows
    from partybuilding.models import ChangeNotice
    from registry.models import ChangeApplication, RegistrationTemplate

    changes = {
        change.organization.credit_code: change
        for change in ChangeApplication.objects.select_related("organization")
    }
    state = {key: changes[org(key).credit_code] for key in changes_demo.TIMELINE}
    assert {key: change.status for key, change in state.items()} == {
        key: stop for key, (_days, stop) in changes_demo.TIMELINE.items()
    }
    for key, change in state.items():
        submitted_on, consented_on, filed_on, _approved_on = changes_demo.TIMELINE[key][0]
        assert (change.consented_on, change.filed_on) == (consented_on, filed_on), key
        assert not change.filed_late
        assert change.submissions.count() == 1
    moves = list(state[changes_demo.RESIDENCE].events.values_list("to_status", flat=True))
    assert moves == ["submitted", "consented", "filed", "approved"]

    residence = org(changes_demo.RESIDENCE)
    assert (residence.district.name, residence.street.name, residence.address) == (
        changes_demo.NEW_RESIDENCE
    )
    representative = state[changes_demo.LEGAL_REPRESENTATIVE]
    assert org(changes_demo.LEGAL_REPRESENTATIVE).legal_representative == "顾晨"
    assert representative.previous_values == {"legal_representative": "史佳慧"}
    assert (representative.pledge_signed_by, representative.pledge_signed_on) == (
        "顾晨",
        changes_demo.PLEDGE_SIGNED_ON,
    )
    charter = state[changes_demo.CHARTER]
    assert charter.kind == "charter"
    assert RegistrationTemplate.current().party_building_clause in charter.charter_text
    assert org(changes_demo.FILED).registered_capital is None  # not decided yet

    # R-CERT-3: the pair replaced is withdrawn on the approval day, pointing to its successor;
    # a charter amendment reissues nothing.
    for key in (changes_demo.RESIDENCE, changes_demo.LEGAL_REPRESENTATIVE):
        approved_on = changes_demo.TIMELINE[key][0][3]
        certificates = org(key).certificates
        valid = certificates.filter(status="valid")
        assert {(c.issue_reason, c.issued_on) for c in valid} == {("change", approved_on)}
        replaced = certificates.filter(replaced_by__in=valid)
        assert replaced.count() == 2
        assert {c.withdrawn_on for c in replaced} == {approved_on}
    assert not org(changes_demo.CHARTER).certificates.filter(issue_reason="change").exists()
    # R-CHG-6: the move to another district copied to the Party working committee.
    notice = ChangeNotice.objects.get(organization=residence)
    assert notice.filed_on == changes_demo.TIMELINE[changes_demo.RESIDENCE][0][3]

    # R-CHG-4: today's ledger has the new values, the ledger as of 1 March 2018 the old ones.
    def ledger_row(key, as_of=None):
        (row,) = ledger_rows(Organization.objects.filter(pk=org(key).pk), as_of=as_of)
        return row

    assert ledger_row(changes_demo.RESIDENCE)["district__name"] == "绿园区"
    before = datetime.date(2018, 3, 1)
    assert ledger_row(changes_demo.RESIDENCE, before)["district__name"] == "宽城区"
    assert ledger_row(changes_demo.LEGAL_REPRESENTATIVE, before)["legal_representative"] == (
        "史佳慧"
    )
    between = datetime.date(2018, 3, 31)  # after the move, before the election
    assert ledger_row(changes_demo.RESIDENCE, between)["district__name"] == "绿园区"
    assert ledger_row(changes_demo.LEGAL_REPRESENTATIVE, between)["legal_representative"] == (
        "史佳慧"
    )


def test_demo_deregistration_end_to_end(seeded):
    """R-DEREG-1..8 and R-CERT-4: the organization outside the article's 71 applied after its
    liquidation, its unit consented, its Party branch was dissolved and its members transferred
    out, the clerk deregistered it with the certificates and the seal returned. It is out of
    today's figures, in those of a day before."""
    import datetime

    from partybuilding.coverage.selectors import coverage_figures
    from registry.models import Deregistration
    from registry.selectors import registered_on_day

    d = deregistration_demo
    organization = Organization.objects.get(credit_code=d.deregistered_credit_code())
    assert (organization.status, organization.registration_ended_on) == (
        "deregistered",
        d.DEREGISTERED_ON,
    )
    deregistration = Deregistration.objects.get(organization=organization)
    assert (deregistration.kind, deregistration.status, deregistration.reason) == (
        "deregistration",
        "completed",
        "dissolved",
    )
    assert deregistration.applicant.username == organization.credit_code
    assert (deregistration.resolved_on, deregistration.liquidation_ended_on) == (
        d.RESOLVED_ON,
        d.LIQUIDATION[1],
    )
    assert (deregistration.submitted_on, deregistration.late) == (d.APPLIED_ON, False)
    assert deregistration.consented_on == d.CONSENTED_ON and deregistration.supervisory_opinion
    assert (deregistration.decided_on, deregistration.decided_by.username) == (
        d.DEREGISTERED_ON,
        "clerk",
    )
    assert deregistration.certificate_returned_on == deregistration.seal_returned_on
    assert deregistration.returns_note
    assert list(deregistration.events.order_by("pk").values_list("to_status", flat=True)) == [
        "submitted",
        "consented",
        "completed",
    ]

    # R-DEREG-5: the branch dissolved and every member transferred out before the decision.
    branch = PartyOrganization.objects.get(name=d.BRANCH)
    assert branch.dissolved_on == d.BRANCH_DISSOLVED_ON
    members = PartyMember.objects.filter(organization=organization)
    assert members.count() == 3
    for member in members:
        assert member.transferred_out_on == member.left_on == d.TRANSFERRED_ON
        assert member.transferred_out_to.endswith("街道工作委员会")
    # R-CERT-4: its certificates withdrawn on the day they were returned.
    assert not organization.certificates.filter(status="valid").exists()
    assert set(
        organization.certificates.filter(withdrawal_reason="deregistration").values_list(
            "withdrawn_on", flat=True
        )
    ) == {d.DEREGISTERED_ON}

    # R-DEREG-8: out of today's figures (the article's stay as they are), in a past day's.
    today = coverage_figures(Organization.objects.filter(bureau_managed=True))
    assert (today["organizations"], today["party_organizations"]) == (71, 15)
    day_before = datetime.date(2018, 6, 14)
    registered = Organization.objects.filter(
        registered_on_day(day_before), registered_on__lte=day_before
    )
    assert organization in registered and registered.count() == 72
    assert not Organization.objects.filter(registered_on_day(d.DEREGISTERED_ON)).filter(
        pk=organization.pk
    )


def test_demo_credit_listings(seeded):
    """demo.credit_demo: the daily job's June proposals decided by the clerk, one listing with
    the organization's statement and its message, and July's two proposals awaiting decision."""
    from credit.choices import EntryStatus, Ground
    from credit.models import ListEntry
    from notifications.models import Notification

    entries = {
        (entry.organization.name, entry.ground): entry
        for entry in ListEntry.objects.select_related("organization")
    }
    listed = entries[("长春市暖心社会工作服务中心", Ground.ANNUAL_REPORT)]
    assert listed.status == EntryStatus.LISTED
    assert str(listed.listed_on) == "2018-06-11" and str(listed.proposed_on) == "2018-06-04"
    assert listed.answers.count() == 1
    assert Notification.objects.filter(
        recipient__organization=listed.organization, subject__contains="活动异常名录"
    ).exists()
    assert entries[("长春市博爱社工事务所", Ground.ANNUAL_REPORT)].status == EntryStatus.DISMISSED
    ended = entries[("长春市惠民社区服务中心", Ground.ANNUAL_REPORT)]
    assert ended.status == EntryStatus.DISMISSED
    waiting = ListEntry.objects.filter(status=EntryStatus.PROPOSED)
    assert {entry.ground for entry in waiting} == {Ground.RECTIFICATION}
    assert {str(entry.proposed_on) for entry in waiting} == {"2018-07-01"}
    assert waiting.count() == 2
