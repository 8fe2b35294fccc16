"""Admin change lists that cost the same at a city's size and a province's."""

from functools import reduce
from operator import or_

from django.contrib import admin
from django.db.models import Q

from .pagination import LargeTablePaginator


class LargeTableAdmin:
    """Change lists that cost the same at a city's size and a province's: the count stops at
    the paginator's cap (an estimate past it), no second count of the whole table, and no
    per-filter facet counts, which would each scan the table."""

    paginator = LargeTablePaginator
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER


class TrigramSearch:
    """Name search served by pg_trgm indexes on ``UPPER(field)`` (migration 0007). A word of
    fewer than three characters has no trigram: PostgreSQL would read the whole index and
    recheck every row (seconds at a province's size). Such words use ``short_word_lookup``
    instead, which that index does not serve: ``contains`` (case-sensitive; Chinese has no
    case) lets the list's ordered scan find a common word's first page at once, ``startswith``
    suits personal names (a surname, a two-character name) and can use a B-tree."""

    short_word_lookup = "contains"

    def get_search_results(self, request, queryset, search_term):
        words = search_term.split()
        if not words or all(len(word) >= 3 for word in words):
            return super().get_search_results(request, queryset, search_term)
        condition = Q()
        for word in words:
            lookup = "icontains" if len(word) >= 3 else self.short_word_lookup
            condition &= reduce(
                or_, (Q(**{f"{field}__{lookup}": word}) for field in self.search_fields)
            )
        return queryset.filter(condition), False
