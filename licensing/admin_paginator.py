"""A changelist paginator that does not count a large unfiltered table row by row.

On PostgreSQL ``count(*)`` over a big table is a full scan on every page view. When the
changelist shows the whole table (no WHERE clause) the planner's row estimate in
``pg_class.reltuples`` is close enough to draw the page links; as soon as a filter or a
search narrows the list, the count is exact again (and cheap, because it uses an index).
"""

from functools import cached_property
from typing import Any

from django.core.paginator import Page, Paginator
from django.db import connections
from django.db.models import QuerySet, Subquery

# Below this many rows an exact count costs nothing, and users notice a wrong small number.
EXACT_BELOW = 10_000
# From this offset on, pick the page's keys first: skipping rows of a narrow index is cheap,
# skipping rows joined to their related tables is not.
DEFERRED_JOIN_FROM = 1_000


class EstimatedCountPaginator(Paginator):
    """Count exactly when filtered or small; estimate an unfiltered PostgreSQL table."""

    @cached_property
    def count(self) -> int:
        """Return the estimated row count of an unfiltered large table, else the exact count."""
        estimate = self._estimate()
        if estimate is not None and estimate >= EXACT_BELOW:
            return estimate
        return super().count

    def page(self, number: Any) -> Page:
        """Return a page; a deep page of a queryset finds its keys before joining."""
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        return self._get_page(self._slice(bottom, top), number, self)

    def _slice(self, bottom: int, top: int) -> Any:
        queryset = self.object_list
        if not isinstance(queryset, QuerySet) or bottom < DEFERRED_JOIN_FROM:
            return queryset[bottom:top]
        if not connections[queryset.db].features.allow_sliced_subqueries_with_in:
            return queryset[bottom:top]
        keys = queryset.values("pk")[bottom:top]
        return queryset.filter(pk__in=Subquery(keys))

    def _estimate(self) -> int | None:
        queryset = self.object_list
        if not isinstance(queryset, QuerySet) or not _is_unfiltered(queryset):
            return None
        connection = connections[queryset.db]
        if connection.vendor != "postgresql":
            return None
        return table_row_estimate(queryset.db, queryset.model._meta.db_table)


def _is_unfiltered(queryset: QuerySet) -> bool:
    query = queryset.query
    return not query.where and not query.distinct and not query.combinator


def table_row_estimate(alias: str, table: str) -> int | None:
    """Return the planner's row estimate for a table, or None if it was never analysed."""
    with connections[alias].cursor() as cursor:
        cursor.execute(
            "SELECT reltuples::bigint FROM pg_class WHERE oid = to_regclass(%s)", [table]
        )
        row = cursor.fetchone()
    if row is None or row[0] is None or row[0] < 0:
        return None
    return int(row[0])
