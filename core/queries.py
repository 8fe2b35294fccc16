"""Query expressions about no domain, written once for every app."""

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce


def correlated_count(related: QuerySet, field: str) -> Coalesce:
    """How many rows of `related` point at the outer row through `field` (0 when none), as a
    correlated subquery rather than a join and GROUP BY: only the rows a page shows are
    counted, and the outer query's own count stays a plain COUNT(*)."""
    counted = (
        related.filter(**{field: OuterRef("pk")})
        .order_by()
        .values(field)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)
