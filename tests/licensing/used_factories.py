"""Factories for used-vehicle cases: a world with an exporter, a maker, its VINs and letters.

Confirmation letters are made directly here: issuing them is the letter services' job.
"""

import itertools
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import factory
from django.utils import timezone

from aftersales.models import ConfirmationLetter, ServiceOutlet
from licensing.models import Case, Licence, ScheduledVehicle
from registry.models import Brand, Country, Enterprise, VehicleModel, WorldManufacturerIdentifier
from tests.aftersales.factories import ServiceOutletFactory
from tests.licensing.factories import CaseFactory, add_document
from tests.licensing.licence_factories import licence_issue_for_case, vin_with_check_digit
from tests.registry.factories import (
    BrandFactory,
    CountryFactory,
    EnterpriseFactory,
    MembershipFactory,
    QualificationFactory,
    VehicleModelFactory,
)

_serial = itertools.count(1)
_letter_serial = itertools.count(1)


def vin_for(wmi: str) -> str:
    """A fresh VIN whose first three characters are the given manufacturer identifier."""
    return vin_with_check_digit(f"{wmi}0A1B20T{next(_serial):07d}")


class UsedCaseFactory(CaseFactory):
    """A draft used-vehicle case: no brand, no goods lines (add ScheduledVehicle rows)."""

    reference = factory.Sequence(lambda n: f"UL-2026-{900000 + n:06d}")
    kind = Case.Kind.USED_LICENCE
    brand = None


class ScheduledVehicleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ScheduledVehicle

    case = factory.SubFactory(UsedCaseFactory)
    vin = factory.LazyFunction(lambda: vin_for("LSV"))
    vehicle_model = factory.SubFactory(VehicleModelFactory)
    first_registered_on = date(2025, 6, 1)
    transferred_on = date(2026, 1, 10)
    unit_price_usd = Decimal("15000.00")


class ConfirmationLetterFactory(factory.django.DjangoModelFactory):
    """A letter in force from the model's brand's manufacturer (pass vin, model, outlet)."""

    class Meta:
        model = ConfirmationLetter

    number = factory.LazyFunction(lambda: f"CL-2026-{next(_letter_serial):06d}")
    vehicle_model = factory.SubFactory(VehicleModelFactory)
    manufacturer = factory.LazyAttribute(lambda o: o.vehicle_model.brand.manufacturer)
    vin = factory.LazyFunction(lambda: vin_for("LSV"))
    country = factory.SubFactory(CountryFactory)
    outlet = factory.SubFactory(ServiceOutletFactory)
    issued_by = factory.SubFactory("tests.registry.factories.UserFactory")
    issued_at = factory.LazyFunction(timezone.now)


@dataclass
class UsedWorld:
    """An exporter (not a manufacturer) that may apply, and a catalogue maker with its VINs."""

    exporter: Enterprise
    exporter_user: Any
    maker: Enterprise
    brand: Brand
    model: VehicleModel
    destination: Country
    outlet: ServiceOutlet


def used_world(wmi: str = "LSV") -> UsedWorld:
    """Build an exporter qualified as a used-vehicle company and a maker owning `wmi`."""
    exporter = EnterpriseFactory(kind=Enterprise.Kind.OTHER)
    QualificationFactory(enterprise=exporter, year=2026, qualification_class="used")
    user = MembershipFactory(enterprise=exporter, role="admin").user
    maker = EnterpriseFactory(kind=Enterprise.Kind.MANUFACTURER)
    WorldManufacturerIdentifier.objects.create(code=wmi, manufacturer=maker)
    brand = BrandFactory(manufacturer=maker)
    destination = CountryFactory()
    outlet = ServiceOutletFactory(enterprise=maker, country=destination, brands=[brand])
    return UsedWorld(
        exporter=exporter,
        exporter_user=user,
        maker=maker,
        brand=brand,
        model=VehicleModelFactory(brand=brand),
        destination=destination,
        outlet=outlet,
    )


def vehicle_values(world: UsedWorld, today: date, **overrides: Any) -> dict[str, Any]:
    """One schedule row for the world's model: registered a year ago, transferred last week."""
    values = {
        "vin": vin_for(world.model.brand.manufacturer.manufacturer_identifiers.first().code),
        "vehicle_model": world.model,
        "first_registered_on": today - timedelta(days=365),
        "transferred_on": today - timedelta(days=7),
        "unit_price_usd": Decimal("15000.00"),
    }
    return {**values, **overrides}


def used_case(world: UsedWorld, today: date, *, rows: int = 1, **fields: Any) -> Case:
    """A complete used-vehicle draft of the world's exporter with `rows` vehicles and a contract."""
    case = UsedCaseFactory(
        applicant=world.exporter,
        destination=world.destination,
        valid_from=today,
        valid_until=today + timedelta(days=90),
        **fields,
    )
    for _ in range(rows):
        ScheduledVehicle.objects.create(case=case, **vehicle_values(world, today))
    add_document(case, world.exporter_user)
    return case


def letter_for(world: UsedWorld, row: ScheduledVehicle, **overrides: Any) -> ConfirmationLetter:
    """The maker's letter in force for the scheduled vehicle and the world's destination."""
    values = {
        "vin": row.vin,
        "vehicle_model": row.vehicle_model,
        "manufacturer": world.maker,
        "requester": world.exporter,
        "country": world.destination,
        "outlet": world.outlet,
    }
    return ConfirmationLetterFactory(**{**values, **overrides})


def used_licence(world: UsedWorld, today: date, *, rows: int = 3, **fields: Any) -> Licence:
    """A multi-use licence issued through the real service for an approved used case."""
    case = used_case(world, today, rows=rows, use_mode=Case.UseMode.MULTI, **fields)
    Case.objects.filter(pk=case.pk).update(status=Case.Status.APPROVED)
    case.refresh_from_db()
    return licence_issue_for_case(case=case, actor=None)


def exchange_of(licence: Licence, today: date, **fields: Any) -> Licence:
    """The licence issued, through the real service, in exchange for `licence`."""
    values = {
        "kind": Case.Kind.EXCHANGE,
        "status": Case.Status.APPROVED,
        "applicant": licence.holder,
        "brand": licence.brand,
        "destination": licence.destination,
        "licence_to_exchange": licence,
        "use_mode": licence.use_mode,
        "valid_from": today,
        "valid_until": today + timedelta(days=90),
    }
    return licence_issue_for_case(case=CaseFactory(**{**values, **fields}), actor=None)
