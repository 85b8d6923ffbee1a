"""factory_boy factories for licensing cases, and helpers that put a case in any state."""

from datetime import date
from decimal import Decimal

import factory
from django.utils import timezone

from licensing.models import Case, CaseLine, EligibilityCheck
from tests.registry.factories import (
    BrandFactory,
    CountryFactory,
    EnterpriseFactory,
    VehicleModelFactory,
)


class CaseFactory(factory.django.DjangoModelFactory):
    """A draft licence case for the applicant's own brand, destination FR."""

    class Meta:
        model = Case

    reference = factory.Sequence(lambda n: f"LC-2026-{900000 + n:06d}")
    kind = Case.Kind.LICENCE
    applicant = factory.SubFactory(EnterpriseFactory)
    brand = factory.SubFactory(BrandFactory, manufacturer=factory.SelfAttribute("..applicant"))
    destination = factory.SubFactory(CountryFactory)
    customs_port = "Shanghai Yangshan"
    trade_mode = Case.TradeMode.GENERAL
    contract_number = factory.Sequence(lambda n: f"CT-{n:06d}")
    payment_terms = "T/T 30 days"
    transport_mode = Case.TransportMode.SEA
    use_mode = Case.UseMode.SINGLE
    valid_from = date(2026, 3, 2)
    valid_until = date(2026, 8, 31)


class QualificationCaseFactory(CaseFactory):
    """A draft qualification case for 2026."""

    reference = factory.Sequence(lambda n: f"QC-2026-{900000 + n:06d}")
    kind = Case.Kind.QUALIFICATION
    brand = None
    destination = None
    customs_port = ""
    trade_mode = ""
    contract_number = ""
    payment_terms = ""
    transport_mode = ""
    valid_from = None
    valid_until = None
    year = 2026
    qualification_class = "2"


class CaseLineFactory(factory.django.DjangoModelFactory):
    """A goods line for a BEV model of the case's brand."""

    class Meta:
        model = CaseLine

    case = factory.SubFactory(CaseFactory)
    vehicle_model = factory.LazyAttribute(lambda line: VehicleModelFactory(brand=line.case.brand))
    quantity = 10
    unit_price_usd = Decimal("25000.00")


class EligibilityCheckFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EligibilityCheck

    case = factory.SubFactory(CaseFactory)
    code = "qualification"
    passed = True
    detail = ""
    run_at = factory.LazyFunction(timezone.now)
