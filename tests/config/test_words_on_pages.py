"""Issue 19 "Words": the main pages of every role, rendered with data, show no rule id
(R-PB-3 …), no raw stored value of a choice and no English words: users read Chinese labels
and the rules in words."""

import datetime
import re

import pytest
from django.urls import reverse

from accounts import roles
from annualcheck.services import annual_check_pre_review, annual_check_review
from registry.services.registration import application_approve, application_consent
from tests.annualcheck.test_rules import submitted
from tests.evaluation.test_admin import decided
from tests.factories import (
    OrganizationFactory,
    add_members,
    found_party_organization,
    make_organization_user,
    make_user,
)
from tests.registry.test_review_admin import submitted as submitted_application
from tests.words import RULE_ID, visible_text

pytestmark = pytest.mark.django_db

# Words that may stay as they are on a Chinese page: product and key names (Django's Chinese
# help text says "按住 Control 键或 Mac 上的 Command 键").
ALLOWED = {"Excel", "TOTP", "xlsx", "PDF", "ID", "Control", "Mac", "Command", "Ctrl"}


def english_in(text: str) -> set[str]:
    found = set()
    for word in re.findall(r"[A-Za-z]{2,}", text):
        if word in ALLOWED or re.fullmatch(r"[A-Z]{1,2}", word):
            continue
        found.add(word)
    return found


@pytest.fixture
def world(clerk):
    """One of everything the pages list: an organization with members and a Party organization,
    an approved application, a reviewed annual check with a rectification, a decided grade."""
    organization = OrganizationFactory()
    add_members(organization, 3)
    found_party_organization(organization, by=clerk)
    unit = organization.supervisory_unit
    supervisor = make_user(roles.SUPERVISORY_UNIT, supervisory_unit=unit)
    applicant = make_user(roles.APPLICANT)
    application = submitted_application(applicant, unit=unit)
    application_consent(application=application, by=supervisor, opinion="同意")
    application.refresh_from_db()
    application_approve(application=application, by=clerk)
    check = submitted(organization, formation_mode="joint", party_organization_name="某联合支部")
    annual_check_pre_review(annual_check=check, by=supervisor, opinion="同意", passed=True)
    check.refresh_from_db()
    annual_check_review(
        annual_check=check,
        by=clerk,
        result="basically_qualified",
        reason="党建台账不全",
        rectifications=[("补齐党建台账", datetime.date(2018, 9, 30))],
    )
    evaluation = decided(clerk)
    return {
        "organization": organization,
        "supervisor": supervisor,
        "applicant": applicant,
        "application": application,
        "check": check,
        "evaluation": evaluation,
    }


def admin_pages(client, user, world) -> list[str]:
    """The admin home, every change list it links, the first record of each, and the pages
    beside the admin the role may open."""
    client.force_login(user)
    index = client.get(reverse("admin:index"))
    urls = [reverse("admin:index")]
    for app in index.context["app_list"]:
        for model in app["models"]:
            if model.get("admin_url"):
                urls.append(model["admin_url"])
    pages = list(urls)
    for url in urls[1:]:
        response = client.get(url)
        cl = response.context["cl"] if response.context and "cl" in response.context else None
        if cl is not None and cl.result_list:
            obj = cl.result_list[0]
            opts = obj._meta
            pages.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk]))
    if user.is_clerk:
        pages += [
            reverse("annualcheck:revocation_review"),
            reverse("evaluation:statistics"),
            reverse("evaluation:expiring"),
            reverse("partybuilding:dashboard"),
            reverse("partybuilding:ledger"),
        ]
    return pages


def portal_pages(client, user, world) -> list[str]:
    client.force_login(user)
    if user.has_role(roles.APPLICANT):
        return [
            reverse("portal:applications"),
            reverse("portal:application", args=[world["application"].pk]),
        ]
    organization = world["organization"]
    return [
        reverse("portal:organization", args=[organization.pk]),
        reverse("portal:annual_checks"),
        reverse("portal:annual_check", args=[world["check"].pk]),
        reverse("portal:annual_check_print", args=[world["check"].pk]),
        reverse("portal:evaluations"),
    ]


def identifiers() -> list[str]:
    """Identifiers that are not words: login names, reference-data codes, password-hash
    summaries, the charter template's {name}."""
    from accounts.models import User
    from registry.models import Industry

    return sorted(
        [
            *User.objects.values_list("username", flat=True),
            *Industry.objects.values_list("code", flat=True),
            "{name}",
        ],
        key=len,
        reverse=True,
    )


def problems_on(client, urls) -> dict[str, list[str]]:
    found = {}
    skip = identifiers()
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        text = visible_text(response.content.decode())
        for identifier in skip:
            text = text.replace(identifier, " ")
        text = re.sub(r"(?m)^\S*\$\S*$", " ", text)  # a password hash's summary
        text = re.sub(r"\b[0-9a-f]{32,}\b", " ", text)  # the audit chain's hashes
        text = re.sub(r"md5|pbkdf2_sha256|\w+\*{3,}", " ", text)  # a password's summary
        problems = sorted(english_in(text))
        problems += RULE_ID.findall(text)
        if problems:
            found[url] = problems
    return found


@pytest.mark.parametrize(
    "role",
    [
        roles.CLERK,
        roles.SUPERVISORY_UNIT,
        roles.COMMITTEE,
        roles.SYSTEM_ADMIN,
        roles.SECURITY_ADMIN,
        roles.AUDIT_ADMIN,
    ],
)
def test_staff_pages_are_in_chinese_without_rule_ids(client, clerk, committee_user, world, role):
    user = {
        roles.CLERK: clerk,
        roles.SUPERVISORY_UNIT: world["supervisor"],
        roles.COMMITTEE: committee_user,
    }.get(role) or make_user(role)
    assert problems_on(client, admin_pages(client, user, world)) == {}


@pytest.mark.parametrize("who", ["organization", "applicant"])
def test_portal_pages_are_in_chinese_without_rule_ids(client, world, who):
    user = (
        make_organization_user(world["organization"])
        if who == "organization"
        else world["applicant"]
    )
    assert problems_on(client, portal_pages(client, user, world)) == {}


@pytest.mark.parametrize(
    ("role", "title"),
    [
        (roles.CLERK, "登记管理机关工作台"),
        (roles.SUPERVISORY_UNIT, "业务主管单位工作台（{unit}）"),
        (roles.COMMITTEE, "党工委工作台"),
        (roles.SYSTEM_ADMIN, "系统管理员工作台"),
        (roles.SECURITY_ADMIN, "安全管理员工作台"),
        (roles.AUDIT_ADMIN, "审计管理员工作台"),
    ],
)
def test_each_roles_home_page_names_its_role(client, world, role, title):
    user = world["supervisor"] if role == roles.SUPERVISORY_UNIT else make_user(role)
    user.first_name = "王丽"
    user.save()
    client.force_login(user)
    response = client.get(reverse("admin:index"))
    unit = world["organization"].supervisory_unit
    expected = title.format(unit=unit.name if unit else "")
    assert response.context["title"] == expected
    text = visible_text(response.content.decode())
    assert expected in text
    assert "欢迎，\n王丽" in text and "王丽." not in text
