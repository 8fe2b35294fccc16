from django import template

from ..selectors import overdue_rectifications_visible_to

register = template.Library()


@register.simple_tag(takes_context=True)
def overdue_rectification_count(context) -> int:
    """R-AC-5: overdue rectification items the user may see (the admin index panel)."""
    return overdue_rectifications_visible_to(context["request"].user).count()
