"""factory_boy factories for after-sales records.

By default each record makes coverage pass: verified outlets, commitments meeting the
country's minimum, all valid from 2020 to 2039, for the given enterprise, brand and country.
"""

from datetime import date

import factory
from django.utils import timezone

from aftersales.models import (
    Breach,
    ComplianceReport,
    ConfirmationLetter,
    ExportedVehicle,
    LetterRequest,
    Obligation,
    ServiceOutlet,
    SparePartsCommitment,
    WarrantyCommitment,
)
from aftersales.services import exported_vehicles_register
from registry.models import Brand
from tests.licensing.licence_factories import fresh_declaration_number, fresh_vin
from tests.registry.factories import (
    BrandFactory,
    CountryFactory,
    EnterpriseFactory,
    UserFactory,
    VehicleModelFactory,
)

VALID_FROM = date(2020, 1, 1)
VALID_UNTIL = date(2039, 12, 31)


def _brand_of(enterprise) -> Brand:  # type: ignore[no-untyped-def]
    """The enterprise's first brand, created if it has none."""
    return Brand.objects.filter(manufacturer=enterprise).first() or BrandFactory(
        manufacturer=enterprise
    )


class ServiceOutletFactory(factory.django.DjangoModelFactory):
    """A verified outlet; pass brand=B or brands=[...] (default: the enterprise's brand)."""

    class Meta:
        model = ServiceOutlet

    enterprise = factory.SubFactory(EnterpriseFactory)
    country = factory.SubFactory(CountryFactory)
    city = "Lyon"
    address = factory.Sequence(lambda n: f"{n} rue de la République")
    operator_name = factory.Sequence(lambda n: f"Garage {n}")
    operator_kind = ServiceOutlet.OperatorKind.PARTNER
    contract_valid_from = VALID_FROM
    contract_valid_until = VALID_UNTIL
    verification_status = ServiceOutlet.Status.VERIFIED
    verified_at = factory.LazyAttribute(
        lambda o: timezone.now() if o.verification_status == ServiceOutlet.Status.VERIFIED else None
    )
    rejection_reason = factory.LazyAttribute(
        lambda o: (
            "Not found at the address"
            if o.verification_status == ServiceOutlet.Status.REJECTED
            else ""
        )
    )

    @classmethod
    def _create(cls, model_class, *args, **kwargs):  # type: ignore[no-untyped-def]
        brands = kwargs.pop("brands", None)
        brand = kwargs.pop("brand", None)
        outlet = super()._create(model_class, *args, **kwargs)
        if brands is None:
            brands = [brand or _brand_of(outlet.enterprise)]
        outlet.brands.set(brands)
        return outlet


class WarrantyCommitmentFactory(factory.django.DjangoModelFactory):
    """A warranty commitment meeting the country's statutory minimum."""

    class Meta:
        model = WarrantyCommitment

    enterprise = factory.SubFactory(EnterpriseFactory)
    brand = factory.LazyAttribute(lambda c: _brand_of(c.enterprise))
    country = factory.SubFactory(CountryFactory)
    vehicle_warranty_months = factory.LazyAttribute(
        lambda c: max(24, c.country.statutory_warranty_months)
    )
    battery_warranty_months = 96
    battery_warranty_km = 160_000
    valid_from = VALID_FROM
    valid_until = VALID_UNTIL


class SparePartsCommitmentFactory(factory.django.DjangoModelFactory):
    """A spare-parts commitment in force from 2020 to 2039."""

    class Meta:
        model = SparePartsCommitment

    enterprise = factory.SubFactory(EnterpriseFactory)
    brand = factory.LazyAttribute(lambda c: _brand_of(c.enterprise))
    country = factory.SubFactory(CountryFactory)
    supply_years = 10
    max_lead_time_days = 7
    depot = "Rotterdam regional parts centre"
    valid_from = VALID_FROM
    valid_until = VALID_UNTIL


def export_vehicles(
    *, enterprise, brand=None, country_code="FR", exported_on=date(2026, 3, 4), count=1, **kwargs
):  # type: ignore[no-untyped-def]
    """Register `count` fresh VINs through the service, as a customs declaration would."""
    brand = brand or _brand_of(enterprise)
    model = kwargs.pop("vehicle_model", None) or VehicleModelFactory(brand=brand)
    CountryFactory(code=country_code)
    vins = [fresh_vin() for _ in range(count)]
    exported_vehicles_register(
        actor=None,
        enterprise_id=enterprise.pk,
        brand_id=brand.pk,
        country_id=country_code,
        licence_number=kwargs.pop("licence_number", "26-11-000001"),
        declaration_number=fresh_declaration_number(),
        exported_on=exported_on,
        vehicles=[(vin, model.pk) for vin in vins],
    )
    return list(ExportedVehicle.objects.filter(vin__in=vins))


def serve_market(*, enterprise, brand=None, country_code="FR", until=VALID_UNTIL):  # type: ignore[no-untyped-def]
    """A verified outlet and warranty and spare-parts commitments running until the day."""
    brand = brand or _brand_of(enterprise)
    country = CountryFactory(code=country_code)
    common = {"enterprise": enterprise, "brand": brand, "country": country}
    return (
        ServiceOutletFactory(**common, contract_valid_until=until),
        WarrantyCommitmentFactory(**common, valid_until=until),
        SparePartsCommitmentFactory(**common, valid_until=until),
    )


class ExportedVehicleFactory(factory.django.DjangoModelFactory):
    """A car exported to FR in March 2026 under a 24-month warranty (no obligation update)."""

    class Meta:
        model = ExportedVehicle

    vin = factory.LazyFunction(fresh_vin)
    enterprise = factory.SubFactory(EnterpriseFactory)
    brand = factory.LazyAttribute(lambda v: _brand_of(v.enterprise))
    vehicle_model = factory.LazyAttribute(lambda v: VehicleModelFactory(brand=v.brand))
    country = factory.SubFactory(CountryFactory)
    licence_number = "26-11-000001"
    declaration_number = factory.LazyFunction(fresh_declaration_number)
    exported_on = date(2026, 3, 4)
    warranty_months = 24
    warranty_ends_on = date(2028, 3, 3)


class ObligationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Obligation

    enterprise = factory.SubFactory(EnterpriseFactory)
    brand = factory.LazyAttribute(lambda o: _brand_of(o.enterprise))
    country = factory.SubFactory(CountryFactory)
    status = Obligation.Status.COVERED
    horizon = date(2028, 3, 3)
    vehicles = 1
    assessed_on = date(2026, 3, 4)


class ComplianceReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ComplianceReport

    enterprise = factory.SubFactory(EnterpriseFactory)
    country = factory.SubFactory(CountryFactory)
    period_start = date(2026, 1, 1)
    period_end = date(2026, 6, 30)
    due_on = date(2026, 7, 30)


class BreachFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Breach

    enterprise = factory.SubFactory(EnterpriseFactory)
    source = Breach.Source.CASEWORKER
    severity = Breach.Severity.MEDIUM
    finding = "Owners waited six weeks for parts."


class LetterRequestFactory(factory.django.DjangoModelFactory):
    """A pending request from a trader to a manufacturer (rows only; services check rules)."""

    class Meta:
        model = LetterRequest

    requester = factory.SubFactory(EnterpriseFactory, kind="other")
    manufacturer = factory.SubFactory(EnterpriseFactory)
    vin = factory.LazyFunction(fresh_vin)
    vehicle_model = factory.SubFactory(
        VehicleModelFactory, brand__manufacturer=factory.SelfAttribute("...manufacturer")
    )
    country = factory.SubFactory(CountryFactory)
    created_by = factory.SubFactory(UserFactory)


class ConfirmationLetterFactory(factory.django.DjangoModelFactory):
    """A letter in force naming the manufacturer's verified outlet in the destination."""

    class Meta:
        model = ConfirmationLetter

    number = factory.Sequence(lambda n: f"CL-1999-{n:06d}")
    manufacturer = factory.SubFactory(EnterpriseFactory)
    vin = factory.LazyFunction(fresh_vin)
    vehicle_model = factory.SubFactory(
        VehicleModelFactory, brand__manufacturer=factory.SelfAttribute("...manufacturer")
    )
    country = factory.SubFactory(CountryFactory)
    outlet = factory.SubFactory(
        ServiceOutletFactory,
        enterprise=factory.SelfAttribute("..manufacturer"),
        country=factory.SelfAttribute("..country"),
    )
    issued_by = factory.SubFactory(UserFactory)
    issued_at = factory.LazyFunction(timezone.now)
