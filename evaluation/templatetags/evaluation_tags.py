from django import template

from ..selectors import evaluations_visible_to, expiring_grades

register = template.Library()


@register.simple_tag(takes_context=True)
def expiring_grade_count(context) -> int:
    """Grades ending within six months that the user may see (the admin index panel)."""
    visible = evaluations_visible_to(context["request"].user).values("pk")
    return expiring_grades().filter(pk__in=visible).count()
