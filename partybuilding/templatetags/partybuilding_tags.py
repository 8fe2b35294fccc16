"""Figures for the admin's workbench panel (templates/admin/workbench_index.html)."""

from django import template

from ..change_notices import change_notices_visible_to
from ..member_forms.selectors import member_form_copy_counts as _member_form_copy_counts
from ..standings.selectors import should_build_count as _should_build_count

register = template.Library()


@register.simple_tag(takes_context=True)
def member_form_copy_counts(context) -> dict:
    """{"pending": n, "overdue": m}: the copies the user sees that wait for acknowledgement, and
    how many of them are overdue (R-REG-3)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"pending": 0, "overdue": 0}
    return _member_form_copy_counts(user)


@register.simple_tag(takes_context=True)
def should_build_count(context) -> int:
    """应建未建 organizations the user sees (R-PB-6): the workbench's to-do count."""
    return _should_build_count(context["request"].user)


@register.simple_tag(takes_context=True)
def change_notice_count(context) -> int:
    """Copies of changes that moved Party-building responsibility, not yet acknowledged by the
    user's side (R-CHG-6)."""
    return (
        change_notices_visible_to(context["request"].user)
        .filter(acknowledged_at__isnull=True)
        .count()
    )
