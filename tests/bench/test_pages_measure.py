"""The benchmark times the pages it names, not a redirect in front of them: the superuser it
logs in as must get through two-factor authentication as a real login does."""

import pytest

from bench.child import pages
from tests.factories import OrganizationFactory


@pytest.mark.django_db
def test_every_page_the_benchmark_times_answers_with_the_page_itself():
    OrganizationFactory.create_batch(3)

    measured = pages(requests="1", warmups="0")["pages"]

    assert {label: page["status"] for label, page in measured.items()} == {
        label: 200 for label in measured
    }
    assert all(page.get("found", True) for page in measured.values())
