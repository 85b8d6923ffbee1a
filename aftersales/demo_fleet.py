"""Demo fleet history: cars Jade River shipped to France last period, and their report.

Licences issued today cannot carry exports from a period that has already ended, so the
demo registers a small earlier shipment straight into the register (as a declaration under
an earlier licence would have), then submits the compliance report for that period. Today's
demo declarations are added by licensing's demo through the normal path.
"""

from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model

from aftersales import services
from aftersales.models import ComplianceReport, ExportedVehicle
from aftersales.services.reports import report_period
from registry.models import VehicleModel
from registry.validators import vin_with_check_digit

EARLIER_LICENCE = "25-11-000042"
EARLIER_DECLARATION = "220020250000000042"
BODIES = ["LJRD0A1B?S0000101", "LJRD0A1B?S0000102", "LJRD0A1B?S0000103"]
FIGURES = {
    "warranty_claims_received": 3,
    "warranty_claims_resolved": 3,
    "repair_wait_avg_days": Decimal("4.5"),
    "repair_wait_p90_days": Decimal("9.0"),
    "parts_fill_rate_pct": Decimal("96.0"),
    "outlets_active": 2,
}


def seed_fleet_history(world: dict, today: date) -> None:
    """Register last period's demo shipment to FR and submit its report (once)."""
    enterprise, brand = world["enterprises"]["jade"], world["brands"]["jade"]
    start, _end = report_period(report_period(today)[0] - timedelta(days=1))
    vins = [vin_with_check_digit(body) for body in BODIES]
    if not ExportedVehicle.objects.filter(vin__in=vins).exists():
        model = VehicleModel.objects.filter(brand=brand).order_by("pk").first()
        services.exported_vehicles_register(
            actor=world["admin"],
            enterprise_id=enterprise.pk,
            brand_id=brand.pk,
            country_id="FR",
            licence_number=EARLIER_LICENCE,
            declaration_number=EARLIER_DECLARATION,
            exported_on=start + timedelta(days=20),
            vehicles=[(vin, model.pk) for vin in vins],
        )
    submitted = ComplianceReport.objects.filter(
        enterprise=enterprise, country_id="FR", period_start=start
    ).exclude(status=ComplianceReport.Status.DUE)
    if not submitted.exists():
        services.compliance_report_submit(
            actor=get_user_model().objects.get(username="maker"),
            enterprise=enterprise,
            country_id="FR",
            period_start=start,
            figures=FIGURES,
        )
