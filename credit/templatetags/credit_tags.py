from django import template

from ..selectors import credit_todo_counts as _credit_todo_counts

register = template.Library()


@register.simple_tag(takes_context=True)
def credit_todo_counts(context) -> dict:
    """The workbench's credit to-do counts for the user (see the selector)."""
    return _credit_todo_counts(context["request"].user)
