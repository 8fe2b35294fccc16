"""Records of an organization for the public-page tests: what the public sees and, beside it,
everything it must not (R-CR-17, R-PUB-3)."""

import datetime

from annualcheck.models import AnnualCheck
from credit.models import EntryAnswer, ListEntry, Penalty
from evaluation.models import Evaluation, Scheme
from tests.factories import (
    OrganizationFactory,
    PartyMemberFactory,
    found_party_organization,
    id_number_for,
    make_organization_user,
    make_user,
)

D = datetime.date

# What may never appear on a public page, whatever the organization holds.
SECRET_MEMBER = "欧阳秘密党员"
SECRET_CONTACT = "司马联系人"
SECRET_PHONE = "13912345678"
MEMBER_PHONE = "13898765432"
SECRETS_IN_TEXT = (
    "内部备注年检理由",
    "主管单位内部意见",
    "评估内部说明文字",
    "拟列入的证据说明",
    "不予列入的内部理由",
    "决定书全文不公开",
    "移出决定内部文字",
    "组织陈述申辩内容",
    "核查人员答复内容",
)


def _evaluation(organization, year, **fields):
    scheme = Scheme.objects.filter(year__lte=year).order_by("-year").first()
    scheme = scheme or Scheme.objects.create(year=year, name=f"{year}年评估方案")
    return Evaluation.objects.create(organization=organization, year=year, scheme=scheme, **fields)


def entry(organization, *, ground, status, credit_list="abnormal", key=None, **fields):
    return ListEntry.objects.create(
        organization=organization,
        credit_list=credit_list,
        ground=ground,
        status=status,
        evidence_key=key or f"{ground}-{status}",
        proposed_on=D(2026, 1, 5),
        **fields,
    )


def full_organization(**fields):
    """An organization with public records of every kind and private data everywhere else."""
    organization = OrganizationFactory(
        name=fields.pop("name", "长春市阳光书法家协会"),
        organization_type="social_group",
        legal_representative="王法人",
        contact_person=SECRET_CONTACT,
        contact_phone=SECRET_PHONE,
        address="长春市南关区人民大街100号",
        business_scope="书法交流、培训、展览",
        **fields,
    )
    member_id = id_number_for()
    PartyMemberFactory(
        organization=organization, name=SECRET_MEMBER, id_number=member_id, phone=MEMBER_PHONE
    )
    found_party_organization(organization, name="阳光书法家协会秘密党支部")
    clerk = make_user(
        "clerk", username="secret-clerk", display_name="经办秘书", phone="13700001111"
    )
    AnnualCheck.objects.create(
        organization=organization,
        year=2024,
        status="reviewed",
        result="basically_qualified",
        result_reason=SECRETS_IN_TEXT[0],
        supervisory_opinion=SECRETS_IN_TEXT[1],
        reviewed_on=D(2025, 5, 20),
        reviewed_by=clerk,
    )
    AnnualCheck.objects.create(organization=organization, year=2025, status="submitted")
    _evaluation(
        organization,
        2023,
        status="decided",
        grade="4A",
        total=850,
        explanation=SECRETS_IN_TEXT[2],
        decided_on=D(2023, 12, 1),
        valid_until=D(2028, 12, 1),
        decided_by=clerk,
    )
    entry(
        organization,
        ground="rectification",
        status="proposed",
        evidence=[{"kind": "note", "date": "2026-01-01", "params": {"x": SECRETS_IN_TEXT[3]}}],
    )
    entry(
        organization, ground="unreachable", status="dismissed", dismissal_reason=SECRETS_IN_TEXT[4]
    )
    listed = entry(
        organization,
        ground="no_party_org",
        status="listed",
        listed_on=D(2026, 2, 1),
        term_starts_on=D(2026, 2, 1),
        decision_number="长民异〔2026〕7号",
        decision_text=SECRETS_IN_TEXT[5],
        decided_by=clerk,
    )
    entry(
        organization,
        ground="annual_report",
        status="removed",
        listed_on=D(2025, 7, 1),
        decision_number="长民异〔2025〕3号",
        decided_by=clerk,
        removed_on=D(2025, 10, 8),
        removal_path="corrected",
        removal_reason=SECRETS_IN_TEXT[6],
    )
    EntryAnswer.objects.create(
        entry=listed,
        kind="statement",
        text=SECRETS_IN_TEXT[7],
        submitted_by=make_organization_user(organization),
        reply=SECRETS_IN_TEXT[8],
        replied_by=clerk,
    )
    Penalty.objects.create(
        organization=organization,
        kind="fine",
        amount_yuan=20000,
        department="长春市民政局",
        decision_number="长民罚〔2025〕12号",
        decided_on=D(2025, 3, 3),
        effective_on=D(2025, 3, 10),
        facts="未按规定办理变更登记",
        basis="《社会团体登记管理条例》第三十条",
    )
    organization.member_id_number = member_id
    return organization
