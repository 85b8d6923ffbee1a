"""The monthly statistics report: every chart of the statistics page as bilingual tables."""

import calendar
import io
from datetime import date
from typing import IO, Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table

from audit.services import audit_record
from config.errors import ActionForbidden, NotFound
from config.uploads import store_upload
from licensing.insights import all_charts
from licensing.insights_chart import Chart, Period
from licensing.models import MonthlyReport
from licensing.services.certificate import _escape
from licensing.services.letters import GRID, HEADING, SMALL, TEXT, both

# Staff who may see the statistics page may read its monthly reports.
STATISTICS_PERMISSION = "licensing.view_case"


def month_period(month: date) -> Period:
    """The calendar month that `month` falls in, all offices."""
    last = calendar.monthrange(month.year, month.month)[1]
    return Period(start=month.replace(day=1), end=month.replace(day=last))


@transaction.atomic
def monthly_report_generate(*, month: date, actor: AbstractBaseUser | None) -> MonthlyReport:
    """Render and keep the report of a month, or return the one already kept.

    The PDF goes to the evidence storage (config.storage), so any host serves it. A kept
    report whose file the storage no longer has is rendered again into the same row.
    """
    first = month.replace(day=1)
    kept = MonthlyReport.objects.select_for_update().filter(month=first).first()
    if kept is not None and kept.file.storage.exists(kept.file.name):
        return kept
    payload = {"month": str(first), **({"replaces_missing": kept.file.name} if kept else {})}
    report = kept or MonthlyReport(month=first, created_by=actor)
    store_upload(
        report,
        "file",
        ContentFile(monthly_report_pdf(first)),
        refusal=_("The report could not be stored: the server is out of space. Nothing was saved."),
        record=lambda: _record(actor, report, payload),
    )
    return report


def _record(actor: AbstractBaseUser | None, report: MonthlyReport, payload: dict) -> None:
    with transaction.atomic():
        report.save()
        audit_record(
            actor=actor, verb="licensing.monthly_report.generated", target=report, payload=payload
        )


def monthly_report_open(*, actor: AbstractBaseUser | None, report: MonthlyReport) -> IO[bytes]:
    """Open a kept report for staff who may see the statistics; audit the reading."""
    if actor is None or not actor.is_staff or not actor.has_perm(STATISTICS_PERMISSION):
        raise ActionForbidden(_("You may not see the statistics."))
    try:
        handle = report.file.open("rb")
    except FileNotFoundError as exc:
        raise NotFound(
            _("The file of the %(month)s report is missing from the document storage.")
            % {"month": report}
        ) from exc
    audit_record(
        actor=actor,
        verb="licensing.monthly_report.downloaded",
        target=report,
        payload={"month": str(report.month), "file": report.file.name},
    )
    return handle


def monthly_report_pdf(month: date) -> bytes:
    """Lay out every chart of a month as a table, labels in Chinese then English."""
    period = month_period(month)
    charts = all_charts(period, min(period.end, timezone.localdate()))
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=15 * mm, rightMargin=15 * mm, title=f"{month:%Y-%m}"
    )
    story: list[Any] = [
        Paragraph(both("Monthly statistics report"), HEADING),
        Paragraph(f"{period.start.isoformat()} – {period.end.isoformat()}", TEXT),
        Paragraph(both("All times are Beijing time (UTC+8)."), SMALL),
    ]
    for chart in charts:
        story += [Spacer(1, 6 * mm), Paragraph(both(chart.title), TEXT), _table(chart)]
    document.build(story)
    return buffer.getvalue()


def _table(chart: Chart) -> Any:
    if not chart.rows:
        return Paragraph(both("No data for this period."), SMALL)
    header = [Paragraph(both(column), TEXT) for column in chart.columns]
    body = [[Paragraph(_cell(value), TEXT) for value in row] for row in chart.rows]
    table = Table([header, *body], repeatRows=1)
    table.setStyle(GRID)
    return table


def _cell(value: Any) -> str:
    return both(value) if isinstance(value, Promise) else _escape(str(value))
