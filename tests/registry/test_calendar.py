"""Working-day arithmetic on the official PRC calendar, and loading it from the package."""

from datetime import date, timedelta
from io import StringIO

import chinese_calendar
import pytest
import time_machine
from django.core.management import call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from audit.models import AuditEvent
from registry import services
from registry.calendar import (
    WorkingCalendar,
    add_working_days,
    package_exceptions,
    package_years,
    working_days_between,
    year_has_official_data,
)
from registry.models import CalendarDay
from tests.registry.factories import CalendarDayFactory


@pytest.fixture
def official_2025_2026(db):  # type: ignore[no-untyped-def]
    """The package's holidays and make-up days for 2025 and 2026, loaded straight in."""
    CalendarDay.objects.bulk_create(
        CalendarDay(date=d, is_working_day=w, name=n, source="package")
        for d, w, n in package_exceptions([2025, 2026])
    )


def package_add(start: date, days: int) -> date:
    """The answer chinese_calendar itself gives, for comparison."""
    current = start
    while days:
        current += timedelta(days=1)
        days -= chinese_calendar.is_workday(current)
    return current


def test_spring_festival_2026_in_the_package_is_what_the_tests_assume():
    holidays = [date(2026, 2, 15) + timedelta(days=n) for n in range(9)]
    assert all(chinese_calendar.is_holiday(d) for d in holidays)
    assert chinese_calendar.is_workday(date(2026, 2, 14))  # Saturday, make-up working day
    assert chinese_calendar.is_workday(date(2026, 2, 28))  # Saturday, make-up working day


def test_every_day_around_spring_festival_2026_matches_the_package(official_2025_2026):
    calendar = WorkingCalendar.load(date(2026, 1, 20), date(2026, 3, 20))
    day = date(2026, 1, 20)
    while day <= date(2026, 3, 20):
        assert calendar.is_working_day(day) is chinese_calendar.is_workday(day), day
        day += timedelta(days=1)
    assert not calendar.uses_fallback


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        (date(2026, 2, 13), 1, date(2026, 2, 14)),  # Friday → make-up Saturday
        (date(2026, 2, 14), 1, date(2026, 2, 24)),  # over the nine-day holiday
        (date(2026, 2, 12), 3, date(2026, 2, 24)),  # a licence decision due date
        (date(2026, 2, 26), 2, date(2026, 2, 28)),  # Thursday → Friday → make-up Saturday
        (date(2026, 2, 10), 20, date(2026, 3, 16)),  # a qualification decision due date
    ],
)
def test_adding_working_days_across_spring_festival_2026(official_2025_2026, start, days, expected):
    assert add_working_days(start, days) == expected
    assert package_add(start, days) == expected


def test_counting_working_days_across_spring_festival_2026(official_2025_2026):
    assert working_days_between(date(2026, 2, 13), date(2026, 2, 24)) == 2
    assert working_days_between(date(2026, 2, 24), date(2026, 2, 13)) == -2
    assert working_days_between(date(2026, 2, 20), date(2026, 2, 20)) == 0
    assert working_days_between(date(2026, 2, 1), date(2026, 2, 28)) == sum(
        chinese_calendar.is_workday(date(2026, 2, d)) for d in range(2, 29)
    )


def test_adding_working_days_across_national_day_2026(official_2025_2026):
    # Whatever make-up days the package lists around 1 October, the answer must match it.
    for start in (date(2026, 9, 25) + timedelta(days=n) for n in range(14)):
        for days in (1, 3, 5):
            assert add_working_days(start, days) == package_add(start, days), (start, days)
    assert not any(calendar_day_is_working(date(2026, 10, d)) for d in range(1, 8))


def calendar_day_is_working(day: date) -> bool:
    return WorkingCalendar.load(day, day).is_working_day(day)


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    start=st.dates(min_value=date(2025, 1, 1), max_value=date(2026, 11, 15)),
    days=st.integers(min_value=0, max_value=25),
)
def test_adding_working_days_matches_the_package_anywhere_it_has_data(
    official_2025_2026, start, days
):
    assert add_working_days(start, days) == package_add(start, days)


def test_a_year_without_data_falls_back_to_monday_to_friday_and_says_so(official_2025_2026):
    calendar = WorkingCalendar.load(date(2027, 2, 1), date(2027, 3, 1))
    # 5 February 2027 is a Friday; with no official data the next Monday counts.
    assert calendar.add_working_days(date(2027, 2, 5), 1) == date(2027, 2, 8)
    assert calendar.working_days_between(date(2027, 1, 31), date(2027, 2, 28)) == 20
    assert calendar.uses_fallback
    assert calendar.fallback_years == {2027}


def test_crossing_into_a_year_without_data_does_not_crash(official_2025_2026):
    calendar = WorkingCalendar.load(date(2026, 12, 28), date(2027, 1, 15))
    assert calendar.add_working_days(date(2026, 12, 30), 3) == date(2027, 1, 4)
    assert calendar.uses_fallback


def test_a_range_inside_official_data_does_not_fall_back(official_2025_2026):
    calendar = WorkingCalendar.load(date(2026, 6, 1), date(2026, 6, 30))
    calendar.add_working_days(date(2026, 6, 1), 10)
    assert not calendar.uses_fallback


def test_staff_entered_days_count_for_a_year_the_package_lacks(db):
    CalendarDayFactory(date=date(2027, 2, 8), is_working_day=False, name="Spring Festival")
    calendar = WorkingCalendar.load(date(2027, 2, 1), date(2027, 2, 28))
    assert calendar.add_working_days(date(2027, 2, 5), 1) == date(2027, 2, 9)
    assert not calendar.uses_fallback


def test_with_no_data_at_all_every_answer_is_monday_to_friday(db):
    assert add_working_days(date(2026, 2, 13), 1) == date(2026, 2, 16)
    assert working_days_between(date(2026, 2, 13), date(2026, 2, 20)) == 5


# --- loading the package --------------------------------------------------------------------


def test_syncing_twice_adds_nothing_the_second_time(db):
    first = services.calendar_sync_from_package(actor=None)
    assert first == len(package_exceptions(package_years())) > 0
    count = CalendarDay.objects.count()
    assert services.calendar_sync_from_package(actor=None) == 0
    assert CalendarDay.objects.count() == count
    event = AuditEvent.objects.get(verb="registry.calendar.synced")
    assert event.payload["days"] == first
    assert year_has_official_data(2026) and not year_has_official_data(2027)


def test_sync_repairs_a_package_day_that_was_changed_and_leaves_staff_years_alone(db):
    services.calendar_sync_from_package(actor=None)
    CalendarDay.objects.filter(date=date(2026, 2, 16)).update(is_working_day=True)
    CalendarDayFactory(date=date(2027, 2, 8))
    assert services.calendar_sync_from_package(actor=None) == 1
    assert CalendarDay.objects.get(date=date(2026, 2, 16)).is_working_day is False
    assert CalendarDay.objects.filter(date__year=2027).count() == 1


@time_machine.travel(date(2026, 11, 28))
def test_sync_calendar_command_reports_days_years_and_the_missing_next_year(db):
    out = StringIO()
    call_command("sync_calendar", stdout=out)
    first_year, last_year = package_years()[0], package_years()[-1]
    assert f"Years with official data: {first_year}–{last_year}." in out.getvalue()
    assert "Added 0 calendar days" not in out.getvalue()
    assert "2027 has no official PRC holiday calendar" in out.getvalue()
    assert "The installed chinese-calendar package has no data for 2027." in out.getvalue()
    assert "Import a year from CSV" in out.getvalue()
    again = StringIO()
    call_command("sync_calendar", stdout=again)
    assert "Added 0 calendar days" in again.getvalue()


@time_machine.travel(date(2026, 11, 28))
def test_sync_calendar_command_is_quiet_about_a_year_staff_have_entered(db):
    CalendarDayFactory(date=date(2027, 1, 1), name="New Year")
    out = StringIO()
    call_command("sync_calendar", stdout=out)
    assert "has no official" not in out.getvalue()
    assert f"{package_years()[0]}–2027." in out.getvalue()
