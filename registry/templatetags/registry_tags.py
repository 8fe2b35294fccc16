"""Figures for the admin's workbench (templates/admin/workbench_index.html)."""

from django import template

from ..selectors import application_todo_counts as _application_todo_counts

register = template.Library()


@register.simple_tag(takes_context=True)
def application_todo_counts(context) -> dict:
    """The applications waiting for the user's consent or decision (selectors)."""
    return _application_todo_counts(context["request"].user)
