from django import template

from ..selectors import UNREAD_SHOWN, unread_count

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notification_count(context) -> str:
    """The header's unread count ("" when none, "99+" beyond 99): one bounded query."""
    request = context.get("request")
    count = unread_count(getattr(request, "user", None)) if request else 0
    if not count:
        return ""
    return f"{UNREAD_SHOWN}+" if count > UNREAD_SHOWN else str(count)
