"""Licence numbers `YY-CC-NNNNNN`: a gap-free sequence per issuing office and year.

The office's counter row is created or advanced by one upsert inside the issuing
transaction, which keeps the row locked until commit (on SQLite the IMMEDIATE transaction
already serialises writers), so a rolled-back issuance gives its number back and two
issuances never share one.
"""

import re

from django.db import transaction

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
    sequence = _advance(office.pk, year)
    if sequence > MAX_SEQUENCE:
        # The caller's transaction rolls back with this error, and the counter with it.
        raise SequenceExhausted(f"office {office.code} has no numbers left for {year}")
    return format_licence_number(year=year, office_code=office.code, sequence=sequence)


def _advance(office_id: int, year: int) -> int:
    """Create or advance the counter in one statement; its row stays locked until commit."""
    table = LicenceNumberSequence._meta.db_table
    with transaction.get_connection().cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (issuing_office_id, year, last_number) VALUES (%s, %s, 1) "  # noqa: S608 - table name from the model
            "ON CONFLICT (issuing_office_id, year) "
            f"DO UPDATE SET last_number = {table}.last_number + 1 RETURNING last_number",
            [office_id, year],
        )
        return int(cursor.fetchone()[0])
