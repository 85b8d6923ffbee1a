"""After-sales reads the licence screening and the admin rely on.

The applicant's own records count, and so do those of the brand's manufacturer: a
manufacturer's service network and commitments serve its authorised exporter's exports.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from aftersales.models import (
    ServiceOutlet,
    SparePartsCommitment,
    WarrantyCommitment,
)
from registry.models import Authorisation, Brand, Country, Enterprise


@dataclass(frozen=True)
class Coverage:
    ok: bool
    detail: str  # human-readable (translatable) reason when not ok; short summary when ok


def _holders(enterprise: Enterprise, brand: Brand) -> set[int]:
    return {enterprise.pk, brand.manufacturer_id}


def _country(country_code: str) -> Country | None:
    return Country.objects.filter(code=(country_code or "").upper()).first()


def _unknown_country(country_code: str) -> Coverage:
    return Coverage(
        False, _("%(code)s is not a registered destination country.") % {"code": country_code}
    )


def _outlets(enterprise: Enterprise, brand: Brand, country: Country) -> list[ServiceOutlet]:
    return list(
        ServiceOutlet.objects.active()
        .filter(enterprise_id__in=_holders(enterprise, brand), country=country, brands=brand)
        .order_by("-contract_valid_until", "pk")
    )


def _outlet_ok(outlet: ServiceOutlet, on: date) -> bool:
    return (
        outlet.verification_status == ServiceOutlet.Status.VERIFIED
        and outlet.contract_valid_from <= on <= outlet.contract_valid_until
    )


def _outlet_problem(outlet: ServiceOutlet, on: date) -> str:
    """Explain why one outlet does not count on the day, most actionable reason first."""
    names = {"outlet": str(outlet)}
    if outlet.verification_status == ServiceOutlet.Status.REJECTED:
        return _("Outlet %(outlet)s was rejected: %(reason)s") % {
            **names,
            "reason": outlet.rejection_reason,
        }
    if outlet.contract_valid_until < on:
        return _("The contract of outlet %(outlet)s expired on %(day)s.") % {
            **names,
            "day": outlet.contract_valid_until,
        }
    if outlet.contract_valid_from > on:
        return _("The contract of outlet %(outlet)s starts only on %(day)s.") % {
            **names,
            "day": outlet.contract_valid_from,
        }
    return _("Outlet %(outlet)s is not verified yet.") % names


_OUTLET_RANK = {
    ServiceOutlet.Status.VERIFIED: 0,
    ServiceOutlet.Status.PENDING: 1,
    ServiceOutlet.Status.REJECTED: 2,
}


def outlet_coverage(
    *, enterprise: Enterprise, brand: Brand, country_code: str, on: date
) -> Coverage:
    """Answer whether enough verified outlets with valid contracts serve the brand there."""
    country = _country(country_code)
    if country is None:
        return _unknown_country(country_code)
    outlets = _outlets(enterprise, brand, country)
    good = [o for o in outlets if _outlet_ok(o, on)]
    names = {"brand": brand.name, "country": country.name, "n": len(good)}
    if len(good) >= country.minimum_outlets:
        return Coverage(True, _("%(n)d verified outlet(s) in %(country)s.") % names)
    if not outlets:
        return Coverage(False, _("No service outlet serves %(brand)s in %(country)s.") % names)
    if good:
        return Coverage(
            False,
            _("Only %(n)d of the %(minimum)d verified outlets %(country)s requires.")
            % {**names, "minimum": country.minimum_outlets},
        )
    closest = min(outlets, key=lambda o: _OUTLET_RANK[o.verification_status])
    return Coverage(False, _outlet_problem(closest, on))


def _covered_until(commitments: list[WarrantyCommitment], start: date) -> date | None:
    """Last day of unbroken cover from `start` (renewals chain on), or None if uncovered."""
    cursor = start
    for commitment in sorted(commitments, key=lambda c: c.valid_from):
        if commitment.valid_from > cursor:
            break
        cursor = max(cursor, commitment.valid_until + timedelta(days=1))
    return None if cursor == start else cursor - timedelta(days=1)


def warranty_coverage(
    *, enterprise: Enterprise, brand: Brand, country_code: str, start: date, end: date
) -> Coverage:
    """Answer whether warranty commitments meeting the minimum cover the whole period."""
    country = _country(country_code)
    if country is None:
        return _unknown_country(country_code)
    commitments = list(
        WarrantyCommitment.objects.active().filter(
            enterprise_id__in=_holders(enterprise, brand), brand=brand, country=country
        )
    )
    names = {"brand": brand.name, "country": country.name}
    minimum = country.statutory_warranty_months
    if not commitments:
        return Coverage(False, _("No warranty commitment for %(brand)s in %(country)s.") % names)
    meeting = [c for c in commitments if c.vehicle_warranty_months >= minimum]
    if not meeting:
        best = max(c.vehicle_warranty_months for c in commitments)
        return Coverage(
            False,
            _("Warranty %(months)d < %(minimum)d months required in %(country)s.")
            % {**names, "months": best, "minimum": minimum},
        )
    until = _covered_until(meeting, start)
    if until is None:
        return Coverage(
            False,
            _("No warranty commitment for %(brand)s in %(country)s is in force on %(day)s.")
            % {**names, "day": start},
        )
    if until < end:
        return Coverage(
            False,
            _("The warranty commitment ends on %(day)s, before the period ends on %(end)s.")
            % {"day": until, "end": end},
        )
    months = min(c.vehicle_warranty_months for c in meeting)
    return Coverage(
        True,
        _("%(months)d-month warranty committed until %(day)s.") % {"months": months, "day": until},
    )


def spare_parts_coverage(
    *, enterprise: Enterprise, brand: Brand, country_code: str, on: date
) -> Coverage:
    """Answer whether a spare-parts commitment for the brand there is in force on the day."""
    country = _country(country_code)
    if country is None:
        return _unknown_country(country_code)
    commitments = list(
        SparePartsCommitment.objects.active().filter(
            enterprise_id__in=_holders(enterprise, brand), brand=brand, country=country
        )
    )
    names = {"brand": brand.name, "country": country.name}
    current = [c for c in commitments if c.valid_from <= on <= c.valid_until]
    if current:
        best = min(current, key=lambda c: c.max_lead_time_days)
        return Coverage(
            True,
            _("Parts for %(years)d years, critical parts within %(days)d days from %(depot)s.")
            % {"years": best.supply_years, "days": best.max_lead_time_days, "depot": best.depot},
        )
    if not commitments:
        return Coverage(False, _("No spare-parts commitment for %(brand)s in %(country)s.") % names)
    ended = [c.valid_until for c in commitments if c.valid_until < on]
    if ended:
        return Coverage(
            False,
            _("The spare-parts commitment for %(brand)s in %(country)s ended on %(day)s.")
            % {**names, "day": max(ended)},
        )
    return Coverage(
        False,
        _("The spare-parts commitment for %(brand)s in %(country)s starts only on %(day)s.")
        % {**names, "day": min(c.valid_from for c in commitments)},
    )


# --- the admin's coverage table ----------------------------------------------------------

ASPECTS = ("outlet", "warranty", "parts")


@dataclass(frozen=True)
class CoverageRow:
    country: Country
    brand: Brand
    outlet: Coverage
    warranty: Coverage
    parts: Coverage
    ends: dict[str, date | None]  # aspect -> last day it stays covered, None if not covered
    weakest: str  # the failing aspect, or the one that lapses first

    @property
    def ok(self) -> bool:
        return self.outlet.ok and self.warranty.ok and self.parts.ok

    def cells(self) -> list[tuple[str, Coverage, date | None]]:
        return [(a, getattr(self, a), self.ends[a]) for a in ASPECTS]


def enterprise_brands(enterprise: Enterprise, on: date) -> list[Brand]:
    """Brands the enterprise owns or is authorised to export on the day."""
    authorised = Authorisation.objects.current(on=on).filter(exporter=enterprise).values("brands")
    return list(
        Brand.objects.filter(Q(manufacturer=enterprise) | Q(pk__in=authorised))
        .select_related("manufacturer")
        .distinct()
    )


def _countries_with_records(enterprise: Enterprise, brands: list[Brand]) -> list[Country]:
    holders = {enterprise.pk} | {b.manufacturer_id for b in brands}
    codes: set[str] = set()
    for queryset in (
        ServiceOutlet.objects.filter(brands__in=brands),
        WarrantyCommitment.objects.filter(brand__in=brands),
        SparePartsCommitment.objects.filter(brand__in=brands),
    ):
        codes.update(
            queryset.active().filter(enterprise_id__in=holders).values_list("country_id", flat=True)
        )
    return list(Country.objects.filter(code__in=codes))


def _ends(enterprise: Enterprise, brand: Brand, country: Country, on: date) -> dict:
    holders = _holders(enterprise, brand)
    outlet_ends = sorted(
        (o.contract_valid_until for o in _outlets(enterprise, brand, country) if _outlet_ok(o, on)),
        reverse=True,
    )
    needed = max(country.minimum_outlets, 1)
    warranty = _covered_until(
        list(
            WarrantyCommitment.objects.active().filter(
                enterprise_id__in=holders,
                brand=brand,
                country=country,
                vehicle_warranty_months__gte=country.statutory_warranty_months,
            )
        ),
        on,
    )
    parts = (
        SparePartsCommitment.objects.valid_on(on)
        .filter(enterprise_id__in=holders, brand=brand, country=country)
        .order_by("-valid_until")
        .values_list("valid_until", flat=True)
        .first()
    )
    outlet = outlet_ends[needed - 1] if len(outlet_ends) >= needed else None
    return {"outlet": outlet, "warranty": warranty, "parts": parts}


def _weakest(cells: dict[str, Coverage], ends: dict[str, date | None]) -> str:
    failing = [a for a in ASPECTS if not cells[a].ok]
    if failing:
        return failing[0]
    return min(ASPECTS, key=lambda a: ends[a] or date.min)


def coverage_table(
    *, enterprise: Enterprise, on: date | None = None, every_country: bool = False
) -> list[CoverageRow]:
    """Per country and brand: outlet, warranty and parts coverage and the weakest point.

    Rows cover the countries where the enterprise or its brands' makers hold any record,
    or every registered destination country when asked.
    """
    day = on or timezone.localdate()
    brands = enterprise_brands(enterprise, day)
    countries = (
        list(Country.objects.all())
        if every_country
        else _countries_with_records(enterprise, brands)
    )
    rows = []
    for country in countries:
        for brand in brands:
            kwargs = {"enterprise": enterprise, "brand": brand, "country_code": country.code}
            cells = {
                "outlet": outlet_coverage(**kwargs, on=day),
                "warranty": warranty_coverage(**kwargs, start=day, end=day),
                "parts": spare_parts_coverage(**kwargs, on=day),
            }
            ends = _ends(enterprise, brand, country, day)
            rows.append(
                CoverageRow(
                    country=country,
                    brand=brand,
                    **cells,
                    ends=ends,
                    weakest=_weakest(cells, ends),
                )
            )
    return rows


@dataclass(frozen=True)
class LapsingRecords:
    """After-sales records of an enterprise whose term ends soon: one list per kind."""

    outlets: list[ServiceOutlet]
    warranty: list[WarrantyCommitment]
    parts: list[SparePartsCommitment]

    @property
    def count(self) -> int:
        return len(self.outlets) + len(self.warranty) + len(self.parts)


def records_lapsing(
    enterprise_id: int | None, *, days: int, on: date | None = None
) -> LapsingRecords:
    """Outlet contracts and commitments in force that end within `days` days (three queries)."""
    start = on or timezone.localdate()
    end = start + timedelta(days=days)
    outlets = ServiceOutlet.objects.valid_on(start).filter(
        enterprise_id=enterprise_id, contract_valid_until__lte=end
    )
    commitments = {
        model: model.objects.valid_on(start)
        .filter(enterprise_id=enterprise_id, valid_until__lte=end)
        .select_related("brand", "country")
        .order_by("valid_until", "pk")
        for model in (WarrantyCommitment, SparePartsCommitment)
    }
    return LapsingRecords(
        outlets=list(outlets.select_related("country").order_by("contract_valid_until", "pk")),
        warranty=list(commitments[WarrantyCommitment]),
        parts=list(commitments[SparePartsCommitment]),
    )
