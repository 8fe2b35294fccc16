from django.db import models
from django.utils.translation import gettext_lazy as _

# The member vocabulary is the registry's: the registration member form uses it too.
from registry.choices import (  # noqa: F401
    STAFF_ROLES,
    Education,
    MemberRole,
    MemberStatus,
    Relationship,
    Sex,
)


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


# The modes in which a Party organization is the organization's own (R-PB-2), as opposed to a
# joint one it shares (R-PB-3).
OWN_MODES = (FormationMode.STANDALONE, FormationMode.LEAD, FormationMode.DISPATCHED)


class PartyBuildingStatus(models.TextChoices):
    """What an organization's Party-building looks like today (computed, never stored)."""

    COVERED_OWN = "covered_own", _("own Party organization")
    COVERED_JOINT = "covered_joint", _("covered by a joint Party organization")
    SHOULD_BUILD = "should_build", _("should build but has not")
    JOINT_CANDIDATE = "joint_candidate", _("joint-build candidate")
    NEEDS_DISPATCH = "needs_dispatch", _("needs dispatched help")
