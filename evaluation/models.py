"""Grade evaluation (等级评估), rules R-EV-1..6 of docs/domain.md."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.workflow_records import WorkflowEvent
from registry.choices import OrganizationType

from .choices import EvaluationStatus, Grade, IndicatorCode


class Scheme(models.Model):
    """A year's indicator tree with maximum points and grade thresholds (R-EV-1, R-EV-2)."""

    year = models.PositiveSmallIntegerField(_("used from year"), unique=True)
    name = models.CharField(_("name"), max_length=100)
    five_a_from = models.PositiveSmallIntegerField(_("5A from"), default=900)
    four_a_from = models.PositiveSmallIntegerField(_("4A from"), default=800)
    three_a_from = models.PositiveSmallIntegerField(_("3A from"), default=700)
    two_a_from = models.PositiveSmallIntegerField(_("2A from"), default=600)
    one_a_from = models.PositiveSmallIntegerField(_("1A from"), default=500)
    # R-EV-3: below this share of the Party-building maximum the grade drops by one.
    party_building_min_share = models.DecimalField(
        _("Party-building minimum share"), max_digits=3, decimal_places=2, default=0.6
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("scoring scheme")
        verbose_name_plural = _("scoring schemes")
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(five_a_from__gt=models.F("four_a_from"))
                & Q(four_a_from__gt=models.F("three_a_from"))
                & Q(three_a_from__gt=models.F("two_a_from"))
                & Q(two_a_from__gt=models.F("one_a_from")),
                name="scheme_thresholds_descend",
                violation_error_message=_("Grade thresholds must go down from 5A to 1A."),
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def in_use(self) -> bool:
        return self.evaluations.exists()

    def thresholds(self) -> list[tuple[str, int]]:
        return [
            (Grade.FIVE_A, self.five_a_from),
            (Grade.FOUR_A, self.four_a_from),
            (Grade.THREE_A, self.three_a_from),
            (Grade.TWO_A, self.two_a_from),
            (Grade.ONE_A, self.one_a_from),
        ]


class Indicator(models.Model):
    """A node of the indicator tree. First-level indicators may apply to one organization type
    only (工作绩效 for social groups, 业务活动和诚信建设 for private non-enterprise units)."""

    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="indicators")
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children"
    )
    name = models.CharField(_("name"), max_length=100)
    # What the code recognizes the indicator by (the Party-building prefill): names are prose.
    code = models.CharField(_("code"), max_length=40, blank=True, choices=IndicatorCode.choices)
    max_points = models.PositiveSmallIntegerField(_("maximum points"))
    organization_type = models.CharField(
        _("only for"), max_length=30, blank=True, choices=OrganizationType.choices
    )
    is_party_building = models.BooleanField(_("Party-building indicator"), default=False)
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["scheme", "parent_id", "position", "pk"]

    def __str__(self):
        return _("%(name)s (%(points)s points)") % {"name": self.name, "points": self.max_points}

    def clean(self):
        if self.parent_id and self.parent.scheme_id != self.scheme_id:
            raise ValidationError(_("A sub-indicator belongs to its parent's scheme."))


class Evaluation(models.Model):
    """One organization's evaluation in a year: eligibility, scores, grade and its explanation."""

    organization = models.ForeignKey(
        "registry.Organization",
        verbose_name=_("social organization"),
        on_delete=models.PROTECT,
        related_name="evaluations",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    scheme = models.ForeignKey(
        Scheme,
        verbose_name=_("scoring scheme"),
        on_delete=models.PROTECT,
        related_name="evaluations",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=EvaluationStatus.choices, db_index=True
    )
    ineligible_reasons = models.JSONField(_("why not eligible"), default=list, blank=True)
    total = models.PositiveSmallIntegerField(_("total score"), null=True, blank=True)
    party_building_score = models.PositiveSmallIntegerField(
        _("Party-building score"), null=True, blank=True
    )
    grade_by_score = models.CharField(
        _("grade by score"), max_length=10, choices=Grade.choices, blank=True
    )
    grade = models.CharField(
        _("grade"), max_length=10, choices=Grade.choices, blank=True, db_index=True
    )
    downgraded = models.BooleanField(_("downgraded one grade (R-EV-3)"), default=False)
    had_party_organization = models.BooleanField(
        _("covered by a Party organization"), default=False
    )
    explanation = models.TextField(_("explanation"), blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # Optimistic locking (issue 8): see core.concurrency.
    version = models.PositiveIntegerField(_("version"), default=0, editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        ordering = ["-year", "organization__name"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "year"], name="one_evaluation_a_year"),
        ]
        # A year's decided evaluations (statistics, the dashboard panel) and the latest such year.
        indexes = [
            models.Index(fields=["status", "-year"], name="evaluation_status_year"),
            # A year's decided evaluations by grade (the dashboard panel), read in grade order:
            # without it SQLite walks every evaluation by the grade's index.
            models.Index(fields=["status", "year", "grade"], name="evaluation_year_grade"),
        ]

    def __str__(self):
        return f"{self.organization} {self.year}"

    @property
    def is_expired(self) -> bool:
        """R-EV-1: a grade is valid five years; after `valid_until` it is 已过期 on every page."""
        from core.calendar import today

        return bool(self.valid_until and self.valid_until < today())


class Score(models.Model):
    """Points for one leaf indicator; the Party-building one is prefilled and adjustable with
    a reason."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="scores")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="scores")
    points = models.PositiveSmallIntegerField(_("points"))
    prefilled = models.PositiveSmallIntegerField(_("prefilled points"), null=True, blank=True)
    reason = models.TextField(_("reason for the adjustment"), blank=True)

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "indicator"], name="score_once"),
        ]

    def __str__(self):
        return f"{self.indicator.name}: {self.points}"

    def clean(self):
        if self.points > self.indicator.max_points:
            raise ValidationError(
                {"points": _("At most %(max)s points.") % {"max": self.indicator.max_points}}
            )


class EvaluationEvent(WorkflowEvent):
    """One row per step of an evaluation (opened, grade decided): who, when, from, to, why."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="events")
    # Blank for the evaluation's opening (it had no status before).
    from_status = models.CharField(
        _("from"), max_length=20, choices=EvaluationStatus.choices, blank=True
    )
    to_status = models.CharField(_("to"), max_length=20, choices=EvaluationStatus.choices)

    class Meta:
        verbose_name = _("evaluation event")
        verbose_name_plural = _("evaluation events")
        ordering = ["evaluation", "at", "pk"]


class EvaluationGroup(models.Model):
    """The decided evaluations of one year and grade whose organizations' stored standings
    have one (supervisory unit or -1 for all, status, district, industry), keyed as the
    coverage aggregates key them (0: none): the dashboard's evaluation panel reads these
    (`evaluation.aggregates` moves them)."""

    supervisory_unit_key = models.IntegerField()
    year = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=20)
    district_key = models.IntegerField()
    industry_key = models.IntegerField()
    grade = models.CharField(max_length=10)
    evaluated = models.BigIntegerField(default=0)
    with_party_organization = models.BigIntegerField(default=0)
    downgraded = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            # In the order the panel reads: a unit (or all) and a year.
            models.UniqueConstraint(
                fields=[
                    "supervisory_unit_key",
                    "year",
                    "status",
                    "district_key",
                    "industry_key",
                    "grade",
                ],
                name="evaluation_group_key",
            )
        ]

    def __str__(self):
        return f"{self.year} {self.grade}: {self.evaluated}"
