"""The registration wizard's street list names each street's district, so the page offers only
the chosen district's streets (static/js/streets.js; issue 19)."""

import re

import pytest

from portal.forms import BasicInformationForm
from registry.models import Street
from tests.factories import DistrictFactory, StreetFactory

pytestmark = pytest.mark.django_db


def test_each_street_option_names_its_district():
    chaoyang = DistrictFactory(name="朝阳区", code="220104")
    nanguan = DistrictFactory(name="南关区", code="220102")
    StreetFactory(name="重庆街道", district=chaoyang)
    StreetFactory(name="永吉街道", district=nanguan)
    html = str(BasicInformationForm()["street"])
    options = dict(
        (name, district)
        for district, name in re.findall(r'data-district="(\d+)"[^>]*>([^<]+)<', html)
    )
    # migrate loads the region's streets too: every option, not only these two, names its own.
    assert options == {
        f"{street.district.name}{street.name}": str(street.district_id)
        for street in Street.objects.select_related("district")
    }
    assert options["朝阳区重庆街道"] == str(chaoyang.pk)
    assert options["南关区永吉街道"] == str(nanguan.pk)
