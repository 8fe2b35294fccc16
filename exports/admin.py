from django.contrib import admin
from django_tasks_db.admin import DBTaskResultAdmin
from django_tasks_db.models import DBTaskResult

from core.admin import BaseAdmin

from .models import ExportJob

# The database queue's own admin (django-tasks-db) on the project's base, like every admin
# (issue 13: list filters only by what its page offers).
if admin.site.is_registered(DBTaskResult):
    admin.site.unregister(DBTaskResult)


@admin.register(DBTaskResult)
class TaskResultAdmin(BaseAdmin, DBTaskResultAdmin):
    pass


@admin.register(ExportJob)
class ExportJobAdmin(BaseAdmin):
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
