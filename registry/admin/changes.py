"""Change applications under review (R-CHG-1..7): read-only in the admin; the supervisory unit
and the clerk decide through the review pages (registry.change_review_views). The change page
shows the items before and after, the filing deadline after consent, what changed since the
last return, and the events."""

import re

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.admin import BaseAdmin
from core.large_tables import LargeTableAdmin
from core.queries import correlated_count

from ..change_selectors import (
    AWAITING_CONSENT,
    AWAITING_DECISION,
    change_moves_for,
    change_rows,
    changes_visible_to,
    filing_state,
    late_q,
    submission_diff,
)
from ..choices import ChangeStatus
from ..models import ChangeApplication, ChangeSubmission
from ..models.change import ITEM_LABELS
from ..selectors import charter_diff

REVIEW_MOVES = {
    ChangeStatus.CONSENTED: ("registry:change_consent", _("Consent")),
    ChangeStatus.APPROVED: ("registry:change_approve", _("Approve")),
    ChangeStatus.RETURNED: ("registry:change_return", _("Return for correction")),
    ChangeStatus.REJECTED: (
        "registry:change_reject",
        pgettext_lazy("change application", "Refuse"),
    ),
}
REFERENCE = re.compile(r"^(?:BG|ZC)\d{4}(\d{6,})$")


class ChangeAwaitingFilter(admin.SimpleListFilter):
    title = _("waiting for")
    parameter_name = "awaiting"

    def lookups(self, request, model_admin):
        return [
            ("consent", _("the supervisory unit's consent")),
            ("decision", _("the registration authority's decision")),
            ("late", _("late (filed after the deadline or not filed in time)")),
        ]

    def queryset(self, request, queryset):
        condition = {
            "consent": AWAITING_CONSENT,
            "decision": AWAITING_DECISION,
            "late": late_q(),
        }.get(self.value())
        return queryset if condition is None else queryset.filter(condition)


@admin.register(ChangeApplication)
class ChangeApplicationAdmin(LargeTableAdmin, BaseAdmin):
    list_display = (
        "reference",
        "organization",
        "kind",
        "items_shown",
        "status",
        "consented_on",
        "deadline",
        "filed_on",
        "late_flag",
        "submission_count",
    )
    list_display_links = ("reference", "organization")
    list_filter = (ChangeAwaitingFilter, "kind", "status")
    list_select_related = ("organization",)
    search_fields = ("organization__name", "name", "legal_representative")
    list_per_page = 50
    readonly_fields = ("reference", "items_shown")
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "reference",
                    "organization",
                    "kind",
                    "status",
                    "applicant",
                    "submitted_at",
                    "consenting_unit",
                    "consented_on",
                    "filed_on",
                    "filed_late",
                    "decided_at",
                )
            },
        ),
        (_("The change"), {"fields": ("items_shown", "reason")}),
        (_("Amended charter"), {"fields": ("charter_text",), "classes": ("collapse",)}),
        (
            _("Party-building pledge"),
            {"fields": ("pledge_text", "pledge_signed_by", "pledge_signed_on")},
        ),
        (_("Review"), {"fields": ("supervisory_opinion", "remarks", "party_building_body")}),
    )

    def get_queryset(self, request):
        return (
            changes_visible_to(request.user)
            .exclude(status=ChangeStatus.DRAFT)
            .annotate(submission_count=correlated_count(ChangeSubmission.objects.all(), "change"))
        )

    def get_fieldsets(self, request, obj=None):
        fieldsets = list(super().get_fieldsets(request, obj))
        if obj is not None and obj.is_charter:
            return [fs for fs in fieldsets if fs[0] != _("Party-building pledge")]
        fieldsets = [fs for fs in fieldsets if fs[0] != _("Amended charter")]
        if obj is not None and not obj.changes_legal_representative:
            # R-CHG-5: only a new legal representative signs the pledge; for another change
            # the section would show three empty fields.
            fieldsets = [fs for fs in fieldsets if fs[0] != _("Party-building pledge")]
        return fieldsets

    def get_search_results(self, request, queryset, search_term):
        match = REFERENCE.match(search_term.strip().upper())
        if match:
            return queryset.filter(pk=int(match.group(1))), False
        return super().get_search_results(request, queryset, search_term)

    @admin.display(description=_("reference"), ordering="pk")
    def reference(self, change):
        return change.reference

    @admin.display(description=_("items changed"))
    def items_shown(self, change):
        if change.is_charter:
            return change.get_kind_display()
        return (
            "、".join(str(ITEM_LABELS[item]) for item in change.items if item in ITEM_LABELS) or "—"
        )

    @admin.display(description=_("file by"))
    def deadline(self, change):
        return change.file_by() or "—"

    @admin.display(description=_("late"))
    def late_flag(self, change):
        if filing_state(change)["late"]:
            return format_html('<span class="overdue-flag">{}</span>', _("late"))
        return ""

    @admin.display(description=_("submissions"), ordering="submission_count")
    def submission_count(self, change):
        return change.submission_count

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            context.update(self.review_context(request, obj))
        return super().render_change_form(request, context, add, change, form_url, obj)

    def review_context(self, request, change) -> dict:
        moves = [
            {
                "status": status,
                "url": reverse(REVIEW_MOVES[status][0], args=[change.pk]),
                "label": REVIEW_MOVES[status][1],
            }
            for status in change_moves_for(change, request.user)
            if status in REVIEW_MOVES
        ]
        submissions = list(change.submissions.order_by("-number")[:2])
        diff = charter_lines = None
        if len(submissions) == 2:
            current, previous = submissions
            diff = submission_diff(previous.snapshot, current.snapshot)
            charter_lines = charter_diff(
                previous.snapshot.get("charter_text", ""), current.snapshot.get("charter_text", "")
            )
        from ..services.changes import current_charter

        in_force_lines = None
        if change.is_charter and change.status != ChangeStatus.APPROVED:
            in_force_lines = charter_diff(current_charter(change.organization), change.charter_text)
        approved = change.status == ChangeStatus.APPROVED
        return {
            "review_moves": moves,
            "events": change.events.select_related("actor"),
            "submissions": submissions,
            "submission_diff": diff,
            "charter_diff": charter_lines,
            "amendment_lines": in_force_lines,
            "rows": change_rows(change, current=change.previous_values if approved else None),
            "filing": filing_state(change),
            "print_url": reverse("portal:change_print", args=[change.pk]),
        }
