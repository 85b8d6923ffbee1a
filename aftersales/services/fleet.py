"""The exported-vehicle register: cars recorded by customs, and their first registration abroad.

Licensing calls ``exported_vehicles_register`` with plain values inside the declaration's
transaction; after-sales never reads licensing's tables.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, IntegerField, Q, Subquery, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils import timezone
from django.utils.translation import gettext as _

from aftersales.models import ExportedVehicle, WarrantyCommitment
from aftersales.services.obligations import Market, batches, obligations_recompute
from aftersales.services.rules import Actor
from audit.services import audit_record
from registry.models import Country
from registry.validators import validate_vin

CHUNK = 5000


def warranty_end(start: date, months: int) -> date:
    """The last day a warranty of so many months that starts on the day covers."""
    return start + relativedelta(months=months) - timedelta(days=1)


def warranty_months_in_force(
    *, enterprise_id: int, brand_id: int, country_id: str, on: date
) -> int:
    """The longest warranty the holder or the brand's maker commits to there on the day.

    Without a commitment the destination's statutory minimum applies.
    """
    months = warranty_months_expression(
        enterprise=enterprise_id, brand=brand_id, country=country_id, on=on
    )
    return Country.objects.filter(pk=country_id).values_list(months, flat=True).get()


def warranty_months_expression(*, enterprise: Any, brand: Any, country: Any, on: date) -> Any:
    """`warranty_months_in_force` as one SQL expression, so a caller's own read can carry it.

    The three may be values or OuterRef()s to the caller's row.
    """
    commitment = (
        WarrantyCommitment.objects.valid_on(on)
        .filter(
            # the holder's own commitment, or the brand's maker's
            Q(enterprise_id=enterprise) | Q(enterprise_id=F("brand__manufacturer_id")),
            brand_id=brand,
            country_id=country,
        )
        .order_by("-vehicle_warranty_months")
        .values("vehicle_warranty_months")[:1]
    )
    statutory = Country.objects.filter(pk=country).values("statutory_warranty_months")[:1]
    # A commitment of 0 months counts as none, as it always has.
    return Coalesce(
        NullIf(Subquery(commitment), Value(0)),
        Subquery(statutory),
        output_field=IntegerField(),
    )


def exported_vehicles_register(
    *,
    actor: Actor,
    enterprise_id: int,
    brand_id: int,
    country_id: str,
    licence_number: str,
    declaration_number: str,
    exported_on: date,
    vehicles: Sequence[tuple[str, int]],
    registered_in_china: Mapping[str, date] | None = None,
    warranty_months: int | None = None,
) -> int:
    """Record the (VIN, vehicle model id) pairs one declaration exported; update the obligation.

    ``registered_in_china`` gives a used vehicle's first registration at home, where its
    warranty started; a VIN not in it is a new vehicle whose warranty starts at export.
    ``warranty_months`` is `warranty_months_in_force` on the export day when the caller has
    read it already (with `warranty_months_expression`); otherwise it is read here.
    """
    months = warranty_months
    if months is None:
        months = warranty_months_in_force(
            enterprise_id=enterprise_id, brand_id=brand_id, country_id=country_id, on=exported_on
        )
    at_home = registered_in_china or {}
    rows = [
        ExportedVehicle(
            vin=vin,
            enterprise_id=enterprise_id,
            brand_id=brand_id,
            vehicle_model_id=model_id,
            country_id=country_id,
            licence_number=licence_number,
            declaration_number=declaration_number,
            exported_on=exported_on,
            registered_in_china_on=at_home.get(vin),
            warranty_months=months,
            warranty_ends_on=warranty_end(at_home.get(vin) or exported_on, months),
        )
        for vin, model_id in vehicles
    ]
    # Inside a declaration a savepoint would only add two round trips: a failure here fails
    # the whole declaration anyway.
    with transaction.atomic(savepoint=False):
        ExportedVehicle.objects.bulk_create(rows, batch_size=1000)
        audit_record(
            actor=actor,
            verb="aftersales.exported_vehicles.registered",
            target=("aftersales.exportedvehicle", declaration_number, declaration_number),
            enterprise_id=enterprise_id,
            payload={"licence": licence_number, "vehicles": len(rows), "warranty_months": months},
        )
        obligations_recompute(markets=[Market(enterprise_id, brand_id, country_id)])
    return len(rows)


def registration_date_errors(vehicle: ExportedVehicle, day: Any) -> list[str]:
    """Why the day cannot be this vehicle's first registration abroad (empty: it can)."""
    if not isinstance(day, date):
        return [_("Give the date as YYYY-MM-DD.")]
    if day < vehicle.exported_on:
        return [
            _("The car was exported on %(day)s; it cannot be registered abroad before.")
            % {"day": vehicle.exported_on}
        ]
    if day > timezone.localdate():
        return [_("The registration date cannot be in the future.")]
    return []


def _with_registration(vehicle: ExportedVehicle, day: date) -> ExportedVehicle:
    vehicle.first_registered_on = day
    # A used vehicle's warranty runs from its first registration in China, whatever follows.
    start = vehicle.registered_in_china_on or day
    vehicle.warranty_ends_on = warranty_end(start, vehicle.warranty_months)
    return vehicle


def exported_vehicle_register_abroad(
    *, actor: Actor, vehicle: ExportedVehicle, first_registered_on: Any
) -> ExportedVehicle:
    """Record one car's first registration abroad, which moves its warranty start."""
    errors = registration_date_errors(vehicle, first_registered_on)
    if errors:
        raise ValidationError({"first_registered_on": errors})
    old = {
        "first_registered_on": vehicle.first_registered_on,
        "warranty_ends_on": vehicle.warranty_ends_on,
    }
    with transaction.atomic():
        _with_registration(vehicle, first_registered_on).save(
            update_fields=["first_registered_on", "warranty_ends_on"]
        )
        audit_record(
            actor=actor,
            verb="aftersales.exported_vehicle.registered_abroad",
            target=vehicle,
            enterprise_id=vehicle.enterprise_id,
            payload={
                "old": old,
                "new": {
                    "first_registered_on": first_registered_on,
                    "warranty_ends_on": vehicle.warranty_ends_on,
                },
            },
        )
        obligations_recompute(
            markets=[Market(vehicle.enterprise_id, vehicle.brand_id, vehicle.country_id)]
        )
    return vehicle


@dataclass
class RegistrationImport:
    """What an import did: rows saved, and each refused row with its reasons."""

    updated: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)
    markets: set[Market] = field(default_factory=set)


class RegistrationImportRefused(ValidationError):
    """The file had bad rows and the caller did not ask to import the good ones."""

    def __init__(self, result: RegistrationImport) -> None:
        super().__init__(_("The file has rows with errors; nothing was saved."))
        self.result = result


def first_registrations_import(
    *,
    actor: Actor,
    enterprise_id: int,
    rows: Iterable[tuple[int, str, str]],
    import_valid_rows: bool,
) -> RegistrationImport:
    """Apply (line, VIN, date) rows all or nothing, or only the good ones when asked.

    Rows are read and applied a chunk at a time inside one transaction, so a file of
    100,000 rows never sits in memory whole and a refused file rolls back completely.
    """
    result = RegistrationImport()
    with transaction.atomic():
        seen: set[str] = set()
        for chunk in batches(iter(rows), CHUNK):
            _apply_chunk(chunk, enterprise_id, seen, result)
        if result.errors and (not import_valid_rows or not result.updated):
            raise RegistrationImportRefused(result)
        audit_record(
            actor=actor,
            verb="aftersales.exported_vehicle.registrations_imported",
            target=("aftersales.exportedvehicle", "", _("first registrations")),
            enterprise_id=enterprise_id,
            payload={"updated": result.updated, "refused_rows": len(result.errors)},
        )
        obligations_recompute(markets=result.markets)
    return result


def _apply_chunk(
    chunk: list[tuple[int, str, str]],
    enterprise_id: int,
    seen: set[str],
    result: RegistrationImport,
) -> None:
    vins = [vin.strip().upper() for _line, vin, _day in chunk]
    found = {
        v.vin: v for v in ExportedVehicle.objects.filter(enterprise_id=enterprise_id, vin__in=vins)
    }
    changed = []
    for (line, _raw, raw_day), vin in zip(chunk, vins, strict=True):
        vehicle = found.get(vin)
        errors = _row_errors(vin, raw_day, vehicle, seen)
        seen.add(vin)
        if errors:
            result.errors.append({"row": line, "vin": vin, "errors": errors})
            continue
        changed.append(_with_registration(vehicle, date.fromisoformat(raw_day.strip())))
        result.markets.add(Market(vehicle.enterprise_id, vehicle.brand_id, vehicle.country_id))
    ExportedVehicle.objects.bulk_update(
        changed, ["first_registered_on", "warranty_ends_on"], batch_size=500
    )
    result.updated += len(changed)


def _row_errors(
    vin: str, raw_day: str, vehicle: ExportedVehicle | None, seen: set[str]
) -> dict[str, list[str]]:
    try:
        validate_vin(vin)
    except ValidationError as exc:
        return {"vin": exc.messages}
    if vin in seen:
        return {"vin": [_("This VIN appears earlier in the file.")]}
    if vehicle is None:
        # Another enterprise's car reads exactly like an unknown one.
        return {"vin": [_("No car with this VIN was exported under your licences.")]}
    try:
        day = date.fromisoformat((raw_day or "").strip())
    except ValueError:
        return {"first_registered_on": [_("Give the date as YYYY-MM-DD.")]}
    errors = registration_date_errors(vehicle, day)
    return {"first_registered_on": errors} if errors else {}
