from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.admin import BaseAdmin
from core.pagination import LargeTablePaginator

from .downloads import export_response
from .exports import audit_workbook_write
from .models import AuditAnchor, AuditRecord
from .selectors import audit_export_rows


class ReadOnlyAdmin(BaseAdmin):
    """The log is read, never written, through the admin: the superuser included."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class StaffUserFilter(admin.SimpleListFilter):
    """Staff accounts only: there may be a million organization accounts, found by search."""

    title = _("user")
    parameter_name = "user"

    def lookups(self, request, model_admin):
        from django.contrib.auth import get_user_model

        staff = get_user_model().objects.filter(is_staff=True).order_by("username")
        return [(str(user.pk), user.get_username()) for user in staff[:200]]

    def queryset(self, request, queryset):
        value = self.value()
        return queryset.filter(user_id=value) if value and value.isdigit() else queryset


def object_type_label(value: str) -> str:
    """ "accounts.user" as people read it: the model's name (用户); unknown types unchanged."""
    from django.apps import apps

    try:
        return str(apps.get_model(value)._meta.verbose_name) if value else ""
    except (LookupError, ValueError):
        return value


class ObjectTypeFilter(admin.SimpleListFilter):
    title = _("object type")
    parameter_name = "object_type"

    def lookups(self, request, model_admin):
        types = (
            AuditRecord.objects.order_by("object_type")
            .values_list("object_type", flat=True)
            .distinct()
        )
        return [(value, object_type_label(value)) for value in types if value]

    def queryset(self, request, queryset):
        return queryset.filter(object_type=self.value()) if self.value() else queryset


@admin.register(AuditRecord)
class AuditRecordAdmin(ReadOnlyAdmin):
    list_display = (
        "sequence",
        "occurred_at",
        "username",
        "action",
        "object_type_shown",
        "object_id",
        "summary",
        "ip_address",
    )
    list_filter = (StaffUserFilter, "action", ObjectTypeFilter)
    search_fields = ("username", "=object_id", "summary")
    date_hierarchy = "occurred_at"
    list_select_related = ()
    paginator = LargeTablePaginator
    show_full_result_count = False
    actions = ("export_xlsx",)
    fields = (
        "sequence",
        "occurred_at",
        "user",
        "username",
        "action",
        "object_type_shown",
        "object_id",
        "summary",
        "details",
        "ip_address",
        "history_content_type",
        "history_id",
        "previous_hash",
        "hash",
    )

    @admin.display(description=_("object type"), ordering="object_type")
    def object_type_shown(self, record):
        return object_type_label(record.object_type)

    @admin.action(description=_("Export the selected audit records to Excel"), permissions=["view"])
    def export_xlsx(self, request, queryset):
        # "Select all" over a filtered list exports the whole filtered log, streamed.
        return export_response(
            request,
            write=lambda target: audit_workbook_write(
                target, audit_export_rows(queryset.order_by("sequence"))
            ),
            filename=f"audit-log-{timezone.localtime():%Y%m%d-%H%M%S}.xlsx",
            kind="audit_log",
            object_type="audit.auditrecord",
            what=_("the audit log"),
            filters=request.GET.dict(),
        )


@admin.register(AuditAnchor)
class AuditAnchorAdmin(ReadOnlyAdmin):
    list_display = ("last_sequence", "purged_before", "purged_count", "username", "created_at")
