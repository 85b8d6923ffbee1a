"""Reading a first-registration CSV upload as a stream of rows; refusing bad files early.

The file is decoded and parsed a line at a time, so a 100,000-row upload never sits in
memory whole. Problems with the file itself (size, encoding, binary content, header, row
count) raise ``CsvFileRefused``; problems with a row are the service's to report.
"""

import csv
import io
from collections.abc import Iterator
from typing import IO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

HEADER = ["vin", "first_registered_on"]


class CsvFileRefused(ValidationError):
    """The upload is not a readable first-registration CSV."""

    def __init__(self, message: str) -> None:
        super().__init__({"file": [message]})


def request_content_length(meta: dict) -> int | None:
    """The declared size of a request body, or None when the header is not a number."""
    try:
        return int(meta.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return None


def check_upload_size(content_length: int | None) -> None:
    """Refuse a request body over the ceiling before any of it is read."""
    limit = settings.FIRST_REGISTRATION_CSV_MAX_BYTES
    if content_length is not None and content_length > limit:
        raise CsvFileRefused(
            _("The file is larger than %(mb)d MB; split it.") % {"mb": limit // (1024 * 1024)}
        )


def registration_rows(binary: IO[bytes]) -> Iterator[tuple[int, str, str]]:
    """Yield (line number, VIN, date text) rows after checking the header."""
    text = io.TextIOWrapper(binary, encoding="utf-8-sig", errors="strict", newline="")
    reader = csv.reader(_checked_lines(text))
    try:
        yield from _rows(reader)
    except UnicodeDecodeError as exc:
        raise CsvFileRefused(
            _("The file is not UTF-8 text (GBK and other encodings are not accepted).")
        ) from exc
    except csv.Error as exc:
        raise CsvFileRefused(_("The file is not a CSV text file.")) from exc


def _checked_lines(text: io.TextIOWrapper) -> Iterator[str]:
    for line in text:
        if "\x00" in line:
            raise CsvFileRefused(_("The file is not a CSV text file."))
        yield line


def _rows(reader: "csv._reader") -> Iterator[tuple[int, str, str]]:
    header = [cell.strip().lower() for cell in next(reader, [])]
    if header != HEADER:
        raise CsvFileRefused(
            _("The first line must be exactly: %(header)s.") % {"header": ",".join(HEADER)}
        )
    limit = settings.FIRST_REGISTRATION_CSV_MAX_ROWS
    for count, row in enumerate(reader, start=1):
        if count > limit:
            raise CsvFileRefused(_("The file has more than %(n)d rows; split it.") % {"n": limit})
        if not any(cell.strip() for cell in row):
            continue
        # A row with the wrong number of cells carries a date no one can parse: reported.
        yield reader.line_num, row[0], ",".join(row[1:])
