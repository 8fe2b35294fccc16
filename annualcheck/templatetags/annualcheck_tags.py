from django import template

from ..selectors import annual_check_todo_counts as _annual_check_todo_counts
from ..selectors import overdue_rectifications_visible_to

register = template.Library()


@register.simple_tag(takes_context=True)
def overdue_rectification_count(context) -> int:
    """R-AC-5: overdue rectification items the user may see (the admin index panel)."""
    return overdue_rectifications_visible_to(context["request"].user).count()


@register.simple_tag(takes_context=True)
def annual_check_todo_counts(context) -> dict:
    """The workbench's annual-check to-do counts for the user (see the selector)."""
    return _annual_check_todo_counts(context["request"].user)
