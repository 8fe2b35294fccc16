from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = (
        "username",
        "first_name",
        "organization",
        "supervisory_unit",
        "is_staff",
        "is_active",
    )
    list_select_related = ("organization", "supervisory_unit")
    list_filter = ("groups", "is_staff", "is_active")
    search_fields = ("username", "first_name", "last_name", "organization__name")
    autocomplete_fields = ("organization", "supervisory_unit")
    fieldsets = DjangoUserAdmin.fieldsets + (
        (_("Scope"), {"fields": ("supervisory_unit", "organization")}),
    )
