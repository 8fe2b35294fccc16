"""Credit supervision (R-CR, docs/domain.md; 《社会组织信用信息管理办法》, 民政部令第60号).

`ListEntry` is one listing of one organization on one list for one ground: proposed by the
daily job from data (or entered by a clerk), confirmed or dismissed by a clerk, then removed or
moved to the serious-violation list. The facts the job reads that no other app records live
here too: administrative penalties, rectification notices from inspections and the letters that
came back from the registered residence."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.workflow_records import WorkflowEvent

from .choices import (
    LIST_OF_GROUND,
    AnswerKind,
    CreditList,
    EntryStatus,
    Ground,
    PenaltyKind,
    RemovalPath,
)

S = EntryStatus
# A proposal or a listing still in force: one per organization, ground and piece of evidence.
OPEN_STATUSES = (S.PROPOSED, S.LISTED, S.REMOVAL_REQUESTED)


class Penalty(models.Model):
    """An administrative penalty (行政处罚信息, 令60 第七条), by the registration authority or
    another department: the light ones feed R-CR-3 item 5, the heavy ones R-CR-12."""

    organization = models.ForeignKey(
        "registry.Organization",
        verbose_name=_("social organization"),
        on_delete=models.PROTECT,
        related_name="penalties",
    )
    kind = models.CharField(_("kind of penalty"), max_length=30, choices=PenaltyKind.choices)
    amount_yuan = models.DecimalField(
        _("amount (yuan)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    department = models.CharField(_("deciding department"), max_length=100)
    decision_number = models.CharField(_("decision number"), max_length=60)
    decided_on = models.DateField(_("decided on"))
    effective_on = models.DateField(_("effective on"))
    facts = models.TextField(_("facts of the violation"))
    basis = models.TextField(_("legal basis"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords(user_model=settings.AUTH_USER_MODEL)

    class Meta:
        verbose_name = _("administrative penalty")
        verbose_name_plural = _("administrative penalties")
        ordering = ["-effective_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=PenaltyKind.values), name="penalty_kind_known"
            ),
            models.CheckConstraint(
                condition=~Q(kind="fine") | Q(amount_yuan__gt=0),
                name="penalty_fine_has_amount",
                violation_error_message=_("A fine needs its amount."),
            ),
        ]

    def __str__(self):
        return f"{self.decision_number} {self.get_kind_display()}"


class RectificationNotice(models.Model):
    """A rectification notice (整改文书) issued after a spot check or other inspection (R-CR-3
    item 3). Annual-check rectification items are annualcheck's own and are read from there."""

    organization = models.ForeignKey(
        "registry.Organization",
        verbose_name=_("social organization"),
        on_delete=models.PROTECT,
        related_name="rectification_notices",
    )
    notice_number = models.CharField(_("notice number"), max_length=60)
    matter = models.TextField(_("what must be put right"))
    issued_on = models.DateField(_("issued on"))
    due_on = models.DateField(_("due on"))
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    history = HistoricalRecords(user_model=settings.AUTH_USER_MODEL)

    class Meta:
        verbose_name = _("rectification notice")
        verbose_name_plural = _("rectification notices")
        ordering = ["due_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(due_on__gte=models.F("issued_on")),
                name="rectification_notice_due_after_issue",
                violation_error_message=_("The deadline cannot come before the notice."),
            ),
        ]

    def __str__(self):
        return self.notice_number


class ReturnedLetter(models.Model):
    """A letter sent to the registered residence that came back unsigned: two of them, far
    enough apart, establish R-CR-4's "cannot be reached"."""

    organization = models.ForeignKey(
        "registry.Organization",
        verbose_name=_("social organization"),
        on_delete=models.PROTECT,
        related_name="returned_letters",
    )
    address = models.CharField(_("address written on the letter"), max_length=200)
    tracking_number = models.CharField(_("tracking number"), max_length=40)
    sent_on = models.DateField(_("sent on"))
    returned_on = models.DateField(_("returned unsigned on"))
    history = HistoricalRecords(user_model=settings.AUTH_USER_MODEL)

    class Meta:
        verbose_name = _("returned letter")
        verbose_name_plural = _("returned letters")
        ordering = ["sent_on", "pk"]

    def __str__(self):
        return self.tracking_number


class ListEntry(models.Model):
    """One organization on one list for one ground. `evidence_key` names the fact behind it
    (the year of the missed report, the rectification item, the penalty), so the daily job
    proposes each fact once, and a dismissed proposal stays dismissed."""

    organization = models.ForeignKey(
        "registry.Organization",
        verbose_name=_("social organization"),
        on_delete=models.PROTECT,
        related_name="credit_list_entries",
    )
    credit_list = models.CharField(_("list"), max_length=20, choices=CreditList.choices)
    ground = models.CharField(_("ground"), max_length=30, choices=Ground.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=S.choices, default=S.PROPOSED, db_index=True
    )
    evidence_key = models.CharField(_("evidence key"), max_length=80, editable=False)
    # What the proposal rests on, for the clerk and the organization: a list of
    # {"kind": ..., "date": "YYYY-MM-DD", "params": {...}} rendered by credit.evidence.
    evidence = models.JSONField(_("evidence"), default=list, blank=True)
    proposed_on = models.DateField(_("proposed on"))
    proposed_by_job = models.BooleanField(_("proposed from data"), default=True)
    # The decision (R-CR-7: facts, reasons and basis told to the organization).
    listed_on = models.DateField(_("listed on"), null=True, blank=True, db_index=True)
    # R-CR-6: the day the listing's terms are counted from; a new ground while listed moves it.
    term_starts_on = models.DateField(_("term counted from"), null=True, blank=True)
    decision_number = models.CharField(_("decision number"), max_length=60, blank=True)
    decision_text = models.TextField(_("decision text"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("deciding clerk"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    dismissal_reason = models.TextField(_("reason for dismissal"), blank=True)
    # Removal (R-CR-9, R-CR-10, R-CR-13).
    removal_requested_on = models.DateField(_("removal requested on"), null=True, blank=True)
    removal_verified_on = models.DateField(_("verified on"), null=True, blank=True)
    removed_on = models.DateField(_("removed on"), null=True, blank=True)
    removal_path = models.CharField(
        _("removed because"), max_length=20, choices=RemovalPath.choices, blank=True
    )
    removal_reason = models.TextField(_("removal decision"), blank=True)
    # R-CR-11: the serious-list entry an abnormal-list entry was moved to (every abnormal
    # entry of the organization on the list then moves to the same one).
    escalated_to = models.ForeignKey(
        "self",
        verbose_name=_("moved to"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="escalated_from",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    version = models.PositiveIntegerField(_("version"), default=0, editable=False)
    history = HistoricalRecords(user_model=settings.AUTH_USER_MODEL)
    # What names a row in the audit log's summary of the daily job's bulk insert (audit.bulk).
    audit_label_field = "evidence_key"

    class Meta:
        verbose_name = _("credit list entry")
        verbose_name_plural = _("credit list entries")
        ordering = ["-proposed_on", "-pk"]
        indexes = [
            models.Index(fields=["organization", "status"], name="credit_entry_org_status"),
            models.Index(fields=["credit_list", "status", "listed_on"], name="credit_list_day"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=S.values), name="credit_status_known"),
            models.CheckConstraint(
                condition=Q(credit_list__in=CreditList.values), name="credit_list_known"
            ),
            models.CheckConstraint(
                condition=Q(
                    *[
                        Q(ground=ground, credit_list=credit_list)
                        for ground, credit_list in LIST_OF_GROUND.items()
                    ],
                    _connector=Q.OR,
                ),
                name="credit_ground_belongs_to_list",
            ),
            models.UniqueConstraint(
                fields=["organization", "credit_list", "evidence_key"],
                name="credit_entry_once_per_fact",
                violation_error_message=_("This fact has already been proposed for this list."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=[S.PROPOSED, S.DISMISSED]) | Q(listed_on__isnull=False),
                name="credit_listed_has_date",
            ),
        ]

    def __str__(self):
        return f"{self.organization} · {self.get_ground_display()}"

    @property
    def is_on_list(self) -> bool:
        return self.status in (S.LISTED, S.REMOVAL_REQUESTED)


class ListEntryEvent(WorkflowEvent):
    entry = models.ForeignKey(ListEntry, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(_("from"), max_length=20, choices=S.choices)
    to_status = models.CharField(_("to"), max_length=20, choices=S.choices)

    class Meta:
        verbose_name = _("credit list event")
        verbose_name_plural = _("credit list events")
        ordering = ["entry", "at", "pk"]


class EntryAnswer(models.Model):
    """What the organization says about a listing in the portal (R-CR-7 陈述申辩, R-CR-8
    objection), and the clerk's reply."""

    entry = models.ForeignKey(ListEntry, on_delete=models.CASCADE, related_name="answers")
    kind = models.CharField(_("kind"), max_length=20, choices=AnswerKind.choices)
    text = models.TextField(_("what the organization says"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)
    reply = models.TextField(_("reply"), blank=True)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("replied by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    replied_at = models.DateTimeField(_("replied at"), null=True, blank=True)

    class Meta:
        verbose_name = _("answer to a listing")
        verbose_name_plural = _("answers to listings")
        ordering = ["entry", "submitted_at", "pk"]

    def __str__(self):
        return self.text[:40]


class NoPartyOrganizationSpell(models.Model):
    """R-CR-3 item 2: since when the daily job has seen an organization 应建未建 (R-PB-6)
    without a break. The job writes it (one row per organization while the standing lasts, the
    row deleted the first day it no longer does), so "continuously for the grace period" is what
    the job saw day by day; the clock of an organization starts the first day the job ran."""

    organization = models.OneToOneField(
        "registry.Organization",
        verbose_name=_("social organization"),
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="no_party_organization_spell",
    )
    since = models.DateField(_("should build but has not since"))

    class Meta:
        verbose_name = _("spell without a required Party organization")
        verbose_name_plural = _("spells without a required Party organization")

    def __str__(self):
        return f"{self.organization_id} @ {self.since}"
