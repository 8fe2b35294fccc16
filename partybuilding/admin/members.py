"""The Party members' admin: ID numbers masked unless the user may see them (R-ID-2), found
by a full ID number (audited) or a credit code."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.admin import BaseHistoryAdmin
from core.admin_widgets import SafeAutocompleteAdminMixin
from core.identity import UNMASK_PERMISSION, can_see_id_numbers, mask_id_number, validate_id_number
from core.large_tables import LargeTableAdmin, TrigramSearch
from core.masking_admin import MaskedPhonesAdmin
from registry.credit_codes import credit_code_lookup
from registry.id_number_audit import record_unmasked_view
from registry.id_number_search import id_number_search_allowed, id_number_search_refused_message

from ..models import PartyMember
from ..selectors import party_members_visible_to


class ActiveFilter(admin.SimpleListFilter):
    title = _("on the roll")
    parameter_name = "active"

    def lookups(self, request, model_admin):
        return [("yes", _("active")), ("no", _("left"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(left_on__isnull=True)
        if self.value() == "no":
            return queryset.filter(left_on__isnull=False)
        return queryset


@admin.register(PartyMember)
class PartyMemberAdmin(
    SafeAutocompleteAdminMixin,
    MaskedPhonesAdmin,
    LargeTableAdmin,
    TrigramSearch,
    BaseHistoryAdmin,
):
    list_display = (
        "name",
        "masked_id_number",
        "sex",
        "status",
        "organization",
        "role",
        "relationship",
        "party_organization",
        "left_on",
    )
    # The organization's page (its Party-building at a glance) links here for its own rows.
    linked_lookups = ("organization__id__exact",)
    list_select_related = ("organization", "party_organization")
    list_filter = (
        ActiveFilter,
        "status",
        "role",
        "relationship",
        "organization__industry",
        "organization__district",
    )
    # Credit codes and ID numbers are searched apart (get_search_results); `icontains` across
    # the organization join would scan three million rows for every search.
    search_fields = ("name",)
    short_word_lookup = "startswith"  # 张, 张伟: a surname or a whole two-character name
    autocomplete_fields = ("organization", "party_organization")
    readonly_fields = ("birth_date", "masked_id_number")
    masked_phone_fields = ("phone",)
    list_per_page = 50

    @admin.display(description=_("resident ID number"))
    def masked_id_number(self, member):
        return mask_id_number(member.id_number)

    @admin.display(description=_("resident ID number"))
    def full_id_number(self, member):
        return member.id_number  # not sortable: the column holds ciphertext

    def get_list_display(self, request):
        # R-ID-2: the full number only for holders of the explicit permission. Decided per
        # request: this admin object is shared by every request and thread.
        if request.user.has_perm(UNMASK_PERMISSION):
            return ["full_id_number" if f == "masked_id_number" else f for f in self.list_display]
        return self.list_display

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        changelist = getattr(response, "context_data", {}).get("cl")
        if changelist is not None and request.user.has_perm(UNMASK_PERMISSION):
            record_unmasked_view(
                request,
                model=PartyMember,
                count=len(changelist.result_list),
                where=gettext("Party members list"),
            )
        return response

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        shown = getattr(response, "context_data", {}).get("original") is not None
        if shown and request.user.has_perm(UNMASK_PERMISSION):  # get_fields() shows it whole
            record_unmasked_view(
                request,
                model=PartyMember,
                count=1,
                where=gettext("Party member details"),
                object_id=object_id,
            )
        return response

    def get_queryset(self, request):
        return party_members_visible_to(request.user).select_related(
            "organization", "party_organization"
        )

    def get_fields(self, request, obj=None):
        fields = [f for f in super().get_fields(request, obj) if f != "masked_id_number"]
        if obj is not None and not can_see_id_numbers(request.user):
            # The stored number is never sent to the browser of someone who may not see it,
            # nor the birth date, which is digits 7-14 of it (R-ID-2).
            fields = [
                "masked_id_number" if f == "id_number" else f for f in fields if f != "birth_date"
            ]
        return fields

    def get_search_results(self, request, queryset, search_term):
        # A full ID number finds its member (exact match only: no guessing by fragments).
        term = search_term.strip().upper()
        if _is_id_number(term):
            # R-ID-2: each such search is audited, and counted against the hourly limit.
            if not id_number_search_allowed(
                user=request.user,
                number=term,
                where=gettext("Party members list · search by ID number"),
                request=request,
            ):
                messages.error(request, id_number_search_refused_message())
                return queryset.none(), False
            return queryset.with_id_number(term), False
        # A credit code (or its start) finds the members of its organizations, on its index.
        lookup = credit_code_lookup(search_term, field="organization__credit_code")
        if lookup is not None:
            return queryset.filter(lookup), False
        return super().get_search_results(request, queryset, search_term)

    def save_model(self, request, obj, form, change):
        obj._history_user = request.user
        super().save_model(request, obj, form, change)


def _is_id_number(term: str) -> bool:
    # Credit codes can be 17 digits and a check character too; the ID check digit tells them apart.
    try:
        validate_id_number(term)
    except ValidationError:
        return False
    return True
