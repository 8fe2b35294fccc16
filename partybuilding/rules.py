"""The Party-building rules as plain functions over values, for places that hold rows not yet
in the database (the registration wizard's member form). The selectors apply the same rules in
SQL; tests check both agree."""

from django.conf import settings
from django.utils.translation import gettext

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


def consequence_of(condition: PartyBuildingStatus) -> str:
    """What the applicant is told the member form implies once the organization is
    registered, with the threshold the rule applies (R-PB-2)."""
    minimum = settings.PARTY_BUILDING["STANDALONE_MIN_MEMBERS"]
    if condition == PartyBuildingStatus.SHOULD_BUILD:
        return gettext(
            "Once registered, the organization should build its own Party organization "
            "(%(minimum)d or more full Party members)."
        ) % {"minimum": minimum}
    if condition == PartyBuildingStatus.JOINT_CANDIDATE:
        return gettext(
            "The organization counts fewer than %(minimum)d full Party members: once registered, "
            "it joins a joint Party organization of its industry and neighbourhood."
        ) % {"minimum": minimum}
    return gettext(
        "The organization counts no full Party member: once registered, a Party-building "
        "instructor is sent to help it recruit members and build a Party organization."
    )


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
    return counted, condition, consequence_of(condition)
