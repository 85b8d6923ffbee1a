"""The office's after-sales figures: aggregate reads over the exported-vehicle register."""

from decimal import Decimal

from django.db.models import Avg, Count, F, Q
from django.utils.translation import gettext_lazy as _

from aftersales.models import ComplianceReport, ExportedVehicle, Obligation
from licensing.insights_chart import Chart, Period, per_destination_and_brand
from registry.countries import country_name


def exported_by_destination_and_brand(period: Period) -> Chart:
    """Vehicles exported in the period per destination and brand, from the register."""
    vehicles = ExportedVehicle.objects.filter(
        exported_on__gte=period.start, exported_on__lte=period.end
    )
    if period.office_id:
        vehicles = vehicles.filter(enterprise__issuing_office_id=period.office_id)
    return per_destination_and_brand(
        vehicles,
        "country_id",
        key="exported",
        title=_("Vehicles exported per destination and brand"),
        counted=_("Vehicles exported"),
    )


def coverage_per_market(period: Period) -> Chart:
    """After-sales obligations by their current status, per destination market."""
    obligations = Obligation.objects.all()
    if period.office_id:
        obligations = obligations.filter(enterprise__issuing_office_id=period.office_id)
    statuses = Obligation.Status
    rows = (
        obligations.values("country_id")
        .annotate(**{s: Count("pk", filter=Q(status=s)) for s in statuses.values})
        .order_by("country_id")
    )
    return Chart(
        key="coverage",
        title=_("After-sales coverage per market (obligations by status)"),
        columns=[_("Market"), *statuses.labels],
        rows=[[country_name(r["country_id"]), *(r[s] for s in statuses.values)] for r in rows],
    )


def repair_wait_per_brand_and_market(period: Period) -> Chart:
    """Average repair wait reported per brand and market, per report period; worst marked.

    A compliance report covers an enterprise in one market, so it counts for every brand the
    enterprise has an obligation for there. Only submitted and accepted reports count, and
    only those whose period overlaps the chosen one.
    """
    obligations = Obligation.objects.filter(
        enterprise__compliance_reports__country=F("country"),
        enterprise__compliance_reports__status__in=REPORTED,
        enterprise__compliance_reports__repair_wait_avg_days__isnull=False,
        enterprise__compliance_reports__period_end__gte=period.start,
        enterprise__compliance_reports__period_start__lte=period.end,
    )
    if period.office_id:
        obligations = obligations.filter(enterprise__issuing_office_id=period.office_id)
    found = list(
        obligations.values(
            "brand__name", "country_id", ends=F("enterprise__compliance_reports__period_end")
        )
        .annotate(
            days=Avg("enterprise__compliance_reports__repair_wait_avg_days"),
            reports=Count("enterprise__compliance_reports", distinct=True),
        )
        .order_by("ends", "-days", "brand__name", "country_id")
    )
    worst = {}
    for row in found:
        worst[row["ends"]] = max(worst.get(row["ends"], row["days"]), row["days"])
    marked = [r["days"] == worst[r["ends"]] for r in found]
    return Chart(
        key="repair_wait",
        title=_("Average repair wait per brand and market (days), worst of each period marked"),
        columns=[
            _("Brand, market and report period end"),
            _("Average repair wait (days)"),
            _("Reports"),
            _("Worst of its period"),
        ],
        plotted=1,
        highlighted=tuple(i for i, worst_here in enumerate(marked) if worst_here),
        rows=[
            [
                f"{r['brand__name']} · {country_name(r['country_id'])} · {r['ends'].isoformat()}",
                Decimal(r["days"]).quantize(Decimal("0.1")),
                r["reports"],
                str(_("Worst")) if worst_here else "",
            ]
            for r, worst_here in zip(found, marked, strict=True)
        ],
    )


REPORTED = (ComplianceReport.Status.SUBMITTED, ComplianceReport.Status.ACCEPTED)
