"""Organization rules that live on the row: R-ID-1 in context, bureau-managed, street/district."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from registry.choices import OrganizationType
from registry.services import organization_create, organization_update
from tests.factories import (
    DistrictFactory,
    IndustryFactory,
    OrganizationFactory,
    StreetFactory,
    SupervisoryUnitFactory,
    credit_code_for,
)

pytestmark = pytest.mark.django_db


def _fields(**overrides):
    """Every field of a valid organization, for the create service."""
    district = DistrictFactory()
    fields = {
        "name": "长春市朝阳区夕阳红居家养老服务中心",
        "credit_code": credit_code_for(OrganizationType.PRIVATE_NON_ENTERPRISE),
        "organization_type": OrganizationType.PRIVATE_NON_ENTERPRISE,
        "industry": IndustryFactory(),
        "supervisory_unit": SupervisoryUnitFactory(),
        "legal_representative": "王淑华",
        "contact_person": "李建国",
        "contact_phone": "13904311234",
        "address": "长春市朝阳区湖西路88号",
        "district": district,
        "street": StreetFactory(district=district),
        "full_time_staff": 12,
        "established_on": datetime.date(2014, 5, 6),
        "registered_on": datetime.date(2014, 5, 20),
    }
    fields.update(overrides)
    return fields


def test_r_id_1_organization_credit_code_is_normalized_on_create(clerk):
    code = credit_code_for(OrganizationType.SOCIAL_GROUP)
    organization = organization_create(
        by=clerk,
        **_fields(organization_type=OrganizationType.SOCIAL_GROUP, credit_code=f" {code.lower()} "),
    )
    assert organization.credit_code == code


def test_r_id_1_type_digit_must_match_organization_type(clerk):
    code = credit_code_for(OrganizationType.SOCIAL_GROUP)
    with pytest.raises(ValidationError) as excinfo:
        organization_create(
            by=clerk,
            **_fields(organization_type=OrganizationType.FOUNDATION, credit_code=code),
        )
    assert "第2位" in excinfo.value.message_dict["credit_code"][0]


def test_r_id_1_credit_code_is_unique(clerk):
    existing = OrganizationFactory()
    with pytest.raises(ValidationError) as excinfo:
        organization_create(by=clerk, **_fields(credit_code=existing.credit_code))
    assert "credit_code" in excinfo.value.message_dict


def test_r_id_1_database_refuses_a_code_of_the_wrong_shape():
    organization = OrganizationFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        type(organization).objects.filter(pk=organization.pk).update(credit_code="91220100MJ41708")


def test_bureau_managed_follows_the_supervisory_unit(clerk):
    outside = SupervisoryUnitFactory(name="长春市科学技术协会", is_civil_affairs=False)
    organization = organization_create(
        by=clerk, **_fields(bureau_managed=True, supervisory_unit=outside)
    )
    assert organization.bureau_managed is False
    organization_update(
        organization=organization, by=clerk, supervisory_unit=SupervisoryUnitFactory()
    )
    assert organization.bureau_managed is True
    organization_update(organization=organization, by=clerk, supervisory_unit=None)
    assert organization.bureau_managed is False


def test_street_must_belong_to_the_district(clerk):
    other_street = StreetFactory(
        district=DistrictFactory(name="南关区", code="220102"), name="南岭街道"
    )
    with pytest.raises(ValidationError) as excinfo:
        organization_create(by=clerk, **_fields(street=other_street))
    assert "street" in excinfo.value.message_dict


def test_phone_must_be_a_mobile_or_landline(clerk):
    with pytest.raises(ValidationError) as excinfo:
        organization_create(by=clerk, **_fields(contact_phone="12345"))
    assert "contact_phone" in excinfo.value.message_dict
    organization = organization_create(by=clerk, **_fields(contact_phone="0431-88886666"))
    assert organization.contact_phone == "0431-88886666"


def test_new_organizations_report_to_the_default_party_building_body(clerk):
    organization = organization_create(by=clerk, **_fields())
    assert organization.party_building_body.is_default
    assert organization.party_building_body.name == "非公和社会组织党工委"


def test_history_records_who_changed_what(clerk):
    organization = organization_create(by=clerk, **_fields())
    organization_update(organization=organization, by=clerk, contact_person="周晓梅")
    records = list(organization.history.order_by("history_id"))
    assert [r.history_type for r in records] == ["+", "~"]
    assert all(r.history_user == clerk for r in records)
    delta = records[1].diff_against(records[0])
    assert delta.changed_fields == ["contact_person"]
