"""The schedule of a used-vehicle case as its applicant reads it: which vehicles need a letter.

The 180-day rule and the application day come from the used-case screening; the letters
shown are those the applicant may see (issued for it), so a link to ask for one is offered
where none is in force.
"""

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone

from aftersales.models import ConfirmationLetter
from aftersales.selectors import letters_visible_to
from licensing.models import Case, ScheduledVehicle
from licensing.services.used_screening import application_day, letter_days, needs_letter


@dataclass(frozen=True)
class ScheduleRow:
    """One scheduled vehicle, its age on the application day and its letter, if any."""

    vehicle: ScheduledVehicle
    age_days: int
    needs_letter: bool
    letter: ConfirmationLetter | None
    request_url: str


def _letters(case: Case, user: Any, vins: list[str]) -> dict[str, ConfirmationLetter]:
    """The letter to show per VIN: one in force before a revoked one, newest first."""
    if case.destination_id is None or not vins:
        return {}
    found: dict[str, ConfirmationLetter] = {}
    letters = letters_visible_to(user).filter(vin__in=vins, country_id=case.destination_id)
    for letter in letters.order_by("status", "-issued_at", "-pk"):
        found.setdefault(letter.vin, letter)
    return found


def _request_url(case: Case, vehicle: ScheduledVehicle) -> str:
    query = {"vin": vehicle.vin, "model": vehicle.vehicle_model_id}
    if case.destination_id:
        query["destination"] = case.destination_id
    return f"{reverse('portal:letter_request_new')}?{urlencode(query)}"


def schedule_for_applicant(case: Case, user: Any) -> list[ScheduleRow]:
    """Every vehicle of a used case with what it needs; nothing for other kinds."""
    if not case.is_used:
        return []
    day = application_day(case, timezone.localdate())
    vehicles = list(case.vehicles.select_related("vehicle_model__brand"))
    letters = _letters(case, user, [vehicle.vin for vehicle in vehicles])
    rows = []
    for vehicle in vehicles:
        letter = letters.get(vehicle.vin)
        needed = needs_letter(vehicle, day)
        missing = needed and (letter is None or not letter.in_force)
        rows.append(
            ScheduleRow(
                vehicle=vehicle,
                age_days=(day - vehicle.first_registered_on).days,
                needs_letter=needed,
                letter=letter,
                request_url=_request_url(case, vehicle) if missing else "",
            )
        )
    return rows


def letter_period() -> int:
    """The days after first registration during which a vehicle needs a letter."""
    return letter_days()
