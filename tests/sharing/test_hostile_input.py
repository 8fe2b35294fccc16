"""Hostile input on the API (issue 18: hostile input everywhere new): whatever a caller puts in
the token, the path or the query, the answer is a JSON refusal or an empty page, never a 500, and
never another scope's data."""

from urllib.parse import quote

import pytest
from hypothesis import given
from hypothesis import strategies as st

from accounts import roles
from tests.factories import OrganizationFactory, SupervisoryUnitFactory, make_user
from tests.hostile import PAYLOADS, hostile_settings, hostile_text
from tests.sharing.helpers import issue

pytestmark = pytest.mark.django_db

PARAMETERS = ("status", "district", "industry", "updated_since", "cursor", "limit", "credit_code")


@pytest.fixture
def unit_secret():
    unit = SupervisoryUnitFactory()
    OrganizationFactory(supervisory_unit=unit)
    other = OrganizationFactory()
    holder = make_user(roles.SUPERVISORY_UNIT, supervisory_unit=unit)
    return issue(holder)[1], other.credit_code


@pytest.mark.parametrize("payload", PAYLOADS)
def test_hostile_values_are_refused_calmly(client, unit_secret, payload):
    secret, other_code = unit_secret
    header = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    for parameter in PARAMETERS:
        response = client.get("/api/v1/organizations", {parameter: payload}, **header)
        assert response.status_code in {200, 400, 422}, (parameter, response.status_code)
        assert response["Content-Type"].startswith("application/json")
        if response.status_code == 200:
            assert other_code not in response.content.decode()
    path = "/api/v1/organizations/" + quote(payload, safe="")
    assert client.get(path, **header).status_code in {404, 422}
    response = client.get("/api/v1/evaluations", HTTP_AUTHORIZATION=f"Bearer {payload}")
    assert response.status_code == 401


@hostile_settings(25)
@given(text=hostile_text())
def test_any_token_text_is_a_401(client, text):
    response = client.get("/api/v1/organizations", HTTP_AUTHORIZATION=f"Bearer sz_{text}")
    assert response.status_code == 401
    assert response.json()["code"] in {"invalid", "missing"}


@hostile_settings(25)
@given(cursor=st.text(max_size=60))
def test_any_cursor_is_a_page_or_a_400(client, unit_secret, cursor):
    secret, _other = unit_secret
    response = client.get(
        "/api/v1/organizations", {"cursor": cursor}, HTTP_AUTHORIZATION=f"Bearer {secret}"
    )
    assert response.status_code in {200, 400}
