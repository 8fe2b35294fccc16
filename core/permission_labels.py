"""Permissions as the security administrator reads them (issue 19): in Chinese, "年检 | 整改事项 |
可修改整改事项", not Django's generated "Can change rectification", and only those that mean
something to grant (the task queue's, the OTP library's or a history table's are nobody's)."""

from django.apps import apps
from django.contrib.auth.models import Permission
from django.utils.translation import gettext, gettext_lazy

PRODUCT_APPS = (
    "accounts",
    "registry",
    "partybuilding",
    "annualcheck",
    "evaluation",
    "exports",
    "audit",
)
ACTIONS = {
    "add": gettext_lazy("Can add %(model)s"),
    "change": gettext_lazy("Can change %(model)s"),
    "delete": gettext_lazy("Can delete %(model)s"),
    "view": gettext_lazy("Can view %(model)s"),
}


def product_permissions():
    """This product's permissions on the models people work with in the admin, and every
    permission of its own (like 可查看完整身份证号). Internal tables (history rows, the daily
    standings) have no right of their own."""
    from django.contrib import admin

    shown = {
        (model._meta.app_label, model._meta.model_name)
        for model in admin.site._registry
        if model._meta.app_label in PRODUCT_APPS
    }
    candidates = Permission.objects.filter(content_type__app_label__in=PRODUCT_APPS).select_related(
        "content_type"
    )
    keep = [
        permission.pk
        for permission in candidates
        if (permission.content_type.app_label, permission.content_type.model) in shown
        or permission.codename.partition("_")[0] not in ACTIONS
    ]
    return Permission.objects.filter(pk__in=keep).select_related("content_type")


def permission_label(permission: Permission) -> str:
    content_type = permission.content_type
    model = content_type.model_class()
    model_name = str(model._meta.verbose_name) if model else content_type.model
    try:
        app_name = str(apps.get_app_config(content_type.app_label).verbose_name)
    except LookupError:
        app_name = content_type.app_label
    action, _sep, rest = permission.codename.partition("_")
    if action in ACTIONS and model is not None and rest == model._meta.model_name:
        name = ACTIONS[action] % {"model": model_name}
    else:
        name = gettext(permission.name)
    return f"{app_name} | {model_name} | {name}"
