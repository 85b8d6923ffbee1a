"""The office's after-sales figures: aggregate reads over the exported-vehicle register."""

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from aftersales.models import ExportedVehicle, Obligation
from licensing.insights_chart import Chart, Period, per_destination_and_brand


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
        rows=[[r["country_id"], *(r[s] for s in statuses.values)] for r in rows],
    )
