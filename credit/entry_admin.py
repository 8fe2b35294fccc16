"""List entries in the admin (R-CR). Read-only: the clerk decides through the review pages
(credit.review_views), which call the services; the page shows the evidence in words, the
organization's answers and the events."""

from django.contrib import admin
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.admin import BaseAdmin

from .choices import EntryStatus as S
from .models import ListEntry
from .review_views import entry_context
from .selectors import (
    AWAITING_DECISION,
    AWAITING_REMOVAL,
    entries_visible_to,
    entry_moves_for,
)
from .workflow import CLERK, entry_acts_as


def _buttons(entry, user) -> list[dict]:
    """The object-tool buttons: the moves the user may make now (credit.workflow)."""
    moves = entry_moves_for(entry, user)
    buttons = []

    def add(name, label, status):
        buttons.append(
            {"url": reverse(f"credit:{name}", args=[entry.pk]), "label": label, "status": status}
        )

    if S.LISTED in moves and entry.status == S.PROPOSED:
        add("confirm", gettext("List the organization"), S.LISTED)
    if S.DISMISSED in moves:
        add("dismiss", gettext("Do not list"), S.DISMISSED)
    if S.REMOVED in moves:
        add("remove", gettext("Remove from the list"), S.REMOVED)
    if S.LISTED in moves and entry.status == S.REMOVAL_REQUESTED:
        add("refuse", gettext("Refuse the removal request"), S.LISTED)
    return buttons


class AwaitingFilter(admin.SimpleListFilter):
    """What waits for the clerk (the workbench's to-do counts link here)."""

    title = _("waiting for")
    parameter_name = "awaiting"
    conditions = {"decision": AWAITING_DECISION, "removal": AWAITING_REMOVAL}

    def lookups(self, request, model_admin):
        return [
            ("decision", _("a decision on the proposal")),
            ("removal", _("a decision on the removal request")),
        ]

    def queryset(self, request, queryset):
        condition = self.conditions.get(self.value())
        return queryset if condition is None else queryset.filter(condition)


@admin.register(ListEntry)
class ListEntryAdmin(BaseAdmin):
    list_display = (
        "organization",
        "credit_list",
        "ground",
        "status",
        "proposed_on",
        "listed_on",
        "term_starts_on",
        "removed_on",
    )
    linked_lookups = ("organization__id__exact",)
    list_filter = (AwaitingFilter, "credit_list", "ground", "status", "proposed_by_job")
    list_select_related = ("organization",)
    search_fields = ("organization__name", "organization__credit_code", "decision_number")
    list_per_page = 50
    date_hierarchy = None
    fieldsets = (
        (None, {"fields": ("organization", "credit_list", "ground", "status")}),
        (_("Proposal"), {"fields": ("proposed_on", "proposed_by_job")}),
        (
            _("Decision"),
            {
                "fields": (
                    "decision_number",
                    "decision_text",
                    "listed_on",
                    "term_starts_on",
                    "decided_by",
                    "dismissal_reason",
                )
            },
        ),
        (
            _("Removal"),
            {
                "fields": (
                    "removal_requested_on",
                    "removal_verified_on",
                    "removed_on",
                    "removal_path",
                    "removal_reason",
                    "escalated_to",
                )
            },
        ),
    )

    def get_queryset(self, request):
        return entries_visible_to(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False  # a view; decisions go through the review pages

    def has_delete_permission(self, request, obj=None):
        return False

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            context.update(entry_context(obj))
            context["review_moves"] = _buttons(obj, request.user)
            context["may_reply"] = entry_acts_as(request.user, CLERK, obj)
        return super().render_change_form(request, context, add, change, form_url, obj)
