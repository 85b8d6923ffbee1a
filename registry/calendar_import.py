"""Import one year's official calendar from a CSV of holidays and make-up working days.

The State Council publishes next year's holidays every November; the chinese-calendar
package follows some weeks later. Staff paste the notice into a CSV with the header
``date,type,name``: ``type`` is ``holiday`` (or 休) or ``workday`` (or 班). The whole file is
checked first and every bad row reported; a file with any error saves nothing.
"""

import csv
import io
from dataclasses import dataclass
from datetime import date

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from audit.services import audit_record
from registry.models import CalendarDay

HEADER = ["date", "type", "name"]
KINDS = {"holiday": False, "休": False, "workday": True, "班": True}
MAX_BYTES = 64 * 1024
MAX_ROWS = 200


@dataclass(frozen=True)
class CalendarRow:
    """One parsed line of the file."""

    day: date
    is_working_day: bool
    name: str


def parse_calendar_csv(content: bytes, *, year: int) -> list[CalendarRow]:
    """Parse and check the whole file; raise one ValidationError listing every bad row."""
    text = _decode(content)
    lines = list(csv.reader(io.StringIO(text)))
    if not lines or [cell.strip().lower() for cell in lines[0]] != HEADER:
        raise ValidationError(_("The first line must be the header: date,type,name"))
    body = [line for line in lines[1:] if any(cell.strip() for cell in line)]
    if not body or len(body) > MAX_ROWS:
        raise ValidationError(_("The file must list between 1 and %(n)d days.") % {"n": MAX_ROWS})
    rows, errors, seen = [], [], set()
    for number, cells in enumerate(body, start=2):
        try:
            row = _parse_row(cells, year)
            if row.day in seen:
                raise ValidationError(_("this date is listed twice"))
        except ValidationError as exc:
            errors.append(
                _("Line %(n)d: %(error)s") % {"n": number, "error": " ".join(exc.messages)}
            )
        else:
            seen.add(row.day)
            rows.append(row)
    if errors:
        raise ValidationError(errors)
    return rows


def _decode(content: bytes) -> str:
    if len(content) > MAX_BYTES:
        raise ValidationError(_("The file is larger than 64 KB."))
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationError(_("The file must be UTF-8 text (CSV).")) from exc


def _parse_row(cells: list[str], year: int) -> CalendarRow:
    if len(cells) != 3:
        raise ValidationError(_("expected three values: date, type, name"))
    raw_date, raw_kind, name = (cell.strip() for cell in cells)
    try:
        day = date.fromisoformat(raw_date)
    except ValueError as exc:
        raise ValidationError(_("the date must be written YYYY-MM-DD")) from exc
    if day.year != year:
        raise ValidationError(_("the date is not in %(year)d") % {"year": year})
    if raw_kind.lower() not in KINDS:
        raise ValidationError(_("the type must be holiday (休) or workday (班)"))
    working = KINDS[raw_kind.lower()]
    if working and day.weekday() < 5:
        raise ValidationError(_("a make-up working day must be a Saturday or Sunday"))
    if len(name) > 100:
        raise ValidationError(_("the name is longer than 100 characters"))
    return CalendarRow(day=day, is_working_day=working, name=name)


def calendar_year_import(
    *, actor: AbstractBaseUser | None, year: int, content: bytes
) -> list[CalendarRow]:
    """Replace a year's holidays and make-up working days with the file's, audited."""
    rows = parse_calendar_csv(content, year=year)
    with transaction.atomic():
        replaced = CalendarDay.objects.filter(date__year=year).delete()[0]
        CalendarDay.objects.bulk_create(
            CalendarDay(
                date=row.day,
                is_working_day=row.is_working_day,
                name=row.name,
                source=CalendarDay.Source.STAFF,
            )
            for row in rows
        )
        audit_record(
            actor=actor,
            verb="registry.calendar.imported",
            target=("registry.calendarday", str(year), f"PRC official calendar {year}"),
            payload={
                "year": year,
                "holidays": sum(not row.is_working_day for row in rows),
                "workdays": sum(row.is_working_day for row in rows),
                "replaced": replaced,
            },
        )
    return rows
