"""The demo world's registry (DESIGN.md §6): staff, enterprises, brands, qualifications.

Idempotent: every object is looked up by a natural key before it is created.
"""

from datetime import date

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, Group
from django.utils import timezone
from stdnum.cn import uscc

from registry import services
from registry.models import (
    Authorisation,
    Brand,
    Country,
    Enterprise,
    IssuingOffice,
    Membership,
    Qualification,
    VehicleModel,
    WorldManufacturerIdentifier,
)
from registry.roles import AUDITOR, CASEWORKER, LICENSING_OFFICER, REGISTRAR

DEMO_PASSWORD = "demo"
BEV_HS_CODE = "8703801090"

STAFF = {
    "caseworker": [CASEWORKER],
    "caseworker2": [CASEWORKER],
    "officer": [LICENSING_OFFICER, CASEWORKER],
    "officer2": [LICENSING_OFFICER, CASEWORKER],
    "registrar": [REGISTRAR],
    "auditor": [AUDITOR],
}
OFFICES = [
    ("31", "Shanghai Municipal Commission of Commerce", "Shanghai"),
    ("44", "Department of Commerce of Guangdong Province", "Guangdong"),
    ("32", "Department of Commerce of Jiangsu Province", "Jiangsu"),
]
COUNTRIES = {"FR": 24, "DE": 24, "TH": 24, "BR": 12, "AU": 24, "MX": 12, "GB": 24, "ES": 36}


def credit_code(body: str) -> str:
    """Complete 17 characters with the GB 32100 check character."""
    return body + uscc.calc_check_digit(body)


ENTERPRISES = [
    # key, zh, en, body (17 chars), kind, MIIT number, office
    (
        "jade",
        "翡翠河汽车有限公司",
        "Jade River Motors",
        "91310000MA1FL0001",
        Enterprise.Kind.MANUFACTURER,
        "MIIT-2026-0417",
        "31",
    ),
    (
        "jade_trading",
        "翡翠河国际贸易有限公司",
        "Jade River International Trading",
        "91310000MA1FL0002",
        Enterprise.Kind.AUTHORISED_EXPORTER,
        "",
        "31",
    ),
    (
        "northwind",
        "北风汽车股份有限公司",
        "Northwind Auto",
        "91440300MA5DN0003",
        Enterprise.Kind.MANUFACTURER,
        "MIIT-2026-0932",
        "44",
    ),
    (
        "grey",
        "灰港贸易有限公司",
        "Grey Harbour Trading",
        "91320500MA1GH0004",
        Enterprise.Kind.OTHER,
        "",
        "32",
    ),
    (
        "used_cars",
        "东港二手车出口有限公司",
        "East Harbour Used Car Exports",
        "91310000MA1EH0005",
        Enterprise.Kind.OTHER,
        "",
        "31",
    ),
]
PORTAL_USERS = [
    ("maker", "jade"),
    ("exporter", "jade_trading"),
    ("rival", "northwind"),
    ("grey", "grey"),
    ("trader", "used_cars"),
]
# The VIN prefix (world manufacturer identifier) each demo manufacturer builds under.
WMIS = {"LJR": "jade", "LNW": "northwind"}
BRANDS = [
    ("Jade River", "翡翠河", "jade", ["Aurora", "Lumen", "Tide"]),
    ("Northwind", "北风", "northwind", ["Gale", "Zephyr"]),
]


def seed(world: dict) -> dict:
    """Create or reuse the registry part of the demo world; return its objects by key."""
    User = get_user_model()
    admin = _user(User, "admin", staff=True, superuser=True)
    for username, roles in STAFF.items():
        _give_roles(_user(User, username, staff=True), roles)
    _offices(admin)
    _countries(admin)
    services.calendar_sync_from_package(actor=admin)
    world = {"admin": admin, "enterprises": _enterprises(admin)}
    for username, key in PORTAL_USERS:
        _membership(admin, _user(User, username), world["enterprises"][key])
    world["brands"] = _brands(admin, world["enterprises"])
    _identifiers(admin, world["enterprises"])
    _authorisation(admin, world)
    _qualifications(admin, world["enterprises"])
    return world


def _user(User, username: str, staff: bool = False, superuser: bool = False) -> AbstractBaseUser:  # type: ignore[no-untyped-def]
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(
            username=username,
            is_staff=staff,
            is_superuser=superuser,
            email=f"{username}@demo.ev-export.example",
        )
        user.set_password(DEMO_PASSWORD)
        user.save()
    return user


def _give_roles(user: AbstractBaseUser, roles: list[str]) -> None:
    user.groups.add(*Group.objects.filter(name__in=roles))


def _offices(actor: AbstractBaseUser) -> None:
    for code, name, province in OFFICES:
        if not IssuingOffice.objects.filter(code=code).exists():
            services.issuing_office_create(actor=actor, code=code, name=name, province=province)


def _countries(actor: AbstractBaseUser) -> None:
    for code, months in COUNTRIES.items():
        if not Country.objects.filter(code=code).exists():
            services.country_create(actor=actor, code=code, statutory_warranty_months=months)


def _enterprises(actor: AbstractBaseUser) -> dict[str, Enterprise]:
    found = {}
    for key, zh, en, body, kind, miit, office in ENTERPRISES:
        code = credit_code(body)
        found[key] = Enterprise.objects.filter(uscc=code).first() or services.enterprise_create(
            actor=actor,
            name_zh=zh,
            name_en=en,
            uscc=code,
            kind=kind,
            miit_catalogue_number=miit,
            issuing_office=IssuingOffice.objects.get(code=office),
        )
    return found


def _membership(actor: AbstractBaseUser, user: AbstractBaseUser, enterprise: Enterprise) -> None:
    if not Membership.objects.filter(user=user).exists():
        services.membership_create(
            actor=actor, user=user, enterprise=enterprise, role=Membership.Role.ADMIN
        )


def _brands(actor: AbstractBaseUser, enterprises: dict[str, Enterprise]) -> dict[str, Brand]:
    brands = {}
    for name, zh, owner, models in BRANDS:
        brand = Brand.objects.filter(name=name).first() or services.brand_create(
            actor=actor, name=name, name_zh=zh, manufacturer=enterprises[owner]
        )
        for model_name in models:
            if not VehicleModel.objects.filter(brand=brand, name=model_name).exists():
                services.vehicle_model_create(
                    actor=actor,
                    brand=brand,
                    name=model_name,
                    powertrain="BEV",
                    hs_code=BEV_HS_CODE,
                    type_approval_number=f"CN-TA-{model_name.upper()}-01",
                )
        brands[owner] = brand
    if not VehicleModel.objects.filter(name="Aurora Hybrid").exists():
        services.vehicle_model_create(
            actor=actor,
            brand=brands["jade"],
            name="Aurora Hybrid",
            powertrain="PHEV",
            hs_code="8703601090",
        )
    return brands


def _identifiers(actor: AbstractBaseUser, enterprises: dict[str, Enterprise]) -> None:
    for code, owner in WMIS.items():
        if not WorldManufacturerIdentifier.objects.filter(code=code).exists():
            services.wmi_create(actor=actor, code=code, manufacturer=enterprises[owner])


def _authorisation(actor: AbstractBaseUser, world: dict) -> None:
    ents = world["enterprises"]
    if Authorisation.objects.filter(
        manufacturer=ents["jade"], exporter=ents["jade_trading"]
    ).exists():
        return
    year = timezone.localdate().year
    services.authorisation_create(
        actor=actor,
        manufacturer=ents["jade"],
        exporter=ents["jade_trading"],
        brands=[world["brands"]["jade"]],
        valid_from=date(year, 1, 1),
        valid_until=date(year + 1, 12, 31),
        evidence_reference="JRM-AUTH-2026-001",
    )


def _qualifications(actor: AbstractBaseUser, enterprises: dict[str, Enterprise]) -> None:
    year = timezone.localdate().year
    plan = [("jade", "2"), ("jade_trading", "exporter"), ("northwind", "1"), ("used_cars", "used")]
    for key, cls in plan:
        if not Qualification.objects.filter(enterprise=enterprises[key], year=year).exists():
            services.qualification_grant(
                actor=actor,
                enterprise=enterprises[key],
                year=year,
                qualification_class=cls,
                granted_on=date(year, 1, 1),
                source_case_reference="DEMO",
            )
