"""Reads of the outbox for operations: how much waits, how much failed, since when."""

from typing import Any

from django.db.models import Count, Min, Q
from django.utils import timezone

from notifications.models import Notification


def outbox_health() -> dict[str, Any]:
    """Pending and failed counts and the age in seconds of the oldest pending row."""
    pending = Q(status=Notification.Status.PENDING)
    figures = Notification.objects.filter(
        status__in=(Notification.Status.PENDING, Notification.Status.FAILED)
    ).aggregate(
        pending=Count("pk", filter=pending),
        failed=Count("pk", filter=Q(status=Notification.Status.FAILED)),
        oldest=Min("created_at", filter=pending),
    )
    oldest = figures.pop("oldest")
    age = (timezone.now() - oldest).total_seconds() if oldest else 0
    return {**figures, "oldest_pending_seconds": max(int(age), 0)}
