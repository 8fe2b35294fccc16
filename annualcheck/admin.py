"""Annual checks in the admin (R-AC-1..6). Read-only: the clerk and the supervisory unit decide
through the review pages (annualcheck.review_views), which call the services."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from core.admin import BaseAdmin
from core.identity import UNMASK_PERMISSION, id_number_for_display
from registry.id_number_audit import record_unmasked_view

from . import services
from .choices import CheckStatus
from .models import (
    CLERK,
    REPORT_FIELDS,
    SUPERVISOR,
    AnnualCheck,
    Rectification,
    RegisterEntry,
    formation_mode_label,
)
from .selectors import (
    AWAITING_PRE_REVIEW,
    AWAITING_REVIEW,
    annual_check_moves_for,
    annual_checks_visible_to,
    default_year,
    overdue_rectifications,
    rectification_counts,
    rectifications_visible_to,
    with_overdue_flag,
    years_reported,
)
from .services import rectifications
from .workflow import annual_check_acts_as

S = CheckStatus


def _buttons(annual_check, user) -> list[dict]:
    """The object-tool buttons: the moves the user may make now, by the user's part."""
    moves = annual_check_moves_for(annual_check, user)
    is_clerk = annual_check_acts_as(user, CLERK, annual_check)
    buttons = []

    def add(name, label, status, query=""):
        url = reverse(f"annualcheck:{name}", args=[annual_check.pk]) + query
        buttons.append({"url": url, "label": label, "status": status})

    if S.PRE_REVIEWED in moves:
        add("pre_review", gettext("Pass the pre-review"), S.PRE_REVIEWED)
    if S.REVIEWED in moves:
        add("review", gettext("Review (set the result)"), S.REVIEWED)
    if S.RETURNED in moves:
        if is_clerk:
            add("return", gettext("Return"), S.RETURNED)
        elif annual_check_acts_as(user, SUPERVISOR, annual_check):
            add("pre_review", gettext("Return"), S.RETURNED, "?decision=return")
    return buttons


class AwaitingFilter(admin.SimpleListFilter):
    """Whose move it is (the workbench's to-do counts link here)."""

    title = _("waiting for")
    parameter_name = "awaiting"
    conditions = {"pre_review": AWAITING_PRE_REVIEW, "review": AWAITING_REVIEW}

    def lookups(self, request, model_admin):
        return [
            ("pre_review", _("the supervisory unit's pre-review")),
            ("review", _("the registration authority's review")),
        ]

    def queryset(self, request, queryset):
        condition = self.conditions.get(self.value())
        return queryset if condition is None else queryset.filter(condition)


@admin.register(AnnualCheck)
class AnnualCheckAdmin(BaseAdmin):
    list_display = (
        "organization",
        "year",
        "status",
        "late",
        "result",
        "submitted_on",
        "reviewed_on",
        "open_rectifications",
    )
    # The organization's page (its Party-building at a glance) links here for its own rows.
    linked_lookups = ("organization__id__exact",)
    list_filter = (
        AwaitingFilter,
        "year",
        "status",
        "result",
        "late",
        ("organization__district", admin.RelatedOnlyFieldListFilter),
        ("organization__industry", admin.RelatedOnlyFieldListFilter),
        ("organization__supervisory_unit", admin.RelatedOnlyFieldListFilter),
    )
    list_select_related = (
        "organization",
        "organization__industry",
        "organization__district",
        "organization__supervisory_unit",
    )
    search_fields = ("organization__name", "organization__credit_code")
    list_per_page = 50
    actions = ["export_results"]
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "organization",
                    "year",
                    "status",
                    "needs_pre_review",
                    "submitted_on",
                    "late",
                )
            },
        ),
        (_("Pre-review"), {"fields": ("supervisory_opinion",)}),
        (
            _("Result"),
            {
                "fields": (
                    "result",
                    "default_result",
                    "result_reason",
                    "reviewed_on",
                    "reviewed_by",
                )
            },
        ),
    )

    def get_queryset(self, request):
        return annual_checks_visible_to(request.user).annotate(**rectification_counts())

    @admin.display(description=_("open rectifications"), ordering="open_rectification_count")
    def open_rectifications(self, annual_check):
        return annual_check.open_rectification_count

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False  # a view; decisions go through the review pages

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Export the selected annual checks to Excel"), permissions=["view"])
    def export_results(self, request, queryset):
        from .review_views import results_response

        years = sorted(set(queryset.values_list("year", flat=True)))
        year = years[0] if len(years) == 1 else "—".join(str(y) for y in (years[0], years[-1]))
        checks = AnnualCheck.objects.filter(pk__in=queryset.values("pk"))
        return results_response(checks, year=year, request=request)

    def changelist_view(self, request, extra_context=None):
        # The results download offers every year with data, opening on the filtered year or
        # the latest one reported on (not an empty current year).
        years = years_reported(annual_checks_visible_to(request.user).exclude(status=S.DRAFT))
        chosen = request.GET.get("year__exact") or request.GET.get("year")
        extra = {
            "result_years": years,
            "result_year": int(chosen) if chosen and chosen.isdigit() else default_year(years),
        }
        return super().changelist_view(request, {**extra, **(extra_context or {})})

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            context.update(self.review_context(request, obj))
        return super().render_change_form(request, context, add, change, form_url, obj)

    def review_context(self, request, annual_check) -> dict:
        report = getattr(annual_check, "party_building", None)
        differences = services.party_building_differences(report) if report else []
        register = [
            {
                "entry": entry,
                "id_number": id_number_for_display(entry.id_number, request.user),
            }
            for entry in annual_check.register.all()
        ]
        if request.user.has_perm(UNMASK_PERMISSION):
            record_unmasked_view(
                request,
                model=RegisterEntry,
                count=len(register),
                where=gettext("annual-check review · member register"),
                object_id=annual_check.pk,
            )
        items = list(annual_check.items.all())
        return {
            "review_moves": _buttons(annual_check, request.user),
            "report": report,
            "report_rows": _report_rows(report, {label for label, _k, _v in differences}),
            "differences": differences,
            "register": register,
            "party_building_item": items[0] if items else None,
            "other_items": items[1:],
            "events": annual_check.events.select_related("actor", "rectification"),
            "rectifications": with_overdue_flag(annual_check.rectifications.all()),
        }


def _report_rows(report, changed_labels) -> list[dict]:
    """The Party-building report's fields, those differing from the records marked."""
    if report is None:
        return []
    rows = []
    for name in REPORT_FIELDS:
        field = report._meta.get_field(name)
        label = str(field.verbose_name)
        value = getattr(report, name)
        known = report.known.get(name)
        if isinstance(value, bool):
            value = gettext("yes") if value else gettext("no")
        if isinstance(known, bool):
            known = gettext("yes") if known else gettext("no")
        if name == "formation_mode":
            value, known = formation_mode_label(value), formation_mode_label(known)
        rows.append(
            {
                "label": label,
                "value": value,
                "known": known,
                "changed": label in changed_labels,
            }
        )
    return rows


# --- Rectification items (R-AC-5) -------------------------------------------------------------


class OverdueFilter(admin.SimpleListFilter):
    title = _("overdue")
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("yes", _("overdue")), ("no", _("not overdue"))]

    def queryset(self, request, queryset):
        overdue = overdue_rectifications().values("pk")
        if self.value() == "yes":
            return queryset.filter(pk__in=overdue)
        if self.value() == "no":
            return queryset.exclude(pk__in=overdue)
        return queryset


@admin.register(Rectification)
class RectificationAdmin(BaseAdmin):
    list_display = (
        "annual_check_shown",
        "organization",
        "problem_short",
        "due_on",
        "status",
        "overdue_flag",
    )
    list_filter = ("status", OverdueFilter)
    list_select_related = ("annual_check__organization",)
    search_fields = ("problem", "annual_check__organization__name")
    actions = ["close_selected", "reopen_selected"]
    fields = (
        "annual_check_shown",
        "problem",
        "due_on",
        "status",
        "answer",
        "answered_on",
        "closed_on",
    )
    readonly_fields = fields
    list_per_page = 50

    def get_queryset(self, request):
        return with_overdue_flag(rectifications_visible_to(request.user))

    @admin.display(description=_("annual check"), ordering="annual_check")
    def annual_check_shown(self, rectification):
        return rectification.annual_check

    @admin.display(description=_("social organization"), ordering="annual_check__organization")
    def organization(self, rectification):
        return rectification.annual_check.organization

    @admin.display(description=_("problem"))
    def problem_short(self, rectification):
        return (
            rectification.problem
            if len(rectification.problem) <= 60
            else (rectification.problem[:60] + "…")
        )

    @admin.display(description=_("overdue"), ordering="-is_overdue")
    def overdue_flag(self, rectification):
        if getattr(rectification, "is_overdue", False):
            return format_html('<span class="overdue-flag">{}</span>', _("overdue"))
        return ""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False  # read-only; closing and reopening go through the services

    def has_delete_permission(self, request, obj=None):
        return False

    def has_close_permission(self, request):
        return request.user.is_clerk and request.user.has_perm("annualcheck.change_rectification")

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and self.has_close_permission(request):
            context["reopen_url"] = reverse("annualcheck:rectification_reopen", args=[obj.pk])
        if obj is not None:
            context["events"] = obj.events.select_related("actor")
        return super().render_change_form(request, context, add, change, form_url, obj)

    @admin.action(description=pgettext_lazy("rectification", "Close"), permissions=["close"])
    def close_selected(self, request, queryset):
        closed, problems = 0, []
        for rectification in queryset.select_related("annual_check"):
            try:
                rectifications.rectification_close(rectification=rectification, by=request.user)
            except (ValidationError, PermissionDenied) as error:
                problems.append(f"{rectification}：{'；'.join(_messages(error))}")
            else:
                closed += 1
        if closed:
            messages.success(
                request,
                ngettext(
                    "%(count)d rectification item closed.",
                    "%(count)d rectification items closed.",
                    closed,
                )
                % {"count": closed},
            )
        for problem in problems:
            messages.error(request, problem)

    @admin.action(description=_("Reopen (asks the reason)"), permissions=["close"])
    def reopen_selected(self, request, queryset):
        from django.shortcuts import redirect

        if queryset.count() != 1:
            messages.warning(request, gettext("Reopen one rectification item at a time."))
            return None
        return redirect("annualcheck:rectification_reopen", queryset.get().pk)


def _messages(error) -> list[str]:
    if isinstance(error, ValidationError):
        return error.messages
    return [str(error) or gettext("You may not do this.")]
