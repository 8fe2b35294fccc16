"""Each recipient's copies of new organizations' member forms, acknowledged through the
service (R-REG-3)."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.admin import BaseAdmin
from core.large_tables import LargeTableAdmin
from registry.credit_codes import credit_code_lookup

from ..member_forms import services as member_form_services
from ..member_forms.selectors import (
    member_form_copies_visible_to,
    overdue_cutoff,
    with_overdue_flag,
)
from ..models import MemberFormCopy


class AcknowledgementFilter(admin.SimpleListFilter):
    title = _("acknowledgement")
    parameter_name = "acknowledgement"

    def lookups(self, request, model_admin):
        return [
            ("unacknowledged", _("not acknowledged")),
            ("overdue", _("overdue")),
            ("acknowledged", _("acknowledged")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "unacknowledged":
            return queryset.filter(acknowledged_at__isnull=True)
        if self.value() == "overdue":
            return queryset.filter(acknowledged_at__isnull=True, filed_on__lte=overdue_cutoff())
        if self.value() == "acknowledged":
            return queryset.filter(acknowledged_at__isnull=False)
        return queryset


def _print_url(copy) -> str | None:
    # The printable form belongs to the portal; until it exists the link is simply left out.
    try:
        return reverse("portal:print_member_form", args=[copy.application_id, copy.kind])
    except NoReverseMatch:
        return None


@admin.register(MemberFormCopy)
class MemberFormCopyAdmin(LargeTableAdmin, BaseAdmin):
    """Each recipient's copies of new organizations' member forms, and the clerk's overview.
    Read-only; the one write is acknowledging, through the service (R-REG-3)."""

    list_display = (
        "organization",
        "kind",
        "recipient",
        "filed_on",
        "acknowledged_at",
        "acknowledged_by",
        "overdue_flag",
        "links",
    )
    list_filter = (AcknowledgementFilter, "kind")
    list_select_related = ("organization", "supervisory_unit", "party_building_body")
    search_fields = ("organization__name",)  # credit codes: get_search_results
    actions = ["acknowledge_selected"]
    fields = (
        "organization",
        "application",
        "kind",
        "recipient",
        "filed_on",
        "acknowledged_at",
        "acknowledged_by",
        "overdue_flag",
        "note",
        "links",
    )
    readonly_fields = fields
    date_hierarchy = "filed_on"

    def get_queryset(self, request):
        return with_overdue_flag(member_form_copies_visible_to(request.user))

    def get_search_results(self, request, queryset, search_term):
        lookup = credit_code_lookup(search_term, field="organization__credit_code")
        if lookup is not None:
            return queryset.filter(lookup), False
        return super().get_search_results(request, queryset, search_term)

    @admin.display(description=_("recipient"))
    def recipient(self, copy):
        from registry.choices import CopyKind

        if copy.kind == CopyKind.SUPERVISORY_UNIT:
            return copy.supervisory_unit
        if copy.kind == CopyKind.COMMITTEE:
            return copy.party_building_body or _("Party working committee")
        return _("registration authority (archive)")

    @admin.display(description=_("overdue"), ordering="-is_overdue")
    def overdue_flag(self, copy):
        if getattr(copy, "is_overdue", False):
            label = _("overdue, not acknowledged")
            return format_html('<span class="overdue-flag">{}</span>', label)
        return ""

    @admin.display(description=_("links"))
    def links(self, copy):
        links = []  # (url, target, label)
        url = _print_url(copy)
        if url:
            links.append((url, "_blank", _("print")))
        application_url = reverse("admin:registry_application_change", args=[copy.application_id])
        links.append((application_url, "_self", _("application")))
        return format_html_join(" · ", '<a href="{}" target="{}">{}</a>', links)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False  # read-only; acknowledging is the action below

    def has_delete_permission(self, request, obj=None):
        return False

    def has_acknowledge_permission(self, request):
        return request.user.has_perm("partybuilding.change_memberformcopy")

    @admin.action(description=_("Acknowledge the selected copies"), permissions=["acknowledge"])
    def acknowledge_selected(self, request, queryset):
        acknowledged, already, not_addressed = 0, 0, []
        for copy in queryset:
            if not member_form_services.member_form_copy_is_addressed_to(
                copy=copy, user=request.user
            ):
                not_addressed.append(copy)
                continue
            if copy.acknowledged_at:
                already += 1
                continue
            try:
                member_form_services.member_form_copy_acknowledge(copy=copy, by=request.user)
            except PermissionDenied:
                not_addressed.append(copy)
            else:
                acknowledged += 1
        if acknowledged:
            messages.success(
                request,
                ngettext(
                    "%(count)d copy acknowledged.", "%(count)d copies acknowledged.", acknowledged
                )
                % {"count": acknowledged},
            )
        if already:
            messages.info(
                request,
                ngettext(
                    "%(count)d copy was already acknowledged.",
                    "%(count)d copies were already acknowledged.",
                    already,
                )
                % {"count": already},
            )
        if not_addressed:
            messages.warning(
                request,
                _("Not addressed to you, so not acknowledged: %(copies)s")
                % {"copies": "、".join(str(copy) for copy in not_addressed)},
            )
