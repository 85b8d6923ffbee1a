"""Celery tasks: deliver the outbox, run the daily sweeps."""

from celery import shared_task
from django.utils import timezone

from notifications.discovery import run_sweeps
from notifications.services import notifications_deliver_pending


@shared_task(name="notifications.tasks.deliver_pending")
def deliver_pending() -> dict[str, int]:
    """Send every pending notification whose time has come."""
    return notifications_deliver_pending()


@shared_task(name="notifications.tasks.run_all_sweeps")
def run_all_sweeps() -> dict[str, int | None]:
    """Run every app's sweeps for today, then deliver what they queued."""
    results = run_sweeps(timezone.localdate())
    deliver_pending.delay()
    return results
