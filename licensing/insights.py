"""The office's figures: aggregate reads over cases and licences, one query per chart.

Every chart is a `Chart` of labelled rows; the page draws it as SVG, shows the same rows
as a table and offers exactly those numbers as CSV.
"""

from datetime import date, datetime, time, timedelta

from django.db.models import Count, Q
from django.db.models.functions import TruncWeek
from django.utils.translation import gettext_lazy as _

from audit.times import BEIJING
from licensing.insights_aftersales import (
    coverage_per_market,
    exported_by_destination_and_brand,
    repair_wait_per_brand_and_market,
)
from licensing.insights_chart import Chart, Period, per_destination_and_brand
from licensing.models import Case, Licence
from licensing.services.sla import sla_limit
from registry.calendar import WorkingCalendar

AGE_BUCKETS = ((0, 3), (4, 10), (11, 20), (21, None))


def received_per_week(period: Period) -> Chart:
    """Cases submitted per week, by kind."""
    start, end = period.bounds()
    rows = (
        period.cases()
        .filter(submitted_at__gte=start, submitted_at__lt=end)
        .annotate(week=TruncWeek("submitted_at", tzinfo=BEIJING))
        .values("week")
        .annotate(**{kind: Count("pk", filter=Q(kind=kind)) for kind in Case.Kind.values})
        .order_by("week")
    )
    return Chart(
        key="received",
        title=_("Cases received per week, by kind"),
        columns=[_("Week from"), *Case.Kind.labels],
        rows=[
            [row["week"].date().isoformat(), *(row[k] for k in Case.Kind.values)] for row in rows
        ],
    )


def decided_per_week(period: Period) -> Chart:
    """Cases decided per week, by outcome."""
    start, end = period.bounds()
    rows = (
        period.cases()
        .filter(decided_at__gte=start, decided_at__lt=end)
        .annotate(week=TruncWeek("decided_at", tzinfo=BEIJING))
        .values("week")
        .annotate(
            approved=Count("pk", filter=Q(status=Case.Status.APPROVED)),
            refused=Count("pk", filter=Q(status=Case.Status.REFUSED)),
        )
        .order_by("week")
    )
    return Chart(
        key="decided",
        title=_("Cases decided per week, by outcome"),
        columns=[_("Week from"), Case.Status.APPROVED.label, Case.Status.REFUSED.label],
        rows=[[r["week"].date().isoformat(), r["approved"], r["refused"]] for r in rows],
    )


def open_case_ages(period: Period, today: date) -> Chart:
    """Open cases by how many calendar days ago they were submitted."""
    since = {f"b{i}": _age_condition(today, low, high) for i, (low, high) in enumerate(AGE_BUCKETS)}
    counts = (
        period.cases()
        .is_open()
        .exclude(submitted_at=None)
        .aggregate(**{k: Count("pk", filter=q) for k, q in since.items()})
    )
    labels = [_age_label(low, high) for low, high in AGE_BUCKETS]
    return Chart(
        key="ages",
        title=_("Age of open cases (days since submission)"),
        columns=[_("Age"), _("Open cases")],
        rows=[[label, counts[f"b{i}"]] for i, label in enumerate(labels)],
    )


def _age_condition(today: date, low: int, high: int | None) -> Q:
    newest = datetime.combine(today - timedelta(days=low - 1), time.min, tzinfo=BEIJING)
    condition = Q(submitted_at__lt=newest)
    if high is not None:
        oldest = datetime.combine(today - timedelta(days=high), time.min, tzinfo=BEIJING)
        condition &= Q(submitted_at__gte=oldest)
    return condition


def _age_label(low: int, high: int | None) -> str:
    return f"{low}–{high}" if high is not None else f"> {low - 1}"


def licences_by_destination_and_brand(period: Period) -> Chart:
    """Licences issued in the period per destination and brand."""
    start, end = period.bounds()
    licences = Licence.objects.filter(issued_at__gte=start, issued_at__lt=end)
    if period.office_id:
        licences = licences.filter(issuing_office_id=period.office_id)
    return per_destination_and_brand(
        licences,
        "destination_id",
        key="licences",
        title=_("Licences issued per destination and brand"),
        counted=_("Licences"),
    )


def decided_within_limit(period: Period) -> Chart:
    """Share of cases decided within their 3- or 20-working-day limit, per issuing office."""
    start, end = period.bounds()
    decided = list(
        period.cases()
        .filter(decided_at__gte=start, decided_at__lt=end)
        .exclude(submitted_at=None)
        .values_list("applicant__issuing_office__code", "kind", "submitted_at", "decided_at")
    )
    calendar = WorkingCalendar.load(period.start - timedelta(days=120), period.end)
    totals: dict[str, list[int]] = {}
    for office, kind, submitted, decided_at in decided:
        used = calendar.working_days_between(
            submitted.astimezone(BEIJING).date(), decided_at.astimezone(BEIJING).date()
        )
        counts = totals.setdefault(office or "—", [0, 0])
        counts[0] += 1
        counts[1] += int(used <= sla_limit(kind))
    return Chart(
        key="within_limit",
        title=_("Share decided within the time limit, per issuing office"),
        columns=[_("Issuing office"), _("Within the limit (%)"), _("Cases decided")],
        plotted=1,
        rows=[
            [office, round(100 * within / total), total]
            for office, (total, within) in sorted(totals.items())
        ],
    )


def all_charts(period: Period, today: date) -> list[Chart]:
    """Every chart of the statistics page, in page order."""
    return [
        received_per_week(period),
        decided_per_week(period),
        decided_within_limit(period),
        open_case_ages(period, today),
        licences_by_destination_and_brand(period),
        exported_by_destination_and_brand(period),
        coverage_per_market(period),
        repair_wait_per_brand_and_market(period),
    ]


def index_tiles(today: date) -> dict[str, int]:
    """The admin index's headline numbers, in two aggregate queries."""
    week_ago = datetime.combine(today - timedelta(days=6), time.min, tzinfo=BEIJING)
    month_ago = datetime.combine(today - timedelta(days=29), time.min, tzinfo=BEIJING)
    cases = Case.objects.aggregate(
        received=Count("pk", filter=Q(submitted_at__gte=week_ago)),
        decided=Count("pk", filter=Q(decided_at__gte=week_ago)),
        open=Count("pk", filter=Q(status__in=Case.OPEN_STATUSES)),
    )
    cases["licences"] = Licence.objects.filter(issued_at__gte=month_ago).count()
    return cases
