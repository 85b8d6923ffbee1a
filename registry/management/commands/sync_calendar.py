"""Load the official PRC holidays and make-up working days from the chinese-calendar package."""

from typing import Any

from django.core.management.base import BaseCommand

from registry import selectors, services
from registry.admin import calendar_warning_text
from registry.calendar import package_years


def year_ranges(years: list[int]) -> str:
    """Write sorted years compactly: 2004–2026, 2028."""
    spans: list[list[int]] = []
    for year in years:
        if spans and year == spans[-1][1] + 1:
            spans[-1][1] = year
        else:
            spans.append([year, year])
    return ", ".join(f"{a}–{b}" if a != b else str(a) for a, b in spans) or "none"


class Command(BaseCommand):
    help = "Add the official holidays and make-up working days the installed package knows."

    def handle(self, *args: Any, **options: Any) -> None:
        added = services.calendar_sync_from_package(actor=None)
        covered = package_years()
        years = year_ranges(selectors.calendar_years_with_data())
        self.stdout.write(
            f"Added {added} calendar days from the chinese-calendar package, which covers "
            f"{covered.start}–{covered.stop - 1}. Years with official data: {years}."
        )
        missing = selectors.calendar_year_missing()
        if missing is not None:
            self.stdout.write(
                self.style.WARNING(
                    f"The installed chinese-calendar package has no data for {missing}."
                )
            )
            self.stdout.write(self.style.WARNING(calendar_warning_text(missing)))
