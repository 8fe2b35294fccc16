"""The scale data, one chunk of organizations at a time: each chunk's organizations, members,
Party organizations, coverages, dispatches, industry leads, annual checks and evaluations are
made together (joint branches and leads group organizations of the same chunk) and written
before the next chunk, so memory stays flat at any N."""

import datetime
import random
from dataclasses import dataclass, field

from annualcheck.models import AnnualCheck
from core.id_numbers import encrypt_id_number, id_number_digest
from demo.partybuilding_demo import (
    FLOATING_LETTER_ISSUERS,
    GIVEN_FEMALE,
    GIVEN_MALE,
    LEFT_REASONS,
    MOBILE_PREFIXES,
    PART_TIME_LETTER_ISSUERS,
    SURNAMES,
)
from evaluation.models import Evaluation
from partybuilding.models import Coverage, Dispatch, IndustryLead, PartyMember, PartyOrganization
from registry.credit_codes import TYPE_DIGITS
from registry.models import Organization

from .people import IdNumbers, NameSpace, credit_code
from .vocabulary import DISPATCH_UNITS, EDUCATION_WEIGHTS, ROADS
from .writer import TableWriter

# Everything is dated up to this day, whatever day the command runs: a seed gives one data set.
REFERENCE_DATE = datetime.date(2026, 6, 30)
CHECK_YEARS = (REFERENCE_DATE.year - 2, REFERENCE_DATE.year - 1)
DAY = datetime.timedelta(days=1)

ORGANIZATION_COLUMNS = (
    "id", "name", "credit_code", "organization_type", "industry_id", "supervisory_unit_id",
    "bureau_managed", "party_building_body_id", "legal_representative", "contact_person",
    "contact_phone", "address", "district_id", "street_id", "full_time_staff", "established_on",
    "registered_on", "status", "created_at", "updated_at", "version",
)  # fmt: skip
MEMBER_COLUMNS = (
    "id", "name", "sex", "id_number", "id_number_digest", "status", "full_membership_due_on",
    "joined_party_on",
    "role", "relationship", "certificate_letter_on", "certificate_letter_issuer", "phone",
    "birth_date", "education", "organization_id", "party_organization_id", "left_on",
    "left_reason",
)  # fmt: skip
PARTY_ORGANIZATION_COLUMNS = (
    "id", "name", "kind", "formation_mode", "founded_on", "dissolved_on", "secretary",
    "parent_body_id", "e_branch_joined_on",
)  # fmt: skip
DISPATCH_COLUMNS = (
    "id", "organization_id", "dispatched_branch", "instructor_name", "instructor_unit",
    "instructor_phone", "started_on", "ended_on", "end_reason",
)  # fmt: skip
CHECK_COLUMNS = (
    "id", "organization_id", "year", "status", "needs_pre_review", "submitted_on", "late",
    "supervisory_opinion", "result", "default_result", "result_reason", "reviewed_on", "version",
)  # fmt: skip
EVALUATION_COLUMNS = (
    "id", "organization_id", "year", "scheme_id", "status", "ineligible_reasons", "total",
    "party_building_score", "grade_by_score", "grade", "downgraded", "had_party_organization",
    "explanation", "decided_on", "valid_until", "version",
)  # fmt: skip


@dataclass
class Context:
    """What every chunk needs: reference rows, the next ids, the index generators."""

    rng: random.Random
    names: NameSpace
    ids: IdNumbers
    industries: dict[str, int]
    streets: dict[int, list[tuple[int, str]]]  # district id → (street id, name)
    district_names: dict[int, str]
    regions: dict[int, str]  # district id → region code of its credit codes
    units: list[tuple[int, bool]]  # supervisory unit id, is civil affairs
    body_id: int
    schemes: list[tuple[int, int, list[int], int]]  # year, id, thresholds 5A..1A, PB maximum
    next_id: dict[str, int]
    organization_index: int  # names and credit codes continue from here
    person_index: int
    taken_names: set = field(default_factory=set)
    taken_id_numbers: set = field(default_factory=set)

    def new_id(self, model) -> int:
        key = model._meta.label
        value = self.next_id[key]
        self.next_id[key] = value + 1
        return value


@dataclass
class Org:
    id: int
    name: str
    industry: str
    district_id: int
    street_id: int | None
    registered_on: datetime.date
    supervised: bool
    active: bool
    counted: int = 0
    members: int = 0
    member_rows: list[tuple] = field(default_factory=list)
    party_organization_id: int | None = None
    mode: str = ""


def _day_between(rng, start: datetime.date, end: datetime.date) -> datetime.date:
    if end <= start:
        return start
    return start + datetime.timedelta(days=rng.randrange((end - start).days + 1))


def _add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _person_name(rng, male: bool) -> str:
    given = GIVEN_MALE if male else GIVEN_FEMALE
    return rng.choice(SURNAMES) + "".join(rng.choice(given) for _ in range(rng.choice((1, 2))))


def _mobile(rng) -> str:
    return rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}"


def _member_count(rng) -> int:
    """About 3 on average, skewed: many with none, some 1–2, some 3–50."""
    roll = rng.random()
    if roll < 0.40:
        return 0
    if roll < 0.65:
        return rng.choice((1, 2))
    if roll < 0.95:
        return rng.randint(3, 9)
    return int(10 + 40 * rng.random() ** 2.5)


def build_chunk(context: Context, writer: TableWriter, size: int) -> list[int]:
    """Make and buffer `size` organizations with everything around them; return their ids."""
    orgs = [_organization(context, writer) for _ in range(size)]
    for org in orgs:
        for _ in range(_member_count(context.rng)):
            _member(context, org)
    _party_organizations(context, writer, orgs)
    for org in orgs:
        for row in org.member_rows:
            taking_part = org.party_organization_id if row[15] is None else None
            # Encrypted with its digest beside it, as the model's save() writes it.
            number = (encrypt_id_number(row[3]), id_number_digest(row[3]))
            writer.add(
                PartyMember,
                MEMBER_COLUMNS,
                (*row[:3], *number, *row[4:15], taking_part, *row[15:]),
            )
    for org in orgs:
        _annual_checks(context, writer, org)
        _evaluation(context, writer, org)
    return [org.id for org in orgs]


def _organization(context: Context, writer: TableWriter) -> Org:
    rng = context.rng
    while True:
        district_id, name, (_suffix, industry, org_type) = context.names.get(
            context.organization_index
        )
        sequence = context.organization_index + 1
        context.organization_index += 1
        if name not in context.taken_names:
            break
    established = _day_between(rng, datetime.date(1992, 1, 1), REFERENCE_DATE - 90 * DAY)
    registered = min(established + rng.randrange(10, 200) * DAY, REFERENCE_DATE - 30 * DAY)
    registered = max(registered, established)
    streets = context.streets.get(district_id) or [(None, "")]
    street_id, street_name = rng.choice(streets)
    unit_id, civil_affairs = (None, False)
    if rng.random() < 0.7:
        unit_id, civil_affairs = rng.choice(context.units)
    roll = rng.random()
    status = "active" if roll < 0.97 else "deregistered" if roll < 0.99 else "revoked"
    created = datetime.datetime.combine(registered, datetime.time(9), tzinfo=datetime.UTC)
    code = credit_code(TYPE_DIGITS[org_type], context.regions[district_id], sequence)
    org = Org(
        id=context.new_id(Organization),
        name=name,
        industry=industry,
        district_id=district_id,
        street_id=street_id,
        registered_on=registered,
        supervised=unit_id is not None,
        active=status == "active",
    )
    address = f"{context.district_names[district_id]}{street_name}{rng.choice(ROADS)}"
    writer.add(
        Organization,
        ORGANIZATION_COLUMNS,
        (
            org.id, name, code, org_type, context.industries[industry], unit_id, civil_affairs,
            context.body_id, _person_name(rng, rng.random() < 0.6),
            _person_name(rng, rng.random() < 0.5), _mobile(rng),
            f"{address}{rng.randint(1, 3999)}号", district_id, street_id, rng.randint(0, 60),
            established, registered, status, created, created, 0,
        ),
    )  # fmt: skip
    return org


def _member(context: Context, org: Org) -> None:
    rng = context.rng
    while True:
        id_number, birth = context.ids.get(context.person_index)
        context.person_index += 1
        if id_number_digest(id_number) not in context.taken_id_numbers:  # digests stored
            break
    male = int(id_number[16]) % 2 == 1
    adult = _add_years(birth, 18) + DAY
    elderly = birth.year < 1958 and rng.random() < 0.6
    role = "service_recipient" if elderly else rng.choice(
        ("full_time_staff",) * 6 + ("part_time_staff",) * 2 + ("volunteer",)
    )  # fmt: skip
    status, due, letter_on, issuer = "full", None, None, ""
    relationship = rng.choice(("transferred",) * 7 + ("floating",) * 2 + ("held_elsewhere",))
    if not elderly and birth.year >= 1975 and rng.random() < 0.08:
        status = "probationary"
        joined = _day_between(rng, REFERENCE_DATE - 330 * DAY, REFERENCE_DATE - 30 * DAY)
        due = _add_years(joined, 1)
    else:
        latest = min(_add_years(adult, 30), REFERENCE_DATE - 400 * DAY)
        joined = _day_between(rng, adult, latest)
    if relationship != "transferred" and rng.random() < 0.6:
        letter_on = _day_between(rng, REFERENCE_DATE - 700 * DAY, REFERENCE_DATE - DAY)
        pool = FLOATING_LETTER_ISSUERS if relationship == "floating" else PART_TIME_LETTER_ISSUERS
        issuer = rng.choice(pool)
    left_on, left_reason = None, ""
    if rng.random() < 0.03:
        left_on = _day_between(rng, max(joined, org.registered_on), REFERENCE_DATE - DAY)
        left_reason = rng.choice(LEFT_REASONS)
    education = rng.choices([e for e, _w in EDUCATION_WEIGHTS], [w for _e, w in EDUCATION_WEIGHTS])[
        0
    ]
    counted = (
        status == "full"
        and role in ("full_time_staff", "part_time_staff")
        and (relationship == "transferred" or letter_on is not None)
        and left_on is None
    )
    org.counted += counted
    org.members += 1
    member_id = context.new_id(PartyMember)
    org.member_rows.append(
        (
            member_id, _person_name(rng, male), "male" if male else "female", id_number, status,
            due, joined, role, relationship, letter_on, issuer,
            _mobile(rng) if rng.random() < 0.85 else "", birth,
            "junior_high_or_below" if elderly else education, org.id, left_on, left_reason,
        )
    )  # fmt: skip


def _kind(members: int) -> str:
    """R-PB-12 size tiers."""
    return "committee" if members >= 100 else "general_branch" if members >= 50 else "branch"


def _party_organizations(context: Context, writer: TableWriter, orgs: list[Org]) -> None:
    rng = context.rng
    joint_pool, leads_done = [], set()
    for org in orgs:
        if not org.active:
            continue
        roll = rng.random()
        if org.counted >= 3:
            if roll < 0.70:
                lead = org.industry not in leads_done and org.members >= 5
                if lead:
                    leads_done.add(org.industry)
                    _lead(context, writer, org, orgs)
                else:
                    _own(context, writer, org, "standalone")
            elif roll < 0.78:
                _dispatched_then_own(context, writer, org)
            elif roll < 0.84:
                joint_pool.append(org)  # covered jointly though it should build its own
            # the rest: 应建未建 (R-PB-6)
        elif org.counted >= 1:
            if roll < 0.65:
                joint_pool.append(org)
        elif roll < 0.30:
            _dispatch(context, writer, org, ended=False)
        elif roll < 0.36:
            _dispatch(context, writer, org, ended=True)
    _joint_branches(context, writer, joint_pool)


def _add_party_organization(
    context, writer, name: str, kind: str, mode: str, founded: datetime.date, members: list[Org]
) -> int:
    rng = context.rng
    pk = context.new_id(PartyOrganization)
    dissolved = None
    if rng.random() < 0.01:
        dissolved = _day_between(rng, founded + DAY, REFERENCE_DATE)
    e_branch = _day_between(rng, founded, REFERENCE_DATE) if rng.random() < 0.5 else None
    writer.add(
        PartyOrganization,
        PARTY_ORGANIZATION_COLUMNS,
        (pk, name, kind, mode, founded, dissolved, _person_name(rng, rng.random() < 0.6),
         context.body_id, e_branch),
    )  # fmt: skip
    for org in members:
        writer.add(Coverage, ("id", "party_organization_id", "organization_id"),
                   (context.new_id(Coverage), pk, org.id))  # fmt: skip
        org.party_organization_id, org.mode = pk, mode
    return pk


def _own(context, writer, org: Org, mode: str, founded=None) -> int:
    founded = founded or _day_between(context.rng, org.registered_on, REFERENCE_DATE - DAY)
    kind = _kind(org.members)
    suffix = {"committee": "委员会", "general_branch": "总支部委员会"}.get(kind, "支部委员会")
    name = f"中共{org.name}{suffix}"
    return _add_party_organization(context, writer, name, kind, mode, founded, [org])


def _lead(context, writer, lead: Org, orgs: list[Org]) -> None:
    """R-PB-10: the lead builds first and drives organizations of its industry."""
    _own(context, writer, lead, "lead")
    lead_id = context.new_id(IndustryLead)
    designated = _day_between(context.rng, lead.registered_on, REFERENCE_DATE - DAY)
    writer.add(IndustryLead, ("id", "industry_id", "lead_organization_id", "designated_on"),
               (lead_id, context.industries[lead.industry], lead.id, designated))  # fmt: skip
    driven = [o for o in orgs if o.industry == lead.industry and o is not lead and o.active]
    through = IndustryLead.driven_organizations.through
    for org in driven[: context.rng.randint(5, 40)]:
        writer.add(through, ("id", "industrylead_id", "organization_id"),
                   (context.new_id(through), lead_id, org.id))  # fmt: skip


def _dispatch(context, writer, org: Org, *, ended: bool, ended_on=None, reason="") -> None:
    rng = context.rng
    started = _day_between(rng, org.registered_on, (ended_on or REFERENCE_DATE) - 60 * DAY)
    if ended and ended_on is None:
        ended_on = _day_between(rng, started, REFERENCE_DATE - DAY)
        reason = "派驻期满，指导员调整"
    place = context.district_names[org.district_id]
    writer.add(
        Dispatch,
        DISPATCH_COLUMNS,
        (context.new_id(Dispatch), org.id, f"中共{place}社会组织派驻第{rng.randint(1, 60)}支部",
         _person_name(rng, rng.random() < 0.6), f"{place}{rng.choice(DISPATCH_UNITS)}",
         _mobile(rng), started, ended_on if ended else None, reason),
    )  # fmt: skip


def _dispatched_then_own(context, writer, org: Org) -> None:
    """R-PB-11: the dispatch ends on the day the organization founds its own."""
    earliest = min(org.registered_on + 120 * DAY, REFERENCE_DATE - DAY)
    founded = _day_between(context.rng, earliest, REFERENCE_DATE - DAY)
    _dispatch(
        context, writer, org, ended=True, ended_on=founded,
        reason="已组建党组织，派驻支部和指导员撤销",
    )  # fmt: skip
    _own(context, writer, org, "dispatched", founded=founded)


def _joint_branches(context, writer, pool: list[Org]) -> None:
    """R-PB-3: 2–5 organizations of the same street (else district) per joint branch."""
    rng = context.rng
    pool.sort(key=lambda o: (o.district_id, o.street_id or 0, o.id))
    index = 0
    while index < len(pool):
        size = rng.randint(2, 5)
        group = [pool[index]]
        while len(group) < size and index + len(group) < len(pool):
            candidate = pool[index + len(group)]
            if candidate.district_id != group[0].district_id:
                break
            group.append(candidate)
        index += len(group)
        if len(group) < 2:
            continue  # no partner nearby: stays a joint-build candidate
        founded = _day_between(rng, max(o.registered_on for o in group), REFERENCE_DATE - DAY)
        pk = context.next_id[PartyOrganization._meta.label]
        place = context.district_names[group[0].district_id]
        name = f"中共{place}社会组织第{pk}联合支部委员会"
        _add_party_organization(context, writer, name, "joint_branch", "joint", founded, group)


def _annual_checks(context, writer, org: Org) -> None:
    """Reviewed checks of past years (R-AC-3, R-AC-4); the latest year has a few still open."""
    rng = context.rng
    for year in CHECK_YEARS:
        if org.registered_on > datetime.date(year, 6, 30):
            continue  # R-AC-2: registered after 30 June, exempt
        should_build_not_built = org.counted >= 3 and org.party_organization_id is None
        default = "unqualified" if should_build_not_built else "qualified"
        roll = rng.random()
        result = default
        if not should_build_not_built:
            result = "qualified" if roll < 0.86 else "basically_qualified" if roll < 0.96 else (
                "unqualified")  # fmt: skip
        reason = ""
        if should_build_not_built and roll < 0.15:
            result, reason = "basically_qualified", "已制定党组织组建计划，限期整改"
        submitted = _day_between(rng, datetime.date(year + 1, 3, 1), datetime.date(year + 1, 6, 20))
        late = submitted > datetime.date(year + 1, 5, 31)
        status = "reviewed"
        if year == CHECK_YEARS[-1] and rng.random() < 0.05:
            status = rng.choice(("submitted", "returned"))
            result = default = reason = ""
        reviewed = submitted + rng.randint(5, 40) * DAY if status == "reviewed" else None
        writer.add(
            AnnualCheck,
            CHECK_COLUMNS,
            (context.new_id(AnnualCheck), org.id, year, status, org.supervised, submitted, late,
             "同意" if org.supervised else "", result, default, reason, reviewed, 0),
        )  # fmt: skip


GRADES = ("5A", "4A", "3A", "2A", "1A")


def _evaluation(context, writer, org: Org) -> None:
    """About one in ten, decided, with the R-EV-3 downgrade and a 5-year validity (R-EV-1)."""
    rng = context.rng
    if not org.active or rng.random() >= 0.10:
        return
    year = rng.randint(2016, REFERENCE_DATE.year - 1)
    if org.registered_on.year > year - 2:
        return  # R-EV-5: registered less than two full years
    schemes = [s for s in context.schemes if s[0] <= year]
    if not schemes:
        return
    _year, scheme_id, thresholds, maximum = schemes[-1]
    total = rng.randint(450, 980)
    covered = org.party_organization_id is not None
    pb_score = rng.randint(maximum // 3, maximum) if covered else rng.randint(0, maximum // 2)
    by_score = next((g for g, t in zip(GRADES, thresholds, strict=True) if total >= t), "none")
    downgraded = by_score != "none" and (not covered or pb_score < 0.6 * maximum)
    grade = by_score
    steps = [f"总分{total}分，按分数为{by_score}"]
    if downgraded:
        grade = GRADES[GRADES.index(by_score) + 1] if by_score != "1A" else "none"
        steps.append(f"党建得分{pb_score}分或无党组织覆盖，降一级为{grade}")
    decided = _day_between(rng, datetime.date(year, 10, 1), datetime.date(year, 12, 20))
    valid_until = _add_years(decided, 5) if grade != "none" else None
    writer.add(
        Evaluation,
        EVALUATION_COLUMNS,
        (context.new_id(Evaluation), org.id, year, scheme_id, "decided", "[]", total, pb_score,
         by_score, grade, downgraded, covered, "；".join(steps), decided, valid_until, 0),
    )  # fmt: skip
