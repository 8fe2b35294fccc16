"""Annual inspection (年检), rules R-AC-1..6 of docs/domain.md."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.workflow_records import WorkflowEvent
from registry.models.member import MemberDetails

from .choices import ITEMS, CheckResult, CheckStatus, RectificationStatus


def formation_mode_label(value) -> str:
    """The report stores the Party organization's formation mode as its code ("joint"); people
    read its label (联合组建). An unknown code is shown as it is."""
    from partybuilding.choices import FormationMode

    return str(dict(FormationMode.choices).get(value, value or ""))


REPORTER, SUPERVISOR, CLERK = "organization", "supervisory_unit", "clerk"
S = CheckStatus


class AnnualCheck(models.Model):
    """One organization's annual check for one year (the previous calendar year)."""

    # Its moves and who makes them: the transition table in annualcheck.workflow.
    EDITABLE = (S.DRAFT, S.RETURNED)

    organization = models.ForeignKey(
        "registry.Organization",
        verbose_name=_("social organization"),
        on_delete=models.PROTECT,
        related_name="annual_checks",
    )
    year = models.PositiveSmallIntegerField(_("year reported on"))
    status = models.CharField(
        _("status"), max_length=20, choices=CheckStatus.choices, default=S.DRAFT, db_index=True
    )
    needs_pre_review = models.BooleanField(
        _("pre-reviewed by the supervisory unit"),
        default=True,
        help_text=_("False for direct registration: no supervisory unit."),
    )
    submitted_on = models.DateField(_("submitted on"), null=True, blank=True)
    late = models.BooleanField(_("filed late"), default=False)
    supervisory_opinion = models.TextField(_("supervisory unit's opinion"), blank=True)
    result = models.CharField(
        _("result"), max_length=30, choices=CheckResult.choices, blank=True, db_index=True
    )
    # R-AC-4: what the rules implied, and the written reason when the clerk chose otherwise.
    default_result = models.CharField(
        _("result the rules imply"), max_length=30, choices=CheckResult.choices, blank=True
    )
    result_reason = models.TextField(_("reason for the result"), blank=True)
    reviewed_on = models.DateField(_("reviewed on"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # Optimistic locking (issue 8): see core.concurrency.
    version = models.PositiveIntegerField(_("version"), default=0, editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("annual check")
        verbose_name_plural = _("annual checks")
        ordering = ["-year", "organization__name"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "year"], name="one_check_a_year"),
            models.CheckConstraint(
                condition=Q(status="reviewed", result__gt="")
                | (~Q(status="reviewed") & Q(result="")),
                name="result_only_when_reviewed",
                violation_error_message=_("A result is set exactly when the check is reviewed."),
            ),
        ]

    def __str__(self):
        return f"{self.organization} {self.year}"

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE


class CheckItem(models.Model):
    """One of the ten items (R-AC-1): what the organization reports and the clerk's opinion."""

    annual_check = models.ForeignKey(AnnualCheck, on_delete=models.CASCADE, related_name="items")
    number = models.PositiveSmallIntegerField(_("item"), choices=ITEMS)
    report = models.TextField(_("what the organization reports"), blank=True)
    clerk_opinion = models.TextField(_("registration authority's opinion"), blank=True)

    class Meta:
        verbose_name = _("annual check item")
        verbose_name_plural = _("annual check items")
        ordering = ["annual_check", "number"]
        constraints = [
            models.UniqueConstraint(fields=["annual_check", "number"], name="item_once"),
        ]

    def __str__(self):
        return self.get_number_display()


# What the organization reports in its Party-building report, in the order of the portal's
# form and of the review page.
REPORT_FIELDS = (
    "full_time_staff",
    "party_organization_name",
    "formation_mode",
    "secretary",
    "full_members",
    "probationary_members",
    "floating_members",
    "part_time_members",
    "joined_this_year",
    "left_this_year",
    "activities_held",
    "activities",
    "instructor",
    "charter_has_clause",
    "no_party_organization_reason",
    "work_coverage",
)


class PartyBuildingReport(models.Model):
    """Item 1's own form, 《社会组织党建情况年报表》 (R-AC-1). `known_*` hold what the records
    said when the form was opened, so a reviewer sees what the organization changed."""

    annual_check = models.OneToOneField(
        AnnualCheck, on_delete=models.CASCADE, related_name="party_building"
    )
    full_time_staff = models.PositiveIntegerField(_("number of full-time staff"), default=0)
    party_organization_name = models.CharField(_("Party organization"), max_length=200, blank=True)
    formation_mode = models.CharField(_("formation mode"), max_length=20, blank=True)
    secretary = models.CharField(_("secretary"), max_length=50, blank=True)
    full_members = models.PositiveIntegerField(_("full members"), default=0)
    probationary_members = models.PositiveIntegerField(_("probationary members"), default=0)
    floating_members = models.PositiveIntegerField(_("floating members"), default=0)
    part_time_members = models.PositiveIntegerField(_("members among part-time staff"), default=0)
    joined_this_year = models.PositiveIntegerField(_("joined this year"), default=0)
    left_this_year = models.PositiveIntegerField(_("left this year"), default=0)
    activities_held = models.PositiveIntegerField(_("Party activities held"), default=0)
    activities = models.TextField(_("activities"), blank=True)
    instructor = models.CharField(_("Party-building instructor"), max_length=50, blank=True)
    charter_has_clause = models.BooleanField(
        _("the charter has the Party-building clause"), default=False
    )
    no_party_organization_reason = models.TextField(
        _("why there is no Party organization"), blank=True
    )
    work_coverage = models.TextField(_("how Party work reaches the organization"), blank=True)
    known = models.JSONField(_("figures on record when the form was opened"), default=dict)

    class Meta:
        verbose_name = _("Party-building annual report")
        verbose_name_plural = _("Party-building annual reports")

    def __str__(self):
        return _("%(annual_check)s Party-building annual report") % {
            "annual_check": self.annual_check
        }

    @property
    def formation_mode_label(self) -> str:
        return formation_mode_label(self.formation_mode)


class RegisterEntry(MemberDetails):
    """A row of the member register 《党员登记表》, prefilled from the records; accepted changes
    flow back to them."""

    annual_check = models.ForeignKey(AnnualCheck, on_delete=models.CASCADE, related_name="register")
    party_member = models.ForeignKey(
        "partybuilding.PartyMember",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    left_on = models.DateField(_("left on"), null=True, blank=True)
    left_reason = models.CharField(_("reason for leaving"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("member register row")
        verbose_name_plural = _("member register")
        ordering = ["annual_check", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["annual_check", "id_number_digest"], name="register_once"
            ),
        ]


class Rectification(models.Model):
    """R-AC-5: a Party-building problem found in the check, to be put right by a deadline."""

    annual_check = models.ForeignKey(
        AnnualCheck, on_delete=models.PROTECT, related_name="rectifications"
    )
    problem = models.TextField(_("problem"))
    due_on = models.DateField(_("due on"))
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=RectificationStatus.choices,
        default=RectificationStatus.OPEN,
        db_index=True,
    )
    answer = models.TextField(_("the organization's answer"), blank=True)
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    # Optimistic locking (issue 8): see core.concurrency.
    version = models.PositiveIntegerField(_("version"), default=0, editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("rectification item")
        verbose_name_plural = _("rectification items")
        ordering = ["due_on", "pk"]

    def __str__(self):
        return self.problem[:40]


class CheckEvent(WorkflowEvent):
    """One row per transition of an annual check or a rectification: who, when, from, to, why.
    Its statuses are those of the check or of the item, so they carry no choices here."""

    annual_check = models.ForeignKey(AnnualCheck, on_delete=models.CASCADE, related_name="events")
    rectification = models.ForeignKey(
        Rectification, on_delete=models.CASCADE, null=True, blank=True, related_name="events"
    )

    class Meta:
        verbose_name = _("annual check event")
        verbose_name_plural = _("annual check events")
        ordering = ["annual_check", "at", "pk"]

    def __str__(self):
        return f"{self.from_label} → {self.to_label}"

    def _label(self, status: str) -> str:
        choices = RectificationStatus if self.rectification_id else CheckStatus
        return str(dict(choices.choices).get(status, status))

    @property
    def from_label(self) -> str:
        """The status before, as people read it (the check's or the rectification item's)."""
        return self._label(self.from_status)

    @property
    def to_label(self) -> str:
        return self._label(self.to_status)
