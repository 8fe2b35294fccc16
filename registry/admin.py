from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .credit_codes import normalize_credit_code
from .models import District, Industry, Organization, PartyBuildingBody, Street, SupervisoryUnit
from .selectors import organizations_visible_to

admin.site.site_header = _("Social organization registry and Party-building synchronization")
admin.site.site_title = _("Social organization registry")
admin.site.index_title = _("Registration authority workbench")
admin.site.index_template = "admin/workbench_index.html"


@admin.register(Organization)
class OrganizationAdmin(SimpleHistoryAdmin):
    list_display = (
        "name",
        "credit_code",
        "organization_type",
        "industry",
        "district",
        "supervisory_unit",
        "bureau_managed",
        "status",
    )
    list_select_related = ("industry", "district", "supervisory_unit")
    search_fields = ("name", "credit_code", "legal_representative")
    list_filter = (
        "organization_type",
        "industry",
        "district",
        "supervisory_unit",
        "status",
        "bureau_managed",
    )
    readonly_fields = ("bureau_managed", "created_at", "updated_at")
    autocomplete_fields = ("street",)
    list_per_page = 50
    fieldsets = (
        (None, {"fields": ("name", "credit_code", "organization_type", "industry", "status")}),
        (
            _("Supervision"),
            {"fields": ("supervisory_unit", "bureau_managed", "party_building_body")},
        ),
        (
            _("Contacts and location"),
            {
                "fields": (
                    "legal_representative",
                    "contact_person",
                    "contact_phone",
                    "address",
                    "district",
                    "street",
                    "full_time_staff",
                )
            },
        ),
        (_("Dates"), {"fields": ("established_on", "registered_on", "created_at", "updated_at")}),
    )
    history_list_display = ("status",)

    def get_queryset(self, request):
        # Scoping lives in the selector, so the admin, the portal and exports agree.
        return organizations_visible_to(request.user)

    def get_search_results(self, request, queryset, search_term):
        # Credit codes are read off paper: accept lower case and stray spaces.
        normalized = normalize_credit_code(search_term)
        if len(normalized) == 18:
            exact = queryset.filter(credit_code=normalized)
            if exact.exists():
                return exact, False
        return super().get_search_results(request, queryset, search_term)


@admin.register(Industry)
class IndustryAdmin(SimpleHistoryAdmin):
    list_display = ("name", "code", "sort_order")
    search_fields = ("name", "code")


class StreetInline(admin.TabularInline):
    model = Street
    extra = 0


@admin.register(District)
class DistrictAdmin(SimpleHistoryAdmin):
    list_display = ("name", "code", "kind")
    list_filter = ("kind",)
    search_fields = ("name", "code")
    inlines = (StreetInline,)


@admin.register(Street)
class StreetAdmin(SimpleHistoryAdmin):
    list_display = ("name", "district")
    list_select_related = ("district",)
    list_filter = ("district",)
    search_fields = ("name", "district__name")


@admin.register(SupervisoryUnit)
class SupervisoryUnitAdmin(SimpleHistoryAdmin):
    list_display = ("name", "is_civil_affairs")
    list_filter = ("is_civil_affairs",)
    search_fields = ("name",)


@admin.register(PartyBuildingBody)
class PartyBuildingBodyAdmin(SimpleHistoryAdmin):
    list_display = ("name", "is_default")
    search_fields = ("name",)
