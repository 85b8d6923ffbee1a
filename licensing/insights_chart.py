"""The figure every statistics chart is: labelled rows, and the period it covers."""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Count, QuerySet
from django.utils.translation import gettext_lazy as _

from audit.times import BEIJING
from licensing.models import Case
from registry.countries import country_name


@dataclass(frozen=True)
class Chart:
    """One figure: its title, the names of its columns and its rows (label, value...)."""

    key: str
    title: Any
    columns: list[Any]
    rows: list[list[Any]] = field(default_factory=list)
    plotted: int | None = None  # how many value columns the bars show (None: all)
    highlighted: tuple[int, ...] = ()  # indexes of rows drawn and listed as the worst

    @property
    def series(self) -> list[Any]:
        return self.columns[1:][: self.plotted]

    @property
    def largest(self) -> float:
        values = [float(v) for row in self.rows for v in row[1:][: self.plotted]]
        return max(values, default=0.0)


@dataclass(frozen=True)
class Period:
    """The date range and issuing office the figures are for."""

    start: date
    end: date
    office_id: int | None = None

    def bounds(self) -> tuple[datetime, datetime]:
        first = datetime.combine(self.start, time.min, tzinfo=BEIJING)
        return first, datetime.combine(self.end + timedelta(days=1), time.min, tzinfo=BEIJING)

    def cases(self) -> QuerySet:
        cases = Case.objects.all()
        if self.office_id:
            cases = cases.filter(applicant__issuing_office_id=self.office_id)
        return cases


def per_destination_and_brand(
    records: QuerySet, destination: str, *, key: str, title: Any, counted: Any
) -> Chart:
    """Count records per destination and brand in one query, the largest groups first."""
    rows = (
        records.values(destination, "brand__name")
        .annotate(n=Count("pk"))
        .order_by("-n", destination, "brand__name")
    )
    return Chart(
        key=key,
        title=title,
        columns=[_("Destination and brand"), counted],
        rows=[[f"{country_name(r[destination])} · {r['brand__name']}", r["n"]] for r in rows],
    )
