"""Deregistrations and revocations under review (R-DEREG-1..9). Read-only: nobody edits what the
organization filed; the supervisory unit and the clerk act through the review pages
(registry.deregistration_views), which call the services."""

import re

from django.contrib import admin
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.admin import BaseAdmin
from core.large_tables import LargeTableAdmin

from ..choices import DeregistrationStatus
from ..models import Deregistration
from ..selectors import (
    DEREGISTRATION_AWAITING_CONSENT,
    DEREGISTRATION_AWAITING_DECISION,
    deregistration_moves_for,
    deregistrations_visible_to,
)

# The buttons of the change page: the status a move leads to, its page, its label.
REVIEW_MOVES = {
    DeregistrationStatus.CONSENTED: ("registry:deregistration_consent", _("Consent")),
    DeregistrationStatus.COMPLETED: ("registry:deregistration_complete", _("Deregister")),
    DeregistrationStatus.RETURNED: ("registry:deregistration_return", _("Return for correction")),
    DeregistrationStatus.REJECTED: (
        "registry:deregistration_reject",
        pgettext_lazy("deregistration", "Refuse"),
    ),
}
REFERENCE = re.compile(r"^(?:ZX|CX)\d{4}(\d{6,})$")


class AwaitingFilter(admin.SimpleListFilter):
    """Whose move it is (the workbench's to-do counts link here)."""

    title = _("waiting for")
    parameter_name = "awaiting"
    conditions = {
        "consent": DEREGISTRATION_AWAITING_CONSENT,
        "decision": DEREGISTRATION_AWAITING_DECISION,
    }

    def lookups(self, request, model_admin):
        return [
            ("consent", _("the supervisory unit's consent")),
            ("decision", _("the registration authority's decision")),
        ]

    def queryset(self, request, queryset):
        condition = self.conditions.get(self.value())
        return queryset if condition is None else queryset.filter(condition)


@admin.register(Deregistration)
class DeregistrationAdmin(LargeTableAdmin, BaseAdmin):
    list_display = (
        "reference",
        "organization",
        "kind",
        "status",
        "submitted_on",
        "late",
        "decided_on",
    )
    list_display_links = ("reference", "organization")
    list_filter = (AwaitingFilter, "kind", "status", "late")
    list_select_related = ("organization",)
    search_fields = ("organization__name", "organization__credit_code")
    list_per_page = 50
    readonly_fields = ("reference", "application_deadline")
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
                    "supervisory_unit",
                )
            },
        ),
        (_("Reason"), {"fields": ("reason", "reason_details", "resolved_on")}),
        (
            _("Liquidation"),
            {
                "fields": (
                    "liquidation_group",
                    "liquidation_started_on",
                    "liquidation_ended_on",
                    "liquidation_report",
                    "remaining_assets",
                    "submitted_on",
                    "application_deadline",
                    "late",
                )
            },
        ),
        (
            _("Review"),
            {"fields": ("supervisory_opinion", "consented_on", "remarks")},
        ),
        (
            _("Decision"),
            {
                "fields": (
                    "decision_reason",
                    "decided_on",
                    "decided_by",
                    "certificate_returned_on",
                    "seal_returned_on",
                    "returns_note",
                )
            },
        ),
    )

    def get_queryset(self, request):
        # Scoping lives in the selector; drafts stay with the organization.
        return deregistrations_visible_to(request.user).exclude(status=DeregistrationStatus.DRAFT)

    def get_search_results(self, request, queryset, search_term):
        match = REFERENCE.match(search_term.strip().upper())
        if match:
            return queryset.filter(pk=int(match.group(1))), False
        return super().get_search_results(request, queryset, search_term)

    @admin.display(description=_("reference"), ordering="pk")
    def reference(self, deregistration):
        return deregistration.reference

    @admin.display(description=_("deadline to apply"))
    def application_deadline(self, deregistration):
        return deregistration.application_deadline() or "—"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False  # decisions go through the review pages

    def has_delete_permission(self, request, obj=None):
        return False

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            context.update(
                review_moves=[
                    {
                        "status": status,
                        "url": reverse(REVIEW_MOVES[status][0], args=[obj.pk]),
                        "label": REVIEW_MOVES[status][1],
                    }
                    for status in deregistration_moves_for(obj, request.user)
                    if status in REVIEW_MOVES
                ],
                events=obj.events.select_related("actor"),
                awaiting_consent=obj.status == DeregistrationStatus.SUBMITTED and obj.needs_consent,
            )
        return super().render_change_form(request, context, add, change, form_url, obj)
