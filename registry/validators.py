"""Validators for the identifiers the regime uses (REGIME.md §6)."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from stdnum.cn import uscc
from stdnum.exceptions import ValidationError as StdnumError
from vininfo import Vin
from vininfo.exceptions import VininfoException

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


def vin_check_digit_valid(vin: str) -> bool:
    """Answer whether position 9 of a VIN matches its ISO 3779 / 49 CFR 565 check digit."""
    try:
        # check_year=False: the model-year letter is not part of the check-digit rule.
        return bool(Vin(vin).verify_checksum(check_year=False))
    except VininfoException:
        return False


def vin_with_check_digit(body: str) -> str:
    """Complete a 17-character VIN body (position 9 is "?") with its check digit."""
    return next(v for d in "0123456789X" if vin_check_digit_valid(v := body.replace("?", d)))


def validate_vin(value: str) -> None:
    """Check a VIN's shape; enforce the check digit for Chinese WMIs (starting with L)."""
    if not re.fullmatch(r"[A-HJ-NPR-Z0-9]{17}", value or ""):
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
