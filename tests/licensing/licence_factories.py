"""Factories for issued licences, and helpers that issue one through the real service."""

import itertools
from datetime import date
from decimal import Decimal

from django.utils import timezone

from licensing.models import Case, Licence
from licensing.services.issuance import licence_issue_for_case
from tests.licensing.factories import CaseFactory, CaseLineFactory

_declaration_serial = itertools.count(1)
_vin_serial = itertools.count(1)
VIN_ALPHABET = "0123456789ABCDEFGHJKLMNPRSTUVWXYZ"
TRANSLITERATION = {
    **{str(d): d for d in range(10)},
    **dict(zip("ABCDEFGH", range(1, 9), strict=True)),
    **dict(zip("JKLMN", range(1, 6), strict=True)),
    "P": 7,
    "R": 9,
    **dict(zip("STUVWXYZ", range(2, 10), strict=True)),
}
WEIGHTS = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2]


def vin_with_check_digit(body: str) -> str:
    """Complete a 17-character VIN (position 9 anything) with its ISO 3779 check digit."""
    total = sum(TRANSLITERATION[c] * w for c, w in zip(body, WEIGHTS, strict=True))
    digit = total % 11
    return body[:8] + ("X" if digit == 10 else str(digit)) + body[9:]


def fresh_vin() -> str:
    """A Chinese-WMI VIN never handed out before, with a correct check digit."""
    return vin_with_check_digit(f"LJR0A1B20T{next(_vin_serial):07d}")


def fresh_declaration_number() -> str:
    return f"2200{2026}{next(_declaration_serial):010d}"


def issue_licence(
    *,
    quantities: tuple[int, ...] = (10,),
    use_mode: str = Case.UseMode.MULTI,
    issued_on: date | None = None,
    **case_fields,  # type: ignore[no-untyped-def]
) -> Licence:
    """Issue a licence through licence_issue_for_case for an approved-looking case."""
    case_fields.setdefault("valid_from", issued_on or timezone.localdate())
    case_fields.setdefault("valid_until", None)
    case = CaseFactory(use_mode=use_mode, status=Case.Status.APPROVED, **case_fields)
    for quantity in quantities:
        CaseLineFactory(case=case, quantity=quantity, unit_price_usd=Decimal("25000.00"))
    return licence_issue_for_case(case=case, actor=None)
