"""A licence's declaration in the dataset, with its cars in the exported-vehicle register."""

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from aftersales.models import ExportedVehicle
from aftersales.services.fleet import warranty_end
from licensing.models import Declaration, DeclarationLine, DeclaredVehicle
from licensing.seeding.chunk import Chunk, Keys, event
from registry.validators import vin_with_check_digit

# A declaration ships one to four cars, so the register holds about as many cars as there
# are cases; each car gets the warranty the world's commitments promise (world.py).
DECLARED_CARS_MAX = 4
WARRANTY_MONTHS = 60


@dataclass(frozen=True)
class Declared:
    """What a licence's one declaration in the dataset draws: cars of its first line."""

    licence_id: int
    licence_number: str
    line_id: int
    model_id: int
    cars: int
    on: date


def declaration(
    chunk: Chunk,
    keys: Keys,
    declared: Declared,
    member: Any,
    target: tuple[str, int, str],
    case: dict[str, Any],
) -> None:
    declaration_id = keys.take(Declaration)
    number = f"{declaration_id:018d}"
    recorded = datetime.combine(declared.on, datetime.min.time(), tzinfo=case["decided_at"].tzinfo)
    chunk.add(
        Declaration,
        id=declaration_id,
        licence_id=declared.licence_id,
        number=number,
        declared_on=declared.on,
        recorded_by_id=member.pk,
        recorded_at=recorded,
    )
    line_id = keys.take(DeclarationLine)
    chunk.add(
        DeclarationLine,
        id=line_id,
        declaration_id=declaration_id,
        licence_line_id=declared.line_id,
        quantity=declared.cars,
    )
    _register(chunk, keys, declared, declaration_id, line_id, case)
    event(
        chunk,
        recorded,
        member,
        "aftersales.exported_vehicles.registered",
        ("aftersales.exportedvehicle", number, number),
        case["applicant_id"],
        {
            "licence": declared.licence_number,
            "vehicles": declared.cars,
            "warranty_months": WARRANTY_MONTHS,
        },
    )
    event(
        chunk,
        recorded,
        member,
        "licensing.declaration.recorded",
        target,
        case["applicant_id"],
        {"declaration": number, "quantities": {str(declared.line_id): declared.cars}},
    )


def _register(
    chunk: Chunk,
    keys: Keys,
    declared: Declared,
    declaration_id: int,
    line_id: int,
    case: dict[str, Any],
) -> None:
    """The declaration's cars, as customs declared them and as the register keeps them."""
    ends = warranty_end(declared.on, WARRANTY_MONTHS)
    for car in range(declared.cars):
        # Unique by the declaration's key; position 8 numbers the car within it.
        vin = vin_with_check_digit(f"LSCAB12{car}?R{declaration_id:07d}")
        chunk.add(
            DeclaredVehicle,
            id=keys.take(DeclaredVehicle),
            vin=vin,
            declaration_id=declaration_id,
            declaration_line_id=line_id,
            vehicle_model_id=declared.model_id,
        )
        chunk.add(
            ExportedVehicle,
            id=keys.take(ExportedVehicle),
            vin=vin,
            enterprise_id=case["applicant_id"],
            brand_id=case["brand_id"],
            vehicle_model_id=declared.model_id,
            country_id=case["destination_id"],
            licence_number=declared.licence_number,
            declaration_number=f"{declaration_id:018d}",
            exported_on=declared.on,
            warranty_months=WARRANTY_MONTHS,
            warranty_ends_on=ends,
            created_at=datetime.combine(declared.on, datetime.min.time(), tzinfo=UTC),
        )
