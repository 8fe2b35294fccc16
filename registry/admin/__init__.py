"""The registry's admin pages: organizations, the reference lists, and the registration review.
Importing the package registers them all (admin autodiscovery imports `registry.admin`); the
site's titles and the workbench's title for each role are set here."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from . import (  # noqa: F401  (registers the pages)
    applications,
    certificates,
    changes,
    deregistrations,
    organizations,
    reference,
)

admin.site.site_header = _("Social organization registry and Party-building synchronization")
admin.site.site_title = _("Social organization registry")
admin.site.index_title = _("Registration authority workbench")
admin.site.index_template = "admin/workbench_index.html"

# Each role's home page names its role (issue 19), not the clerks' title for everyone.
WORKBENCH_TITLES = {
    "clerk": _("Registration authority workbench"),
    "supervisory_unit": _("Business supervisory unit workbench"),
    "committee": _("Party working committee workbench"),
    "system_admin": _("System administrator workbench"),
    "security_admin": _("Security administrator workbench"),
    "audit_admin": _("Audit administrator workbench"),
}


def workbench_title(user) -> str:
    """The admin home page's title for `user`'s role; a supervisory unit's names the unit."""
    from accounts import roles

    if user.is_superuser or user.has_role(roles.CLERK):
        return str(WORKBENCH_TITLES[roles.CLERK])
    for role in (roles.SUPERVISORY_UNIT, roles.COMMITTEE, *sorted(roles.ADMIN_ROLES)):
        if user.has_role(role):
            title = str(WORKBENCH_TITLES[role])
            unit = getattr(user, "supervisory_unit", None)
            if role == roles.SUPERVISORY_UNIT and unit is not None:
                title = f"{title}（{unit.name}）"
            return title
    return str(admin.site.index_title)


def _index_titled_for_the_role(request, extra_context=None, _index=admin.site.index):
    return _index(request, {"title": workbench_title(request.user), **(extra_context or {})})


admin.site.index = _index_titled_for_the_role


def _apps_in_layer_order(request, app_label=None, _get_app_list=admin.site.get_app_list):
    """The home page's and the sidebar's apps in the order of the layers (INSTALLED_APPS:
    registration, Party building, annual checks, credit supervision, evaluation …) rather than
    by their names' code points; within an app, the models its AppConfig lists first in
    `admin_model_order` (its main record before the facts it reads), then the rest by name."""
    from django.apps import apps as django_apps

    configs = list(django_apps.get_app_configs())
    layer = {config.label: index for index, config in enumerate(configs)}
    model_orders = {
        config.label: {name: i for i, name in enumerate(config.admin_model_order)}
        for config in configs
        if getattr(config, "admin_model_order", None)
    }
    app_list = sorted(
        _get_app_list(request, app_label), key=lambda app: layer.get(app["app_label"], len(layer))
    )
    for app in app_list:
        order = model_orders.get(app["app_label"])
        if order:
            app["models"].sort(key=lambda model, order=order: _model_rank(model, order))
    return app_list


def _model_rank(model: dict, order: dict) -> tuple:
    return order.get(model["object_name"].lower(), len(order)), model["name"]


admin.site.get_app_list = _apps_in_layer_order
