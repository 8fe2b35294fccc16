"""The Party-building part of the Changchun demo (domain.md §5): the situation in mid-2018.

The 2018 article says: 71 bureau-managed organizations surveyed, 45 of them eligible
(R-PB-5); 15 Party organizations founded, "单独组建的有12家", two joint branches (至爱; 金秋
with the moral-culture association) and "派驻组建党组织1家"; the social workers' association
founded its branch in May 2018, joined the E-branch platform at once and drives 13 social-work
agencies; the elderly-care association is to drive the 40+ elderly-care organizations next.
Everything else here (people, ID numbers, phones, dates, which organization plays which part)
is invented.

Who plays which part (orgdata keys; the tables below, the rest derived from orgdata):

    12 standalone (STANDALONE)            each n ≥ 3 counted members (R-PB-1, R-PB-8)
  +  4 covered by the 2 joint branches    至爱护理院 6, 至爱居家 2, 金秋 2, 道德文化协会 1
  +  1 formed after dispatched help       n = 3 (its dispatch ended on the founding day)
  = 17 covered by the 15 Party organizations, all eligible
  +  3 应建未建 (SHOULD_BUILD)              n ≥ 3, no Party organization (R-PB-6)
  +  1 elderly-care lead                  n = 2, no Party organization yet
  + 24 joint candidates                   n = 1–2: the 24 largest (by full-time staff) of the
                                          47 organizations no table names
  = 45 eligible (R-PB-5)
  +  3 with an open dispatch (OPEN_DISPATCHES), n = 0 (R-PB-4)
  + 23 other organizations with n = 0     the rest of the 47; some have members who do not
                                          count (no letter, probationary, left)
  = 71 organizations

Standalone condition (n ≥ 3): 12 + 至爱护理院 + the dispatched-formed one + 3 应建未建 = 17.
"""

import datetime
import random
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.utils import translation
from stdnum.cn import ric

from core.identity import validate_id_number
from partybuilding.choices import (
    Education,
    FormationMode,
    MemberRole,
    MemberStatus,
    PartyOrganizationKind,
    Relationship,
    Sex,
)
from partybuilding.models import Dispatch, IndustryLead, PartyMember, PartyOrganization
from partybuilding.services import (
    dispatch_start,
    industry_lead_designate,
    party_member_create,
    party_organization_found,
)
from registry.models import Organization, PartyBuildingBody

from . import orgdata

# Kinds of member, one letter each, so a table row reads like the ledger ("FFLP" = four members).
FULL = "F"  # full member, full-time staff, relationship transferred in: counts (R-PB-1)
LETTER = "L"  # full member, full-time staff, floating, certificate letter on file: counts
PART_TIME = "P"  # full member, part-time staff, relationship held elsewhere, letter: counts
NO_LETTER = "N"  # full member, floating, no certificate letter yet: does not count
PROBATIONARY = "Y"  # probationary member (预备党员): never counts
LEFT = "X"  # full member who has left the organization: no longer counts
ELDERLY = "E"  # elderly resident who is a member (老人党员), service recipient: never counts
COUNTED_KINDS = frozenset({FULL, LETTER, PART_TIME})
# Kinds that take part in their organization's Party organization, when it has one.
TAKING_PART_KINDS = frozenset({FULL, LETTER, PART_TIME, PROBATIONARY, ELDERLY})

# --- Party organizations -------------------------------------------------------------------

# Standalone (单独组建, R-PB-8): key, founded on, members. The bureau's survey began June 2017;
# most branches were founded after it. The social workers' association's branch: May 2018.
STANDALONE = [
    (orgdata.SOCIAL_WORK_LEAD, date(2018, 5, 16), "FFLP"),
    ("yangguang_sw", date(2017, 12, 8), "FFFY"),
    ("qihang_sw", date(2018, 3, 22), "FFLPN"),
    ("shanxing_sw", date(2018, 6, 12), "FFP"),
    ("kangning_nursing_home", date(2017, 8, 25), "FFFFLY"),
    ("yihe_nursing_home", date(2016, 11, 18), "FFFFFPX"),
    ("tianlun_nursing_home", date(2017, 9, 29), "FFFLPN"),
    ("chunhui_nursing_home", date(2016, 7, 1), "FFFFFFLY"),
    ("xiyanghong_apartment", date(2017, 10, 20), "FFFFX"),
    ("org_federation", date(2017, 7, 18), "FFFP"),
    ("org_promotion_assoc", date(2018, 1, 12), "FFLP"),
    ("funeral_assoc", date(2018, 4, 26), "FFPY"),
]
SOCIAL_WORK_LEAD_E_BRANCH_ON = date(2018, 5, 18)  # "第一时间加入E支部"

# Joint (联合组建, R-PB-9): name, founded on, members by organization.
# 长春市至爱居家养老服务中心 (registered April 2014) joined the nursing home's branch that year.
ZHIAI_BRANCH = "长春市至爱联合党支部"
JINQIU_BRANCH = "长春金秋居家养老服务中心与吉林省道德传统文化协会联合党支部"
JOINT = [
    (
        ZHIAI_BRANCH,
        date(2014, 6, 18),
        {
            orgdata.ZHIAI_NURSING_HOME: FULL * 6 + ELDERLY * 20,  # 8 staff + 20 elderly members
            orgdata.ZHIAI_HOME_CARE: FULL * 2,
        },
    ),
    (
        JINQIU_BRANCH,
        date(2017, 11, 20),
        {orgdata.JINQIU_HOME_CARE: "FL", orgdata.MORAL_CULTURE_ASSOCIATION: "P"},
    ),
]

# Dispatched help (派驻帮建, R-PB-11): key, dispatched branch, instructor, unit, phone, started.
# The first organization developed members and founded its own branch (DISPATCHED_FORMED); the
# founding ends its dispatch that day, through the service's signal.
DISPATCHES = [
    ("incubator_center", "长春市民间组织管理局机关党支部", "韩志宏", "长春市民间组织管理局",
     "13843107625", date(2017, 9, 18)),
    ("xiwang_sw", "长春市民政局机关第二党支部", "陶文静", "长春市民政局",
     "15843062917", date(2018, 1, 15)),
    ("aiwan_service_club", "长春市民政局机关第三党支部", "潘宏伟", "长春市民政局",
     "13694318820", date(2017, 11, 6)),
    ("hemei_community", "长春市民间组织管理局机关党支部", "邹丽萍", "长春市民间组织管理局",
     "18604316653", date(2018, 3, 12)),
]  # fmt: skip
DISPATCHED_FORMED = ("incubator_center", date(2018, 6, 8), "FFLY")
OPEN_DISPATCHES = {"xiwang_sw": "", "aiwan_service_club": "N", "hemei_community": "Y"}

# --- Organizations without a Party organization -------------------------------------------

# 应建未建 (R-PB-6): three or more counted members and no Party organization.
SHOULD_BUILD = {"fushou_elderly_home": "FFFN", "defu_nursing_home": "FFFLY", "hexie_sw": "FFP"}
# "下一步，还将探索由市养老行业协会带动40余家养老组织党建工作": the lead has no branch yet.
ELDERLY_CARE_LEAD_MEMBERS = "FP"

# The organizations no table names, largest staff first: the first JOINT_CANDIDATES have one or
# two counted members (R-PB-3), the others none (R-PB-4). Mixes are dealt out in turn.
JOINT_CANDIDATES = 24
JOINT_CANDIDATE_MIXES = ["F", "FF", "FY", "L", "FP", "FX", "FN", "P"]
NO_COUNTED_MIXES = ["", "", "N", "", "Y", "", "X", ""]

# --- Industry leads (龙头带建, R-PB-10) ------------------------------------------------------

SOCIAL_WORK_LEAD_DESIGNATED_ON = date(2018, 5, 16)
ELDERLY_CARE_LEAD_DESIGNATED_ON = date(2018, 6, 28)

# --- People ------------------------------------------------------------------------------

SEED = 2018
SURNAMES = (
    "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁"
    "任沈姚卢姜崔钟谭陆汪范金石廖贾夏付方白邹孟熊秦邱江尹薛段雷侯龙史陶黎贺顾毛郝龚邵万钱严武戴孔汤"
)
GIVEN_MALE = (
    "伟强磊军勇杰涛明超刚平辉鹏华飞斌宇浩凯健俊旭宁龙林波振国建志海东春晓文立德永福庆成宏新峰亮"
)
GIVEN_FEMALE = "芳娜敏静丽艳娟霞燕玲萍红梅琳颖慧莉雪婷倩佳欣丹洁蕾媛薇悦璐晶秀桂凤兰英玉春华淑"
MOBILE_PREFIXES = ("130 131 132 133 135 136 137 138 139 150 151 155 156 158 159 176 177 180 "
                   "185 186 187 188 189").split()  # fmt: skip
FLOATING_LETTER_ISSUERS = [
    "长春市朝阳区红旗街道党工委",
    "长春市南关区自强街道党工委",
    "长春市宽城区站前街道党工委",
    "长春市二道区东盛街道党工委",
    "德惠市胜利街道党工委",
    "榆树市华昌街道党工委",
    "农安县农安镇党委",
    "长春市九台区九台街道党工委",
]
PART_TIME_LETTER_ISSUERS = [
    "长春市社会福利院党总支",
    "长春市朝阳区湖西街道党工委",
    "长春市南关区民康街道党工委",
    "长春市绿园区春城街道党工委",
    "长春市老干部活动中心党支部",
    "长春市第二社会福利院党支部",
]
LEFT_REASONS = ["调离本单位，组织关系转出", "退休", "到外地工作", "辞职"]
STAFF_EDUCATION = (
    [Education.BACHELOR] * 5
    + [Education.JUNIOR_COLLEGE] * 4
    + [
        Education.POSTGRADUATE,
        Education.SECONDARY,
    ]
)
ELDERLY_EDUCATION = [Education.JUNIOR_HIGH_OR_BELOW] * 3 + [
    Education.SECONDARY,
    Education.SECONDARY,
    Education.JUNIOR_COLLEGE,
]


@dataclass
class MemberPlan:
    key: str  # organization, by orgdata key
    kind: str
    fields: dict = field(default_factory=dict)


def _member_mixes() -> dict[str, str]:
    """Members of every organization, by orgdata key (an empty string: no members)."""
    mixes = {key: members for key, _founded, members in STANDALONE}
    for _name, _founded, members_by_key in JOINT:
        mixes.update(members_by_key)
    mixes[DISPATCHED_FORMED[0]] = DISPATCHED_FORMED[2]
    mixes.update(OPEN_DISPATCHES)
    mixes.update(SHOULD_BUILD)
    mixes[orgdata.ELDERLY_CARE_LEAD] = ELDERLY_CARE_LEAD_MEMBERS
    rest = [row for row in orgdata.ORGANIZATIONS if row["key"] not in mixes]
    rest.sort(key=lambda row: -row["full_time_staff"])  # stable: orgdata order breaks ties
    for index, row in enumerate(rest):
        if index < JOINT_CANDIDATES:
            mixes[row["key"]] = JOINT_CANDIDATE_MIXES[index % len(JOINT_CANDIDATE_MIXES)]
        else:
            mixes[row["key"]] = NO_COUNTED_MIXES[(index - JOINT_CANDIDATES) % len(NO_COUNTED_MIXES)]
    return {row["key"]: mixes[row["key"]] for row in orgdata.ORGANIZATIONS}


MEMBER_MIXES = _member_mixes()


def counted_members(key: str) -> int:
    return sum(kind in COUNTED_KINDS for kind in MEMBER_MIXES[key])


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


class _People:
    """Invented people, the same on every run: names, ID numbers (R-ID-2), phones, dates."""

    def __init__(self, seed: int = SEED):
        self.rng = random.Random(seed)
        self.names: set[str] = set()
        self.id_numbers: set[str] = set()

    def _day(self, first: date, last: date) -> date:
        return first + datetime.timedelta(days=self.rng.randrange((last - first).days + 1))

    def _name(self, sex: str) -> str:
        given = GIVEN_MALE if sex == Sex.MALE else GIVEN_FEMALE
        while True:
            length = 2 if self.rng.random() < 0.65 else 1
            name = self.rng.choice(SURNAMES) + "".join(
                self.rng.choice(given) for _ in range(length)
            )
            if name not in self.names and (length == 1 or name[1] != name[2]):
                self.names.add(name)
                return name

    def _id_number(self, region: str, birth: date, sex: str) -> str:
        while True:
            parity = self.rng.choice("13579" if sex == Sex.MALE else "02468")
            body = f"{region}{birth:%Y%m%d}{self.rng.randrange(100):02d}{parity}"
            number = body + ric.calc_check_digit(body + "0")
            if number not in self.id_numbers:
                self.id_numbers.add(number)
                return number

    def _mobile(self) -> str:
        return self.rng.choice(MOBILE_PREFIXES) + f"{self.rng.randrange(10**8):08d}"

    def member(self, row: dict, kind: str) -> dict:
        """The fields of one member of the organization `row` (orgdata), of `kind`."""
        rng = self.rng
        elderly = kind == ELDERLY
        female_share = 0.6 if row["industry"] in ("elderly_care", "social_work") else 0.45
        sex = Sex.FEMALE if rng.random() < female_share else Sex.MALE
        years = (1930, 1950) if elderly else (1955, 1995)
        birth = self._day(date(years[0], 1, 1), date(years[1], 12, 31))
        region = (
            orgdata.DISTRICT_CODES[row["district"]]
            if rng.random() < 0.6
            else rng.choice(list(orgdata.DISTRICT_CODES.values()))
        )
        adult = _add_years(birth, 18) + datetime.timedelta(days=1)
        if kind == PROBATIONARY:
            joined = self._day(max(adult, date(2017, 6, 1)), date(2017, 12, 29))
        else:
            latest = date(1990, 12, 31) if elderly else date(2016, 12, 31)
            joined = self._day(adult, min(_add_years(adult, 25), latest))
        fields = {
            "name": self._name(sex),
            "sex": sex,
            "id_number": self._id_number(region, birth, sex),
            "phone": self._mobile() if not elderly or rng.random() < 0.5 else "",
            "education": rng.choice(ELDERLY_EDUCATION if elderly else STAFF_EDUCATION),
            "joined_party_on": joined,
            "status": MemberStatus.FULL,
            "role": MemberRole.FULL_TIME_STAFF,
            "relationship": Relationship.TRANSFERRED,
        }
        if kind == PROBATIONARY:
            fields["status"] = MemberStatus.PROBATIONARY
            fields["full_membership_due_on"] = _add_years(joined, 1)
        elif kind in (LETTER, NO_LETTER):
            fields["relationship"] = Relationship.FLOATING
            if kind == LETTER:
                fields["certificate_letter_on"] = self._day(date(2017, 7, 1), date(2018, 5, 31))
                fields["certificate_letter_issuer"] = rng.choice(FLOATING_LETTER_ISSUERS)
        elif kind == PART_TIME:
            fields["role"] = MemberRole.PART_TIME_STAFF
            fields["relationship"] = Relationship.HELD_ELSEWHERE
            fields["certificate_letter_on"] = self._day(date(2017, 7, 1), date(2018, 5, 31))
            fields["certificate_letter_issuer"] = rng.choice(PART_TIME_LETTER_ISSUERS)
        elif kind == LEFT:
            fields["left_on"] = self._day(date(2017, 7, 1), date(2018, 5, 31))
            fields["left_reason"] = rng.choice(LEFT_REASONS)
        elif elderly:
            fields["role"] = MemberRole.SERVICE_RECIPIENT
        return fields


def _member_plans() -> list[MemberPlan]:
    people = _People()
    return [
        MemberPlan(row["key"], kind, people.member(row, kind))
        for row in orgdata.ORGANIZATIONS
        for kind in MEMBER_MIXES[row["key"]]
    ]


MEMBERS = _member_plans()


def _party_organization_plans() -> list[dict]:
    """The 15 Party organizations: name, kind, mode, founding day and the keys they cover."""
    by_key = orgdata.ORGANIZATIONS_BY_KEY
    plans = [
        {
            "name": f"{by_key[key]['name']}党支部",
            "kind": PartyOrganizationKind.BRANCH,
            "formation_mode": FormationMode.STANDALONE,
            "founded_on": founded_on,
            "keys": [key],
        }
        for key, founded_on, _members in STANDALONE
    ]
    plans += [
        {
            "name": name,
            "kind": PartyOrganizationKind.JOINT_BRANCH,
            "formation_mode": FormationMode.JOINT,
            "founded_on": founded_on,
            "keys": list(members_by_key),
        }
        for name, founded_on, members_by_key in JOINT
    ]
    key, founded_on, _members = DISPATCHED_FORMED
    plans.append(
        {
            "name": f"{by_key[key]['name']}党支部",
            "kind": PartyOrganizationKind.BRANCH,
            "formation_mode": FormationMode.DISPATCHED,
            "founded_on": founded_on,
            "keys": [key],
        }
    )
    # The secretary is the first full member on the staff of the first organization covered.
    for plan in plans:
        plan["secretary"] = next(
            m.fields["name"] for m in MEMBERS if m.key == plan["keys"][0] and m.kind == FULL
        )
    plans[0]["e_branch_joined_on"] = SOCIAL_WORK_LEAD_E_BRANCH_ON
    return plans


PARTY_ORGANIZATIONS = _party_organization_plans()


def seed_party_building(*, organizations: dict[str, Organization], by) -> None:
    """Create what is missing of the mid-2018 Party-building situation, through the services
    (history records `by`). Running it again creates nothing.

    Management commands switch translations off; texts the services store (a dispatch's end
    reason) are written in the site's language, as a clerk's action would write them."""
    with translation.override(settings.LANGUAGE_CODE):
        _seed(organizations, by)


def _seed(organizations, by) -> None:
    parent_body = PartyBuildingBody.objects.filter(is_default=True).first()

    # Dispatches first: the dispatched-formed organization's founding below ends its own.
    for key, branch, instructor, unit, phone, started_on in DISPATCHES:
        organization = organizations[key]
        if not Dispatch.objects.filter(organization=organization, started_on=started_on).exists():
            dispatch_start(
                organization=organization,
                dispatched_branch=branch,
                instructor_name=instructor,
                instructor_unit=unit,
                instructor_phone=phone,
                started_on=started_on,
                by=by,
            )

    party_organization_of = {}  # orgdata key -> the Party organization covering it
    for plan in PARTY_ORGANIZATIONS:
        party_organization = PartyOrganization.objects.filter(name=plan["name"]).first()
        if party_organization is None:
            party_organization = party_organization_found(
                name=plan["name"],
                kind=plan["kind"],
                formation_mode=plan["formation_mode"],
                organizations=[organizations[key] for key in plan["keys"]],
                founded_on=plan["founded_on"],
                secretary=plan["secretary"],
                parent_body=parent_body,
                e_branch_joined_on=plan.get("e_branch_joined_on"),
                by=by,
            )
        for key in plan["keys"]:
            party_organization_of[key] = party_organization

    existing = set(PartyMember.objects.values_list("id_number", flat=True))
    for member in MEMBERS:
        if member.fields["id_number"] in existing:
            continue
        takes_part = member.kind in TAKING_PART_KINDS
        party_member_create(
            by=by,
            organization=organizations[member.key],
            party_organization=party_organization_of.get(member.key) if takes_part else None,
            **member.fields,
        )

    _lead_ensure(orgdata.SOCIAL_WORK_LEAD, organizations, SOCIAL_WORK_LEAD_DESIGNATED_ON, by)
    _lead_ensure(orgdata.ELDERLY_CARE_LEAD, organizations, ELDERLY_CARE_LEAD_DESIGNATED_ON, by)


def _lead_ensure(lead_key, organizations, designated_on, by) -> None:
    """R-PB-10: the lead drives every other organization of its industry (in orgdata)."""
    lead = organizations[lead_key]
    if IndustryLead.objects.filter(industry=lead.industry, lead_organization=lead).exists():
        return
    industry = orgdata.ORGANIZATIONS_BY_KEY[lead_key]["industry"]
    industry_lead_designate(
        industry=lead.industry,
        lead_organization=lead,
        driven_organizations=[
            organizations[row["key"]]
            for row in orgdata.ORGANIZATIONS
            if row["industry"] == industry and row["key"] != lead_key
        ],
        designated_on=designated_on,
        by=by,
    )


def _check():
    """The arithmetic of the module docstring; raises AssertionError on the first failure."""
    counted = {key: counted_members(key) for key in MEMBER_MIXES}
    covered = {key for plan in PARTY_ORGANIZATIONS for key in plan["keys"]}
    modes = [plan["formation_mode"] for plan in PARTY_ORGANIZATIONS]
    assert len(MEMBER_MIXES) == 71
    assert len(PARTY_ORGANIZATIONS) == 15
    assert modes.count(FormationMode.STANDALONE) == 12
    assert modes.count(FormationMode.JOINT) == 2
    assert modes.count(FormationMode.DISPATCHED) == 1
    assert len(covered) == 17
    assert all(counted[key] >= 1 for key in covered)
    assert all(counted[key] >= 3 for key, _f, _m in STANDALONE)
    assert sum(n >= 1 for n in counted.values()) == 45
    should_build = {key for key, n in counted.items() if n >= 3 and key not in covered}
    assert should_build == set(SHOULD_BUILD), should_build
    assert all(counted[key] == 0 for key in OPEN_DISPATCHES)
    zhiai = (orgdata.ZHIAI_NURSING_HOME, orgdata.ZHIAI_HOME_CARE)
    assert sum(counted[key] for key in zhiai) == 8
    assert sum(m.kind == ELDERLY for m in MEMBERS) == 20
    by_key = orgdata.ORGANIZATIONS_BY_KEY
    for plan in PARTY_ORGANIZATIONS:
        for key in plan["keys"]:
            assert plan["founded_on"] >= date.fromisoformat(by_key[key]["registered_on"]), key
    for key, members in MEMBER_MIXES.items():
        on_staff = sum(kind in (FULL, LETTER, NO_LETTER, PROBATIONARY) for kind in members)
        assert on_staff <= by_key[key]["full_time_staff"], key
    for member in MEMBERS:
        fields = member.fields
        assert validate_id_number(fields["id_number"]) == fields["id_number"], fields
        assert fields["joined_party_on"] < date(2018, 1, 1), fields
        birth = ric.get_birth_date(fields["id_number"])
        assert fields["joined_party_on"] > _add_years(birth, 18), fields
