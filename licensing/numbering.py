"""Licence numbers `YY-CC-NNNNNN`: a gap-free sequence per issuing office and year.

The office's counter row is locked (select_for_update; on SQLite the IMMEDIATE
transaction already serialises writers) and advanced inside the issuing transaction, so
a rolled-back issuance gives its number back and two issuances never share one.
"""

import re

from django.db import transaction
from django.db.models import F

from licensing.models import LicenceNumberSequence
from registry.models import IssuingOffice

MAX_SEQUENCE = 999_999
NUMBER_RE = re.compile(r"^(?P<yy>\d{2})-(?P<office>\d{2})-(?P<seq>\d{6})$")


class SequenceExhausted(RuntimeError):
    """An office has issued a million licences in one year."""


def format_licence_number(*, year: int, office_code: str, sequence: int) -> str:
    """Render the printed number from its parts."""
    return f"{year % 100:02d}-{office_code}-{sequence:06d}"


def is_licence_number(text: str) -> bool:
    """Answer whether `text` has the shape of a licence number."""
    return bool(NUMBER_RE.fullmatch(text or ""))


def licence_number_allocate(*, office: IssuingOffice, year: int) -> str:
    """Take the office's next number for the year; call inside the issuing transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("allocate a licence number inside the issuing transaction")
    LicenceNumberSequence.objects.bulk_create(
        [LicenceNumberSequence(issuing_office=office, year=year)], ignore_conflicts=True
    )
    counter = LicenceNumberSequence.objects.select_for_update().get(
        issuing_office=office, year=year
    )
    if counter.last_number >= MAX_SEQUENCE:
        raise SequenceExhausted(f"office {office.code} has no numbers left for {year}")
    LicenceNumberSequence.objects.filter(pk=counter.pk).update(last_number=F("last_number") + 1)
    return format_licence_number(
        year=year, office_code=office.code, sequence=counter.last_number + 1
    )
