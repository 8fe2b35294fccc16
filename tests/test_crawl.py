"""The crawl that keeps the admin and the portal closed (issue 13).

Every URL the admin registry generates (change list, add, change, delete, history, history
item, autocomplete, and a change list filtered on a field that is no filter) and every portal
URL, for every role, with objects in and out of the role's scope, by GET and POST. The
expected answer comes from the roles' permissions (accounts/roles.py, through user.has_perm)
and the scoping selectors (`*_visible_to`), never from the admin under test; the admin may only
narrow it (`has_*_permission` saying no where the role's permission says yes). Where a role may,
a GET answers 200; where it may not, 302, 403 or 404, and a POST changes nothing in the
database (every POST runs in a savepoint that is rolled back, so allowed ones leave nothing
either).

Built from admin.site._registry and the URL resolver: a model admin or portal URL added later is
crawled without anyone remembering to, and one the fixtures have no object for (or no
expectation for) makes the test fail, naming it."""

import datetime
import json

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import AnonymousUser, Group
from django.db import transaction
from django.test import RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from simple_history.admin import SimpleHistoryAdmin

from accounts import roles
from accounts.models import AccountLock
from annualcheck.models import AnnualCheck, Rectification
from annualcheck.selectors import annual_checks_visible_to
from annualcheck.services import annual_check_start, annual_check_submit
from audit.models import AuditAnchor, AuditRecord
from credit.models import EntryAnswer, ListEntry, Penalty, RectificationNotice, ReturnedLetter
from credit.selectors import answers_visible_to, entries_visible_to, own_entries
from evaluation.models import Evaluation, Scheme
from evaluation.selectors import evaluations_visible_to
from evaluation.services import evaluation_open
from exports.models import ExportJob
from exports.selectors import export_jobs_visible_to
from notifications.models import Notification
from notifications.selectors import notifications_visible_to
from notifications.services import notify
from partybuilding.change_notices import change_notices_visible_to
from partybuilding.member_forms.selectors import member_form_copies_visible_to
from partybuilding.models import Dispatch, IndustryLead, MemberFormCopy, PartyMember
from partybuilding.selectors import party_members_visible_to, party_organizations_visible_to
from registry.certificate_selectors import certificates_visible_to
from registry.change_selectors import changes_visible_to
from registry.choices import ApplicationStatus, ChangeKind, ChangeStatus, DeregistrationStatus
from registry.models import (
    Application,
    Certificate,
    ChangeApplication,
    Deregistration,
    Organization,
    PartyBuildingBody,
)
from registry.selectors import (
    applications_visible_to,
    deregistrations_visible_to,
    organizations_visible_to,
)
from registry.services import deregistration
from registry.services.bureau import bureau_profile_save
from registry.services.certificates import certificates_issue
from registry.services.changes import (
    change_approve,
    change_consent,
    change_file,
    change_save_step,
    change_start,
    change_submit,
)
from registry.services.registration import (
    application_approve,
    application_consent,
    application_submit,
)
from sharing.services import token_issue
from tests.annualcheck.test_rules import filled
from tests.conftest import TwoFactorClient
from tests.factories import (
    DistrictFactory,
    OrganizationFactory,
    PartyMemberFactory,
    PenaltyFactory,
    RectificationNoticeFactory,
    ReturnedLetterFactory,
    SupervisoryUnitFactory,
    found_party_organization,
    make_organization_user,
    make_user,
)
from tests.registry.test_registration import complete_application

pytestmark = pytest.mark.django_db

REFUSED = {302, 403, 404}
# A POST to a page that takes none is refused too (405), as long as nothing is written.
REFUSED_POST = REFUSED | {405}
ANONYMOUS = "anonymous"
ROLES = [
    roles.CLERK,
    roles.SUPERVISORY_UNIT,
    roles.COMMITTEE,
    roles.ORGANIZATION,
    roles.APPLICANT,
    roles.SYSTEM_ADMIN,
    roles.SECURITY_ADMIN,
    roles.AUDIT_ADMIN,
    ANONYMOUS,
]
# Pinned: these roles read and never write anything in the admin, whatever the permissions say,
# but for the rights named here (the committee acknowledges the member-form copies it receives,
# R-REG-3).
READ_ONLY_ROLES = {roles.COMMITTEE, roles.SECURITY_ADMIN, roles.AUDIT_ADMIN}
READ_ONLY_EXCEPTIONS = {
    (roles.COMMITTEE, "partybuilding.MemberFormCopy", "change"),
    # R-CHG-6: the committee acknowledges its copies of changes as it does member forms.
    (roles.COMMITTEE, "partybuilding.ChangeNotice", "change"),
    # R-API-2: the security administrator issues ("add") and revokes ("change") API tokens.
    (roles.SECURITY_ADMIN, "sharing.ApiToken", "add"),
    (roles.SECURITY_ADMIN, "sharing.ApiToken", "change"),
}
# Rights that open an admin without the model's view permission: the security administrator
# sees the account locks to lift them early.
VIEW_RIGHTS = {"accounts.AccountLock": "accounts.unlock_account"}
OBJECTS_PER_MODEL = 4


# --- Scoping: which objects of a model a user may see, from the selectors ----------------------


def _within(queryset_of, field):
    return lambda user: {field + "__in": queryset_of(user).values("pk")}


SCOPES = {
    "registry.Organization": organizations_visible_to,
    # The admin lists submitted applications only: drafts stay private to their applicant.
    "registry.Application": lambda user: applications_visible_to(user).exclude(
        status=ApplicationStatus.DRAFT
    ),
    "partybuilding.PartyMember": party_members_visible_to,
    "partybuilding.PartyOrganization": party_organizations_visible_to,
    "partybuilding.Dispatch": lambda user: Dispatch.objects.filter(
        organization__in=organizations_visible_to(user).values("pk")
    ),
    "partybuilding.MemberFormCopy": member_form_copies_visible_to,
    # Change applications: as registration applications, drafts stay with their organization.
    "registry.ChangeApplication": lambda user: changes_visible_to(user).exclude(
        status=ChangeStatus.DRAFT
    ),
    "partybuilding.ChangeNotice": change_notices_visible_to,
    "annualcheck.AnnualCheck": annual_checks_visible_to,
    "annualcheck.Rectification": lambda user: Rectification.objects.filter(
        annual_check__in=annual_checks_visible_to(user).values("pk")
    ),
    "evaluation.Evaluation": evaluations_visible_to,
    # The admin lists filed deregistrations only: drafts stay with their organization.
    "registry.Deregistration": lambda user: deregistrations_visible_to(user).exclude(
        status=DeregistrationStatus.DRAFT
    ),
    "exports.ExportJob": export_jobs_visible_to,
    "registry.Certificate": certificates_visible_to,
    "credit.ListEntry": entries_visible_to,
    "credit.EntryAnswer": answers_visible_to,
    "notifications.Notification": notifications_visible_to,
    # Credit supervision's facts: those of the organizations the user sees.
    **{
        model._meta.label: (
            lambda user, model=model: model.objects.filter(
                organization__in=organizations_visible_to(user).values("pk")
            )
        )
        for model in (Penalty, RectificationNotice, ReturnedLetter)
    },
}
# City-wide data: whoever holds the model's view permission sees every row.
UNSCOPED = {
    "auth.Group",
    "django_tasks_database.DBTaskResult",
    "accounts.User",
    "accounts.AccountLock",
    "registry.Industry",
    "registry.District",
    "registry.Street",
    "registry.SupervisoryUnit",
    "registry.PartyBuildingBody",
    "registry.RegistrationTemplate",
    "registry.BureauProfile",
    "registry.Division",
    "partybuilding.IndustryLead",
    "evaluation.Scheme",
    "audit.AuditRecord",
    "audit.AuditAnchor",
    # Credentials, not business data: the security administrator sees every token (R-API-2).
    "sharing.ApiToken",
}


def in_scope(user, model, obj) -> bool:
    label = model._meta.label
    if label in UNSCOPED:
        return True
    return SCOPES[label](user).filter(pk=obj.pk).exists()


def role_may(user, model, action: str, obj=None) -> bool:
    """What the role's permissions and scope allow, before any admin narrows it."""
    if user is None or not (user.is_active and user.is_staff):
        return False
    opts = model._meta
    codename = f"{opts.app_label}.{{}}_{opts.model_name}"
    if action == "view":
        allowed = user.has_perm(codename.format("view")) or user.has_perm(codename.format("change"))
        if opts.label in VIEW_RIGHTS:
            allowed = allowed or user.has_perm(VIEW_RIGHTS[opts.label])
    else:
        allowed = user.has_perm(codename.format(action))
    read_only = {
        role
        for role in READ_ONLY_ROLES & user.role_names
        if (role, opts.label, action) not in READ_ONLY_EXCEPTIONS
    }
    if allowed and read_only:
        assert action == "view", f"{read_only} holds {action} on {opts.label}: a read-only role"
    return allowed and (obj is None or in_scope(user, model, obj))


# --- The fixtures: one world per module --------------------------------------------------------


def build_world():
    unit_a, unit_b = SupervisoryUnitFactory(), SupervisoryUnitFactory()
    organization_a = OrganizationFactory(supervisory_unit=unit_a)
    organization_b = OrganizationFactory(supervisory_unit=unit_b)
    clerk = make_user(roles.CLERK, username="crawl-clerk")
    users = {
        roles.CLERK: clerk,
        roles.SUPERVISORY_UNIT: make_user(
            roles.SUPERVISORY_UNIT, username="crawl-unit", supervisory_unit=unit_a
        ),
        roles.COMMITTEE: make_user(roles.COMMITTEE, username="crawl-committee"),
        roles.ORGANIZATION: make_organization_user(organization_a),
        roles.APPLICANT: make_user(roles.APPLICANT, username="crawl-applicant"),
        roles.SYSTEM_ADMIN: make_user(roles.SYSTEM_ADMIN, username="crawl-sysadmin"),
        roles.SECURITY_ADMIN: make_user(roles.SECURITY_ADMIN, username="crawl-secadmin"),
        roles.AUDIT_ADMIN: make_user(roles.AUDIT_ADMIN, username="crawl-auditadmin"),
        ANONYMOUS: None,
    }
    other_applicant = make_user(roles.APPLICANT, username="crawl-applicant-2")
    organization_b_user = make_organization_user(organization_b)

    for organization in (organization_a, organization_b):
        certificates_issue(organization=organization, by=clerk, reason="registration")
        PartyMemberFactory(organization=organization)
        found_party_organization(organization, by=clerk)
        Dispatch.objects.create(
            organization=organization,
            dispatched_branch="市民政局机关党支部",
            instructor_name="王指导",
            instructor_unit="市民政局",
            instructor_phone="13904310000",
            started_on=datetime.date(2018, 1, 1),
        )
        IndustryLead.objects.create(
            industry=organization.industry,
            lead_organization=organization,
            designated_on=datetime.date(2018, 1, 1),
        )
        evaluation_open(organization=organization, year=2018, by=clerk)
        PenaltyFactory(organization=organization, kind="fine", amount_yuan=3000)
        RectificationNoticeFactory(organization=organization)
        ReturnedLetterFactory(organization=organization)
    PartyBuildingBody.objects.get_or_create(name="长春市社会组织综合党委")
    bureau_profile_save(by=clerk, authority_name="长春市民政局")

    # Applications: one approved (its organization and member-form copies), one submitted to
    # the other unit, one draft.
    applicant = users[roles.APPLICANT]
    approved = complete_application(applicant, unit=unit_a, members=1)
    application_submit(application=approved, by=applicant)
    application_consent(application=approved, by=users[roles.SUPERVISORY_UNIT], opinion="同意")
    application_approve(application=approved, by=clerk)
    submitted = complete_application(other_applicant, unit=unit_b, members=1)
    application_submit(application=submitted, by=other_applicant)
    complete_application(applicant, members=0)  # a draft

    # Deregistrations (R-DEREG): organization A's submitted to its unit, B's a draft, and a
    # third organization's registration revoked (a completed record with its notice).
    filed = deregistration.deregistration_start(
        organization=organization_a, by=users[roles.ORGANIZATION]
    )
    deregistration.deregistration_save_step(
        deregistration=filed,
        by=users[roles.ORGANIZATION],
        reason="dissolved",
        reason_details="会员大会决议解散",
        resolved_on=datetime.date(2018, 5, 2),
        liquidation_group="张三",
        liquidation_started_on=datetime.date(2018, 5, 10),
        liquidation_ended_on=datetime.date(2018, 6, 20),
        liquidation_report="清算完毕",
        remaining_assets="捐赠",
    )
    deregistration.deregistration_submit(deregistration=filed, by=users[roles.ORGANIZATION])
    deregistration.deregistration_start(organization=organization_b, by=organization_b_user)
    deregistration.revocation_decide(
        organization=OrganizationFactory(supervisory_unit=unit_b),
        by=clerk,
        decided_on=datetime.date(2018, 6, 1),
        decision_reason="连续两年年检不合格",
    )

    checks = []
    for organization, user in (
        (organization_a, users[roles.ORGANIZATION]),
        (organization_b, organization_b_user),
    ):
        check = annual_check_start(organization=organization, year=2017, by=user)
        filled(check, user)
        annual_check_submit(annual_check=check, by=user, today=datetime.date(2018, 3, 20))
        Rectification.objects.create(
            annual_check=check, problem="党员档案不全", due_on=datetime.date(2018, 6, 30)
        )
        checks.append(check)
    build_changes(users, organization_b_user)
    build_credit_entries(clerk, (users[roles.ORGANIZATION], organization_b_user))
    for user in (clerk, users[roles.SUPERVISORY_UNIT]):
        ExportJob.objects.create(user=user, kind="ledger")
    # Notifications (issue 18): each user's own, never another's.
    for user in (clerk, users[roles.SUPERVISORY_UNIT], users[roles.ORGANIZATION], applicant):
        notify([user], kind="other", key="crawl", subject="提醒", link="/portal/")
    now = timezone.now()
    AccountLock.objects.create(
        username="locked-one", locked_at=now, locked_until=now + datetime.timedelta(minutes=30)
    )
    AuditAnchor.objects.create(
        purged_before=datetime.date(2010, 1, 1), last_sequence=0, last_hash="0" * 64, purged_count=0
    )
    DBTaskResult = apps.get_model("django_tasks_database", "DBTaskResult")

    DBTaskResult.objects.create(
        args_kwargs={"args": [], "kwargs": {}},
        task_path="exports.tasks.run_export",
        backend_name="default",
        run_after=now,
        exception_class_path="",
        traceback="",
    )
    token_issue(holder=users[roles.SUPERVISORY_UNIT], name="crawl", by=users[roles.SECURITY_ADMIN])
    superuser = type(clerk).objects.create_superuser("crawl-root", password="Root-password-2018")
    return {"users": users, "superuser": superuser}


def build_credit_entries(clerk, organization_users):
    """Credit list entries (R-CR): each organization listed (with its answer) and proposed."""
    for user in organization_users:
        listed = ListEntry.objects.create(
            organization=user.organization,
            credit_list="abnormal",
            ground="annual_report",
            status="listed",
            evidence_key="annual_report:2017",
            proposed_on=datetime.date(2018, 6, 1),
            listed_on=datetime.date(2018, 6, 5),
            term_starts_on=datetime.date(2018, 6, 5),
            decision_number="长民信〔2018〕1号",
            decision_text="事实：未报送2017年度工作报告",
            decided_by=clerk,
        )
        EntryAnswer.objects.create(entry=listed, kind="statement", text="已补报", submitted_by=user)
    for user in organization_users:
        ListEntry.objects.create(
            organization=user.organization,
            credit_list="abnormal",
            ground="rectification",
            evidence_key="rectification_notice:1",
            proposed_on=datetime.date(2018, 7, 1),
        )


def build_changes(users, organization_b_user):
    """Change applications (R-CHG-1..7): the unit's organization moved to another district
    (approved: the committee's copy filed), one submitted to the other unit, a charter draft."""
    reporter, unit_user = users[roles.ORGANIZATION], users[roles.SUPERVISORY_UNIT]
    organization_a = reporter.organization
    moved = change_start(organization=organization_a, by=reporter, kind=ChangeKind.CHANGE)
    moved = change_save_step(change=moved, by=reporter, items=["residence"], reason="迁址")
    moved = change_save_step(
        change=moved,
        by=reporter,
        district=DistrictFactory(name="南关区", code="220102"),
        address="自强街1号",
    )
    moved = change_submit(change=moved, by=reporter)
    moved = change_consent(change=moved, by=unit_user, opinion="同意")
    change_approve(change=change_file(change=moved, by=reporter), by=users[roles.CLERK])
    organization_b = organization_b_user.organization
    other = change_start(
        organization=organization_b, by=organization_b_user, kind=ChangeKind.CHANGE
    )
    other = change_save_step(
        change=other, by=organization_b_user, items=["business_scope"], reason="决议"
    )
    other = change_save_step(change=other, by=organization_b_user, business_scope="新的业务范围")
    change_submit(change=other, by=organization_b_user)
    change_start(organization=organization_a, by=reporter, kind=ChangeKind.CHARTER)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        with transaction.atomic():
            yield build_world()
            transaction.set_rollback(True)


def objects_of(model):
    return list(model._default_manager.order_by("pk")[:OBJECTS_PER_MODEL])


# --- Requests ---------------------------------------------------------------------------------


def client_for(user):
    client = TwoFactorClient()
    if user is not None:
        client.force_login(user)
    return client


def state(model) -> tuple:
    """What a write to `model` would change: its rows and its history rows."""
    rows = [tuple(map(str, row)) for row in model._default_manager.order_by("pk").values_list()]
    history = getattr(model, "history", None)
    return rows, history.count() if history is not None else None


def post_refused(client, url, data, model) -> tuple[bool, str]:
    """POST inside a rolled-back savepoint: (refused and nothing written, what happened)."""
    with transaction.atomic():
        before = state(model)
        response = client.post(url, data)
        after = state(model)
        transaction.set_rollback(True)
    unchanged = before == after
    return (
        response.status_code in REFUSED_POST and unchanged,
        f"POST {url} -> {response.status_code}, database {'unchanged' if unchanged else 'CHANGED'}",
    )


def post_allowed(client, url, data) -> tuple[bool, str]:
    with transaction.atomic():
        response = client.post(url, data)
        transaction.set_rollback(True)
    return response.status_code < 500, f"POST {url} -> {response.status_code}"


def form_data(model_admin, superuser, obj) -> dict:
    """What the change form would post (as a user who may change everything), with one text
    field changed, so that a POST that is not refused shows in the database."""
    request = RequestFactory().get("/")
    request.user = superuser
    form = model_admin.get_form(request, obj, change=True)(instance=obj)
    data, changed = {}, False
    for bound in form:
        value = bound.value()
        if value is None or value is False:
            continue
        if isinstance(value, (list, tuple)):
            data[bound.html_name] = [str(v) for v in value]
        elif value is True:
            data[bound.html_name] = "on"
        elif isinstance(value, (datetime.date, datetime.datetime)):
            data[bound.html_name] = value.isoformat()
        else:
            data[bound.html_name] = str(value)
            if not changed and isinstance(value, str) and bound.name not in ("password",):
                data[bound.html_name] = f"{value}改"
                changed = True
    return data


# --- The admin --------------------------------------------------------------------------------

ADMIN_KINDS = [
    "changelist",
    "lookup",
    "add",
    "change",
    "delete",
    "history",
    "history_item",
    "autocomplete",
]
REGISTERED = sorted(admin.site._registry, key=lambda model: model._meta.label)
# Holes this crawl found and the fixes closed (issue 13 points 1 and 2) have no marks left: a
# case marked here must fail today and pass once fixed (strict xfail).
KNOWN_HOLES: dict[tuple[str, str, str], str] = {}


def admin_case(role, model, kind):
    marks = []
    hole = KNOWN_HOLES.get((role, model._meta.label, kind))
    if hole:
        marks.append(pytest.mark.xfail(strict=True, reason=hole))
    return pytest.param(role, model, kind, id=f"{role}-{model._meta.label}-{kind}", marks=marks)


def disallowed_lookup(model_admin) -> str | None:
    """A lookup on one of the model's own fields that no filter, search or date hierarchy of
    its admin offers (the kind `password__startswith` was)."""
    offered = set()
    for entry in model_admin.list_filter:
        if isinstance(entry, str):
            offered.add(entry.split("__")[0])
        elif isinstance(entry, (list, tuple)):
            offered.add(entry[0].split("__")[0])
    offered |= {name.lstrip("^=@").split("__")[0] for name in model_admin.search_fields}
    if model_admin.date_hierarchy:
        offered.add(model_admin.date_hierarchy.split("__")[0])
    for field in model_admin.model._meta.concrete_fields:
        if not field.primary_key and not field.is_relation and field.name not in offered:
            return f"{field.name}__startswith"
    return None


def test_every_registered_model_has_objects_to_crawl(world):
    """A model admin added without a fixture object (or without its scope) fails here."""
    missing = [model._meta.label for model in REGISTERED if not objects_of(model)]
    unscoped = [
        model._meta.label
        for model in REGISTERED
        if model._meta.label not in SCOPES and model._meta.label not in UNSCOPED
    ]
    assert not missing, f"no fixture object to crawl for {missing}: add one to build_world()"
    assert not unscoped, f"say how {unscoped} are scoped (SCOPES or UNSCOPED)"
    # Scoped models have an object the supervisory unit may not see, to be refused.
    unit = world["users"][roles.SUPERVISORY_UNIT]
    # Export jobs, notifications and the answers to credit listings have pages beside the admin,
    # no model admin.
    skipped = {"exports.ExportJob", "notifications.Notification", "credit.EntryAnswer"}
    for label in set(SCOPES) - skipped:
        model = next(m for m in REGISTERED if m._meta.label == label)
        assert any(not in_scope(unit, model, obj) for obj in objects_of(model)), label


@pytest.mark.parametrize(
    "role,model,kind",
    [
        admin_case(role, model, kind)
        for role in ROLES
        for model in REGISTERED
        for kind in ADMIN_KINDS
    ],
)
def test_admin_answers_as_the_role_may(world, role, model, kind):
    user = world["users"][role]
    model_admin = admin.site._registry[model]
    info = f"admin:{model._meta.app_label}_{model._meta.model_name}"
    client = client_for(user)
    request = RequestFactory().get("/")
    request.user = user if user is not None else AnonymousUser()
    problems = []

    def expect_get(url, allowed):
        status = client.get(url).status_code
        if (allowed and status != 200) or (not allowed and status not in REFUSED):
            problems.append(f"GET {url} -> {status}, expected {'200' if allowed else 'refusal'}")

    def expect_post(url, data, allowed):
        ok, what = (
            post_allowed(client, url, data) if allowed else post_refused(client, url, data, model)
        )
        if not ok:
            problems.append(what + ("" if allowed else ", expected a refusal"))

    def admin_allows(check, *args):
        return user is not None and check(request, *args)

    objects = objects_of(model)
    assert objects, f"no fixture object for {model._meta.label}"
    if kind == "changelist":
        allowed = role_may(user, model, "view") and admin_allows(
            model_admin.has_view_or_change_permission
        )
        expect_get(reverse(f"{info}_changelist"), allowed)
    elif kind == "lookup":
        lookup = disallowed_lookup(model_admin)
        if lookup is None:
            return
        url = reverse(f"{info}_changelist") + f"?{lookup}=a"
        status = client.get(url).status_code
        may = role_may(user, model, "view") and admin_allows(
            model_admin.has_view_or_change_permission
        )
        # Django's answer to a disallowed lookup: 400 (DisallowedModelAdminLookup).
        if (may and status != 400) or (not may and status not in REFUSED):
            problems.append(f"GET {url} -> {status}, expected {'400' if may else 'refusal'}")
    elif kind == "add":
        allowed = role_may(user, model, "add") and admin_allows(model_admin.has_add_permission)
        expect_get(reverse(f"{info}_add"), allowed)
        if not allowed:
            expect_post(reverse(f"{info}_add"), {}, False)
    elif kind in ("change", "delete", "history", "history_item"):
        for obj in objects:
            allowed_view = role_may(user, model, "view", obj) and admin_allows(
                model_admin.has_view_or_change_permission, obj
            )
            allowed_change = role_may(user, model, "change", obj) and admin_allows(
                model_admin.has_change_permission, obj
            )
            if kind == "change":
                url = reverse(f"{info}_change", args=[obj.pk])
                expect_get(url, allowed_view)
                if not allowed_change:
                    expect_post(url, form_data(model_admin, world["superuser"], obj), False)
            elif kind == "delete":
                allowed = role_may(user, model, "delete", obj) and admin_allows(
                    model_admin.has_delete_permission, obj
                )
                url = reverse(f"{info}_delete", args=[obj.pk])
                expect_get(url, allowed)
                if not allowed:
                    expect_post(url, {"post": "yes"}, False)
            elif kind == "history":
                expect_get(reverse(f"{info}_history", args=[obj.pk]), allowed_view)
            elif hasattr(model, "history") and isinstance(model_admin, SimpleHistoryAdmin):
                records = model.history.filter(**{model._meta.pk.attname: obj.pk})
                record = records.order_by("history_id").first()
                if record is None:
                    continue
                url = reverse(f"{info}_simple_history", args=[obj.pk, record.history_id])
                expect_get(url, allowed_view)
                if not allowed_change:
                    expect_post(url, form_data(model_admin, world["superuser"], obj), False)
    elif kind == "autocomplete":
        for field_name in model_admin.autocomplete_fields:
            remote = model._meta.get_field(field_name).remote_field.model
            remote_admin = admin.site._registry[remote]
            url = reverse("admin:autocomplete") + (
                f"?app_label={model._meta.app_label}&model_name={model._meta.model_name}"
                f"&field_name={field_name}&term="
            )
            allowed = role_may(user, remote, "view") and admin_allows(
                remote_admin.has_view_permission
            )
            response = client.get(url)
            if not allowed:
                if response.status_code not in REFUSED:
                    problems.append(f"GET {url} -> {response.status_code}, expected refusal")
                continue
            if response.status_code != 200:
                problems.append(f"GET {url} -> {response.status_code}, expected 200")
                continue
            shown = {str(result["id"]) for result in json.loads(response.content)["results"]}
            hidden = {
                str(obj.pk)
                for obj in remote._default_manager.all()
                if not in_scope(user, remote, obj)
            }
            if shown & hidden:
                problems.append(f"GET {url} offers out-of-scope {sorted(shown & hidden)}")
    assert not problems, "\n".join(problems)


# --- The portal -------------------------------------------------------------------------------


def portal_patterns() -> dict[str, str]:
    """name -> route of every URL in the portal's namespace, from the resolver."""
    found = {}
    for entry in get_resolver().url_patterns:
        if isinstance(entry, URLResolver) and entry.namespace == "portal":
            for pattern in entry.url_patterns:
                assert isinstance(pattern, URLPattern)
                found[pattern.name] = str(pattern.pattern)
    return found


def _is_organization(user):
    return user is not None and user.has_role(roles.ORGANIZATION) and user.organization_id


def _is_applicant(user):
    return user is not None and user.has_role(roles.APPLICANT)


def _own_applications(user):
    return applications_visible_to(user).filter(applicant_id=user.pk)


def _own_deregistrations(user):
    return deregistrations_visible_to(user).filter(
        organization_id=user.organization_id, kind="deregistration"
    )


def _own(queryset_of):
    return lambda user: queryset_of(user).filter(organization_id=user.organization_id)


# name -> (who may open it, the model of its <pk> and the scope, statuses when allowed)
PORTAL = {
    "home": ("anyone", None, None),
    "login": ("anyone", None, None),
    "logout": ("anyone", None, None),
    "signup": ("anyone", None, None),
    "organization": (_is_organization, Organization, organizations_visible_to),
    "applications": (_is_applicant, None, None),
    "application_start": (_is_applicant, None, None),
    "application": (_is_applicant, Application, _own_applications),
    "application_edit": (_is_applicant, Application, _own_applications),
    "application_wizard": (_is_applicant, Application, _own_applications),
    "print_charter": ("signed in", Application, applications_visible_to),
    "print_pledge": ("signed in", Application, applications_visible_to),
    "print_member_form": ("signed in", Application, applications_visible_to),
    "annual_checks": (_is_organization, None, None),
    "annual_check_start": (_is_organization, None, None),
    "annual_check": (_is_organization, AnnualCheck, _own(annual_checks_visible_to)),
    "annual_check_edit": (_is_organization, AnnualCheck, _own(annual_checks_visible_to)),
    "annual_check_wizard": (_is_organization, AnnualCheck, _own(annual_checks_visible_to)),
    "annual_check_answer": (_is_organization, AnnualCheck, _own(annual_checks_visible_to)),
    "annual_check_print": ("signed in", AnnualCheck, annual_checks_visible_to),
    "evaluations": (_is_organization, None, None),
    "evaluation_apply": (_is_organization, None, None),
    "evaluation": (_is_organization, Evaluation, _own(evaluations_visible_to)),
    "changes": (_is_organization, None, None),
    "change_start": (_is_organization, None, None),
    "change": (_is_organization, ChangeApplication, _own(changes_visible_to)),
    "change_edit": (_is_organization, ChangeApplication, _own(changes_visible_to)),
    "change_wizard": (_is_organization, ChangeApplication, _own(changes_visible_to)),
    "change_file": (_is_organization, ChangeApplication, _own(changes_visible_to)),
    "change_print": ("signed in", ChangeApplication, changes_visible_to),
    "deregistrations": (_is_organization, None, None),
    "deregistration_start": (_is_organization, None, None),
    "deregistration": (_is_organization, Deregistration, _own_deregistrations),
    "deregistration_edit": (_is_organization, Deregistration, _own_deregistrations),
    "deregistration_wizard": (_is_organization, Deregistration, _own_deregistrations),
    "notifications": (lambda user: _is_organization(user) or _is_applicant(user), None, None),
    "notifications_read": (lambda user: _is_organization(user) or _is_applicant(user), None, None),
    "notification": ("signed in", Notification, notifications_visible_to),
    "print_deregistration_notice": (
        "signed in",
        Deregistration,
        lambda user: deregistrations_visible_to(user).filter(status=DeregistrationStatus.COMPLETED),
    ),
    "credit_entries": (_is_organization, None, None),
    "credit_entry": (_is_organization, ListEntry, own_entries),
    "credit_entry_answer": (_is_organization, ListEntry, own_entries),
    "credit_entry_removal": (_is_organization, ListEntry, own_entries),
}
# Pages that send even their owner on (a submitted application or check is not edited, a
# wizard step opens through its first step).
REDIRECT_OK = {
    "application_edit",
    "application_wizard",
    "annual_check_edit",
    "annual_check_wizard",
    "change_edit",
    "change_wizard",
    "deregistration_edit",
    "deregistration_wizard",
    "notification",  # marks it read and goes to what it is about
}
# Actions taken by POST only: their owner's GET answers 405.
POST_ONLY = {
    "logout",
    "application_start",
    "annual_check_start",
    "evaluation_apply",
    "annual_check_answer",
    "change_start",
    "change_file",
    "deregistration_start",
    "credit_entry_answer",
    "credit_entry_removal",
    "notifications_read",
}
PORTAL_NAMES = sorted(portal_patterns())


def test_every_portal_url_has_an_expectation():
    assert not set(PORTAL_NAMES) - set(PORTAL), "say who may open " + ", ".join(
        sorted(set(PORTAL_NAMES) - set(PORTAL))
    )


def portal_kwargs(name, route, obj) -> dict:
    kwargs = {}
    if "<int:pk>" in route:
        kwargs["pk"] = obj.pk
    if "<str:step>" in route:
        kwargs["step"] = "basics"
    if "<str:copy>" in route:
        kwargs["copy"] = "archive"
    if "<int:rectification_pk>" in route:
        rectification = Rectification.objects.filter(annual_check=obj).first()
        kwargs["rectification_pk"] = rectification.pk if rectification else 0
    return kwargs


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", PORTAL_NAMES)
def test_portal_answers_as_the_role_may(world, role, name):
    user = world["users"][role]
    who, model, scope = PORTAL[name]
    route = portal_patterns()[name]
    client = client_for(user)
    problems = []
    if who == "anyone":
        status = client.get(reverse(f"portal:{name}")).status_code
        assert status in ({405} if name in POST_ONLY else {200, 302}), (name, status)
        return
    role_allowed = user is not None and (who == "signed in" or bool(who(user)))
    objects = objects_of(model) if model is not None else [None]
    assert objects, f"no {model} to open portal:{name} with"
    for obj in objects:
        url = reverse(f"portal:{name}", kwargs=portal_kwargs(name, route, obj))
        allowed = role_allowed and (obj is None or scope(user).filter(pk=obj.pk).exists())
        status = client.get(url).status_code
        expected = {200, 302} if name in REDIRECT_OK else {200}
        if name in POST_ONLY:
            expected = {405}
        if allowed and status not in expected:
            problems.append(f"GET {url} -> {status}, expected {sorted(expected)}")
        if not allowed:
            if status not in REFUSED:
                problems.append(f"GET {url} -> {status}, expected a refusal")
            if model is not None:
                ok, what = post_refused(client, url, {"name": "改名"}, model)
                if not ok:
                    problems.append(what + ", expected a refusal")
    assert not problems, "\n".join(problems)


def test_the_crawl_reaches_every_role_with_objects_in_and_out_of_scope(world):
    """The crawl is not vacuous: each business role sees some organization and not another."""
    users = world["users"]
    everything = list(Organization.objects.all())
    for role in (roles.SUPERVISORY_UNIT, roles.ORGANIZATION):
        visible = organizations_visible_to(users[role])
        assert 0 < visible.count() < len(everything), role
    assert PartyMember.objects.count() >= 2 and MemberFormCopy.objects.exists()
    assert Group.objects.exists() and AuditRecord.objects.exists() and Scheme.objects.exists()


# --- Staff pages outside the admin registry ---------------------------------------------------
# Review, ledger, dashboard, import, export-job and statistics pages live under the admin site's
# prefix but are no ModelAdmin's: found here from the resolver (every pattern under /admin/ that
# is not in the admin site's own namespace), so a page added later fails the crawl until it has
# an expectation below.

READERS = {roles.CLERK, roles.SUPERVISORY_UNIT, roles.COMMITTEE}
STAFF = READERS | {roles.SYSTEM_ADMIN, roles.SECURITY_ADMIN, roles.AUDIT_ADMIN}
CLERK_ONLY = {roles.CLERK}
REVIEWERS = {roles.CLERK, roles.SUPERVISORY_UNIT}


def _annual_check_writes():
    return (AnnualCheck, Rectification)


# page -> (roles that may open it, the model of its <pk> (scoped by SCOPES), models a POST could
# write). The roles are the duties of README's role table; which object each may open comes
# from the scoping selectors, as for the admin.
STAFF_PAGES = {
    "registry:application_approve": (CLERK_ONLY, Application, (Application, Organization)),
    "registry:application_return": (REVIEWERS, Application, (Application,)),
    "registry:application_reject": (CLERK_ONLY, Application, (Application,)),
    "registry:application_consent": ({roles.SUPERVISORY_UNIT}, Application, (Application,)),
    "registry:change_approve": (CLERK_ONLY, ChangeApplication, (ChangeApplication, Organization)),
    "registry:change_return": (REVIEWERS, ChangeApplication, (ChangeApplication,)),
    "registry:change_reject": (
        CLERK_ONLY | {roles.SUPERVISORY_UNIT},
        ChangeApplication,
        (ChangeApplication,),
    ),
    "registry:change_consent": ({roles.SUPERVISORY_UNIT}, ChangeApplication, (ChangeApplication,)),
    "registry:deregistration_consent": (
        {roles.SUPERVISORY_UNIT},
        Deregistration,
        (Deregistration, Organization),
    ),
    "registry:deregistration_return": (REVIEWERS, Deregistration, (Deregistration,)),
    "registry:deregistration_reject": (CLERK_ONLY, Deregistration, (Deregistration,)),
    "registry:deregistration_complete": (
        CLERK_ONLY,
        Deregistration,
        (Deregistration, Organization),
    ),
    "registry:organization_revoke": (CLERK_ONLY, Organization, (Deregistration, Organization)),
    "registry:certificate_print": (CLERK_ONLY, Certificate, ()),
    "registry:certificates_issue": (CLERK_ONLY, Organization, (Certificate,)),
    "annualcheck:pre_review": ({roles.SUPERVISORY_UNIT}, AnnualCheck, _annual_check_writes()),
    "annualcheck:return": (REVIEWERS, AnnualCheck, _annual_check_writes()),
    "annualcheck:review": (CLERK_ONLY, AnnualCheck, _annual_check_writes()),
    "annualcheck:rectification_reopen": (CLERK_ONLY, Rectification, (Rectification,)),
    "annualcheck:revocation_review": (CLERK_ONLY, None, (AnnualCheck, Organization)),
    "annualcheck:results_download": (READERS, None, ()),
    "evaluation:open": (CLERK_ONLY, None, (Evaluation,)),
    "evaluation:score": (CLERK_ONLY, Evaluation, (Evaluation,)),
    "evaluation:decide": (CLERK_ONLY, Evaluation, (Evaluation,)),
    "evaluation:expiring": (READERS, None, ()),
    "evaluation:statistics": (READERS, None, ()),
    "evaluation:results_download": (READERS, None, ()),
    "exports:list": (STAFF, None, (ExportJob,)),
    "exports:detail": (STAFF, ExportJob, (ExportJob,)),
    "exports:status": (STAFF, ExportJob, (ExportJob,)),
    "exports:download": (STAFF, ExportJob, (ExportJob,)),
    "notifications:list": (STAFF, None, (Notification,)),
    "notifications:read": (STAFF, None, (Notification,)),
    "notifications:open": (STAFF, Notification, (Notification,)),
    "partybuilding:ledger": (READERS, None, (ExportJob,)),
    "partybuilding:ledger_download": (READERS, None, (ExportJob,)),
    "partybuilding:dashboard": (READERS, None, ()),
    "partybuilding:joint_suggestions": (READERS, None, ()),
    "partybuilding:ledger_import": (CLERK_ONLY, None, (Organization, PartyMember)),
    "credit:propose": (CLERK_ONLY, None, (ListEntry,)),
    "credit:confirm": (CLERK_ONLY, ListEntry, (ListEntry,)),
    "credit:dismiss": (CLERK_ONLY, ListEntry, (ListEntry,)),
    "credit:remove": (CLERK_ONLY, ListEntry, (ListEntry,)),
    "credit:refuse": (CLERK_ONLY, ListEntry, (ListEntry,)),
    "credit:reply": (CLERK_ONLY, EntryAnswer, (EntryAnswer,)),
    # Every staff account changes its own password (admin's password_change_done is the admin's).
    "admin/password_change/": (STAFF, None, ()),
}
# An export job not finished yet: its owner's download answers 404 (no file yet), as it does for
# someone else's job; the fixtures have no finished job, so only the refusals count there.
ALLOWED_STATUS = {"exports:download": {200, 404}, "notifications:read": {405}}
# Holes this crawl found are marked here as strict xfails until fixed (they must fail today and
# pass once fixed). The stale review links' HTTP 500 it found is fixed (issue 19, issue 13.9).
STAFF_KNOWN_HOLES: dict[tuple[str, str], str] = {}


def staff_patterns() -> dict[str, str]:
    """page -> route of every URL under the admin site's prefix that neither a ModelAdmin nor
    the admin site itself generates (those are in the `admin` namespace)."""
    prefix = reverse("admin:index").lstrip("/")
    found = {}

    def walk(patterns, route, namespace):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, route + str(entry.pattern), entry.namespace or namespace)
                continue
            full = route + str(entry.pattern)
            if namespace == admin.site.name or not full.startswith(prefix):
                continue
            found[f"{namespace}:{entry.name}" if entry.name else full] = full

    walk(get_resolver().url_patterns, "", None)
    return found


STAFF_PAGE_NAMES = sorted(staff_patterns())


def test_every_staff_page_has_an_expectation():
    missing = set(STAFF_PAGE_NAMES) - set(STAFF_PAGES)
    assert not missing, "say who may open " + ", ".join(sorted(missing))
    assert "registry:application_approve" in STAFF_PAGE_NAMES  # the discovery finds them


def staff_post_data(obj) -> dict:
    """What the review forms ask, filled so that a POST that is not refused could write."""
    today = datetime.date.today().isoformat()
    return {
        "version": getattr(obj, "version", 1),
        "remarks": "请补充材料",
        "reason": "材料不全",
        "opinion": "同意",
        "text": "同意",
        "decision": "pass",
        "result": "qualified",
        "registered_on": today,
        "organization": str(Organization.objects.order_by("pk").first().pk),
        "year": "2019",
    }


def staff_state(models) -> tuple:
    return tuple(state(model) for model in models)


def staff_case(page, role):
    hole = STAFF_KNOWN_HOLES.get((page, role))
    marks = [pytest.mark.xfail(strict=True, reason=hole)] if hole else []
    return pytest.param(page, role, id=f"{page}-{role}", marks=marks)


@pytest.mark.parametrize(
    "page,role", [staff_case(page, role) for page in STAFF_PAGE_NAMES for role in ROLES]
)
def test_staff_pages_answer_as_the_role_may(world, page, role):
    user = world["users"][role]
    may_open, model, writes = STAFF_PAGES[page]
    route = staff_patterns()[page]
    client = client_for(user)
    role_allowed = user is not None and role in may_open
    objects = objects_of(model) if model is not None else [None]
    assert objects, f"no {model} to open {page} with"
    problems = []
    for obj in objects:
        if page.startswith("admin/"):
            url = "/" + route
        else:
            url = reverse(page, kwargs={"pk": obj.pk} if obj is not None else {})
        allowed = role_allowed and (obj is None or in_scope(user, model, obj))
        status = client.get(url).status_code
        if allowed and status not in ALLOWED_STATUS.get(page, {200, 302}):
            problems.append(f"GET {url} -> {status}, expected the page")
        if not allowed:
            # Out of scope for a role that may open the page: 404, as the change pages answer.
            expected = {404} if role_allowed else REFUSED
            if status not in expected:
                problems.append(f"GET {url} -> {status}, expected {sorted(expected)}")
            with transaction.atomic():
                before = staff_state(writes)
                response = client.post(url, staff_post_data(obj))
                after = staff_state(writes)
                transaction.set_rollback(True)
            if response.status_code not in REFUSED_POST or before != after:
                problems.append(
                    f"POST {url} -> {response.status_code}, database "
                    f"{'unchanged' if before == after else 'CHANGED'}, expected a refusal"
                )
        else:
            ok, what = post_allowed(client, url, staff_post_data(obj))
            if not ok:
                problems.append(what)
    assert not problems, "\n".join(problems)


def test_the_staff_page_crawl_reaches_objects_in_and_out_of_scope(world):
    """Each scoped model of a staff page has an object the supervisory unit may not open."""
    unit = world["users"][roles.SUPERVISORY_UNIT]
    for page, (_roles, model, _writes) in STAFF_PAGES.items():
        if model is None or model is ExportJob:
            continue
        objects = objects_of(model)
        assert any(in_scope(unit, model, obj) for obj in objects), page
        assert any(not in_scope(unit, model, obj) for obj in objects), page


# --- The public pages (信息公开, issue 18) ------------------------------------------------------
# Every URL of the disclosure namespace, found from the resolver, for every role including the
# anonymous visitor: the same page for all (nothing more for staff, nothing less for strangers),
# every organization's profile by its credit code, and no POST that writes anything.


def public_patterns() -> dict[str, str]:
    found = {}
    for entry in get_resolver().url_patterns:
        if isinstance(entry, URLResolver) and entry.namespace == "disclosure":
            for pattern in entry.url_patterns:
                if pattern.name:
                    found[pattern.name] = str(pattern.pattern)
    return found


# name -> the model its <credit_code> comes from (None: no argument).
PUBLIC = {"search": None, "profile": Organization}


def test_every_public_url_has_an_expectation():
    assert set(public_patterns()) == set(PUBLIC), sorted(set(public_patterns()) ^ set(PUBLIC))


@pytest.mark.parametrize("role", ROLES)
def test_public_pages_answer_everyone_alike(world, role, settings):
    settings.DISCLOSURE = {**settings.DISCLOSURE, "REQUESTS_PER_MINUTE": 100_000}
    client = client_for(world["users"][role])
    anonymous = client_for(None)
    # (A member who shares a legal representative's name may appear as that.)
    members = set(PartyMember.objects.values_list("name", flat=True)) - set(
        Organization.objects.values_list("legal_representative", flat=True)
    )
    problems = []
    for name, model in PUBLIC.items():
        objects = objects_of(model) if model is not None else [None]
        for obj in objects:
            url = reverse(f"disclosure:{name}", args=[obj.credit_code] if obj else [])
            response = client.get(url)
            page = response.content.decode()
            if response.status_code != 200:
                problems.append(f"GET {url} -> {response.status_code}")
            # Only the navigation (login links, the user's name) may differ from the public's.
            elif (
                page.split("<main", 1)[-1]
                != anonymous.get(url).content.decode().split("<main", 1)[-1]
            ):
                problems.append(f"GET {url} shows {role} another page than the public's")
            problems += [f"GET {url} shows Party member {m}" for m in members if m in page]
            ok, what = post_refused(client, url, {"q": "x", "name": "改名"}, model or Organization)
            if not ok:
                problems.append(what + ", expected a refusal")
        if obj is not None:
            by_id = client.get(f"/public/organizations/{obj.pk}/")
            if by_id.status_code != 404:
                problems.append(f"profile by id -> {by_id.status_code}")
    assert not problems, "\n".join(problems)
