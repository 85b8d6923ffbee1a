"""Official PRC working days: holidays and make-up working days (调休).

Reads the CalendarDay table. A year with no official data falls back to
Monday–Friday and says so (``uses_fallback``) instead of failing.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

import chinese_calendar

from registry.models import CalendarDay

# Enough look-ahead past `end` for adding working days across the longest holiday runs.
_LOOKAHEAD_DAYS = 120


@dataclass
class WorkingCalendar:
    """Working-day arithmetic over preloaded whole years of calendar exceptions."""

    exceptions: dict[date, bool] = field(default_factory=dict)
    years_with_data: set[int] = field(default_factory=set)
    fallback_years: set[int] = field(default_factory=set)

    @classmethod
    def load(cls, start: date, end: date) -> "WorkingCalendar":
        """Load every exception of the years from `start` to past `end`, in one query."""
        last_year = (end + timedelta(days=_LOOKAHEAD_DAYS)).year
        rows = CalendarDay.objects.filter(
            date__gte=date(start.year, 1, 1), date__lte=date(last_year, 12, 31)
        ).values_list("date", "is_working_day")
        exceptions = dict(rows)
        return cls(exceptions=exceptions, years_with_data={day.year for day in exceptions})

    def is_working_day(self, day: date) -> bool:
        """Answer whether the ministry works on a day."""
        if day in self.exceptions:
            return self.exceptions[day]
        if day.year not in self.years_with_data:
            self.fallback_years.add(day.year)
        return day.weekday() < 5

    @property
    def uses_fallback(self) -> bool:
        """True when an answer relied on weekends only, for lack of official data."""
        return bool(self.fallback_years)

    def add_working_days(self, start: date, days: int) -> date:
        """Return the date `days` working days after `start` (start itself not counted)."""
        current, remaining = start, days
        while remaining > 0:
            current += timedelta(days=1)
            if self.is_working_day(current):
                remaining -= 1
        return current

    def working_days_between(self, start: date, end: date) -> int:
        """Count working days after `start` up to and including `end` (negative if reversed)."""
        if end < start:
            return -self.working_days_between(end, start)
        return sum(
            1
            for offset in range(1, (end - start).days + 1)
            if self.is_working_day(start + timedelta(days=offset))
        )


def add_working_days(start: date, days: int) -> date:
    """Return the date `days` official working days after `start`."""
    calendar = WorkingCalendar.load(start, start + timedelta(days=days * 2 + 7))
    return calendar.add_working_days(start, days)


def working_days_between(start: date, end: date) -> int:
    """Count official working days after `start` up to and including `end`."""
    return WorkingCalendar.load(min(start, end), max(start, end)).working_days_between(start, end)


def year_has_official_data(year: int) -> bool:
    """Answer whether any holiday or make-up working day is recorded for a year."""
    return CalendarDay.objects.filter(date__year=year).exists()


def package_exceptions(years: Iterable[int]) -> list[tuple[date, bool, str]]:
    """List (date, is_working_day, name) departures from Mon–Fri the package knows for years."""
    known = [y for y in years if _package_covers(y)]
    rows = []
    for year in known:
        day = date(year, 1, 1)
        while day.year == year:
            working = chinese_calendar.is_workday(day)
            if working != (day.weekday() < 5):
                _, name = chinese_calendar.get_holiday_detail(day)
                rows.append((day, working, name or ""))
            day += timedelta(days=1)
    return rows


def package_years() -> range:
    """Years the installed chinese-calendar package has official data for."""
    years = sorted({d.year for d in chinese_calendar.holidays})
    return range(years[0], years[-1] + 1)


def _package_covers(year: int) -> bool:
    return year in package_years()
