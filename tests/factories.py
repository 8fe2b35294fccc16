"""Factories for every app's models. Credit codes and phones are valid by construction."""

import datetime
import itertools

import factory
from factory.django import DjangoModelFactory

from accounts import roles
from accounts.services import user_ensure
from registry.choices import OrganizationType
from registry.credit_codes import TYPE_DIGITS, make_credit_code
from registry.models import District, Industry, Organization, Street, SupervisoryUnit

_organization_numbers = itertools.count(100001)


def credit_code_for(organization_type: str, number: int | None = None) -> str:
    number = next(_organization_numbers) if number is None else number
    return make_credit_code(
        type_digit=TYPE_DIGITS[organization_type],
        region="220100",
        organization_code_body=f"MJ{number:06d}",
    )


class IndustryFactory(DjangoModelFactory):
    class Meta:
        model = Industry
        django_get_or_create = ("code",)

    code = "elderly_care"
    name = "养老"


class DistrictFactory(DjangoModelFactory):
    class Meta:
        model = District
        django_get_or_create = ("name",)

    name = "朝阳区"
    code = "220104"


class StreetFactory(DjangoModelFactory):
    class Meta:
        model = Street
        django_get_or_create = ("district", "name")

    district = factory.SubFactory(DistrictFactory)
    name = "湖西街道"


class SupervisoryUnitFactory(DjangoModelFactory):
    class Meta:
        model = SupervisoryUnit
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"长春市民政局业务处室{n}")
    is_civil_affairs = True


class OrganizationFactory(DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"长春市测试社会服务中心{n:03d}")
    organization_type = OrganizationType.PRIVATE_NON_ENTERPRISE
    credit_code = factory.LazyAttribute(lambda o: credit_code_for(o.organization_type))
    industry = factory.SubFactory(IndustryFactory)
    supervisory_unit = factory.SubFactory(SupervisoryUnitFactory)
    bureau_managed = factory.LazyAttribute(
        lambda o: bool(o.supervisory_unit and o.supervisory_unit.is_civil_affairs)
    )
    legal_representative = factory.Faker("name", locale="zh_CN")
    contact_person = factory.Faker("name", locale="zh_CN")
    contact_phone = factory.Sequence(lambda n: f"1390431{n:04d}")
    address = factory.Faker("street_address", locale="zh_CN")
    district = factory.SubFactory(DistrictFactory)
    street = factory.LazyAttribute(lambda o: StreetFactory(district=o.district))
    full_time_staff = 5
    established_on = datetime.date(2015, 3, 1)
    registered_on = datetime.date(2015, 3, 10)


def make_user(role: str, *, username: str | None = None, **scope):
    """A user of `role`, through the same service the demo and the admin use."""
    user, _created = user_ensure(
        username=username or f"{role}-{next(_organization_numbers)}",
        role=role,
        password="Test-password-2018",
        **scope,
    )
    return user


def make_organization_user(organization):
    return make_user(
        roles.ORGANIZATION, username=organization.credit_code, organization=organization
    )


# --- Party building -------------------------------------------------------------------------

_id_sequence = itertools.count(1)


def id_number_for(
    *, birth: datetime.date = datetime.date(1980, 1, 1), male: bool = True, region: str = "220104"
) -> str:
    """A valid resident ID number (R-ID-2), unique per call."""
    from stdnum.cn import ric

    # Sequence digits 15-16 plus the sex digit 17 give 500 numbers per birth date and region;
    # the birth day moves on after that so numbers stay unique.
    sequence = next(_id_sequence)
    birth = birth + datetime.timedelta(days=sequence // 500)
    sequence %= 500
    body = f"{region}{birth:%Y%m%d}{sequence % 100:02d}{2 * (sequence // 100) + int(male)}"
    return body + ric.calc_check_digit(body + "X")  # stdnum ignores the last character


class PartyMemberFactory(DjangoModelFactory):
    class Meta:
        model = "partybuilding.PartyMember"

    name = factory.Faker("name", locale="zh_CN")
    id_number = factory.LazyFunction(id_number_for)
    sex = "male"
    birth_date = datetime.date(1980, 1, 1)
    status = "full"
    role = "full_time_staff"
    relationship = "transferred"
    organization = factory.SubFactory(OrganizationFactory)
    joined_party_on = datetime.date(2005, 7, 1)


class PartyOrganizationFactory(DjangoModelFactory):
    class Meta:
        model = "partybuilding.PartyOrganization"

    name = factory.Sequence(lambda n: f"测试党支部{n:03d}")
    kind = "branch"
    formation_mode = "standalone"
    founded_on = datetime.date(2017, 7, 1)


def found_party_organization(*organizations, mode="standalone", founded_on=None, by=None, **fields):
    """A Party organization covering `organizations`, founded through the real service."""
    from partybuilding.services import party_organization_found

    return party_organization_found(
        name=fields.pop("name", f"测试党支部{next(_organization_numbers)}"),
        kind=fields.pop("kind", "joint_branch" if mode == "joint" else "branch"),
        formation_mode=mode,
        organizations=list(organizations),
        founded_on=founded_on or datetime.date(2017, 7, 1),
        by=by,
        **fields,
    )


def add_members(organization, count, **fields):
    return [PartyMemberFactory(organization=organization, **fields) for _ in range(count)]


# --- Credit supervision: the facts the clerk enters, and listings as the workflow leaves them --


class PenaltyFactory(DjangoModelFactory):
    class Meta:
        model = "credit.Penalty"

    organization = factory.SubFactory(OrganizationFactory)
    kind = "warning"
    department = "长春市民政局"
    decision_number = factory.Sequence(lambda n: f"长民罚字〔2018〕{n}号")
    decided_on = datetime.date(2018, 3, 1)
    effective_on = datetime.date(2018, 3, 1)
    facts = "未按规定报送年度工作报告"
    basis = "《社会团体登记管理条例》第三十条"


class RectificationNoticeFactory(DjangoModelFactory):
    class Meta:
        model = "credit.RectificationNotice"

    organization = factory.SubFactory(OrganizationFactory)
    notice_number = factory.Sequence(lambda n: f"长民整改〔2018〕{n}号")
    matter = "财务制度不健全"
    issued_on = datetime.date(2018, 4, 1)
    due_on = datetime.date(2018, 6, 30)


class ReturnedLetterFactory(DjangoModelFactory):
    class Meta:
        model = "credit.ReturnedLetter"

    organization = factory.SubFactory(OrganizationFactory)
    address = "长春市朝阳区人民大街1号"
    tracking_number = factory.Sequence(lambda n: f"1190{n:09d}")
    sent_on = datetime.date(2018, 5, 2)
    returned_on = datetime.date(2018, 5, 12)


def listed(organization, credit_list="abnormal", *, on=datetime.date(2018, 3, 1), **fields):
    """An entry on `credit_list` since `on` (status listed), as the credit workflow leaves a
    confirmed proposal."""
    from credit.models import ListEntry

    ground = fields.pop("ground", "annual_report" if credit_list == "abnormal" else "heavy_fine")
    return ListEntry.objects.create(
        organization=organization,
        credit_list=credit_list,
        ground=ground,
        status=fields.pop("status", "listed"),
        evidence_key=fields.pop("evidence_key", f"{ground}:{next(_organization_numbers)}"),
        **{"proposed_on": on, "listed_on": on, "term_starts_on": on, **fields},
    )
