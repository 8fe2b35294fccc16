"""The copies of approved changes that move Party-building responsibility (R-CHG-6): each
recipient's list, acknowledged through the service."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.admin import BaseAdmin
from core.large_tables import LargeTableAdmin
from registry.choices import CopyKind

from .. import change_notices as services
from ..models import ChangeNotice


@admin.register(ChangeNotice)
class ChangeNoticeAdmin(LargeTableAdmin, BaseAdmin):
    list_display = (
        "organization",
        "kind",
        "recipient",
        "body_moved",
        "what_changed",
        "filed_on",
        "acknowledged_at",
        "acknowledged_by",
        "application_link",
    )
    list_filter = ("kind",)
    list_select_related = ("organization", "change", "supervisory_unit", "party_building_body")
    search_fields = ("organization__name",)
    actions = ["acknowledge_selected"]
    fields = (
        "organization",
        "kind",
        "recipient",
        "previous_party_building_body",
        "what_changed",
        "filed_on",
        "acknowledged_at",
        "acknowledged_by",
        "application_link",
    )
    readonly_fields = fields

    def get_queryset(self, request):
        return services.change_notices_visible_to(request.user)

    @admin.display(description=_("recipient"))
    def recipient(self, notice):
        if notice.kind == CopyKind.SUPERVISORY_UNIT:
            return notice.supervisory_unit
        return notice.party_building_body or _("Party working committee")

    @admin.display(description=_("Party-building body"))
    def body_moved(self, notice):
        before, after = notice.previous_party_building_body, notice.party_building_body
        if before and after and before != after:
            return format_html("{} → {}", before, after)
        return after or "—"

    @admin.display(description=_("what changed"))
    def what_changed(self, notice):
        return format_html_join(
            "",
            "<div>{}: {} → {}</div>",
            ((label, before or "—", after or "—") for label, before, after in notice.summary),
        )

    @admin.display(description=_("change application"))
    def application_link(self, notice):
        url = reverse("admin:registry_changeapplication_change", args=[notice.change_id])
        return format_html('<a href="{}">{}</a>', url, notice.change.reference)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_acknowledge_permission(self, request):
        return request.user.has_perm("partybuilding.change_changenotice")

    @admin.action(description=_("Acknowledge the selected copies"), permissions=["acknowledge"])
    def acknowledge_selected(self, request, queryset):
        acknowledged, not_addressed = 0, []
        for notice in queryset:
            try:
                if notice.acknowledged_at is None:
                    services.change_notice_acknowledge(notice=notice, by=request.user)
                    acknowledged += 1
            except PermissionDenied:
                not_addressed.append(str(notice))
        if acknowledged:
            messages.success(
                request,
                ngettext(
                    "%(count)d copy acknowledged.", "%(count)d copies acknowledged.", acknowledged
                )
                % {"count": acknowledged},
            )
        if not_addressed:
            messages.warning(
                request,
                _("Not addressed to you, so not acknowledged: %(copies)s")
                % {"copies": "、".join(not_addressed)},
            )
