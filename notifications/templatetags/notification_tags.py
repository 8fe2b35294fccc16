from django import template

from ..selectors import unread_count

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notification_count(context) -> int:
    """The header's unread count (one COUNT over the inbox index)."""
    request = context.get("request")
    return unread_count(getattr(request, "user", None)) if request else 0
