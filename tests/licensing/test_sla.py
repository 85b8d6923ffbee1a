"""The SLA clock across Spring Festival 2026, make-up working days and information requests."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from licensing.models import Case
from licensing.services import sla, workflow
from licensing.services.sla import sla_from_events
from registry.calendar import WorkingCalendar, package_exceptions
from registry.models import CalendarDay
from tests.licensing.factories import draft_case

SHANGHAI = ZoneInfo("Asia/Shanghai")
SUBMITTED = "licensing.case.submitted"
ASKED = "licensing.case.info_requested"
ANSWERED = "licensing.case.responded"


@pytest.fixture
def calendar_2026(db):  # type: ignore[no-untyped-def]
    CalendarDay.objects.bulk_create(
        CalendarDay(date=day, is_working_day=working, name=name)
        for day, working, name in package_exceptions([2026])
    )
    return WorkingCalendar.load(date(2026, 1, 1), date(2026, 12, 31))


def at(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=SHANGHAI)


def position(events, today, calendar, kind="licence"):  # type: ignore[no-untyped-def]
    return sla_from_events(kind=kind, events=events, today=today, calendar=calendar)


def test_a_licence_submitted_before_spring_festival_counts_the_make_up_saturday(calendar_2026):  # type: ignore[no-untyped-def]
    # Fri 13 Feb; Sat 14 Feb is a make-up working day; 15–23 Feb are holidays.
    result = position([(SUBMITTED, at(date(2026, 2, 13)))], date(2026, 2, 13), calendar_2026)
    assert result.due_on == date(2026, 2, 25)
    assert result.days_left == 3


def test_the_make_up_saturday_after_the_holiday_is_a_working_day(calendar_2026):  # type: ignore[no-untyped-def]
    result = position([(SUBMITTED, at(date(2026, 2, 25)))], date(2026, 2, 27), calendar_2026)
    assert result.due_on == date(2026, 2, 28)
    assert result.days_left == 1


def test_a_case_past_its_due_day_is_overdue(calendar_2026):  # type: ignore[no-untyped-def]
    result = position([(SUBMITTED, at(date(2026, 2, 25)))], date(2026, 3, 3), calendar_2026)
    assert result.days_left == -2 and result.overdue


def test_qualification_cases_get_twenty_working_days(calendar_2026):  # type: ignore[no-untyped-def]
    result = position(
        [(SUBMITTED, at(date(2026, 2, 2)))], date(2026, 2, 2), calendar_2026, kind="qualification"
    )
    # 2–13 Feb: 9 days after the 2nd, +14 Feb, then 24 Feb onwards (28 Feb is a working Saturday).
    assert result.due_on == date(2026, 3, 6)


def test_the_clock_pauses_while_information_is_requested(calendar_2026):  # type: ignore[no-untyped-def]
    events = [(SUBMITTED, at(date(2026, 2, 13))), (ASKED, at(date(2026, 2, 14)))]
    paused = position(events, date(2026, 3, 20), calendar_2026)
    assert paused.paused and paused.due_on is None and paused.days_left == 2
    events.append((ANSWERED, at(date(2026, 2, 25))))
    resumed = position(events, date(2026, 2, 25), calendar_2026)
    # Paused for 24 and 25 Feb: two working days added to the original 25 Feb.
    assert resumed.due_on == date(2026, 2, 27) and not resumed.paused


def test_a_decided_case_stops_the_clock(calendar_2026):  # type: ignore[no-untyped-def]
    events = [(SUBMITTED, at(date(2026, 2, 24))), ("licensing.case.decided", at(date(2026, 2, 25)))]
    result = position(events, date(2026, 4, 1), calendar_2026)
    assert result.stopped and result.days_left == 2


def test_a_draft_has_no_clock(calendar_2026):  # type: ignore[no-untyped-def]
    assert position([], date(2026, 2, 25), calendar_2026).due_on is None


def test_the_services_keep_the_due_date_in_step_with_the_events(  # type: ignore[no-untyped-def]
    calendar_2026, maker, caseworker, officer
):
    with time_machine.travel(at(date(2026, 2, 13)), tick=False):
        case = draft_case(maker)
        workflow.case_submit(actor=maker, case=case)
        workflow.case_assign(actor=caseworker, case=case)
        assert case.sla_due_on == date(2026, 2, 25)
    with time_machine.travel(at(date(2026, 2, 14)), tick=False):
        workflow.case_request_info(
            actor=caseworker, case=case, question="Warranty?", due_on=date(2026, 2, 27)
        )
        assert case.sla_due_on is None
    with time_machine.travel(at(date(2026, 2, 25)), tick=False):
        workflow.case_respond(actor=maker, case=case, answer="Attached")
        assert Case.objects.get(pk=case.pk).sla_due_on == date(2026, 2, 27)
        assert sla.case_sla(case).days_left == 2


def test_the_batched_clock_uses_a_constant_number_of_queries(  # type: ignore[no-untyped-def]
    calendar_2026, maker, django_assert_num_queries
):
    with time_machine.travel(at(date(2026, 2, 24)), tick=False):
        cases = [workflow.case_submit(actor=maker, case=draft_case(maker)) for _ in range(2)]
        with django_assert_num_queries(2):
            small = sla.slas_for(cases)
        cases += [workflow.case_submit(actor=maker, case=draft_case(maker)) for _ in range(5)]
        with django_assert_num_queries(2):
            large = sla.slas_for(cases)
    assert len(small) == 2 and len(large) == 7
    assert {s.due_on for s in large.values()} == {date(2026, 2, 27)}
