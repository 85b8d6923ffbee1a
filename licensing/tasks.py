"""Celery tasks: the monthly statistics report."""

from datetime import date, timedelta

from celery import shared_task
from django.utils import timezone

from audit.times import BEIJING
from licensing.services.reports import monthly_report_generate


def previous_month(today: date) -> date:
    """The first day of the month before `today`'s."""
    return (today.replace(day=1) - timedelta(days=1)).replace(day=1)


@shared_task(name="licensing.tasks.generate_monthly_report")
def generate_monthly_report(month: str | None = None) -> int:
    """Keep the report of a month (ISO date; default: the month just ended) and return its id."""
    wanted = (
        date.fromisoformat(month) if month else previous_month(timezone.localdate(timezone=BEIJING))
    )
    return monthly_report_generate(month=wanted, actor=None).pk
