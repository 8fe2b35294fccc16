"""Pagination for tables of a province's size (a million organizations, three million members).

Django's paginator runs an exact ``COUNT(*)`` on every page view; over a million rows that is
the slowest query of the page and tells a clerk nothing a rounded figure would not. Here the
count is exact only while it is small: at most ``count_cap + 1`` rows are counted. Past the cap
PostgreSQL shows its planner's estimate ("约 1,000,000"), other databases the cap ("10,000+").
"""

import json

from django.core.paginator import Paginator
from django.db import connections
from django.db.models import QuerySet
from django.utils.functional import cached_property
from django.utils.translation import gettext as _


def capped_count(queryset: QuerySet, cap: int) -> int:
    """The number of rows, counting no further than ``cap + 1``: one
    ``COUNT(*) FROM (SELECT pk … LIMIT cap + 1)``, cheap whatever the size of the table."""
    return queryset.order_by().values("pk")[: cap + 1].count()


def estimated_count(queryset: QuerySet) -> int | None:
    """PostgreSQL's estimate of the number of rows: the table's statistics (pg_class.reltuples)
    when nothing narrows it, else the planner's row estimate (EXPLAIN). None elsewhere, or when
    the table has never been analysed."""
    connection = connections[queryset.db]
    if connection.vendor != "postgresql":
        return None
    query = queryset.query
    if query.is_empty():  # .none() (a refused filter): no plan to read, and nothing to count
        return 0
    if not query.where and not query.distinct and not query.combinator:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass",
                [queryset.model._meta.db_table],
            )
            row = cursor.fetchone()
        return row[0] if row and row[0] >= 0 else None
    plan = json.loads(queryset.order_by().values("pk").explain(format="json"))
    return int(plan[0]["Plan"]["Plan Rows"])


EXACT, ESTIMATE, AT_LEAST = "exact", "estimate", "at least"


class LargeTablePaginator(Paginator):
    """A paginator whose count costs at most ``count_cap + 1`` rows (plus, on PostgreSQL, one
    catalogue read or EXPLAIN). ``count_label`` is the count as shown:
    "1,234", "约 1,000,000" or "10,000+"."""

    count_cap = 10_000

    @cached_property
    def count(self):
        self._count_kind = EXACT
        if not isinstance(self.object_list, QuerySet):
            return super().count
        # The estimate is read whether or not it is needed, so that a page costs the same
        # queries at any size (it is a catalogue read or an EXPLAIN: no rows are touched).
        estimate = estimated_count(self.object_list)
        counted = capped_count(self.object_list, self.count_cap)
        if counted <= self.count_cap:
            return counted
        if estimate is not None and estimate > self.count_cap:
            self._count_kind = ESTIMATE
            return estimate
        # At least this many: the pages up to the cap stay reachable, the label says "+".
        self._count_kind = AT_LEAST
        return self.count_cap + 1

    @property
    def count_kind(self) -> str:
        self.count  # noqa: B018 -- the count decides its kind
        return self._count_kind

    @property
    def count_is_exact(self) -> bool:
        return self.count_kind == EXACT

    @property
    def count_label(self) -> str:
        # Grouped by thousands whatever the locale (zh_Hans formats have no separator).
        kind, count = self.count_kind, self.count
        if kind == ESTIMATE:
            return _("about %(count)s") % {"count": f"{count:,}"}
        if kind == AT_LEAST:
            return f"{self.count_cap:,}+"
        return f"{count:,}"
