"""The monthly statistics report: every chart of the statistics page as bilingual tables."""

import calendar
import io
from datetime import date
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.functional import Promise
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table

from audit.services import audit_record
from licensing.insights import all_charts
from licensing.insights_chart import Chart, Period
from licensing.models import MonthlyReport
from licensing.services.certificate import _escape
from licensing.services.letters import GRID, HEADING, SMALL, TEXT, both


def month_period(month: date) -> Period:
    """The calendar month that `month` falls in, all offices."""
    last = calendar.monthrange(month.year, month.month)[1]
    return Period(start=month.replace(day=1), end=month.replace(day=last))


@transaction.atomic
def monthly_report_generate(*, month: date, actor: AbstractBaseUser | None) -> MonthlyReport:
    """Render and keep the report of a month, or return the one already kept."""
    first = month.replace(day=1)
    existing = MonthlyReport.objects.select_for_update().filter(month=first).first()
    if existing is not None:
        return existing
    report = MonthlyReport(month=first, created_by=actor)
    report.file.save(f"{first:%Y-%m}.pdf", ContentFile(monthly_report_pdf(first)), save=False)
    report.save()
    audit_record(
        actor=actor,
        verb="licensing.monthly_report.generated",
        target=report,
        payload={"month": str(first)},
    )
    return report


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
