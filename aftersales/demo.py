"""The demo world's after-sales records (DESIGN.md §6), created through the services.

Jade River Motors covers FR, DE and TH (the DE warranty commitment ends 18 months after
the first seeding) and nothing in BR; Northwind Auto covers AU and GB. One outlet waits in
the verification queue. Idempotent: records are looked up by natural key first.
"""

import calendar
from datetime import date
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.utils import timezone

from aftersales import services
from aftersales.demo_fleet import seed_fleet_history
from aftersales.demo_letters import seed_letters
from aftersales.models import ServiceOutlet, SparePartsCommitment, WarrantyCommitment
from registry.models import Brand, Country, Enterprise

# owner key, country, city, address, operator, kind, verified
OUTLETS = [
    ("jade", "FR", "Lyon", "14 rue Garibaldi", "Garage Lumière Lyon", "partner", True),
    ("jade", "DE", "München", "Landsberger Straße 120", "Autohaus Nordlicht", "partner", True),
    ("jade", "TH", "Bangkok", "88 Rama IV Road", "Jade River Service Bangkok", "own", True),
    ("jade", "FR", "Marseille", "3 boulevard National", "Atelier du Vieux-Port", "partner", False),
    ("northwind", "AU", "Sydney", "210 Parramatta Road", "Northwind Service Sydney", "own", True),
    ("northwind", "GB", "Birmingham", "45 Tyburn Road", "Midlands EV Care", "partner", True),
]
COMMITMENTS = [
    ("jade", "FR"),
    ("jade", "DE"),
    ("jade", "TH"),
    ("northwind", "AU"),
    ("northwind", "GB"),
]
DEPOTS = {
    "FR": "Lyon regional parts centre",
    "DE": "Duisburg parts hub",
    "TH": "Laem Chabang parts depot",
    "AU": "Sydney parts warehouse",
    "GB": "Birmingham parts warehouse",
}


def add_months(day: date, months: int) -> date:
    """The same day-of-month `months` later, clamped to the month's end."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def seed(world: dict) -> dict:
    """Create or reuse the after-sales part of the demo world."""
    actor = world["admin"]
    today = timezone.localdate()
    start = date(today.year, 1, 1)
    for key, code, city, address, operator, kind, verified in OUTLETS:
        _outlet(actor, world, key, code, city, address, operator, kind, verified, start)
    for key, code in COMMITMENTS:
        until = (
            add_months(today, 18) if (key, code) == ("jade", "DE") else date(today.year + 5, 12, 31)
        )
        _warranty(actor, world, key, code, start, until)
        _spare_parts(actor, world, key, code, start)
    seed_fleet_history(world, today)
    seed_letters(world)
    return {}


def _owner(world: dict, key: str) -> tuple[Enterprise, Brand]:
    return world["enterprises"][key], world["brands"][key]


def _outlet(
    actor: AbstractBaseUser,
    world: dict,
    key: str,
    code: str,
    city: str,
    address: str,
    operator: str,
    kind: str,
    verified: bool,
    start: date,
) -> None:
    enterprise, brand = _owner(world, key)
    if ServiceOutlet.objects.filter(enterprise=enterprise, operator_name=operator).exists():
        return
    outlet = services.outlet_create(
        actor=actor,
        enterprise=enterprise,
        brands=[brand],
        country=Country.objects.get(code=code),
        city=city,
        address=address,
        operator_name=operator,
        operator_kind=kind,
        contract_valid_from=start,
        contract_valid_until=date(start.year + 3, 12, 31),
    )
    if verified:
        services.outlet_verify(actor=actor, outlet=outlet)


def _existing(model: Any, enterprise: Enterprise, brand: Brand, code: str) -> bool:
    return model.objects.filter(enterprise=enterprise, brand=brand, country_id=code).exists()


def _warranty(
    actor: AbstractBaseUser, world: dict, key: str, code: str, start: date, until: date
) -> None:
    enterprise, brand = _owner(world, key)
    if _existing(WarrantyCommitment, enterprise, brand, code):
        return
    services.warranty_commitment_create(
        actor=actor,
        enterprise=enterprise,
        brand=brand,
        country=Country.objects.get(code=code),
        vehicle_warranty_months=max(36, Country.objects.get(code=code).statutory_warranty_months),
        battery_warranty_months=96,
        battery_warranty_km=160_000,
        valid_from=start,
        valid_until=until,
    )


def _spare_parts(actor: AbstractBaseUser, world: dict, key: str, code: str, start: date) -> None:
    enterprise, brand = _owner(world, key)
    if _existing(SparePartsCommitment, enterprise, brand, code):
        return
    services.spare_parts_commitment_create(
        actor=actor,
        enterprise=enterprise,
        brand=brand,
        country=Country.objects.get(code=code),
        supply_years=10,
        max_lead_time_days=7 if code in ("FR", "DE") else 14,
        depot=DEPOTS[code],
        valid_from=start,
        valid_until=date(start.year + 10, 12, 31),
    )
