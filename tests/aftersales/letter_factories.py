"""A small world for confirmation letters: a maker and a rival with their VIN prefixes, an
exporter asking for letters, and the maker's verified outlet in France.
"""

import itertools
from dataclasses import dataclass
from typing import Any

from aftersales.models import ConfirmationLetter, LetterRequest, ServiceOutlet
from aftersales.services import letter_issue, letter_request_create
from registry.models import Brand, Country, Enterprise, VehicleModel, WorldManufacturerIdentifier
from tests.aftersales.factories import ServiceOutletFactory
from tests.licensing.licence_factories import vin_with_check_digit
from tests.registry.factories import (
    BrandFactory,
    CountryFactory,
    EnterpriseFactory,
    MembershipFactory,
    VehicleModelFactory,
)

_serial = itertools.count(1)


def vin_of(wmi: str) -> str:
    """A fresh VIN with a correct check digit under the given manufacturer identifier."""
    return vin_with_check_digit(f"{wmi}0A1B20T{next(_serial):07d}")


@dataclass
class LetterWorld:
    maker: Enterprise
    maker_user: Any
    rival: Enterprise
    rival_user: Any
    exporter: Enterprise
    exporter_user: Any
    brand: Brand
    model: VehicleModel
    rival_model: VehicleModel
    france: Country
    outlet: ServiceOutlet

    def vin(self) -> str:
        return vin_of("LJR")

    def rival_vin(self) -> str:
        return vin_of("LNW")

    def request(self, vin: str | None = None, **fields: Any) -> LetterRequest:
        return letter_request_create(
            actor=self.exporter_user,
            vin=vin or self.vin(),
            vehicle_model=fields.pop("vehicle_model", self.model),
            country=fields.pop("country", self.france),
            **fields,
        )

    def issue(self, vin: str | None = None, **fields: Any) -> ConfirmationLetter:
        return letter_issue(
            actor=fields.pop("actor", self.maker_user),
            vin=vin or self.vin(),
            vehicle_model=fields.pop("vehicle_model", self.model),
            country=fields.pop("country", self.france),
            outlet=fields.pop("outlet", self.outlet),
            **fields,
        )


def letter_world() -> LetterWorld:
    """Build the world; call inside a test with database access."""
    maker = EnterpriseFactory(name_en="Jade River Motors", name_zh="翡翠河汽车有限公司")
    rival = EnterpriseFactory(name_en="Northwind Auto")
    exporter = EnterpriseFactory(kind=Enterprise.Kind.OTHER, name_en="Harbour Used Cars")
    WorldManufacturerIdentifier.objects.create(code="LJR", manufacturer=maker)
    WorldManufacturerIdentifier.objects.create(code="LNW", manufacturer=rival)
    brand = BrandFactory(manufacturer=maker, name="Jade")
    france = CountryFactory(code="FR")
    return LetterWorld(
        maker=maker,
        maker_user=MembershipFactory(enterprise=maker, role="admin").user,
        rival=rival,
        rival_user=MembershipFactory(enterprise=rival, role="admin").user,
        exporter=exporter,
        exporter_user=MembershipFactory(enterprise=exporter, role="applicant").user,
        brand=brand,
        model=VehicleModelFactory(brand=brand, name="Sky EV"),
        rival_model=VehicleModelFactory(brand=BrandFactory(manufacturer=rival, name="North")),
        france=france,
        outlet=ServiceOutletFactory(
            enterprise=maker,
            country=france,
            brand=brand,
            operator_name="Garage Lumière",
            city="Lyon",
            phone="+33 4 72 00 00 00",
        ),
    )
