"""The benchmark's public pages answer with the page itself and find what they look for."""

import pytest

from bench.child import public
from tests.factories import OrganizationFactory


@pytest.mark.django_db
def test_every_public_page_the_benchmark_times_answers_with_the_page(settings):
    settings.DISCLOSURE = {**settings.DISCLOSURE, "REQUESTS_PER_MINUTE": 10**6}
    OrganizationFactory.create_batch(3)
    OrganizationFactory(name="长春市测试书法家协会")

    measured = public(requests="1", warmups="0")["pages"]

    assert {label: page["status"] for label, page in measured.items()} == {
        label: 200 for label in measured
    }
    assert all(page.get("found", True) for page in measured.values())
