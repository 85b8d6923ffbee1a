"""The registry a ministry-sized dataset hangs on: offices, countries, makers, brands, staff.

Created once through the ORM's bulk paths and found again by name on later runs.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import cached_property
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from stdnum.cn import uscc

from aftersales.models import ServiceOutlet, SparePartsCommitment, WarrantyCommitment
from licensing.seeding.exports import WARRANTY_MONTHS
from registry.models import (
    Brand,
    Country,
    Enterprise,
    IssuingOffice,
    Membership,
    Qualification,
    VehicleModel,
)
from registry.roles import AUDITOR, CASEWORKER, LICENSING_OFFICER

ENTERPRISES = 300
MODELS_PER_BRAND = 3
CASEWORKERS = 16
OFFICERS = 6
NAME_PREFIX = "Scale Motors"
OFFICES = (
    ("31", "Shanghai", "上海市商务委员会"),
    ("44", "Guangdong", "广东省商务厅"),
    ("32", "Jiangsu", "江苏省商务厅"),
    ("33", "Zhejiang", "浙江省商务厅"),
)
COUNTRIES = ("FR", "DE", "TH", "BR", "AU", "MX", "IT", "ES", "NL", "BE", "IL", "AE", "CL", "NZ")
HS_CODE = "8703801090"
# Every 25th maker has no spare-parts commitment in its first market: its obligation there
# is breached, as a few are in any real register.
UNCOMMITTED_EVERY = 25


@dataclass
class World:
    """Ids of everything a generated case may point at."""

    offices: list[IssuingOffice]
    countries: list[str]
    enterprises: list[Enterprise]
    models_by_brand: dict[int, list[int]]
    brand_of: dict[int, int]
    member_of: dict[int, Any]
    caseworkers: list[Any]
    officers: list[Any]
    auditors: list[Any]

    @cached_property
    def office_of(self) -> dict[int, IssuingOffice]:
        offices = {o.pk: o for o in self.offices}
        return {e.pk: offices[e.issuing_office_id] for e in self.enterprises}

    @cached_property
    def staff_by_id(self) -> dict[int, Any]:
        return {u.pk: u for u in (*self.caseworkers, *self.officers)}


def build_world(year: int) -> World:
    """Create (or find) the registry and staff the cases are generated against."""
    offices = [_office(code, province, name) for code, province, name in OFFICES]
    for code in COUNTRIES:
        Country.objects.get_or_create(code=code)
    enterprises = _enterprises(offices, year)
    brands = {b.manufacturer_id: b.pk for b in Brand.objects.filter(manufacturer__in=enterprises)}
    models_by_brand: dict[int, list[int]] = {}
    for brand_id, model_id in VehicleModel.objects.filter(brand_id__in=brands.values()).values_list(
        "brand_id", "pk"
    ):
        models_by_brand.setdefault(brand_id, []).append(model_id)
    members = Membership.objects.filter(enterprise__in=enterprises).select_related("user")
    return World(
        offices=offices,
        countries=list(COUNTRIES),
        enterprises=enterprises,
        models_by_brand=models_by_brand,
        brand_of=brands,
        member_of={m.enterprise_id: m.user for m in members},
        caseworkers=_staff("scale_caseworker", CASEWORKERS, [CASEWORKER]),
        officers=_staff("scale_officer", OFFICERS, [CASEWORKER, LICENSING_OFFICER]),
        auditors=_staff("scale_auditor", 2, [AUDITOR]),
    )


def _office(code: str, province: str, name: str) -> IssuingOffice:
    office, _created = IssuingOffice.objects.get_or_create(
        code=code, defaults={"name": name, "province": province}
    )
    return office


def _enterprises(offices: list[IssuingOffice], year: int) -> list[Enterprise]:
    found = list(Enterprise.objects.filter(name_en__startswith=NAME_PREFIX).order_by("pk"))
    if found:
        return found
    enterprises = Enterprise.objects.bulk_create(
        [_enterprise(n, offices[n % len(offices)]) for n in range(ENTERPRISES)]
    )
    brands = Brand.objects.bulk_create(
        [
            Brand(name=f"Scale {n:03d}", name_zh=f"规模{n:03d}", manufacturer=e)
            for n, e in enumerate(enterprises)
        ]
    )
    VehicleModel.objects.bulk_create(
        [
            VehicleModel(
                brand=brand,
                name=f"S{brand.pk}-{m}",
                powertrain=VehicleModel.Powertrain.BEV,
                hs_code=HS_CODE,
                type_approval_number=f"TA-{brand.pk}-{m}",
            )
            for brand in brands
            for m in range(MODELS_PER_BRAND)
        ]
    )
    Qualification.objects.bulk_create(
        [
            Qualification(
                enterprise=e,
                year=year,
                qualification_class=Qualification.QualificationClass.CLASS_2,
                granted_on=date(year, 1, 15),
            )
            for e in enterprises
        ]
    )
    _members(enterprises)
    _after_sales(brands, year)
    return enterprises


def _after_sales(brands: list[Brand], year: int) -> None:
    """One verified outlet and both commitments for each maker's brand in every market."""
    start, end = date(year - 3, 1, 1), date(year + 6, 12, 31)
    markets = [(brand, country) for brand in brands for country in COUNTRIES]
    outlets = ServiceOutlet.objects.bulk_create(
        [
            ServiceOutlet(
                enterprise_id=brand.manufacturer_id,
                country_id=country,
                city="Capital",
                address=f"{brand.pk} Service Road",
                operator_name=f"{brand.name} Service {country}",
                operator_kind=ServiceOutlet.OperatorKind.OWN,
                contract_valid_from=start,
                contract_valid_until=end,
                verification_status=ServiceOutlet.Status.VERIFIED,
                verified_at=datetime(year - 3, 1, 10, tzinfo=UTC),
            )
            for brand, country in markets
        ]
    )
    ServiceOutlet.brands.through.objects.bulk_create(
        [
            ServiceOutlet.brands.through(serviceoutlet_id=outlet.pk, brand_id=brand.pk)
            for outlet, (brand, _country) in zip(outlets, markets, strict=True)
        ]
    )
    terms = {"valid_from": start, "valid_until": end}
    WarrantyCommitment.objects.bulk_create(
        [
            WarrantyCommitment(
                enterprise_id=brand.manufacturer_id,
                brand=brand,
                country_id=country,
                vehicle_warranty_months=WARRANTY_MONTHS,
                battery_warranty_months=96,
                battery_warranty_km=150_000,
                **terms,
            )
            for brand, country in markets
        ]
    )
    SparePartsCommitment.objects.bulk_create(
        [
            SparePartsCommitment(
                enterprise_id=brand.manufacturer_id,
                brand=brand,
                country_id=country,
                supply_years=10,
                max_lead_time_days=14,
                depot=f"{country} parts depot",
                **terms,
            )
            for n, (brand, country) in enumerate(markets)
            if n % (UNCOMMITTED_EVERY * len(COUNTRIES))
        ]
    )


def _enterprise(n: int, office: IssuingOffice) -> Enterprise:
    body = f"9144000{n:010d}"
    return Enterprise(
        name_zh=f"规模汽车{n:03d}有限公司",
        name_en=f"{NAME_PREFIX} {n:03d}",
        uscc=body + uscc.calc_check_digit(body),
        kind=Enterprise.Kind.MANUFACTURER,
        miit_catalogue_number=f"MIIT-S-{n:03d}",
        issuing_office=office,
    )


def _members(enterprises: list[Enterprise]) -> None:
    User = get_user_model()
    users = User.objects.bulk_create(
        [
            User(username=f"scale_member{e.pk}", email=f"export{e.pk}@example.com")
            for e in enterprises
        ]
    )
    for user in users:
        user.set_unusable_password()
    User.objects.bulk_update(users, ["password"])
    Membership.objects.bulk_create(
        [
            Membership(user=u, enterprise=e, role=Membership.Role.ADMIN)
            for u, e in zip(users, enterprises, strict=True)
        ]
    )


def _staff(prefix: str, count: int, roles: list[str]) -> list[Any]:
    User = get_user_model()
    groups = list(Group.objects.filter(name__in=roles))
    users = []
    for n in range(count):
        user, created = User.objects.get_or_create(
            username=f"{prefix}{n}", defaults={"is_staff": True}
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
            user.groups.set(groups)
        users.append(user)
    return users
