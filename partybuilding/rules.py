"""The Party-building rules as plain functions over values, for places that hold rows not yet
in the database (the registration wizard's member form). The selectors apply the same rules in
SQL; tests check both agree."""

from django.conf import settings

from .choices import STAFF_ROLES, MemberStatus, PartyBuildingStatus, Relationship


def counts_toward_condition(*, status, role, relationship, certificate_letter_on) -> bool:
    """R-PB-1: full, on the staff, relationship transferred in or a certificate letter."""
    return (
        status == MemberStatus.FULL
        and role in STAFF_ROLES
        and (relationship == Relationship.TRANSFERRED or certificate_letter_on is not None)
    )


def condition_of(counted: int) -> PartyBuildingStatus:
    """R-PB-2..4 for an organization not yet covered by any Party organization."""
    if counted >= settings.PARTY_BUILDING["STANDALONE_MIN_MEMBERS"]:
        return PartyBuildingStatus.SHOULD_BUILD
    if counted >= 1:
        return PartyBuildingStatus.JOINT_CANDIDATE
    return PartyBuildingStatus.NEEDS_DISPATCH


# What the applicant is told the member form implies once the organization is registered.
CONSEQUENCES = {
    PartyBuildingStatus.SHOULD_BUILD: "提交后本组织应单独组建党组织（正式党员3名以上）。",
    PartyBuildingStatus.JOINT_CANDIDATE: (
        "本组织计入的正式党员不足3名，登记后将按行业相同、驻地相邻的原则参加联合党组织。"
    ),
    PartyBuildingStatus.NEEDS_DISPATCH: (
        "本组织暂无计入的正式党员，登记后将由派驻的党建指导员帮助发展党员、组建党组织。"
    ),
}


def member_form_consequence(rows) -> tuple[int, PartyBuildingStatus, str]:
    """Counted members of the form's rows, the condition they imply, and the sentence to show."""
    counted = sum(
        counts_toward_condition(
            status=row.get("status"),
            role=row.get("role"),
            relationship=row.get("relationship"),
            certificate_letter_on=row.get("certificate_letter_on") or None,
        )
        for row in rows
    )
    condition = condition_of(counted)
    return counted, condition, CONSEQUENCES[condition]
