"""Page-number pagination that does not count a whole large table on every page.

Staff see every case and licence: an exact `COUNT(*)` over millions of rows costs more than
the page itself. The unfiltered list reports the planner's estimate instead (see
`licensing.admin_paginator`); as soon as a filter or the caller's scope narrows the set, the
count is exact again (docs/api.md). Because an estimate may fall short of the real size, an
estimated page reads one row more than it shows to know whether another page follows.
"""

from functools import cached_property
from typing import Any

from django.core.paginator import EmptyPage, Page, PageNotAnInteger
from rest_framework.pagination import PageNumberPagination
from rest_framework.utils.urls import replace_query_param

from licensing import admin_paginator
from licensing.admin_paginator import EstimatedCountPaginator


class ApiPaginator(EstimatedCountPaginator):
    """The estimated-count paginator, with pages that do not end where the estimate does."""

    estimated = False

    @cached_property
    def count(self) -> int:
        """Return the estimate of a large unfiltered table, else the exact count."""
        estimate = self._estimate()
        self.estimated = estimate is not None and estimate >= admin_paginator.EXACT_BELOW
        return estimate if self.estimated else super().count  # type: ignore[return-value]

    def page(self, number: Any) -> Page:
        """Return a page; past an estimate, a page exists as long as it has rows."""
        if not self.count or not self.estimated:
            return super().page(number)
        number = _page_number(number)
        bottom = (number - 1) * self.per_page
        rows = list(self._slice(bottom, bottom + self.per_page + 1))
        if not rows and number > 1:
            raise EmptyPage("That page contains no results")
        page = self._get_page(rows[: self.per_page], number, self)
        page.has_more = len(rows) > self.per_page
        return page


def _page_number(number: Any) -> int:
    try:
        number = int(number)
    except (TypeError, ValueError) as exc:
        raise PageNotAnInteger("That page number is not an integer") from exc
    if number < 1:
        raise EmptyPage("That page number is less than 1")
    return number


class EstimatedCountPagination(PageNumberPagination):
    """DRF's page-number pagination over the estimated-count paginator."""

    django_paginator_class = ApiPaginator

    def get_next_link(self) -> str | None:
        more = getattr(self.page, "has_more", None)
        if more is None:
            return super().get_next_link()
        if not more:
            return None
        url = self.request.build_absolute_uri()
        return replace_query_param(url, self.page_query_param, self.page.number + 1)
