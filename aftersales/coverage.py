"""The public coverage check: was this car exported under licence, and who services it there?

It answers with the VIN, brand, model, destination, warranty end and the brand's verified
outlets in that country (name, city, phone) — nothing about the holder or the shipment.
"""

from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone

from aftersales.models import ExportedVehicle, ServiceOutlet
from registry.countries import country_name
from registry.validators import validate_vin


@dataclass(frozen=True)
class PublicOutlet:
    name: str
    city: str
    phone: str


@dataclass(frozen=True)
class PublicCoverage:
    vin: str
    exported_under_licence: bool
    brand: str = ""
    vehicle_model: str = ""
    country: str = ""
    country_name: str = ""
    warranty_ends_on: date | None = None
    under_warranty: bool = False
    outlets: list[PublicOutlet] = field(default_factory=list)


def checked_vin(raw: str) -> str:
    """Normalise a VIN typed by a person; raise ValidationError({"vin": ...}) when malformed."""
    vin = (raw or "").strip().upper()
    try:
        validate_vin(vin)
    except ValidationError as exc:
        raise ValidationError({"vin": exc.messages}) from exc
    return vin


def vehicle_coverage(*, vin: str) -> PublicCoverage:
    """Answer the public check for a well-formed VIN in two queries."""
    vehicle = (
        ExportedVehicle.objects.select_related("brand", "vehicle_model")
        .only(
            "vin",
            "enterprise_id",
            "country_id",
            "warranty_ends_on",
            "brand__name",
            "brand__manufacturer_id",
            "vehicle_model__name",
        )
        .filter(vin=vin)
        .first()
    )
    if vehicle is None:
        return PublicCoverage(vin=vin, exported_under_licence=False)
    today = timezone.localdate()
    return PublicCoverage(
        vin=vin,
        exported_under_licence=True,
        brand=vehicle.brand.name,
        vehicle_model=vehicle.vehicle_model.name,
        country=vehicle.country_id,
        country_name=country_name(vehicle.country_id),
        warranty_ends_on=vehicle.warranty_ends_on,
        under_warranty=vehicle.warranty_ends_on >= today,
        outlets=_outlets(vehicle, today),
    )


def _outlets(vehicle: ExportedVehicle, today: date) -> list[PublicOutlet]:
    holders = Q(enterprise_id=vehicle.enterprise_id) | Q(
        enterprise_id=vehicle.brand.manufacturer_id
    )
    rows = (
        ServiceOutlet.objects.verified()
        .valid_on(today)
        .filter(holders, country_id=vehicle.country_id, brands=vehicle.brand_id)
        .order_by("city", "operator_name")
        .values_list("operator_name", "city", "phone")
        .distinct()
    )
    return [PublicOutlet(*row) for row in rows]
