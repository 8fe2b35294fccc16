"""The choices of credit supervision (R-CR, docs/domain.md). Labels are English msgids; the
Chinese is in the .po file."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CreditList(models.TextChoices):
    ABNORMAL = "abnormal", _("abnormal-activity list")
    SERIOUS = "serious", _("serious-violation list")


class Ground(models.TextChoices):
    """Why an organization is listed. The first seven are the 活动异常名录's (R-CR-3), the rest
    the 严重违法失信名单's (R-CR-11, R-CR-12); `LIST_OF_GROUND` says which list each is for."""

    # R-CR-3
    ANNUAL_REPORT = "annual_report", _("did not file its annual work report on time")
    NO_PARTY_ORGANIZATION = "no_party_org", _("did not set up a Party organization as required")
    RECTIFICATION = "rectification", _("did not complete a rectification by its deadline")
    FUNDRAISING = "fundraising", _("charity no longer meeting its public-fundraising conditions")
    LIGHT_PENALTY = "light_penalty", _("warned or fined less than the serious-list amount")
    UNREACHABLE = "unreachable", _("cannot be reached at its registered residence")
    OTHER_ABNORMAL = "other_abnormal", _("other case set by law or administrative regulation")
    # R-CR-11, R-CR-12
    ABNORMAL_TERM = "abnormal_term", _("on the abnormal-activity list for the full term")
    FALSIFIED_CHANGE = "falsified_change", _("change registration revoked for falsification")
    SUSPENSION = "suspension", _("ordered to suspend its activities")
    HEAVY_FINE = "heavy_fine", _("fined the serious-list amount or more")
    REPEATED_PENALTIES = "repeated_penalties", _("warned or fined repeatedly within the window")
    JUDGMENT_DEFAULTER = "judgment_defaulter", _("on the courts' list of judgment defaulters")
    REVOKED = "revoked", _("registration certificate revoked or registration cancelled")
    OTHER_SERIOUS = "other_serious", _("other serious case set by law or administrative regulation")


G = Ground
LIST_OF_GROUND = {
    **{
        ground: CreditList.ABNORMAL
        for ground in (
            G.ANNUAL_REPORT,
            G.NO_PARTY_ORGANIZATION,
            G.RECTIFICATION,
            G.FUNDRAISING,
            G.LIGHT_PENALTY,
            G.UNREACHABLE,
            G.OTHER_ABNORMAL,
        )
    },
    **{
        ground: CreditList.SERIOUS
        for ground in (
            G.ABNORMAL_TERM,
            G.FALSIFIED_CHANGE,
            G.SUSPENSION,
            G.HEAVY_FINE,
            G.REPEATED_PENALTIES,
            G.JUDGMENT_DEFAULTER,
            G.REVOKED,
            G.OTHER_SERIOUS,
        )
    },
}
# R-CR-10: grounds with something the organization must put right before it leaves the list;
# the others leave it by expiry, the term after listing.
GROUNDS_NEEDING_CORRECTION = frozenset(
    {G.ANNUAL_REPORT, G.NO_PARTY_ORGANIZATION, G.RECTIFICATION, G.FUNDRAISING, G.UNREACHABLE}
)


class EntryStatus(models.TextChoices):
    PROPOSED = "proposed", _("proposed")
    LISTED = "listed", _("listed")
    REMOVAL_REQUESTED = "removal_requested", _("removal requested")
    REMOVED = "removed", _("removed")
    ESCALATED = "escalated", _("moved to the serious-violation list")
    DISMISSED = "dismissed", _("dismissed")


# An entry in one of these is on its list today (and shown publicly, R-CR-2).
ON_LIST_STATUSES = (EntryStatus.LISTED, EntryStatus.REMOVAL_REQUESTED)
# Statuses the public sees (a proposal or a dismissal is internal).
PUBLIC_STATUSES = (*ON_LIST_STATUSES, EntryStatus.REMOVED, EntryStatus.ESCALATED)


class RemovalPath(models.TextChoices):
    CORRECTED = "corrected", _("obligation fulfilled or rectification completed, on application")
    EXPIRED = "expired", _("term after listing expired")
    ERROR = "error", _("listed in error, corrected on objection")
    ESCALATED = "escalated", _("moved to the serious-violation list")
    SERIOUS_TERM = "serious_term", _("serious-list term served without a new ground")
    DEREGISTERED = "deregistered", _("deregistration completed")


class PenaltyKind(models.TextChoices):
    WARNING = "warning", _("warning")
    FINE = "fine", _("fine")
    CONFISCATION = "confiscation", _("confiscation of illegal gains or property")
    SUSPENSION = "suspension", _("suspension of activities for a period")
    CERTIFICATE_REVOKED = "certificate_revoked", _("revocation of the registration certificate")
    REGISTRATION_REVOKED = "registration_revoked", _("cancellation of the registration")


class AnswerKind(models.TextChoices):
    STATEMENT = "statement", _("statement and defence")
    OBJECTION = "objection", _("objection")
