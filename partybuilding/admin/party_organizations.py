"""The admin of Party organizations (founded through the service, R-PB-8..11), dispatches
(R-PB-4, R-PB-11) and industry leads (R-PB-10)."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from core.admin import BaseHistoryAdmin
from core.admin_widgets import (
    AutocompleteSelectMultiple,
    ModelMultipleChoiceField,
    SafeAutocompleteAdminMixin,
)
from core.large_tables import LargeTableAdmin
from core.masking_admin import MaskedPhonesAdmin
from core.queries import correlated_count
from registry.models import Organization
from registry.selectors import organizations_visible_to

from .. import services
from ..choices import FormationMode
from ..models import Coverage, Dispatch, IndustryLead, PartyMember, PartyOrganization
from ..selectors import party_organizations_visible_to


class PartyOrganizationFoundingForm(forms.ModelForm):
    """Founding asks which organizations it covers; the service enforces R-PB-8..11."""

    covered_organizations = ModelMultipleChoiceField(
        queryset=Organization.objects.all(),
        label=_("social organizations covered"),
        widget=AutocompleteSelectMultiple(
            PartyOrganization._meta.get_field("organizations"), admin.site
        ),
    )

    class Meta:
        model = PartyOrganization
        fields = (
            "name",
            "kind",
            "formation_mode",
            "founded_on",
            "secretary",
            "parent_body",
            "e_branch_joined_on",
        )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("formation_mode") and cleaned.get("covered_organizations") is not None:
            try:
                services.party_organization_check_founding(
                    formation_mode=cleaned["formation_mode"],
                    organizations=list(cleaned["covered_organizations"]),
                )
            except ValidationError as error:
                self.add_error("covered_organizations", error)
        return cleaned


class CoverageInline(SafeAutocompleteAdminMixin, admin.TabularInline):
    model = Coverage
    extra = 0
    autocomplete_fields = ("organization",)
    verbose_name_plural = _("social organizations covered")


class UndersizedJointFilter(admin.SimpleListFilter):
    """R-DEREG-7: joint branches left covering fewer than two organizations (one of them
    deregistered or revoked): the committee merges or re-forms them."""

    title = _("joint branch size")
    parameter_name = "joint_size"

    def lookups(self, request, model_admin):
        return [("below_two", _("covering fewer than two organizations"))]

    def queryset(self, request, queryset):
        if self.value() != "below_two":
            return queryset
        return queryset.filter(
            formation_mode=FormationMode.JOINT,
            dissolved_on__isnull=True,
            organization_count__lt=2,
        )


@admin.register(PartyOrganization)
class PartyOrganizationAdmin(SafeAutocompleteAdminMixin, LargeTableAdmin, BaseHistoryAdmin):
    list_display = (
        "name",
        "kind",
        "formation_mode",
        "founded_on",
        "dissolved_on",
        "organization_count",
        "member_count",
        "e_branch_joined_on",
    )
    list_filter = (
        "formation_mode",
        "kind",
        ("dissolved_on", admin.EmptyFieldListFilter),
        UndersizedJointFilter,
    )
    search_fields = ("name", "secretary", "organizations__name")
    autocomplete_fields = ("parent_body",)
    date_hierarchy = "founded_on"

    def get_queryset(self, request):
        # Correlated counts rather than joins and GROUP BY: only the rows of the page are
        # counted, and the change list's own count stays a plain one.
        return party_organizations_visible_to(request.user).annotate(
            # The organizations covered now: one that left (R-DEREG-7) is not counted.
            organization_count=correlated_count(
                Coverage.objects.filter(ended_on__isnull=True), "party_organization"
            ),
            member_count=correlated_count(
                PartyMember.objects.filter(left_on__isnull=True), "party_organization"
            ),
        )

    @admin.display(description=_("organizations"), ordering="organization_count")
    def organization_count(self, party_organization):
        return party_organization.organization_count

    @admin.display(description=_("members"), ordering="member_count")
    def member_count(self, party_organization):
        return party_organization.member_count

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = PartyOrganizationFoundingForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fields(self, request, obj=None):
        fields = list(super().get_fields(request, obj))
        if obj is None and "covered_organizations" not in fields:
            fields.insert(3, "covered_organizations")
        return fields

    def get_inlines(self, request, obj):
        return (CoverageInline,) if obj is not None else ()

    def save_form(self, request, form, change):
        if change:
            return super().save_form(request, form, change)
        # Founding goes through the service so its signal ends open dispatches (R-PB-11).
        data = form.cleaned_data
        return services.party_organization_found(
            name=data["name"],
            kind=data["kind"],
            formation_mode=data["formation_mode"],
            organizations=list(data["covered_organizations"]),
            founded_on=data["founded_on"],
            by=request.user,
            secretary=data.get("secretary", ""),
            parent_body=data.get("parent_body"),
            e_branch_joined_on=data.get("e_branch_joined_on"),
        )

    def save_model(self, request, obj, form, change):
        if change:
            obj._history_user = request.user
            obj.save()

    def save_related(self, request, form, formsets, change):
        if change:
            super().save_related(request, form, formsets, change)

    def response_add(self, request, obj, post_url_continue=None):
        self._warn(request, obj)
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        self._warn(request, obj)
        return super().response_change(request, obj)

    def _warn(self, request, party_organization):
        for warning in services.party_organization_warnings(party_organization=party_organization):
            messages.warning(request, warning)


class DispatchForm(forms.ModelForm):
    class Meta:
        model = Dispatch
        fields = (
            "organization",
            "dispatched_branch",
            "instructor_name",
            "instructor_unit",
            "instructor_phone",
            "started_on",
            "ended_on",
            "end_reason",
        )

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is None and cleaned.get("organization"):
            try:
                services.dispatch_check_start(organization=cleaned["organization"])
            except ValidationError as error:
                self.add_error("organization", error)
        return cleaned


@admin.register(Dispatch)
class DispatchAdmin(
    SafeAutocompleteAdminMixin, MaskedPhonesAdmin, LargeTableAdmin, BaseHistoryAdmin
):
    form = DispatchForm
    masked_phone_fields = ("instructor_phone",)
    list_display = (
        "organization",
        "instructor_name",
        "instructor_unit",
        "dispatched_branch",
        "started_on",
        "ended_on",
        "end_reason",
    )
    # The organization's page (its Party-building at a glance) links here for its own rows.
    linked_lookups = ("organization__id__exact",)
    list_select_related = ("organization",)
    list_filter = (
        ("ended_on", admin.EmptyFieldListFilter),
        "organization__industry",
        "organization__district",
    )
    search_fields = ("organization__name", "instructor_name", "dispatched_branch")
    autocomplete_fields = ("organization",)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .filter(organization__in=organizations_visible_to(request.user).values("pk"))
        )

    def save_model(self, request, obj, form, change):
        if not change:
            created = services.dispatch_start(
                organization=obj.organization,
                dispatched_branch=obj.dispatched_branch,
                instructor_name=obj.instructor_name,
                instructor_unit=obj.instructor_unit,
                instructor_phone=obj.instructor_phone,
                started_on=obj.started_on,
                by=request.user,
            )
            obj.pk = created.pk
            return
        obj._history_user = request.user
        obj.save()


@admin.register(IndustryLead)
class IndustryLeadAdmin(SafeAutocompleteAdminMixin, BaseHistoryAdmin):
    list_display = ("industry", "lead_organization", "driven_count", "designated_on")
    list_select_related = ("industry", "lead_organization")
    autocomplete_fields = ("lead_organization", "driven_organizations")

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(driven_count=Count("driven_organizations"))

    @admin.display(description=_("organizations driven"), ordering="driven_count")
    def driven_count(self, lead):
        return lead.driven_count
