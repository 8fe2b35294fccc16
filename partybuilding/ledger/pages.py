"""The ledger page's pages without sorting a province: the ledger's order is industry, then
district, then name, so its rows fall in segments, one per (industry, district), whose sizes
the coverage aggregates hold (`CoverageGroup`). A page is found by walking the segments' sizes,
then read from the one or two segments it falls in, each an index range scan in name order
(`organization_ledger_order`). The count is exact, whatever the number of organizations.
Only for the scopes the aggregates answer (`ScopeFilterForm.copied_conditions`); others page
through `ledger_queryset` as before."""

from collections.abc import Sequence
from itertools import groupby

from django.db import connections
from django.db.models import QuerySet

from registry.models import District, Industry

from ..coverage.aggregates import ANY
from ..models import CoverageGroup


class LedgerSegments(Sequence):
    """The primary keys of the ledger's organizations in its order, as a sequence a paginator
    slices: its length from the aggregates, a slice read segment by segment."""

    def __init__(self, organizations: QuerySet, copied: dict):
        self.organizations = organizations
        self.segments = _segments(copied)
        self.length = sum(size for _key, size, _industries, _districts in self.segments)

    def __len__(self) -> int:
        return self.length

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        start, stop, _step = index.indices(self.length)
        keys, offset = [], 0
        for _key, size, industries, districts in self.segments:
            if offset + size > start and offset < stop:
                low = max(start - offset, 0)
                high = min(stop - offset, size)
                keys += self._keys(industries, districts, low, high)
            offset += size
            if offset >= stop:
                break
        return keys

    def _keys(self, industries, districts, low: int, high: int) -> list[int]:
        """Rows low..high of one segment in name order. A segment of several (industry,
        district) pairs (districts without a code share one) merges each pair's index range:
        one query, each pair read no further than `high` rows."""
        ordered = [
            self.organizations.filter(industry_id=industry, district_id=district)
            .order_by("name", "pk")
            .values_list("pk", "name")
            for industry in industries
            for district in districts
        ]
        if len(ordered) == 1:
            return [pk for pk, _name in ordered[0][low:high]]
        parts, params = [], []
        for number, queryset in enumerate(ordered):
            sql, part_params = queryset[:high].query.sql_with_params()
            parts.append(f"SELECT * FROM ({sql}) part_{number}")
            params += part_params
        merged = " UNION ALL ".join(parts) + " ORDER BY 2, 1 LIMIT %s OFFSET %s"
        with connections[self.organizations.db].cursor() as cursor:
            cursor.execute(merged, [*params, high - low, low])
            return [row[0] for row in cursor.fetchall()]


def _segments(copied: dict) -> list[tuple]:
    """[(order key, size, industry ids, district ids)] in the ledger's order: one segment per
    (industry sort order, district code), merging industries or districts that share one."""
    unit = copied.get("supervisory_unit")
    rows = CoverageGroup.objects.filter(supervisory_unit_key=ANY if unit is None else unit)
    if "status" in copied:
        rows = rows.filter(status=copied["status"])
    for name in ("district", "industry"):
        if copied.get(name) is not None:
            rows = rows.filter(**{f"{name}_key": copied[name]})
    sizes = {}
    for district, industry, n in rows.values_list("district_key", "industry_key", "organizations"):
        if n:
            sizes[district, industry] = sizes.get((district, industry), 0) + n
    if not sizes:
        return []
    orders = dict(Industry.objects.values_list("pk", "sort_order"))
    codes = dict(District.objects.values_list("pk", "code"))
    keyed = sorted(
        ((orders.get(industry, 0), codes.get(district, "")), industry, district, n)
        for (district, industry), n in sizes.items()
    )
    return [
        (
            key,
            sum(n for *_rest, n in members),
            sorted({industry for _key, industry, _district, _n in members}),
            sorted({district for _key, _industry, district, _n in members}),
        )
        for key, members in ((key, list(group)) for key, group in groupby(keyed, lambda r: r[0]))
    ]
