"""R-API-1, R-API-5..8: a token sees exactly its holder's scope in the admin (the same
selectors), never an ID number or a phone; an organization out of scope answers as an unknown
one; lists walk by cursor in constant queries; every call is audited; only GET is answered."""

import datetime
import re

import pytest
from django.db import transaction

from accounts import roles
from annualcheck.selectors import annual_checks_visible_to
from audit.choices import AuditAction
from audit.models import AuditRecord
from credit.models import ListEntry
from credit.selectors import entries_visible_to
from evaluation.selectors import evaluations_visible_to
from partybuilding.member_forms.selectors import member_form_copies_visible_to
from partybuilding.models import Dispatch, PartyMember
from registry.models import Organization
from registry.selectors import organizations_visible_to
from tests.factories import OrganizationFactory, SupervisoryUnitFactory, add_members, make_user
from tests.sharing.helpers import call, issue, walk
from tests.test_crawl import build_world

pytestmark = pytest.mark.django_db


def add_credit_entries():
    for number, organization in enumerate(Organization.objects.order_by("pk")[:3]):
        ListEntry.objects.create(
            organization=organization,
            credit_list="abnormal",
            ground="annual_report",
            status="listed" if number else "proposed",
            evidence_key=f"annual-report-{number}",
            proposed_on=datetime.date(2018, 7, 1),
            listed_on=datetime.date(2018, 7, 10) if number else None,
        )


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The isolation crawl's world (two units' organizations, members with ID numbers and
    phones, Party organizations, dispatched instructors, checks, evaluations, member-form
    copies), list entries, and a token for the unit and one for the committee."""
    with django_db_blocker.unblock():
        with transaction.atomic():
            built = build_world()
            add_credit_entries()
            users = built["users"]
            built["secrets"] = {
                role: issue(users[role], name=f"scope-{role}")[1]
                for role in (roles.SUPERVISORY_UNIT, roles.COMMITTEE)
            }
            yield built
            transaction.set_rollback(True)


# endpoint -> (the admin's selector narrowed as the endpoint is, the key of a record, of a row)
ENDPOINTS = {
    "organizations": (
        organizations_visible_to,
        lambda record: record.credit_code,
        lambda row: row["credit_code"],
    ),
    "annual-checks": (
        annual_checks_visible_to,
        lambda record: (record.organization.credit_code, record.year),
        lambda row: (row["organization"]["credit_code"], row["year"]),
    ),
    "evaluations": (
        evaluations_visible_to,
        lambda record: (record.organization.credit_code, record.year),
        lambda row: (row["organization"]["credit_code"], row["year"]),
    ),
    "credit-entries": (
        entries_visible_to,
        lambda record: (record.organization.credit_code, record.status),
        lambda row: (row["organization"]["credit_code"], row["status"]["code"]),
    ),
    "member-form-copies": (
        lambda user: member_form_copies_visible_to(user).filter(acknowledged_at__isnull=True),
        lambda record: (record.organization.credit_code, record.kind),
        lambda row: (row["organization"]["credit_code"], row["kind"]["code"]),
    ),
}


@pytest.mark.parametrize("role", [roles.SUPERVISORY_UNIT, roles.COMMITTEE])
@pytest.mark.parametrize("endpoint", sorted(ENDPOINTS))
def test_a_token_sees_exactly_what_its_holder_sees_in_the_admin(client, world, role, endpoint):
    holder, secret = world["users"][role], world["secrets"][role]
    selector, record_key, row_key = ENDPOINTS[endpoint]
    rows, _pages = walk(client, endpoint, secret, limit=2)
    expected = sorted(map(record_key, selector(holder)))
    assert sorted(map(row_key, rows)) == expected
    everything = {
        "organizations": Organization.objects.count(),
        "credit-entries": ListEntry.objects.count(),
    }
    if endpoint in everything and role == roles.SUPERVISORY_UNIT:
        assert 0 < len(rows) < everything[endpoint]  # the unit's scope is a real narrowing


def test_out_of_scope_answers_as_unknown(client, world):
    secret = world["secrets"][roles.SUPERVISORY_UNIT]
    unit = world["users"][roles.SUPERVISORY_UNIT]
    inside = organizations_visible_to(unit).first()
    outside = Organization.objects.exclude(supervisory_unit=unit.supervisory_unit).first()
    assert call(client, f"organizations/{inside.credit_code}", secret).status_code == 200
    assert call(client, f"organizations/{inside.credit_code}/party-building", secret).json()
    unknown = "52220100MJ9999999X"
    for suffix in ("", "/party-building"):
        hidden = call(client, f"organizations/{outside.credit_code}{suffix}", secret)
        missing = call(client, f"organizations/{unknown}{suffix}", secret)
        assert hidden.status_code == missing.status_code == 404
        assert hidden.json() == missing.json()
        assert "范围" in hidden.json()["detail"]
    # Filtering a list by an out-of-scope organization gives nothing either.
    listed = call(client, "annual-checks", secret, credit_code=outside.credit_code).json()
    assert listed["items"] == []


def personal_data() -> set[str]:
    """Every ID number and phone number in the world, as stored and as the admin masks them."""
    values = set()
    for member in PartyMember.objects.all():
        values.add(member.id_number)
        values.add(member.name)
    for organization in Organization.objects.all():
        values.add(organization.contact_phone)
        values.add(organization.contact_person)
    for dispatch in Dispatch.objects.all():
        values.update({dispatch.instructor_phone, dispatch.instructor_name})
    from django.contrib.auth import get_user_model

    values.update(p for p in get_user_model().objects.values_list("phone", flat=True) if p)
    return {value for value in values if value}


@pytest.mark.parametrize("role", [roles.SUPERVISORY_UNIT, roles.COMMITTEE])
def test_no_id_number_phone_or_member_in_any_answer(client, world, role):
    secret = world["secrets"][role]
    secrets_to_hide = personal_data()
    assert any(re.fullmatch(r"\d{17}[\dX]", value) for value in secrets_to_hide)
    bodies = []
    for endpoint in ENDPOINTS:
        bodies.append(call(client, endpoint, secret, limit=500).content.decode("unicode_escape"))
    visible = organizations_visible_to(world["users"][role])
    for code in visible.values_list("credit_code", flat=True):
        for suffix in ("", "/party-building"):
            response = call(client, f"organizations/{code}{suffix}", secret)
            bodies.append(response.content.decode("unicode_escape"))
    text = "\n".join(bodies)
    leaked = sorted(value for value in secrets_to_hide if value in text)
    assert not leaked
    # Nor anything shaped like a resident ID number or a mobile phone.
    assert not re.search(r"(?<!\d)\d{17}[\dX](?!\d)", text)
    assert not re.search(r"(?<!\d)1[3-9]\d{9}(?!\d)", text)


def test_the_party_building_summary_counts_without_naming(client, world):
    secret = world["secrets"][roles.COMMITTEE]
    organization = Organization.objects.filter(
        party_members__isnull=False, party_coverages__isnull=False
    ).order_by("pk")[0]
    body = call(client, f"organizations/{organization.credit_code}/party-building", secret).json()
    assert body["full_members"] >= 1 and body["has_party_organization"] is True
    assert body["party_organization_mode"]["code"] == "standalone"
    assert set(body) == {
        "counted_members",
        "full_members",
        "probationary_members",
        "has_party_organization",
        "has_own_party_organization",
        "party_organization_name",
        "party_organization_mode",
        "status",
        "has_open_dispatch",
    }


# --- Pagination -------------------------------------------------------------------------------


@pytest.fixture
def many():
    unit = SupervisoryUnitFactory()
    organizations = [OrganizationFactory(supervisory_unit=unit) for _ in range(23)]
    for organization in organizations[:5]:
        add_members(organization, 2)
    OrganizationFactory()  # another unit's
    holder = make_user(roles.SUPERVISORY_UNIT, supervisory_unit=unit)
    return organizations, issue(holder)[1]


def test_pagination_walks_every_row_exactly_once(client, many):
    organizations, secret = many
    rows, pages = walk(client, "organizations", secret, limit=5)
    codes = [row["credit_code"] for row in rows]
    assert len(codes) == len(set(codes)) == 23 and pages == 5
    assert set(codes) == {organization.credit_code for organization in organizations}


def test_a_page_costs_the_same_queries_whatever_its_size(
    client, many, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _organizations, secret = many
    counts = []
    for limit in (2, 20):
        with CaptureQueriesContext(connection) as captured:
            response = call(client, "organizations", secret, limit=limit)
        assert response.status_code == 200
        counts.append(len(captured))
        sql = " ".join(query["sql"].upper() for query in captured)
        assert " OFFSET " not in sql and "COUNT(" not in sql
    assert counts[0] == counts[1]
    cursor = call(client, "organizations", secret, limit=3).json()["next_cursor"]
    with django_assert_max_num_queries(counts[0]):
        call(client, "organizations", secret, limit=3, cursor=cursor)


def test_bad_cursors_and_limits_are_refused(client, many):
    _organizations, secret = many
    for cursor in ("abc", "!!", "azE6LTE", "eDox"):
        response = call(client, "organizations", secret, cursor=cursor)
        assert response.status_code == 400 and response.json()["code"] == "invalid_cursor"
    for limit in (0, 501, "x"):
        response = call(client, "organizations", secret, limit=limit)
        assert response.status_code == 422 and "参数" in response.json()["detail"]


def test_filters_narrow_within_the_scope(client, many):
    organizations, secret = many
    district = organizations[0].district
    rows = call(client, "organizations", secret, district=district.pk).json()["items"]
    assert {row["credit_code"] for row in rows} == {
        o.credit_code for o in organizations if o.district_id == district.pk
    }
    assert call(client, "organizations", secret, status="revoked").json()["items"] == []
    later = "2100-01-01T00:00:00+08:00"
    assert call(client, "organizations", secret, updated_since=later).json()["items"] == []


# --- Audit and methods --------------------------------------------------------------------------


def api_records():
    return AuditRecord.objects.filter(object_type="sharing.apitoken", details__kind="api")


def test_every_call_is_audited(client, many):
    _organizations, secret = many
    call(client, "organizations", secret, limit=7, status="active")
    record = api_records().get()
    assert record.action == AuditAction.EXPORT and record.user.has_role(roles.SUPERVISORY_UNIT)
    assert record.details["rows"] == 7 and record.details["status"] == 200
    assert record.details["path"] == "/api/v1/organizations"
    assert "status=active" in record.details["query"]
    assert record.details["token"] == secret[3:15]
    call(client, "organizations/52220100MJ9999999X", secret)
    assert api_records().filter(details__status=404, details__rows=0).exists()
    call(client, "organizations", "sz_bad.token")
    call(client, "organizations")
    refused = api_records().filter(action=AuditAction.LOGIN_FAILED)
    assert sorted(refused.values_list("details__refusal", flat=True)) == ["invalid", "missing"]
    assert all(record.user_id is None for record in refused)


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_only_get_is_answered(client, many, method):
    organizations, secret = many
    before = Organization.objects.count()
    for path in ("organizations", f"organizations/{organizations[0].credit_code}"):
        response = call(client, path, secret, method=method)
        assert response.status_code == 405
        assert response.json()["code"] == "method" and "GET" in response["Allow"]
    assert Organization.objects.count() == before
    assert api_records().filter(details__status=405, details__method=method.upper()).count() == 2


def test_openapi_in_chinese_and_docs_without_a_cdn(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert "令牌" in schema["info"]["description"]
    # An endpoint added later fails here until the scope test knows it.
    assert set(schema["paths"]) == {f"/api/v1/{endpoint}" for endpoint in ENDPOINTS} | {
        "/api/v1/organizations/{credit_code}",
        "/api/v1/organizations/{credit_code}/party-building",
    }
    assert all(set(operations) == {"get"} for operations in schema["paths"].values())
    page = client.get("/api/v1/docs")
    html = page.content.decode()
    assert page.status_code == 200 and "Content-Security-Policy" in page
    assert "http://" not in html and "https://" not in html
    for attributes, body in re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S):
        assert 'src="/static/' in attributes or 'type="application/json"' in attributes
        assert "src=" in attributes or not body.strip().startswith(("var", "const", "function"))
    # Served from our own static files (collectstatic gathers ninja's with ours).
    from django.contrib.staticfiles import finders

    assert finders.find("ninja/swagger-ui-bundle.js") and finders.find("ninja/swagger-ui-init.js")


def test_a_token_calling_too_often_is_throttled(client, many, settings):
    from django.core.cache import cache

    _organizations, secret = many
    settings.SHARING = {**settings.SHARING, "CALLS_PER_MINUTE": 2}
    cache.clear()
    statuses = [call(client, "organizations", secret).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    response = call(client, "organizations", secret)
    assert response.json()["code"] == "throttled" and "频繁" in response.json()["detail"]
    assert int(response["Retry-After"]) >= 1
    assert api_records().filter(details__status=429).count() == 2
    cache.clear()
