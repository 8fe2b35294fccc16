"""Figures for the admin's workbench (templates/admin/workbench_index.html)."""

from django import template

from ..change_selectors import change_todo_counts as _change_todo_counts
from ..selectors import application_todo_counts as _application_todo_counts
from ..selectors import deregistration_todo_counts as _deregistration_todo_counts

register = template.Library()


@register.simple_tag(takes_context=True)
def application_todo_counts(context) -> dict:
    """The applications waiting for the user's consent or decision (selectors)."""
    return _application_todo_counts(context["request"].user)


@register.simple_tag(takes_context=True)
def change_todo_counts(context) -> dict:
    """The change applications waiting for the user's consent or decision (R-CHG-3)."""
    return _change_todo_counts(context["request"].user)


@register.simple_tag(takes_context=True)
def deregistration_todo_counts(context) -> dict:
    """The deregistrations waiting for the user's consent or decision (selectors)."""
    return _deregistration_todo_counts(context["request"].user)


@register.filter
def has_app(app_list, app_label: str) -> bool:
    """Whether the admin's app list has a section for `app_label` (the workbench puts an app's
    work links in that section rather than in a second one under the same name)."""
    return any(app["app_label"] == app_label for app in app_list or ())
