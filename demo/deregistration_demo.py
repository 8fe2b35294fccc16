"""The deregistration part of the demo (R-DEREG-1..8, R-CERT-4): one organization that dissolved
itself in the spring of 2018, taken through the whole path by the services, on the days each
step happened (demo.clock).

长春市惠民社区服务中心 is not one of the article's 71 organizations: it had been registered in
2013 and was gone by the time of the survey, so every figure the article gives stays as it is
today, and a ledger or dashboard "as of" a day before 15 June 2018 still counts it (R-DEREG-8).
Its story: the members' assembly resolved to dissolve on 28 March; the liquidation group
worked from 2 April to 25 May; its Party branch was dissolved and its three members' Party
relationships transferred out to their streets' Party working committees at the end of May
(R-DEREG-5); it applied on 4 June (within 15 days, R-DEREG-4), its supervisory unit consented
on 8 June, and the clerk deregistered it on 15 June with the certificates and the seal
returned (R-DEREG-6), which withdrew its certificates (R-CERT-4)."""

import datetime

from django.conf import settings
from django.utils import translation
from stdnum.cn import ric

from accounts.services import organization_user_ensure
from core.identity import sex_of
from partybuilding.choices import (
    FormationMode,
    MemberRole,
    MemberStatus,
    PartyOrganizationKind,
    Relationship,
)
from partybuilding.services import (
    party_member_create,
    party_member_transfer_out,
    party_organization_dissolve,
    party_organization_found,
)
from registry.choices import CertificateReason, DeregistrationReason
from registry.models import (
    District,
    Industry,
    Organization,
    PartyBuildingBody,
    Street,
    SupervisoryUnit,
)
from registry.services import organization_create
from registry.services.certificates import issue_with_decision
from registry.services.deregistration import (
    deregistration_complete,
    deregistration_consent,
    deregistration_save_step,
    deregistration_start,
    deregistration_submit,
)

from . import orgdata
from .clock import history_dated, on_day
from .registry_demo import credit_code_of

ROW = {
    "key": "huimin_community",
    "name": "长春市惠民社区服务中心",
    "type": orgdata.PRIVATE_NON_ENTERPRISE,
    "industry": "community",
    "supervisory_unit": "community",
    "district": "南关区",
    "street": "鸿城街道",
    "address": "长春市南关区鸿城街319号",
    "legal_representative": "邹建平",
    "contact_person": "邹建平",
    "contact_phone": "0431-81927736",
    "full_time_staff": 6,
    "established_on": "2013-05-13",
    "registered_on": "2013-05-20",
    "org_code_body": "MJ498213",
}
BRANCH = "中共长春市惠民社区服务中心支部委员会"
BRANCH_FOUNDED_ON = datetime.date(2015, 7, 1)
# name, birth date, the ID number's sex digit (odd: male), joined the Party, where the Party
# relationship was transferred to (the Party working committee of the street they live in)
MEMBERS = [
    ("邹建平", datetime.date(1968, 3, 14), 1, datetime.date(1992, 6, 30), "鸿城街道"),
    ("韦丽娟", datetime.date(1979, 11, 2), 2, datetime.date(2003, 7, 1), "民康街道"),
    ("包志成", datetime.date(1986, 8, 25), 3, datetime.date(2010, 5, 4), "自强街道"),
]

RESOLVED_ON = datetime.date(2018, 3, 28)
LIQUIDATION = (datetime.date(2018, 4, 2), datetime.date(2018, 5, 25))
BRANCH_DISSOLVED_ON = datetime.date(2018, 5, 28)
TRANSFERRED_ON = datetime.date(2018, 5, 29)
APPLIED_ON = datetime.date(2018, 6, 4)
CONSENTED_ON = datetime.date(2018, 6, 8)
DEREGISTERED_ON = datetime.date(2018, 6, 15)


def deregistered_credit_code() -> str:
    return credit_code_of(ROW)


def seed_deregistration(*, staff: dict, encoded_password: str) -> tuple[Organization, bool]:
    """Register, then deregister, the demo's dissolved organization once; returns it and
    whether it was made now. Its portal account is given the demo's password every time, as
    the other organizations' are."""
    organization = Organization.objects.filter(credit_code=deregistered_credit_code()).first()
    if organization is not None:
        _account(organization, encoded_password)
        return organization, False
    with translation.override(settings.LANGUAGE_CODE):  # the texts the services store
        organization = _registered(staff["clerk"])
        _party_branch(organization, staff["clerk"])
        user = _account(organization, encoded_password)
        _settle_party_building(organization, staff["committee"])
        _deregister(organization, user, staff)
    organization.refresh_from_db()
    return organization, True


def _account(organization, encoded_password):
    return organization_user_ensure(
        organization=organization, encoded_password=encoded_password, how="seed_demo"
    )[0]


def _registered(clerk) -> Organization:
    registered_on = datetime.date.fromisoformat(ROW["registered_on"])
    district = District.objects.get(name=ROW["district"])
    with history_dated(registered_on):
        organization = organization_create(
            by=clerk,
            name=ROW["name"],
            credit_code=deregistered_credit_code(),
            organization_type=ROW["type"],
            industry=Industry.objects.get(code=ROW["industry"]),
            supervisory_unit=SupervisoryUnit.objects.get(name=_unit_name(ROW["supervisory_unit"])),
            legal_representative=ROW["legal_representative"],
            contact_person=ROW["contact_person"],
            contact_phone=ROW["contact_phone"],
            address=ROW["address"],
            district=district,
            street=Street.objects.get(district=district, name=ROW["street"]),
            full_time_staff=ROW["full_time_staff"],
            established_on=datetime.date.fromisoformat(ROW["established_on"]),
            registered_on=registered_on,
        )
    # Its certificates as the bureau issued them, renewed at expiry until it was deregistered.
    with on_day(registered_on):
        issued = issue_with_decision(
            organization=organization,
            by=clerk,
            reason=CertificateReason.REGISTRATION,
            issued_on=registered_on,
        )
    while issued[0].valid_until < DEREGISTERED_ON:
        renewed_on = issued[0].valid_until + datetime.timedelta(days=1)
        with on_day(renewed_on):
            issued = issue_with_decision(
                organization=organization,
                by=clerk,
                reason=CertificateReason.EXPIRY,
                issued_on=renewed_on,
            )
    return organization


def _party_branch(organization, clerk) -> None:
    branch = party_organization_found(
        name=BRANCH,
        kind=PartyOrganizationKind.BRANCH,
        formation_mode=FormationMode.STANDALONE,
        organizations=[organization],
        founded_on=BRANCH_FOUNDED_ON,
        secretary=MEMBERS[0][0],
        parent_body=PartyBuildingBody.objects.filter(is_default=True).first(),
        by=clerk,
    )
    for name, born, parity, joined, _destination in MEMBERS:
        id_number = _id_number(born, parity)
        party_member_create(
            by=clerk,
            organization=organization,
            party_organization=branch,
            name=name,
            sex=sex_of(id_number),
            id_number=id_number,
            joined_party_on=joined,
            status=MemberStatus.FULL,
            role=MemberRole.FULL_TIME_STAFF,
            relationship=Relationship.TRANSFERRED,
        )


def _id_number(born: datetime.date, parity: int) -> str:
    """An invented ID number of 南关区 with a valid check character (R-ID-2)."""
    body = f"{orgdata.DISTRICT_CODES[ROW['district']]}{born:%Y%m%d}{40 + parity:02d}{parity}"
    return body + ric.calc_check_digit(body + "0")


def _settle_party_building(organization, committee) -> None:
    """R-DEREG-5, by the Party working committee: the branch dissolved, then each member's
    relationship transferred out to the Party body of the street they live in."""
    from partybuilding.models import PartyMember, PartyOrganization

    with on_day(BRANCH_DISSOLVED_ON):
        party_organization_dissolve(
            party_organization=PartyOrganization.objects.get(name=BRANCH),
            dissolved_on=BRANCH_DISSOLVED_ON,
            by=committee,
        )
    destinations = {name: f"中共长春市南关区{street}工作委员会" for name, *_rest, street in MEMBERS}
    with on_day(TRANSFERRED_ON):
        for member in PartyMember.objects.filter(organization=organization).order_by("pk"):
            party_member_transfer_out(
                member=member,
                transferred_on=TRANSFERRED_ON,
                destination=destinations[member.name],
                by=committee,
            )


def _deregister(organization, user, staff) -> None:
    with on_day(APPLIED_ON):
        deregistration = deregistration_start(organization=organization, by=user)
        deregistration = deregistration_save_step(
            deregistration=deregistration,
            by=user,
            reason=DeregistrationReason.DISSOLVED,
            reason_details="受养老服务市场调整影响，本中心服务项目已由街道综合服务中心承接，"
            "经2018年3月28日举办者会议决议自行解散。",
            resolved_on=RESOLVED_ON,
            liquidation_group="邹建平 清算组组长\n韦丽娟 成员\n长春正源会计师事务所 刘敏 成员",
            liquidation_started_on=LIQUIDATION[0],
            liquidation_ended_on=LIQUIDATION[1],
            liquidation_report="债权债务已全部清偿，长春正源会计师事务所出具清算审计报告"
            "（长正源审字〔2018〕第0526号）。",
            remaining_assets="剩余财产人民币12,460元，经业务主管单位同意捐赠给长春市社区服务协会，"
            "用于社区公益服务。",
        )
        deregistration = deregistration_submit(deregistration=deregistration, by=user)
    with on_day(CONSENTED_ON):
        deregistration = deregistration_consent(
            deregistration=deregistration,
            by=staff["units"][organization.supervisory_unit_id],
            opinion="经审查，该中心清算工作已完成，党组织已撤销、党员组织关系已转出，同意注销登记。",
        )
    with on_day(DEREGISTERED_ON):
        deregistration_complete(
            deregistration=deregistration,
            by=staff["clerk"],
            decided_on=DEREGISTERED_ON,
            certificate_returned_on=DEREGISTERED_ON,
            seal_returned_on=DEREGISTERED_ON,
            returns_note="收缴登记证书正本、副本各一份，印章一枚。",
        )


def _unit_name(key: str) -> str:
    return next(unit["name"] for unit in orgdata.SUPERVISORY_UNITS if unit["key"] == key)
