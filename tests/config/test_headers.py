"""The Permissions-Policy header (issue 13): on every response, pages, redirects, errors,
downloads and JSON alike, denying the browser features the site never uses."""

import pytest
from django.urls import reverse

from config.headers import HEADER

pytestmark = pytest.mark.django_db

DENIED = ("camera=()", "microphone=()", "geolocation=()", "payment=()", "usb=()")


def test_every_kind_of_response_carries_the_permissions_policy(client, clerk):
    anonymous = [
        client.get(reverse("home")),
        client.get(reverse("admin:login")),
        client.get(reverse("admin:index")),  # a redirect to the login
        client.get("/no-such-page/"),  # 404
        client.post(reverse("admin:login"), {}),
    ]
    client.force_login(clerk)
    signed_in = [
        client.get(reverse("admin:partybuilding_partymember_changelist")),
        client.get(reverse("admin:autocomplete"), {"term": "x"}),  # JSON (or its refusal)
        client.get(reverse("admin:auth_group_changelist")),  # 403
    ]
    statuses = set()
    for response in anonymous + signed_in:
        statuses.add(response.status_code)
        value = response.get(HEADER, "")
        assert all(feature in value for feature in DENIED), (response.status_code, value)
    assert {200, 302, 403, 404} <= statuses
