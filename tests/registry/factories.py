"""factory_boy factories for the registry, producing valid identifiers."""

import itertools
from datetime import date, timedelta

import factory
from django.contrib.auth import get_user_model
from stdnum.cn import uscc

from registry.models import (
    Authorisation,
    Brand,
    CalendarDay,
    Country,
    Enterprise,
    IssuingOffice,
    Membership,
    Qualification,
    VehicleModel,
    WorldManufacturerIdentifier,
)

_serial = itertools.count(1)


def valid_uscc() -> str:
    """A fresh credit code with a correct check character."""
    body = f"913100007{next(_serial):08d}"
    return body + uscc.calc_check_digit(body)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.test")

    @factory.post_generation
    def password(self, create, extracted, **kwargs):  # type: ignore[no-untyped-def]
        self.set_password(extracted or "pw")
        if create:
            self.save(update_fields=["password"])


class IssuingOfficeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IssuingOffice
        django_get_or_create = ("code",)

    code = "31"
    name = "Shanghai Municipal Commission of Commerce"
    province = "Shanghai"


class CountryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Country
        django_get_or_create = ("code",)

    code = "FR"
    statutory_warranty_months = 24


class EnterpriseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enterprise

    name_zh = factory.Sequence(lambda n: f"测试汽车{n}有限公司")
    name_en = factory.Sequence(lambda n: f"Test Motors {n}")
    uscc = factory.LazyFunction(valid_uscc)
    kind = Enterprise.Kind.MANUFACTURER
    miit_catalogue_number = factory.LazyAttribute(
        lambda e: "MIIT-TEST" if e.kind == Enterprise.Kind.MANUFACTURER else ""
    )
    issuing_office = factory.SubFactory(IssuingOfficeFactory)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    enterprise = factory.SubFactory(EnterpriseFactory)
    role = Membership.Role.APPLICANT


class BrandFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Brand

    name = factory.Sequence(lambda n: f"Brand {n}")
    manufacturer = factory.SubFactory(EnterpriseFactory)


class VehicleModelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = VehicleModel

    brand = factory.SubFactory(BrandFactory)
    name = factory.Sequence(lambda n: f"Model {n}")
    powertrain = VehicleModel.Powertrain.BEV
    hs_code = "8703801090"


class AuthorisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Authorisation
        skip_postgeneration_save = True

    manufacturer = factory.SubFactory(EnterpriseFactory)
    exporter = factory.SubFactory(EnterpriseFactory, kind=Enterprise.Kind.AUTHORISED_EXPORTER)
    valid_from = date(2026, 1, 1)
    valid_until = date(2027, 12, 31)
    evidence_reference = "AUTH-1"

    @factory.post_generation
    def brands(self, create, extracted, **kwargs):  # type: ignore[no-untyped-def]
        if create and extracted:
            self.brands.set(extracted)


class QualificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Qualification

    enterprise = factory.SubFactory(EnterpriseFactory)
    year = 2026
    qualification_class = "2"
    granted_on = date(2026, 1, 1)


class CalendarDayFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CalendarDay
        django_get_or_create = ("date",)

    date = factory.Sequence(lambda n: date(2027, 2, 8) + timedelta(days=n))
    is_working_day = False
    name = "Spring Festival"
    source = CalendarDay.Source.STAFF


VIN_CHARACTERS = "0123456789ABCDEFGHJKLMNPRSTUVWXYZ"


class WorldManufacturerIdentifierFactory(factory.django.DjangoModelFactory):
    """A VIN prefix starting with W (never a Chinese one, which tests assign themselves)."""

    class Meta:
        model = WorldManufacturerIdentifier

    code = factory.Sequence(lambda n: "W" + VIN_CHARACTERS[n // 33 % 33] + VIN_CHARACTERS[n % 33])
    manufacturer = factory.SubFactory(EnterpriseFactory)
