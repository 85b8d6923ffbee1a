"""Compliance reports: periods and due dates, submission with its checks, review."""

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Min
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from aftersales.models import ComplianceReport, ExportedVehicle
from aftersales.services.rules import Actor, checked_reason
from audit.services import audit_record
from config.errors import ActionForbidden, StaleVersion, TransitionNotAllowed
from registry.models import Enterprise

R = ComplianceReport.Status
REVIEW_PERMISSION = "aftersales.review_compliancereport"


def report_period(day: date) -> tuple[date, date]:
    """The reporting period (start, end) containing the day; periods start on 1 January."""
    months = settings.COMPLIANCE_PERIOD_MONTHS
    start = date(day.year, 1 + (day.month - 1) // months * months, 1)
    return start, start + relativedelta(months=months) - timedelta(days=1)


def report_due_on(period_end: date) -> date:
    return period_end + timedelta(days=settings.COMPLIANCE_REPORT_DUE_DAYS)


def compliance_reports_open_due(*, today: date | None = None) -> int:
    """Open a due report for every enterprise × market that exported in an ended period.

    Set-based: one grouped query over the fleet and one bulk insert that skips reports
    already open, so a repeated or missed run changes nothing.
    """
    today = today or timezone.localdate()
    last_start, _end = report_period(today)
    firsts = (
        ExportedVehicle.objects.filter(exported_on__lt=last_start)
        .values_list("enterprise_id", "country_id")
        .annotate(first=Min("exported_on"))
        .order_by()
    )
    rows = [
        _due_report(enterprise_id, country_id, start)
        for enterprise_id, country_id, first in firsts
        for start in _period_starts(first, last_start)
    ]
    before = ComplianceReport.objects.count()
    ComplianceReport.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)
    return ComplianceReport.objects.count() - before


def _period_starts(first: date, before: date) -> list[date]:
    starts, start = [], report_period(first)[0]
    while start < before:
        starts.append(start)
        start = report_period(start + relativedelta(months=settings.COMPLIANCE_PERIOD_MONTHS))[0]
    return starts


def _due_report(enterprise_id: int, country_id: str, start: date) -> ComplianceReport:
    end = report_period(start)[1]
    return ComplianceReport(
        enterprise_id=enterprise_id,
        country_id=country_id,
        period_start=start,
        period_end=end,
        due_on=report_due_on(end),
    )


def figure_errors(figures: dict[str, Any]) -> dict[str, list[str]]:
    """Check the figures against each other (ranges are the model's validators)."""
    errors: dict[str, list[str]] = {}
    for name in ComplianceReport.FIGURES:
        value = figures.get(name)
        if value is None:
            errors[name] = [_("This field is required.")]
        elif value < 0:
            errors[name] = [_("Give a number of zero or more.")]
    received, resolved = (
        figures.get("warranty_claims_received"),
        figures.get("warranty_claims_resolved"),
    )
    if received is not None and resolved is not None and resolved > received:
        errors["warranty_claims_resolved"] = [_("More claims resolved than received.")]
    rate = figures.get("parts_fill_rate_pct")
    if rate is not None and rate > Decimal(100):
        errors["parts_fill_rate_pct"] = [_("A fill rate is at most 100 %.")]
    return errors


def compliance_report_submit(
    *,
    actor: Actor,
    enterprise: Enterprise,
    country_id: str,
    period_start: date,
    figures: dict[str, Any],
) -> ComplianceReport:
    """Submit (or, after a query, resubmit) the figures for one market and period."""
    today = timezone.localdate()
    report = _report_for(enterprise, country_id, period_start, today)
    errors = figure_errors(figures)
    if errors:
        raise ValidationError(errors)
    for name in ComplianceReport.FIGURES:
        setattr(report, name, figures[name])
    report.full_clean(exclude=["enterprise", "country"])
    return _move(
        actor=actor,
        report=report,
        action="submit",
        fields={
            **{name: figures[name] for name in ComplianceReport.FIGURES},
            "submitted_at": timezone.now(),
            "submitted_by": actor,
            "late": today > report.due_on,
        },
        payload={"figures": figures},
    )


def _report_for(
    enterprise: Enterprise, country_id: str, period_start: date, today: date
) -> ComplianceReport:
    start, end = report_period(period_start)
    if start != period_start:
        raise ValidationError(
            {"period_start": [_("A reporting period starts on %(day)s.") % {"day": start}]}
        )
    if end >= today:
        raise ValidationError({"period_start": [_("This period has not ended yet.")]})
    exported = ExportedVehicle.objects.filter(
        enterprise=enterprise, country_id=country_id, exported_on__lte=end
    ).exists()
    if not exported:
        raise ValidationError(
            {"country": [_("Your enterprise has no exports to this market by that period.")]}
        )
    report, _created = ComplianceReport.objects.get_or_create(
        enterprise=enterprise,
        country_id=country_id,
        period_start=start,
        defaults={"period_end": end, "due_on": report_due_on(end)},
    )
    return report


def _require_reviewer(actor: Actor) -> None:
    if actor is None or not actor.has_perm(REVIEW_PERMISSION):
        raise ActionForbidden(_("You may not review compliance reports."))


def compliance_report_accept(*, actor: Actor, report: ComplianceReport) -> ComplianceReport:
    """Accept a submitted report."""
    _require_reviewer(actor)
    fields = {"reviewed_by": actor, "reviewed_at": timezone.now(), "question": ""}
    return _move(actor=actor, report=report, action="accept", fields=fields, payload={})


def compliance_report_query(
    *, actor: Actor, report: ComplianceReport, question: str
) -> ComplianceReport:
    """Send a submitted report back to the enterprise with a question."""
    _require_reviewer(actor)
    question = checked_reason(question, required=True)
    fields = {"reviewed_by": actor, "reviewed_at": timezone.now(), "question": question}
    return _move(
        actor=actor, report=report, action="query", fields=fields, payload={"question": question}
    )


def _move(
    *, actor: Actor, report: ComplianceReport, action: str, fields: dict, payload: dict
) -> ComplianceReport:
    """Compare-and-swap the status on (status, version) and audit the move."""
    sources, target = ComplianceReport.TRANSITIONS[action]
    with transaction.atomic():
        old = report.status
        updated = ComplianceReport.objects.filter(
            pk=report.pk, version=report.version, status__in=sources
        ).update(status=target, version=F("version") + 1, **fields)
        if not updated:
            _refuse(report, action)
        report.refresh_from_db()
        audit_record(
            actor=actor,
            verb=f"aftersales.compliance_report.{VERBS[action]}",
            target=report,
            enterprise_id=report.enterprise_id,
            payload={"changes": {"status": [old, target]}, **payload},
        )
    return report


def _refuse(report: ComplianceReport, action: str) -> None:
    stored = ComplianceReport.objects.get(pk=report.pk)
    if stored.version != report.version:
        raise StaleVersion(_("The report was changed meanwhile; reload it and try again."))
    raise TransitionNotAllowed(
        str(REFUSALS[action]) % {"status": stored.get_status_display().lower()}
    )


VERBS = {"submit": "submitted", "accept": "accepted", "query": "queried"}
REFUSALS = {
    "submit": gettext_lazy("This report is %(status)s; it cannot be submitted again."),
    "accept": gettext_lazy("Only a submitted report can be accepted; this one is %(status)s."),
    "query": gettext_lazy("Only a submitted report can be queried; this one is %(status)s."),
}
