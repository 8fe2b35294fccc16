import pytest

from accounts import roles
from tests.factories import make_user


@pytest.fixture
def clerk(db):
    return make_user(roles.CLERK, username="clerk-test")


@pytest.fixture
def committee_user(db):
    return make_user(roles.COMMITTEE, username="committee-test")
