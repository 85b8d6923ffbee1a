"""Celery tasks: the daily reassessment of every obligation (status depends on the date)."""

from celery import shared_task

from aftersales.services import compliance_reports_open_due, obligations_recompute
from aftersales.services.breaches import breaches_open_automatic


@shared_task(name="aftersales.tasks.recompute_obligations")
def recompute_obligations() -> dict[str, int]:
    """Reassess every market, open the reports now due and the breaches they reveal."""
    return {
        "obligations_changed": obligations_recompute(),
        "reports_opened": compliance_reports_open_due(),
        "breaches_opened": breaches_open_automatic(),
    }
