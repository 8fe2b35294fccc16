"""Change lists filter only by what their page offers (issue 13, point 1): a query-string
lookup that is not one of the list's filters or its date hierarchy is refused as Django refuses
a disallowed lookup (DisallowedModelAdminLookup, HTTP 400), whatever it compares; the lists' own
filters and search keep working. Every registered admin derives from core.admin.BaseAdmin."""

import pytest
from django.contrib import admin
from django.urls import reverse

from accounts import roles
from accounts.models import User
from core.admin import BaseAdmin
from registry.choices import OrganizationStatus
from tests.factories import (
    IndustryFactory,
    OrganizationFactory,
    PartyMemberFactory,
    found_party_organization,
    make_user,
)

pytestmark = pytest.mark.django_db

USERS = reverse("admin:accounts_user_changelist")
ORGANIZATIONS = reverse("admin:registry_organization_changelist")
MEMBERS = reverse("admin:partybuilding_partymember_changelist")


def test_every_registered_admin_derives_from_the_base():
    outside = sorted(
        f"{model._meta.label}: {type(model_admin).__qualname__}"
        for model, model_admin in admin.site._registry.items()
        if not isinstance(model_admin, BaseAdmin)
    )
    assert outside == []


def shown(response) -> set[int]:
    return {row.pk for row in response.context["cl"].result_list}


@pytest.fixture
def system_admin():
    return make_user(roles.SYSTEM_ADMIN, username="sysadmin-lookups")


@pytest.fixture
def superuser():
    return User.objects.create_superuser("root-lookups", password="Test-password-2018")


@pytest.mark.parametrize(
    "lookup",
    [
        {"username": "root-lookups", "password__startswith": "pbkdf2"},
        {"username": "root-lookups", "current_session_key__gte": "0"},
        {"password__regex": "^p"},
        {"email__contains": "@"},
        {"last_login__gte": "2000-01-01"},
        {"is_superuser__exact": "1"},
        {"id__gt": "0"},
    ],
)
def test_the_user_list_refuses_lookups_it_does_not_offer(client, system_admin, superuser, lookup):
    client.force_login(system_admin)
    assert client.get(USERS, lookup).status_code == 400


def test_the_user_list_keeps_its_filters_and_search(client, system_admin, superuser):
    clerk = make_user(roles.CLERK, username="clerk-lookups")
    gone = make_user(roles.CLERK, username="clerk-gone")
    gone.is_active = False
    gone.save()
    client.force_login(system_admin)

    assert shown(client.get(USERS, {"is_active__exact": "0"})) == {gone.pk}
    clerks = client.get(USERS, {"groups__id__exact": clerk.groups.get().pk})
    assert shown(clerks) == {clerk.pk, gone.pk}
    assert shown(client.get(USERS, {"q": "clerk-lookups"})) == {clerk.pk}


@pytest.mark.parametrize(
    "lookup",
    [
        {"legal_representative__regex": "^张"},
        {"legal_representative__startswith": "张"},
        {"contact_phone__startswith": "139"},
        {"credit_code__gte": "5"},
        {"address__contains": "路"},
        {"version__gt": "0"},
    ],
)
def test_the_organization_list_refuses_lookups_it_does_not_offer(client, clerk, lookup):
    OrganizationFactory(legal_representative="张三")
    client.force_login(clerk)
    assert client.get(ORGANIZATIONS, lookup).status_code == 400


def test_the_organization_list_keeps_its_filters_and_search(client, clerk):
    elderly = OrganizationFactory(name="长春市夕阳红养老服务中心")
    other = OrganizationFactory(
        industry=IndustryFactory(code="education", name="教育"),
        status=OrganizationStatus.DEREGISTERED,
    )
    client.force_login(clerk)

    assert shown(client.get(ORGANIZATIONS, {"status__exact": "deregistered"})) == {other.pk}
    by_industry = client.get(ORGANIZATIONS, {"industry__id__exact": elderly.industry_id})
    assert shown(by_industry) == {elderly.pk}
    assert shown(client.get(ORGANIZATIONS, {"q": "夕阳红"})) == {elderly.pk}
    assert shown(client.get(ORGANIZATIONS, {"q": elderly.credit_code})) == {elderly.pk}


@pytest.mark.parametrize(
    "lookup",
    [
        {"id_number__startswith": "2201"},
        {"id_number_digest__gte": "0"},
        {"id_number": "220104198001010011"},
        {"birth_date__gte": "1980-01-01"},
        {"phone__startswith": "139"},
        {"name__regex": "^张"},
    ],
)
def test_the_member_list_refuses_lookups_it_does_not_offer(client, clerk, lookup):
    PartyMemberFactory(phone="13943210009")
    client.force_login(clerk)
    assert client.get(MEMBERS, lookup).status_code == 400


def test_the_member_list_keeps_its_filters_and_search(client, clerk):
    member = PartyMemberFactory(name="张伟", status="probationary")
    left = PartyMemberFactory(name="李娜", left_on="2020-01-01")
    client.force_login(clerk)

    assert shown(client.get(MEMBERS, {"active": "no"})) == {left.pk}
    assert shown(client.get(MEMBERS, {"status__exact": "probationary"})) == {member.pk}
    industry = member.organization.industry_id
    assert member.pk in shown(client.get(MEMBERS, {"organization__industry__id__exact": industry}))
    assert shown(client.get(MEMBERS, {"q": "张伟"})) == {member.pk}
    assert shown(client.get(MEMBERS, {"q": member.id_number})) == {member.pk}


def test_a_date_hierarchy_and_an_empty_value_filter_keep_working(client, clerk):
    founded = found_party_organization(OrganizationFactory(), founded_on="2017-07-01")
    found_party_organization(OrganizationFactory(), founded_on="2019-07-01")
    url = reverse("admin:partybuilding_partyorganization_changelist")
    client.force_login(clerk)

    assert shown(client.get(url, {"founded_on__year": "2017"})) == {founded.pk}
    assert shown(client.get(url, {"founded_on__year": "2017", "founded_on__month": "7"})) == {
        founded.pk
    }
    assert len(shown(client.get(url, {"dissolved_on__isempty": "1"}))) == 2
    assert client.get(url, {"founded_on__gt": "2018-01-01"}).status_code == 400


def test_a_linked_lookup_filters_only_within_the_users_own_rows(client):
    """The organization's page links to its members with `organization__id__exact`, which the
    member list names as a linked lookup: it answers, and only from the user's own rows."""
    from tests.factories import SupervisoryUnitFactory

    own_unit, other_unit = SupervisoryUnitFactory(), SupervisoryUnitFactory()
    own = OrganizationFactory(supervisory_unit=own_unit)
    other = OrganizationFactory(supervisory_unit=other_unit)
    own_member = PartyMemberFactory(organization=own)
    PartyMemberFactory(organization=other)
    client.force_login(
        make_user(roles.SUPERVISORY_UNIT, username="linked-unit", supervisory_unit=own_unit)
    )

    assert shown(client.get(MEMBERS, {"organization__id__exact": own.pk})) == {own_member.pk}
    assert shown(client.get(MEMBERS, {"organization__id__exact": other.pk})) == set()
    # Only the named lookup: another comparison on the same field is still refused.
    assert client.get(MEMBERS, {"organization__id__gt": 0}).status_code == 400
