"""The licence validity rules (DESIGN.md §1), as pure functions of dates.

A licence is valid for at most six months and never past 31 December of its year.
From 10 December an office may issue next year's licences, valid from 1 January.
"""

import calendar
from datetime import date, timedelta

from django.utils.translation import gettext as _

MAX_MONTHS = 6
NEXT_YEAR_ISSUE_MONTH_DAY = (12, 10)


class ValidityError(ValueError):
    """Requested validity dates that break the rules."""


def add_months(day: date, months: int) -> date:
    """Return the same day `months` later, clamped to the end of a shorter month."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def latest_valid_until(valid_from: date) -> date:
    """Return the last day a licence starting on `valid_from` may be valid."""
    six_months = add_months(valid_from, MAX_MONTHS) - timedelta(days=1)
    return min(six_months, date(valid_from.year, 12, 31))


def may_issue_for_next_year(on: date) -> bool:
    """Answer whether next year's licences may be issued on `on` (from 10 December)."""
    return (on.month, on.day) >= NEXT_YEAR_ISSUE_MONTH_DAY


def validity_problems(*, valid_from: date, valid_until: date, issued_on: date) -> list[str]:
    """List every rule that the dates break when issued on `issued_on` (empty = valid)."""
    problems = []
    if valid_until < valid_from:
        problems.append(_("The licence must end on or after the day it starts."))
    if valid_from < issued_on:
        problems.append(_("A licence cannot start before the day it is issued."))
    if valid_from.year > issued_on.year and not _next_year_start_allowed(valid_from, issued_on):
        problems.append(
            _("Next year's licences are issued from 10 December, valid from 1 January.")
        )
    if valid_until > date(valid_from.year, 12, 31):
        problems.append(_("A licence is never valid past 31 December of its year."))
    elif valid_until > latest_valid_until(valid_from):
        problems.append(_("A licence is valid for at most six months."))
    return problems


def _next_year_start_allowed(valid_from: date, issued_on: date) -> bool:
    return valid_from == date(issued_on.year + 1, 1, 1) and may_issue_for_next_year(issued_on)


def issued_validity(
    *, requested_from: date | None, requested_until: date | None, issued_on: date
) -> tuple[date, date]:
    """Return the dates to print on a licence issued on `issued_on`, fitted to the rules.

    A start already past (the decision came after the requested start) moves to the issue
    day and keeps the requested length; an end beyond six months or 31 December moves back
    to the latest allowed day. Only a next-year start before 10 December is refused.
    """
    start = requested_from or issued_on
    valid_from = max(start, issued_on)
    if valid_from.year > issued_on.year and not _next_year_start_allowed(valid_from, issued_on):
        raise ValidityError(
            _("Next year's licences are issued from 10 December, valid from 1 January.")
        )
    latest = latest_valid_until(valid_from)
    if requested_until is None or requested_until < start:
        return valid_from, latest
    return valid_from, min(valid_from + (requested_until - start), latest)
