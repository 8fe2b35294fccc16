from django.contrib import admin

from .models import ExportJob


@admin.register(ExportJob)
class ExportJobAdmin(admin.ModelAdmin):
    """Read-only: jobs are made by export_start and run by the worker, files fetched by their
    owner through exports:download."""

    list_display = ("pk", "kind", "user", "status", "rows_written", "rows_total", "created_at")
    list_filter = ("status", "kind")
    list_select_related = ("user",)
    search_fields = ("user__username", "filename")
    date_hierarchy = "created_at"
    show_full_result_count = False
    exclude = ("file",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
