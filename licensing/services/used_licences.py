"""Licences for used vehicles: lines from the schedule, and declarations against it.

The licence's lines group the schedule by vehicle model (quantity = vehicles, unit price =
their mean price). Its single brand is the brand most of its vehicles carry; the certificate
lists every vehicle on its schedule page. Declared vehicles enter the vehicle register as
used vehicles under their brand's manufacturer, whose confirmation letter promised service.

A licence issued in exchange for a used-vehicle licence (or for such an exchange) keeps the
original schedule: `Licence.schedule_case` names the used-vehicle case a licence descends
from, set once at issue by `schedule_case_id_for`. Everything here reads that one field, so
declarations, the certificate and the checks on new schedules apply the same rule.
"""

from collections import Counter, defaultdict
from collections.abc import Sequence
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Protocol

from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import gettext as _

from aftersales.services.fleet import exported_vehicles_register
from licensing.models import Case, DeclaredVehicle, Licence, ScheduledVehicle


class DeclaredVins(Protocol):
    vehicle_model_id: int
    vins: list[str]


def schedule_lines(case: Case) -> list[tuple[int, dict[str, Any]]]:
    """One licence line per model of the schedule: its vehicle count and mean price."""
    grouped: dict[int, list[Decimal]] = defaultdict(list)
    for model_id, price in case.vehicles.values_list("vehicle_model_id", "unit_price_usd"):
        grouped[model_id].append(price)
    result = []
    for model_id, prices in grouped.items():
        mean = (sum(prices) / len(prices)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        values = {
            "vehicle_model_id": model_id,
            "licensed_quantity": len(prices),
            "unit_price_usd": mean,
        }
        result.append((len(prices), values))
    return result


def main_brand_id(case: Case) -> int | None:
    """The brand most scheduled vehicles carry (ties: the brand listed first)."""
    brands = case.vehicles.values_list("vehicle_model__brand_id", flat=True).order_by("pk")
    counted = Counter(brands)
    return counted.most_common(1)[0][0] if counted else None


def schedule_case_id_for(case: Case, replaced: Licence | None) -> int | None:
    """The used-vehicle case whose schedule a licence issued for `case` carries, if any.

    A used-vehicle case's own; for an exchange, the one the replaced licence carried, so an
    exchange of an exchange still carries the original schedule.
    """
    if case.is_used:
        return case.pk
    return replaced.schedule_case_id if replaced is not None else None


def exchanges_a_schedule(case: Case) -> bool:
    """Whether the case exchanges a licence that carries a used-vehicle schedule.

    Such an exchange passes that schedule's remainder on: its vehicles, letters and
    after-sales were screened with the original case, so the exchange brings no goods lines
    and is screened as a used-vehicle application without a schedule of its own.
    """
    return (
        case.kind == Case.Kind.EXCHANGE
        and case.licence_to_exchange_id is not None
        and Licence.objects.filter(
            pk=case.licence_to_exchange_id, schedule_case__isnull=False
        ).exists()
    )


def licence_schedule(licence: Licence) -> QuerySet[ScheduledVehicle]:
    """The scheduled vehicles a licence was issued for, with model and brand (none if new).

    The whole schedule for a used-vehicle licence; for its exchange, those not declared under
    the licences it replaced. Those were issued before it, so their ids are smaller.
    """
    earlier = DeclaredVehicle.objects.filter(
        declaration__licence__schedule_case_id=licence.schedule_case_id,
        declaration__licence_id__lt=licence.pk,
    )
    return (
        ScheduledVehicle.objects.filter(case_id=licence.schedule_case_id)
        .exclude(vin__in=earlier.values("vin"))
        .select_related("vehicle_model__brand")
    )


def vins_still_to_export(vins: Sequence[str]) -> set[str]:
    """Those VINs a used-vehicle licence in force, or its exchange, has yet to export.

    One query whatever the number of VINs; expired, revoked, exhausted and exchanged
    licences hold nothing (an exchange's own licence holds what it carried).
    """
    # Driven from the VINs (an index each), each row then probing its case's licences.
    in_force = Licence.objects.filter(
        schedule_case_id=OuterRef("case_id"), status__in=Licence.IN_FORCE_STATUSES
    )
    declared = DeclaredVehicle.objects.filter(vin=OuterRef("vin"))
    return set(
        ScheduledVehicle.objects.filter(Exists(in_force), ~Exists(declared), vin__in=vins)
        .order_by()
        .values_list("vin", flat=True)
    )


def off_schedule_errors(
    licence: Licence, lines: Sequence[DeclaredVins], scheduled: dict[str, ScheduledVehicle]
) -> list[ValidationError]:
    """Each declared VIN that is not on the licence's schedule, or is there as another model."""
    errors = []
    for index, line in enumerate(lines):
        for vin in line.vins:
            row = scheduled.get(vin)
            if row is None:
                message = _("%(vin)s is not on the licence's schedule.")
            elif row.vehicle_model_id != line.vehicle_model_id:
                message = _("%(vin)s is on the licence's schedule as another model.")
            else:
                continue
            errors.append(ValidationError(message, params={"line": index, "vin": vin}))
    return errors


def check_on_schedule(licence: Licence, lines: Sequence[DeclaredVins]) -> dict[str, Any]:
    """Raise a per-VIN error unless every declared VIN is on the schedule; return the rows."""
    vins = [vin for line in lines for vin in line.vins]
    scheduled = {row.vin: row for row in licence_schedule(licence).filter(vin__in=vins)}
    errors = off_schedule_errors(licence, lines, scheduled)
    if errors:
        raise ValidationError({"lines": errors})
    return scheduled


def register_used_vehicles(
    *,
    actor: Any,
    licence: Licence,
    declaration_number: str,
    declared_on: date,
    scheduled: dict[str, ScheduledVehicle],
) -> int:
    """Enter declared used vehicles in the register, per brand, under the brand's maker."""
    by_brand: dict[Any, list[ScheduledVehicle]] = defaultdict(list)
    for row in scheduled.values():
        by_brand[row.vehicle_model.brand].append(row)
    registered = 0
    for brand, rows in sorted(by_brand.items(), key=lambda item: item[0].pk):
        registered += exported_vehicles_register(
            actor=actor,
            enterprise_id=brand.manufacturer_id,
            brand_id=brand.pk,
            country_id=licence.destination_id,
            licence_number=licence.number,
            declaration_number=declaration_number,
            exported_on=declared_on,
            vehicles=[(row.vin, row.vehicle_model_id) for row in rows],
            registered_in_china={row.vin: row.first_registered_on for row in rows},
        )
    return registered
