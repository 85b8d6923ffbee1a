"""Reads across the registry and the audit trail."""

from datetime import date

from django.db.models import Q, QuerySet
from django.utils import timezone

from audit.models import AuditEvent
from registry.calendar import year_has_official_data
from registry.models import CalendarDay, Membership

RECENT_EVENTS = 20


def enterprise_recent_events(enterprise_id: int, limit: int = RECENT_EVENTS) -> QuerySet:
    """Return the newest audit events concerning one enterprise."""
    return AuditEvent.objects.for_enterprise(enterprise_id)[:limit]


def calendar_year_missing(today: date | None = None) -> int | None:
    """Return next year if it has no official calendar data yet, else None."""
    year = (today or timezone.localdate()).year + 1
    return None if year_has_official_data(year) else year


def calendar_years_with_data() -> list[int]:
    """List the years that have at least one recorded holiday or make-up working day."""
    return sorted(set(CalendarDay.objects.values_list("date__year", flat=True)))


def acting_members(path: str) -> Q:
    """Rows whose membership at `path` is an active administrator or applicant, user active."""
    return Q(
        **{
            f"{path}__is_active": True,
            f"{path}__user__is_active": True,
            f"{path}__role__in": (Membership.Role.ADMIN, Membership.Role.APPLICANT),
        }
    )
