"""The business roles and the three administrators. Each is a group holding model permissions;
what a business role may *see* is narrowed per object in the selectors
(registry.selectors.organizations_visible_to).

The administrators split what a superuser would do alone (三员分立, MLPS 2.0 level 3): the
system administrator keeps accounts and configuration, the security administrator roles and
rights, the audit administrator reads the audit log. None of them sees business data, none
can do another's work, and nobody holds two of them (accounts.services.roles_check)."""

from django.utils.translation import gettext_lazy as _

CLERK = "clerk"
SUPERVISORY_UNIT = "supervisory_unit"
COMMITTEE = "committee"
ORGANIZATION = "organization"
APPLICANT = "applicant"
SYSTEM_ADMIN = "system_admin"
SECURITY_ADMIN = "security_admin"
AUDIT_ADMIN = "audit_admin"

# Stored group names are the Chinese titles users see in the admin.
GROUP_NAMES = {
    CLERK: "登记管理机关",
    SUPERVISORY_UNIT: "业务主管单位",
    COMMITTEE: "非公和社会组织党工委",
    ORGANIZATION: "社会组织",
    APPLICANT: "登记申请人",
    SYSTEM_ADMIN: "系统管理员",
    SECURITY_ADMIN: "安全管理员",
    AUDIT_ADMIN: "审计管理员",
}
LABELS = {
    CLERK: _("clerk (registration authority)"),
    SUPERVISORY_UNIT: _("business supervisory unit"),
    COMMITTEE: _("Party working committee"),
    ORGANIZATION: _("social organization"),
    APPLICANT: _("applicant for registration"),
    SYSTEM_ADMIN: _("system administrator"),
    SECURITY_ADMIN: _("security administrator"),
    AUDIT_ADMIN: _("audit administrator"),
}

# app_label -> codenames, per role. Later apps add their models here.
REFERENCE_DATA_MODELS = ["industry", "district", "street", "supervisoryunit", "partybuildingbody"]
REGISTRY_MODELS = ["organization", *REFERENCE_DATA_MODELS]
PARTY_BUILDING_MODELS = ["partymember", "partyorganization", "coverage", "industrylead", "dispatch"]
# Registration (R-REG-1..5). Clerks review applications (the change permission is the right to
# decide; the admin itself shows them read-only) and edit the bureau's charter and pledge texts.
CLERK_REGISTRATION = [
    "view_application",
    "change_application",
    "view_applicationevent",
    "view_applicationsubmission",
    "view_applicationmember",
    "view_registrationtemplate",
    "change_registrationtemplate",
    # Change registration and charter amendments (R-CHG-1..7): decided like registrations.
    "view_changeapplication",
    "change_changeapplication",
    "view_changeevent",
    "view_changesubmission",
    # Registration certificates (R-CERT-1..5): "add" is the right to issue, reissue and
    # withdraw them; nobody edits a certificate.
    "view_certificate",
    "add_certificate",
    "view_certificateevent",
]
# What a supervisory unit and the committee read of change applications (scoped by the
# selector: the unit its own, the committee the approved ones).
CHANGE_READERS = ["view_changeapplication", "view_changeevent", "view_changesubmission"]
# Certificates, read by the supervisory unit (its organizations') and the committee.
CERTIFICATE_READERS = ["view_certificate", "view_certificateevent"]
# R-DEREG-1..9: the clerk decides deregistrations and revocations (change); the supervisory
# unit consents to its organizations' (it acts by its unit, not by a permission) and reads them,
# as the committee does.
CLERK_DEREGISTRATION = ["view_deregistration", "change_deregistration", "view_deregistrationevent"]
READ_DEREGISTRATION = ["view_deregistration", "view_deregistrationevent"]
# R-REG-3: each recipient sees its member-form copies; "change" is the right to acknowledge.
MEMBER_FORM_COPY = ["view_memberformcopy", "change_memberformcopy"]
# R-CHG-6: the copies of a change that moves Party-building responsibility, acknowledged alike.
CHANGE_NOTICE = ["view_changenotice", "change_changenotice"]


# Annual checks: the clerk reviews (change = set the result, close rectifications); the
# supervisory unit pre-reviews its organizations' checks; the committee reads them.
ANNUAL_CHECK_MODELS = [
    "annualcheck",
    "checkitem",
    "partybuildingreport",
    "registerentry",
    "rectification",
    "checkevent",
]


# Credit supervision (R-CR): the clerk decides the list entries (change: confirm, dismiss,
# remove, through the review pages; the admin itself is read-only); the supervisory unit reads
# its organizations' entries and the committee all of them (scoped by credit.selectors).
CLERK_CREDIT = ["view_listentry", "change_listentry"]
READ_CREDIT = ["view_listentry"]


# Grade evaluation (R-EV-1..6): the clerk opens, scores and decides (change) and edits the
# schemes; the committee and the supervisory units read the evaluations.
CLERK_EVALUATION = [
    "view_evaluation",
    "change_evaluation",
    "view_score",
    "change_score",
    "view_scheme",
    "change_scheme",
    "add_scheme",
    "view_indicator",
    "change_indicator",
    "add_indicator",
]


# Credit supervision, the facts the daily job reads (R-CR-3, R-CR-4, R-CR-12): the clerk enters
# and corrects penalties, rectification notices and returned letters (never deletes one: the
# listings rest on them); the supervisory unit and the committee read those of the
# organizations they see.
CREDIT_FACT_MODELS = ["penalty", "rectificationnotice", "returnedletter"]
CLERK_CREDIT_FACTS = [
    f"{action}_{model}" for model in CREDIT_FACT_MODELS for action in ("add", "change", "view")
]
READ_CREDIT_FACTS = [f"view_{model}" for model in CREDIT_FACT_MODELS]


def _all(models):
    return [
        f"{action}_{model}" for model in models for action in ("add", "change", "delete", "view")
    ]


def _view(models):
    return [f"view_{model}" for model in models]


# Nobody gets partybuilding.view_unmasked_id_number by default: a security administrator
# grants it to the few who need full ID numbers (R-ID-2).
PERMISSIONS = {
    CLERK: {
        "registry": _all(REGISTRY_MODELS)
        + CLERK_REGISTRATION
        + CLERK_DEREGISTRATION
        + ["view_contact_phone"],
        "partybuilding": _all(PARTY_BUILDING_MODELS) + MEMBER_FORM_COPY + CHANGE_NOTICE,
        "annualcheck": _view(ANNUAL_CHECK_MODELS)
        + ["change_annualcheck", "change_checkitem", "add_rectification", "change_rectification"],
        "evaluation": CLERK_EVALUATION,
        "credit": CLERK_CREDIT + CLERK_CREDIT_FACTS,
    },
    # Phones in full for those who call the organizations: the clerk and the supervisory unit.
    SUPERVISORY_UNIT: {
        "registry": ["view_organization", "view_application", "view_contact_phone"]
        + CHANGE_READERS
        + CERTIFICATE_READERS
        + READ_DEREGISTRATION,
        "partybuilding": _view(PARTY_BUILDING_MODELS) + MEMBER_FORM_COPY + CHANGE_NOTICE,
        "annualcheck": _view(ANNUAL_CHECK_MODELS) + ["change_annualcheck"],
        "evaluation": ["view_evaluation"],
        "credit": READ_CREDIT + READ_CREDIT_FACTS,
    },
    COMMITTEE: {
        "registry": [
            "view_organization",
            "view_application",
            *CHANGE_READERS,
            *CERTIFICATE_READERS,
            *READ_DEREGISTRATION,
        ],
        "partybuilding": _view(PARTY_BUILDING_MODELS) + MEMBER_FORM_COPY + CHANGE_NOTICE,
        "annualcheck": _view(ANNUAL_CHECK_MODELS),
        "evaluation": ["view_evaluation"],
        "credit": READ_CREDIT + READ_CREDIT_FACTS,
    },
    ORGANIZATION: {},
    APPLICANT: {},
    # Accounts (never deleted: the audit log names them) and the reference data the bureau
    # configures. Roles, rights and the business data are not theirs.
    SYSTEM_ADMIN: {
        "accounts": ["add_user", "change_user", "view_user"],
        "registry": [
            *_all(REFERENCE_DATA_MODELS),
            # The bureau's first-day set-up and the national divisions list (read-only).
            "add_bureauprofile",
            "change_bureauprofile",
            "view_bureauprofile",
            "view_division",
        ],
    },
    # Who holds which role and right, two-factor resets and early unlocks; reads accounts,
    # changes none of their details.
    SECURITY_ADMIN: {
        "accounts": ["view_user", "assign_roles", "reset_two_factor", "unlock_account"],
        "auth": ["view_group", "view_permission"],
        # R-API-2: the department API's tokens are credentials: issued ("add") and revoked
        # ("change") by the security administrator alone.
        "sharing": ["view_apitoken", "add_apitoken", "change_apitoken"],
    },
    # Reads and exports the audit log; nothing else, and changes nothing (the log's admin is
    # read-only for everyone).
    AUDIT_ADMIN: {"audit": ["view_auditrecord", "view_auditanchor"]},
}
BUSINESS_STAFF_ROLES = {CLERK, SUPERVISORY_UNIT, COMMITTEE}
ADMIN_ROLES = {SYSTEM_ADMIN, SECURITY_ADMIN, AUDIT_ADMIN}
# Roles that work in the admin (is_staff): every one of them must use two-factor.
STAFF_ROLES = BUSINESS_STAFF_ROLES | ADMIN_ROLES


def ensure_role_groups(sender=None, **kwargs):
    """Create or refresh the role groups and their permissions (idempotent, runs after migrate)."""
    from django.contrib.auth.models import Group, Permission

    for role, name in GROUP_NAMES.items():
        group, _created = Group.objects.get_or_create(name=name)
        wanted = []
        for app_label, codenames in PERMISSIONS[role].items():
            wanted.extend(
                Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames)
            )
        group.permissions.set(wanted)
