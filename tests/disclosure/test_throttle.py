"""R-PUB-1: N requests a minute per client address, then a 429 page in Chinese."""

import pytest
from django.urls import reverse

from disclosure.throttle import client_address, request_counted
from tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def limit(settings):
    settings.DISCLOSURE = {**settings.DISCLOSURE, "REQUESTS_PER_MINUTE": 5}
    return 5


def test_the_request_past_the_limit_is_refused_in_chinese(client, limit):
    organization = OrganizationFactory()
    urls = [reverse("disclosure:search"), f"/public/organizations/{organization.credit_code}/"]
    for number in range(limit):
        assert client.get(urls[number % 2]).status_code == 200
    response = client.get(urls[0])
    assert response.status_code == 429
    assert "访问过于频繁" in response.content.decode()
    assert response["Retry-After"] == "60"


def test_other_addresses_have_their_own_allowance(client, limit):
    for _ in range(limit + 1):
        client.get(reverse("disclosure:search"), REMOTE_ADDR="10.0.0.1")
    assert client.get(reverse("disclosure:search"), REMOTE_ADDR="10.0.0.2").status_code == 200


def test_a_forwarded_header_is_ignored_unless_the_setting_names_it(rf, settings):
    request = rf.get("/", REMOTE_ADDR="10.0.0.9", HTTP_X_FORWARDED_FOR="1.2.3.4")
    assert client_address(request) == "10.0.0.9"
    settings.DISCLOSURE = {**settings.DISCLOSURE, "CLIENT_ADDRESS_HEADER": "X-Forwarded-For"}
    request = rf.get("/", REMOTE_ADDR="10.0.0.9", HTTP_X_FORWARDED_FOR="6.6.6.6, 1.2.3.4")
    assert client_address(request) == "1.2.3.4"  # the proxy's own addition, not the client's


def test_a_client_cannot_escape_by_forging_the_header(client, limit):
    for number in range(limit):
        client.get(reverse("disclosure:search"), HTTP_X_FORWARDED_FOR=f"9.9.9.{number}")
    response = client.get(reverse("disclosure:search"), HTTP_X_FORWARDED_FOR="9.9.9.99")
    assert response.status_code == 429


def test_counters_are_per_minute():
    assert [request_counted("10.1.1.1", now=60.0) for _ in range(3)] == [1, 2, 3]
    assert request_counted("10.1.1.1", now=120.0) == 1
