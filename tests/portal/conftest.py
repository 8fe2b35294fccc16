"""Applicants and the data a registration needs, for the portal's tests."""

import pytest

from accounts import roles
from tests.factories import (
    DistrictFactory,
    IndustryFactory,
    StreetFactory,
    SupervisoryUnitFactory,
    make_user,
)


@pytest.fixture
def applicant(db):
    return make_user(roles.APPLICANT, username="founder-li")


@pytest.fixture
def other_applicant(db):
    return make_user(roles.APPLICANT, username="founder-wang")


@pytest.fixture
def places(db):
    """Two districts, each with a street of its own."""
    chaoyang = DistrictFactory(name="朝阳区", code="220104")
    nanguan = DistrictFactory(name="南关区", code="220102")
    return {
        "district": chaoyang,
        "street": StreetFactory(district=chaoyang, name="湖西街道"),
        "other_district": nanguan,
        "other_street": StreetFactory(district=nanguan, name="自强街道"),
    }


@pytest.fixture
def industry(db):
    return IndustryFactory()


@pytest.fixture
def unit(db):
    return SupervisoryUnitFactory(name="长春市民政局养老服务处")


@pytest.fixture
def supervisor(unit):
    return make_user(roles.SUPERVISORY_UNIT, supervisory_unit=unit, username="unit-user")
