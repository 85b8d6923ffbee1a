"""The SLA clock: official working days from submission, paused while information is asked.

Derived from the case's audit events every time (never a stored counter); `sla_due_on` on
the case is a copy refreshed at each transition so queues can filter in the database.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone

from audit.models import AuditEvent
from licensing.models import Case
from registry.calendar import WorkingCalendar

START, PAUSE, RESUME, STOP = "start", "pause", "resume", "stop"
CLOCK_VERBS = {
    "licensing.case.submitted": START,
    "licensing.case.info_requested": PAUSE,
    "licensing.case.responded": RESUME,
    "licensing.case.decided": STOP,
    "licensing.case.withdrawn": STOP,
}
Event = tuple[str, datetime]


# A case is "due soon" (amber) when a working day or less is left on its clock.
DUE_SOON_WORKING_DAYS = 1


@dataclass(frozen=True)
class Sla:
    """Where a case stands against its deadline."""

    limit: int
    started_on: date | None = None
    due_on: date | None = None
    days_left: int | None = None
    paused: bool = False
    stopped: bool = False

    @property
    def overdue(self) -> bool:
        return self.days_left is not None and self.days_left < 0 and not self.paused

    @property
    def days_overdue(self) -> int:
        return -self.days_left if self.overdue and self.days_left is not None else 0

    @property
    def level(self) -> str:
        """The badge colour: overdue, due_soon (a working day or less left), on_time, paused."""
        if self.stopped or self.days_left is None:
            return ""
        if self.paused:
            return "paused"
        if self.overdue:
            return "overdue"
        return "due_soon" if self.days_left <= DUE_SOON_WORKING_DAYS else "on_time"


def sla_limit(kind: str) -> int:
    """Working days allowed for a case of this kind."""
    return int(settings.SLA_WORKING_DAYS[kind])


def _local(moment: datetime) -> date:
    return timezone.localtime(moment).date()


def sla_from_events(
    *, kind: str, events: list[Event], today: date, calendar: WorkingCalendar
) -> Sla:
    """Replay clock events (verb, time), oldest first, into the case's SLA position."""
    limit = sla_limit(kind)
    start = pause_start = stop = None
    paused_days = 0
    for verb, moment in events:
        kind_of = CLOCK_VERBS.get(verb)
        day = _local(moment)
        if kind_of == START:
            start, paused_days, pause_start = day, 0, None
        elif kind_of == PAUSE:
            pause_start = day
        elif kind_of == RESUME and pause_start is not None:
            paused_days += calendar.working_days_between(pause_start, day)
            pause_start = None
        elif kind_of == STOP:
            stop = day
    if start is None:
        return Sla(limit=limit)
    if pause_start is not None and stop is None:
        used = calendar.working_days_between(start, pause_start) - paused_days
        return Sla(limit=limit, started_on=start, days_left=limit - used, paused=True)
    due = calendar.add_working_days(start, limit + paused_days)
    left = calendar.working_days_between(stop or today, due)
    return Sla(limit=limit, started_on=start, due_on=due, days_left=left, stopped=stop is not None)


def _events_query(case_ids: list[int]) -> Any:
    return (
        AuditEvent.objects.filter(
            target_type=Case._meta.label_lower,
            target_id__in=[str(pk) for pk in case_ids],
            verb__in=list(CLOCK_VERBS),
        )
        .order_by("seq")
        .values_list("target_id", "verb", "occurred_at")
    )


def _calendar_for(starts: list[datetime], today: date) -> WorkingCalendar:
    first = min([_local(s) for s in starts] + [today])
    return WorkingCalendar.load(first, today + timedelta(days=60))


def slas_for(cases: list[Case], today: date | None = None) -> dict[int, Sla]:
    """SLA for a page of cases with a constant number of queries."""
    day = today or timezone.localdate()
    events: dict[str, list[Event]] = defaultdict(list)
    for target_id, verb, moment in _events_query([c.pk for c in cases]):
        events[target_id].append((verb, moment))
    calendar = _calendar_for([m for evs in events.values() for _v, m in evs], day)
    return {
        c.pk: sla_from_events(kind=c.kind, events=events[str(c.pk)], today=day, calendar=calendar)
        for c in cases
    }


def case_sla(case: Case, today: date | None = None) -> Sla:
    """SLA for one case."""
    return slas_for([case], today)[case.pk]


def refresh_sla_due_on(case: Case) -> None:
    """Copy the derived due date onto the case (None while paused or stopped)."""
    sla = case_sla(case)
    due = None if sla.paused or sla.stopped else sla.due_on
    if case.sla_due_on != due:
        Case.objects.filter(pk=case.pk).update(sla_due_on=due)
        case.sla_due_on = due
