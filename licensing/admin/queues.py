"""The caseworker queues as database filters, and their counts in one query.

Each queue is a condition on indexed columns of the open cases (status, assigned caseworker,
the SLA due date the workflow keeps on the case), so a queue filter and the six counts cost
one query each however many closed cases pile up.
"""

from datetime import date
from typing import Any

from django.db.models import Count, Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from licensing.models import Case
from registry.calendar import add_working_days

MINE = "mine"
UNASSIGNED = "unassigned"
AWAITING_DECISION = "awaiting_decision"
INFO_REQUESTED = "info_requested"
DUE_SOON = "due_soon"
OVERDUE = "overdue"

QUEUES: dict[str, Any] = {
    MINE: _("My cases"),
    UNASSIGNED: _("Unassigned"),
    AWAITING_DECISION: _("Awaiting decision (recommended)"),
    INFO_REQUESTED: _("Information requested"),
    DUE_SOON: _("Due within 1 working day"),
    OVERDUE: _("Overdue"),
}
# "Due within 1 working day": due today or on the next working day.
DUE_SOON_DAYS = 1


def queue_conditions(user: Any, today: date) -> dict[str, Q]:
    """Return {queue: condition on open cases} for one user on one day."""
    S = Case.Status
    # sla_due_on is empty while the clock is paused or stopped, so those never show as late.
    return {
        MINE: Q(assigned_to=user.pk),
        UNASSIGNED: Q(status=S.SUBMITTED, assigned_to__isnull=True),
        AWAITING_DECISION: Q(status=S.RECOMMENDED),
        INFO_REQUESTED: Q(status=S.INFO_REQUESTED),
        DUE_SOON: Q(sla_due_on__gte=today, sla_due_on__lte=_due_soon_until(today)),
        OVERDUE: Q(sla_due_on__lt=today),
    }


def _due_soon_until(today: date) -> date:
    return add_working_days(today, DUE_SOON_DAYS)


def queue_counts(user: Any, conditions: dict[str, Q] | None = None) -> dict[str, int]:
    """Count the user's queues among the open cases they may see, in one query."""
    conditions = conditions or queue_conditions(user, timezone.localdate())
    counts = (
        Case.objects.visible_to(user)
        .is_open()
        .order_by()
        # Count a column the queue index holds (status is never null), so PostgreSQL answers
        # from the index alone; Count("*") takes no filter.
        .aggregate(**{key: Count("status", filter=q) for key, q in conditions.items()})
    )
    return {key: counts[key] or 0 for key in QUEUES}


def conditions_for_request(request: HttpRequest) -> dict[str, Q]:
    """Return the request user's queue conditions, built once per request."""
    cached = getattr(request, "_case_queue_conditions", None)
    if cached is None:
        cached = queue_conditions(request.user, timezone.localdate())
        request._case_queue_conditions = cached  # type: ignore[attr-defined]
    return cached


def counts_for_request(request: HttpRequest) -> dict[str, int]:
    """Return the request user's queue counts, computed once per request."""
    cached = getattr(request, "_case_queue_counts", None)
    if cached is None:
        cached = queue_counts(request.user, conditions_for_request(request))
        request._case_queue_counts = cached  # type: ignore[attr-defined]
    return cached
