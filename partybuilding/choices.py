from django.db import models
from django.utils.translation import gettext_lazy as _


class Sex(models.TextChoices):
    MALE = "male", _("male")
    FEMALE = "female", _("female")


class MemberStatus(models.TextChoices):
    FULL = "full", _("full member")
    PROBATIONARY = "probationary", _("probationary member")


class MemberRole(models.TextChoices):
    FULL_TIME_STAFF = "full_time_staff", _("full-time staff")
    PART_TIME_STAFF = "part_time_staff", _("part-time staff")
    SERVICE_RECIPIENT = "service_recipient", _("service recipient")
    VOLUNTEER = "volunteer", _("volunteer")


STAFF_ROLES = (MemberRole.FULL_TIME_STAFF, MemberRole.PART_TIME_STAFF)


class Relationship(models.TextChoices):
    TRANSFERRED = "transferred", _("relationship transferred in")
    FLOATING = "floating", _("floating member, not transferred")
    HELD_ELSEWHERE = "held_elsewhere", _("relationship held elsewhere")


class Education(models.TextChoices):
    POSTGRADUATE = "postgraduate", _("postgraduate")
    BACHELOR = "bachelor", _("bachelor's degree")
    JUNIOR_COLLEGE = "junior_college", _("junior college")
    SECONDARY = "secondary", _("secondary school")
    JUNIOR_HIGH_OR_BELOW = "junior_high_or_below", _("junior high school or below")


class PartyOrganizationKind(models.TextChoices):
    BRANCH = "branch", _("Party branch")
    JOINT_BRANCH = "joint_branch", _("joint Party branch")
    GENERAL_BRANCH = "general_branch", _("general Party branch")
    COMMITTEE = "committee", _("Party committee")
    TEMPORARY_BRANCH = "temporary_branch", _("temporary Party branch")


class FormationMode(models.TextChoices):
    """R-PB-8..11. Stored values are the keys coverage_report prints."""

    STANDALONE = "standalone", _("standalone")
    JOINT = "joint", _("joint")
    LEAD = "lead", _("lead-led")
    DISPATCHED = "dispatched", _("formed after dispatched help")


class PartyBuildingStatus(models.TextChoices):
    """What an organization's Party-building looks like today (computed, never stored)."""

    COVERED_OWN = "covered_own", _("own Party organization")
    COVERED_JOINT = "covered_joint", _("covered by a joint Party organization")
    SHOULD_BUILD = "should_build", _("should build but has not")
    JOINT_CANDIDATE = "joint_candidate", _("joint-build candidate")
    NEEDS_DISPATCH = "needs_dispatch", _("needs dispatched help")
