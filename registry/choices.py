from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


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


class ChangeKind(models.TextChoices):
    """What a change application asks for (R-CHG-1, R-CHG-2)."""

    CHANGE = "change", _("change of registered items")
    CHARTER = "charter", _("charter amendment")


class ChangeStatus(models.TextChoices):
    """A change application's course (registry.change_workflow): to the supervisory unit first,
    then, once it consents, filed with the registration authority (R-CHG-3)."""

    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("awaiting the supervisory unit's consent")
    CONSENTED = "consented", _("supervisory unit consented, not yet filed")
    FILED = "filed", _("filed with the registration authority")
    RETURNED = "returned", _("returned for correction")
    APPROVED = "approved", _("approved")
    REJECTED = "rejected", pgettext_lazy("change application", "refused")


class CertificateKind(models.TextChoices):
    """The two copies of a registration certificate (登记证书): 正本 hangs at the residence,
    副本 goes along for business; both have the same legal force."""

    ORIGINAL = "original", _("original certificate")
    DUPLICATE = "duplicate", _("duplicate certificate")


class CertificateStatus(models.TextChoices):
    VALID = "valid", _("valid")
    WITHDRAWN = "withdrawn", _("withdrawn")


class CertificateReason(models.TextChoices):
    """Why certificates were issued, or why one was withdrawn (R-CERT)."""

    REGISTRATION = "registration", _("registration")
    CHANGE = "change", _("change registration")
    EXPIRY = "expiry", _("renewal at expiry")
    LOST = "lost", _("lost")
    DAMAGED = "damaged", _("damaged")
    DEREGISTRATION = "deregistration", _("deregistration")
    REVOCATION = "revocation", _("revocation of registration")


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
    REJECTED = "rejected", pgettext_lazy("deregistration", "refused")
    COMPLETED = "completed", _("registration ended")


class DeregistrationReason(models.TextChoices):
    """R-DEREG-1: the cases of 《社会团体登记管理条例》 art. 19 (the other two regulations name
    the same ones in their own words)."""

    PURPOSE_COMPLETED = "purpose_completed", _("the purpose in its charter is accomplished")
    DISSOLVED = "dissolved", _("dissolved on its own decision")
    SPLIT_OR_MERGED = "split_or_merged", _("split or merged")
    OTHER = "other", _("terminated for another reason")
