from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core.admin import BaseHistoryAdmin
from core.admin_widgets import SafeAutocompleteAdminMixin
from core.concurrency_admin import OptimisticLockAdminMixin
from core.large_tables import LargeTableAdmin, TrigramSearch

from ..admin_extensions import extension_list_filters, extension_panels
from ..credit_codes import credit_code_lookup
from ..models import Organization
from ..selectors import organizations_visible_to
from .certificates import certificates_panel


@admin.register(Organization)
class OrganizationAdmin(
    SafeAutocompleteAdminMixin,
    OptimisticLockAdminMixin,
    LargeTableAdmin,
    TrigramSearch,
    BaseHistoryAdmin,
):
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
    # Credit codes are searched apart (get_search_results): `icontains` would scan the table.
    search_fields = ("name", "legal_representative")
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
        (_("Registered items"), {"fields": ("business_scope", "registered_capital")}),
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

    def get_readonly_fields(self, request, obj=None):
        # R-DEREG: an organization's registration ends through the deregistration or the
        # revocation (their decision, date, returns and notice), never by editing its status.
        fields = tuple(super().get_readonly_fields(request, obj))
        if obj is not None:
            fields += ("status", "registration_ended_on")
        return fields

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or obj.registration_ended_on is None:
            return fieldsets
        (name, options), *rest = fieldsets
        fields = (*options["fields"], "registration_ended_on")
        return ((name, {**options, "fields": fields}), *rest)

    def get_list_filter(self, request):
        # Higher apps' filters (credit supervision's 信用状态) after the registry's own.
        return (*super().get_list_filter(request), *extension_list_filters())

    def get_queryset(self, request):
        # Scoping lives in the selector, so the admin, the portal and exports agree.
        return organizations_visible_to(request.user)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # The certificate panel under the fields (its links depend on who looks).
        organization = self.get_object(request, object_id)
        extra_context = {
            **(extra_context or {}),
            "certificates_panel": certificates_panel(organization, request.user),
            "extension_panels": (
                extension_panels(organization, request.user) if organization is not None else []
            ),
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def get_search_results(self, request, queryset, search_term):
        # Credit codes are read off paper: accept lower case and stray spaces.
        lookup = credit_code_lookup(search_term)
        if lookup is not None:
            return queryset.filter(lookup), False
        return super().get_search_results(request, queryset, search_term)
