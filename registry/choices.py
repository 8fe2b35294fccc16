from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganizationType(models.TextChoices):
    SOCIAL_GROUP = "social_group", _("social group")
    PRIVATE_NON_ENTERPRISE = "private_non_enterprise", _("private non-enterprise unit")
    FOUNDATION = "foundation", _("foundation")


class OrganizationStatus(models.TextChoices):
    ACTIVE = "active", _("active")
    DEREGISTERED = "deregistered", _("deregistered")
    REVOKED = "revoked", _("revoked")


class DistrictKind(models.TextChoices):
    ADMINISTRATIVE = "administrative", _("administrative division")
    FUNCTIONAL_ZONE = "functional_zone", _("functional zone")


# Party members, shared by the registration member form and the Party-building records.
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


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted")
    CONSENTED = "consented", _("supervisory unit consented")
    RETURNED = "returned", _("returned for correction")
    APPROVED = "approved", _("approved")
    REJECTED = "rejected", _("rejected")


class CopyKind(models.TextChoices):
    """R-REG-3: the member form is filed in triplicate."""

    ARCHIVE = "archive", _("archive copy")
    SUPERVISORY_UNIT = "supervisory_unit", _("supervisory unit's copy")
    COMMITTEE = "committee", _("Party working committee's copy")


class DeregistrationKind(models.TextChoices):
    """How an organization's registration ends: on its own application (注销登记) or by the
    registration authority's decision (撤销登记, e.g. after the annual-check review, R-AC-6)."""

    DEREGISTRATION = "deregistration", _("deregistration")
    REVOCATION = "revocation", _("revocation of registration")


class DeregistrationStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted")
    CONSENTED = "consented", _("supervisory unit consented")
    RETURNED = "returned", _("returned for correction")
    REJECTED = "rejected", _("refused")
    COMPLETED = "completed", _("registration ended")


class DeregistrationReason(models.TextChoices):
    """R-DEREG-1: the cases of 《社会团体登记管理条例》 art. 19 (the other two regulations name
    the same ones in their own words)."""

    PURPOSE_COMPLETED = "purpose_completed", _("the purpose in its charter is accomplished")
    DISSOLVED = "dissolved", _("dissolved on its own decision")
    SPLIT_OR_MERGED = "split_or_merged", _("split or merged")
    OTHER = "other", _("terminated for another reason")
