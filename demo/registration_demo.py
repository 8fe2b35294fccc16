"""The registration part of the demo: applications in every state of the workflow (R-REG-1..5).

One of the 71 organizations, 长春市永昌居家养老服务中心, is registered here through the real
path (submit, consent, approve) instead of being loaded directly, so the demo shows an approved
application with its member form filed in triplicate; the others are new organizations still
in the pipeline. Everything goes through the services, as a person's clicks would."""

import datetime

from accounts import roles
from accounts.services import user_ensure
from registry.choices import ApplicationStatus
from registry.models import (
    Application,
    District,
    Industry,
    Organization,
    Street,
    SupervisoryUnit,
)
from registry.services.registration import (
    application_approve,
    application_consent,
    application_reject,
    application_replace_members,
    application_return,
    application_save_step,
    application_start,
    application_submit,
)

from . import orgdata
from .registry_demo import credit_code_of

APPROVED_KEY = "yongchang_home_care"

# The applicant whose application the demo takes through to approval.
APPROVED_APPLICANT = "applicant_yongchang"

# username, display name, the application's basic data, its members, where it stops.
APPLICATIONS = [
    (
        "applicant",
        "赵文华（申请人）",
        {
            "name": "长春市朝阳区康宁居家养老服务中心",
            "organization_type": "private_non_enterprise",
            "industry": "elderly_care",
            "unit": "elderly_services",
            "district": "朝阳区",
            "street": "湖西街道",
            "address": "长春市朝阳区湖西路1566号",
            "legal_representative": "赵文华",
            "contact_person": "钱丽",
            "contact_phone": "13943105511",
            "full_time_staff": 9,
        },
        "FF",
        "returned",
    ),
    (
        "applicant2",
        "孙立群（申请人）",
        {
            "name": "长春市南关区颐年养老服务中心",
            "organization_type": "private_non_enterprise",
            "industry": "elderly_care",
            "unit": "elderly_services",
            "district": "南关区",
            "street": "自强街道",
            "address": "长春市南关区自强街388号",
            "legal_representative": "孙立群",
            "contact_person": "周敏",
            "contact_phone": "13804312277",
            "full_time_staff": 26,
        },
        "FFFP",
        "submitted",
    ),
    (
        "applicant3",
        "吴静（申请人）",
        {
            "name": "长春市宽城区同心社会工作服务中心",
            "organization_type": "private_non_enterprise",
            "industry": "social_work",
            "unit": "social_work",
            "district": "宽城区",
            "street": "站前街道",
            "address": "长春市宽城区人民大街1200号",
            "legal_representative": "吴静",
            "contact_person": "郑浩",
            "contact_phone": "15904316688",
            "full_time_staff": 6,
        },
        "F",
        "consented",
    ),
    (
        "applicant4",
        "冯振东（申请人）",
        {
            "name": "长春市家政服务行业协会",
            "organization_type": "social_group",
            "industry": "other",
            "unit": None,
            "district": "绿园区",
            "street": "春城街道",
            "address": "长春市绿园区西安大路4488号",
            "legal_representative": "冯振东",
            "contact_person": "陈晓",
            "contact_phone": "0431-87651234",
            "full_time_staff": 4,
        },
        "",
        "submitted",
    ),
    (
        "applicant5",
        "蒋海涛（申请人）",
        {
            "name": "长春市二道区乐龄老年公寓",
            "organization_type": "private_non_enterprise",
            "industry": "elderly_care",
            "unit": "elderly_services",
            "district": "二道区",
            "street": "东盛街道",
            "address": "长春市二道区东盛大街77号",
            "legal_representative": "蒋海涛",
            "contact_person": "韩梅",
            "contact_phone": "18643107720",
            "full_time_staff": 15,
        },
        "F",
        "rejected",
    ),
    (
        "applicant6",
        "杨帆（申请人）",
        {
            "name": "长春市绿园区阳光助残服务中心",
            "organization_type": "private_non_enterprise",
            "industry": "community",
            "unit": "community",
            "district": "绿园区",
            "street": "春城街道",
            "address": "长春市绿园区青年路900号",
            "legal_representative": "杨帆",
            "contact_person": "杨帆",
            "contact_phone": "13596012345",
            "full_time_staff": None,
        },
        None,
        "draft",
    ),
]
PLEDGE_DATE = datetime.date(2018, 6, 20)
# Invented ID numbers with valid check digits (stdnum.cn.ric), one per member row.
MEMBERS = [
    ("王建国", "220104197803150410"),
    ("李淑珍", "220102198206211221"),
    ("张志远", "220105197511300030"),
    ("刘海燕", "220103198809120042"),
    ("陈国庆", "220106197201056614"),
    ("杨晓梅", "220102199003074524"),
    ("赵立新", "220104198511203511"),
    ("黄秀兰", "220105196907188829"),
]


def applicant_usernames() -> list[str]:
    return [row[0] for row in APPLICATIONS] + [APPROVED_APPLICANT]


def seed_registration(*, organizations: dict, staff: dict, encoded_password: str) -> dict:
    """Create the demo applications once; return `organizations` with the approved one added."""
    units = {
        unit["key"]: SupervisoryUnit.objects.get(name=unit["name"])
        for unit in orgdata.SUPERVISORY_UNITS
    }
    people = iter(MEMBERS)
    for username, display_name, basic, members, stop in APPLICATIONS:
        applicant, _created = user_ensure(
            username=username,
            role=roles.APPLICANT,
            encoded_password=encoded_password,
            display_name=display_name,
            how="seed_demo",
        )
        if Application.objects.filter(applicant=applicant, name=basic["name"]).exists():
            continue
        application = application_start(applicant=applicant)
        application = application_save_step(
            application=application, by=applicant, **_basic_fields(basic, units)
        )
        if stop == "draft":
            continue
        # The applicant fills in the template's purpose and scope (the charter step refuses
        # them unfilled); the returned application's story is a scope left unfilled.
        _charter_filled(application, applicant, scope=stop != "returned")
        rows = [_member_row(kind, *next(people)) for kind in members]
        application_replace_members(
            application=application, by=applicant, members=rows, no_party_members=not rows
        )
        application_save_step(
            application=application,
            by=applicant,
            pledge_signed_by=basic["legal_representative"],
            pledge_signed_on=PLEDGE_DATE,
        )
        application_submit(application=application, by=applicant)
        clerk = staff["clerk"]
        if stop == "returned":
            application_return(
                application=application,
                by=clerk,
                remarks="章程第六条业务范围未填写，请逐项填写后重新提交。",
            )
        elif stop == "consented":
            application_consent(
                application=application,
                by=staff["supervisor_sw"],
                opinion="同意成立，由我处履行业务主管单位职责。",
            )
        elif stop == "rejected":
            application_consent(application=application, by=staff["supervisor"], opinion="同意。")
            application_reject(
                application=application,
                by=clerk,
                reason="住所为租赁的居民住宅，不符合养老机构设置条件。",
            )
    organizations = dict(organizations)
    organizations[APPROVED_KEY] = _approved_through_the_workflow(staff, encoded_password)
    return organizations


def _approved_through_the_workflow(staff, encoded_password) -> Organization:
    row = orgdata.ORGANIZATIONS_BY_KEY[APPROVED_KEY]
    code = credit_code_of(row)
    existing = Organization.objects.filter(credit_code=code).first()
    if existing:
        return existing
    applicant, _created = user_ensure(
        username=APPROVED_APPLICANT,
        role=roles.APPLICANT,
        encoded_password=encoded_password,
        display_name=f"{row['legal_representative']}（申请人）",
        how="seed_demo",
    )
    application = application_start(applicant=applicant)
    application_save_step(
        application=application,
        by=applicant,
        name=row["name"],
        organization_type=row["type"],
        industry=Industry.objects.get(code=row["industry"]),
        supervisory_unit=SupervisoryUnit.objects.get(name=_unit_name(row["supervisory_unit"])),
        legal_representative=row["legal_representative"],
        contact_person=row["contact_person"],
        contact_phone=row["contact_phone"],
        address=row["address"],
        district=District.objects.get(name=row["district"]),
        street=Street.objects.get(district__name=row["district"], name=row["street"]),
        full_time_staff=row["full_time_staff"],
        pledge_signed_by=row["legal_representative"],
        pledge_signed_on=datetime.date.fromisoformat(row["established_on"]),
    )
    _charter_filled(application, applicant)
    application_replace_members(
        application=application, by=applicant, members=[], no_party_members=True
    )
    application_submit(application=application, by=applicant)
    application_consent(application=application, by=staff["supervisor"], opinion="同意成立。")
    registered_on = datetime.date.fromisoformat(row["registered_on"])
    organization = application_approve(
        application=application, by=staff["clerk"], credit_code=code, registered_on=registered_on
    )
    assert Application.objects.get(pk=application.pk).status == ApplicationStatus.APPROVED
    _file_as_of(organization, registered_on, staff)
    return organization


def _charter_filled(application, applicant, *, scope: bool = True) -> None:
    application.refresh_from_db()
    text = application.charter_text.replace(
        "（请填写本组织的宗旨）", f"围绕{application.name}的业务，依法开展服务，服务社会"
    )
    if scope:
        text = text.replace("（请逐项填写）", "按登记的业务范围开展服务、培训、咨询和交流活动")
    application_save_step(application=application, by=applicant, charter_text=text)


def _file_as_of(organization, filed_on, staff) -> None:
    """The copies were filed when it was registered (2017): the committee acknowledged its copy
    the same week, the supervisory unit's is still waiting, so the demo shows an overdue one."""
    from partybuilding.member_forms.services import member_form_copy_acknowledge
    from partybuilding.models import MemberFormCopy

    for copy in MemberFormCopy.objects.filter(organization=organization):
        copy.filed_on = filed_on
        copy._history_user = staff["clerk"]
        copy.save(update_fields=["filed_on"])
        if copy.kind == "committee":
            member_form_copy_acknowledge(copy=copy, by=staff["committee"])


def _unit_name(key):
    return next(u["name"] for u in orgdata.SUPERVISORY_UNITS if u["key"] == key)


def _basic_fields(basic: dict, units: dict) -> dict:
    fields = {k: v for k, v in basic.items() if k not in {"industry", "unit", "district", "street"}}
    fields["industry"] = Industry.objects.get(code=basic["industry"])
    fields["direct_registration"] = basic["unit"] is None
    fields["supervisory_unit"] = units[basic["unit"]] if basic["unit"] else None
    fields["district"] = District.objects.get(name=basic["district"])
    fields["street"] = Street.objects.get(district__name=basic["district"], name=basic["street"])
    return fields


def _member_row(kind: str, name: str, id_number: str) -> dict:
    """F: full member on the staff, transferred in; P: part-time, relationship elsewhere, with
    a certificate letter. Both count (R-PB-1)."""
    from core.identity import sex_of

    return {
        "name": name,
        "sex": sex_of(id_number),
        "id_number": id_number,
        "status": "full",
        "role": "full_time_staff" if kind == "F" else "part_time_staff",
        "relationship": "transferred" if kind == "F" else "held_elsewhere",
        "certificate_letter_on": None if kind == "F" else datetime.date(2018, 5, 10),
        "certificate_letter_issuer": "" if kind == "F" else "长春市朝阳区红旗街道党工委",
        "joined_party_on": datetime.date(2006, 7, 1),
    }
