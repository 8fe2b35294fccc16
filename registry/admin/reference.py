"""The bureau's reference lists and one-row set-ups: industries, districts and streets, the
bureau's profile, the national divisions, supervisory units, Party-building bodies, and the
registration template."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core.admin import BaseAdmin, BaseHistoryAdmin

from ..bureau import bureau_defaults
from ..models import (
    BureauProfile,
    District,
    Division,
    Industry,
    PartyBuildingBody,
    RegistrationTemplate,
    Street,
    SupervisoryUnit,
)
from ..services.bureau import bureau_profile_save


@admin.register(Industry)
class IndustryAdmin(BaseHistoryAdmin):
    list_display = ("name", "code", "sort_order")
    search_fields = ("name", "code")


class StreetInline(admin.TabularInline):
    model = Street
    extra = 0


@admin.register(District)
class DistrictAdmin(BaseHistoryAdmin):
    list_display = ("name", "code", "kind")
    list_filter = ("kind",)
    search_fields = ("name", "code")
    inlines = (StreetInline,)


@admin.register(Street)
class StreetAdmin(BaseHistoryAdmin):
    list_display = ("name", "code", "district")
    list_select_related = ("district",)
    list_filter = ("district",)
    search_fields = ("name", "code", "district__name")


@admin.register(BureauProfile)
class BureauProfileAdmin(BaseHistoryAdmin):
    """The bureau's first-day set-up (one row), kept by the system administrator."""

    list_display = ("authority_name", "region_code", "organization_code_prefix", "ledger_title")
    fields = ("authority_name", "region_code", "organization_code_prefix", "ledger_title")

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not BureauProfile.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False

    def get_changeform_initial_data(self, request):
        defaults = bureau_defaults()
        return {name: getattr(defaults, name) for name in self.fields}

    def save_model(self, request, obj, form, change):
        saved, _synced = bureau_profile_save(
            by=request.user, **{name: form.cleaned_data[name] for name in self.fields}
        )
        obj.pk = saved.pk


@admin.register(Division)
class DivisionAdmin(BaseAdmin):
    """The national list shipped with the product: read-only (update_divisions refreshes it)."""

    list_display = ("code", "name", "level", "parent_code", "is_current")
    list_filter = ("level", "is_current")
    search_fields = ("=code", "name")
    list_per_page = 100
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SupervisoryUnit)
class SupervisoryUnitAdmin(BaseHistoryAdmin):
    list_display = ("name", "is_civil_affairs")
    list_filter = ("is_civil_affairs",)
    search_fields = ("name",)


@admin.register(PartyBuildingBody)
class PartyBuildingBodyAdmin(BaseHistoryAdmin):
    list_display = ("name", "is_default")
    search_fields = ("name",)


class RegistrationTemplateForm(forms.ModelForm):
    class Meta:
        model = RegistrationTemplate
        fields = ("charter_template", "party_building_clause", "pledge_text")

    def clean(self):
        from ..services.registration import charter_has_clause

        cleaned = super().clean()
        charter, clause = cleaned.get("charter_template"), cleaned.get("party_building_clause")
        if charter and clause and not charter_has_clause(charter, clause):
            # R-REG-1: every new charter starts from this template, so it must carry the clause.
            self.add_error(
                "charter_template",
                _("The charter template must contain the Party-building clause (R-REG-1)."),
            )
        return cleaned


@admin.register(RegistrationTemplate)
class RegistrationTemplateAdmin(BaseHistoryAdmin):
    """The bureau's charter template, its Party-building clause and the pledge (one row)."""

    form = RegistrationTemplateForm

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not RegistrationTemplate.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False
