"""Validators for the identifiers the regime uses (REGIME.md §6)."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from stdnum.cn import uscc
from stdnum.exceptions import ValidationError as StdnumError

HS_CODE_RE = re.compile(r"^\d{10}$")
# Regional groupings and user-assigned codes that are not a single destination country.
NOT_A_COUNTRY = {"EU", "EZ", "UN", "XX", "ZZ", "AA", "QM", "QZ", "XA", "XB"}


def validate_uscc(value: str) -> None:
    """Check a Unified Social Credit Code, including its GB 32100-2015 check character."""
    try:
        uscc.validate(value)
    except StdnumError as exc:
        raise ValidationError(
            _("%(value)s is not a valid Unified Social Credit Code: %(reason)s"),
            code="invalid_uscc",
            params={"value": value, "reason": exc.message},
        ) from exc
    if uscc.compact(value) != value:
        raise ValidationError(
            _("Write the credit code as 18 capital letters and digits without spaces."),
            code="uscc_format",
        )


def validate_hs_code(value: str) -> None:
    """Check a 10-digit Chinese customs commodity code."""
    if not HS_CODE_RE.match(value or ""):
        raise ValidationError(_("An HS code has exactly 10 digits."), code="invalid_hs_code")


def validate_country_code(value: str) -> None:
    """Check an ISO 3166-1 alpha-2 code naming one country (no regional groupings)."""
    if value in NOT_A_COUNTRY or value not in countries:
        raise ValidationError(
            _("%(value)s is not an ISO 3166-1 country code; name exactly one country."),
            code="invalid_country",
            params={"value": value},
        )


# ISO 3779 / 49 CFR 565.4(c) as REGIME.md gives it: letter values and position weights.
VIN_LETTER_VALUES = {
    **dict(zip("ABCDEFGH", range(1, 9), strict=True)),
    **dict(zip("JKLMN", range(1, 6), strict=True)),
    "P": 7,
    "R": 9,
    **dict(zip("STUVWXYZ", range(2, 10), strict=True)),
    **{str(digit): digit for digit in range(10)},
}
VIN_WEIGHTS = (8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2)
VIN_SHAPE = re.compile(r"[A-HJ-NPR-Z0-9]{17}")


def vin_check_digit(vin: str) -> str:
    """The check digit position 9 of a well-shaped VIN must carry (position 9 itself counts 0)."""
    total = sum(VIN_LETTER_VALUES[c] * w for c, w in zip(vin, VIN_WEIGHTS, strict=True)) % 11
    return "X" if total == 10 else str(total)


def vin_check_digit_valid(vin: str) -> bool:
    """Answer whether position 9 of a VIN matches its ISO 3779 / 49 CFR 565 check digit."""
    return bool(VIN_SHAPE.fullmatch(vin or "")) and vin[8] == vin_check_digit(vin)


def vin_with_check_digit(body: str) -> str:
    """Complete a 17-character VIN body (position 9 is "?") with its check digit."""
    return body[:8] + vin_check_digit(body.replace("?", "0")) + body[9:]


def validate_vin(value: str) -> None:
    """Check a VIN's shape; enforce the check digit for Chinese WMIs (starting with L)."""
    if not VIN_SHAPE.fullmatch(value or ""):
        raise ValidationError(
            _("A VIN has 17 characters: capital letters except I, O, Q, and digits."),
            code="invalid_vin",
        )
    if value.startswith("L") and not vin_check_digit_valid(value):
        raise ValidationError(
            _("%(value)s: the check digit (position 9) is wrong."),
            code="vin_check_digit",
            params={"value": value},
        )
