"""Screening checks only used-vehicle cases have: the schedule and the confirmation letters.

A used EV first registered `USED_VEHICLE_LETTER_DAYS` days or less before the application
leaves only with a letter in force from the manufacturer of its brand (as listed in MIIT's
catalogue), naming the VIN and the destination, whose outlet there is still verified and
under contract. Each failure's detail names the VIN and the rule it breaks.
"""

from datetime import date

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from aftersales.models import ConfirmationLetter, ServiceOutlet
from aftersales.selectors import letters_for
from licensing.models import Case, ScheduledVehicle
from licensing.services.schedule import vins_taken
from registry.models import Enterprise, VehicleModel
from registry.selectors import vin_manufacturers

Result = tuple[str, bool, str]


def letter_days() -> int:
    """A vehicle registered this many days or fewer before the application needs a letter."""
    return int(getattr(settings, "USED_VEHICLE_LETTER_DAYS", 180))


def application_day(case: Case, today: date) -> date:
    """The day the application was made: its submission, or today for a draft."""
    if case.submitted_at is None:
        return today
    return timezone.localdate(case.submitted_at)


def needs_letter(row: ScheduledVehicle, day: date) -> bool:
    """Registered no more than the letter period before the application day."""
    return (day - row.first_registered_on).days <= letter_days()


def _rows(case: Case) -> list[ScheduledVehicle]:
    return list(case.vehicles.select_related("vehicle_model__brand__manufacturer"))


def check_schedule(case: Case, today: date) -> Result:
    """Every vehicle: dates in order, a BEV model, built by its brand's maker, listed once."""
    rows, day = _rows(case), application_day(case, today)
    if not rows:
        return "schedule", False, _("No vehicles listed.")
    makers = vin_manufacturers([row.vin for row in rows])
    problems = [p for row in rows for p in _row_problems(row, day, makers.get(row.vin))]
    return "schedule", not problems, " ".join(problems)


def check_vehicles_free(case: Case, today: date) -> Result:
    """No vehicle is on another open application, still to export under a licence in force,
    or already exported: a car leaves once, whatever a caseworker decides about the rest."""
    rows = _rows(case)
    problems = _listed_elsewhere(case, rows)
    if problems:
        return "vehicles_free", False, " ".join(problems)
    detail = _("None of the %(count)d vehicle(s) is on another application or licence.")
    return "vehicles_free", True, detail % {"count": len(rows)}


def _inconsistent(vin: str, problem: str) -> str:
    return _("%(vin)s: schedule inconsistent — %(problem)s") % {"vin": vin, "problem": problem}


def _row_problems(row: ScheduledVehicle, day: date, maker_id: int | None) -> list[str]:
    model: VehicleModel = row.vehicle_model
    found = []
    if row.transferred_on < row.first_registered_on:
        found.append(_("the transfer comes before the first registration."))
    if row.transferred_on > day:
        found.append(_("the transfer comes after the application date."))
    if model.powertrain != VehicleModel.Powertrain.BEV:
        found.append(_("%(model)s is not battery-electric.") % {"model": model})
    if maker_id is None:
        found.append(_("no manufacturer is registered for the VIN's first three characters."))
    elif maker_id != model.brand.manufacturer_id:
        found.append(
            _("not built by %(maker)s, the manufacturer of %(brand)s.")
            % {"maker": model.brand.manufacturer, "brand": model.brand}
        )
    return [_inconsistent(row.vin, problem) for problem in found]


def _listed_elsewhere(case: Case, rows: list[ScheduledVehicle]) -> list[str]:
    taken = vins_taken(case, [row.vin for row in rows])
    problems = (
        (taken.on_open_cases, _("also listed on another open application.")),
        (taken.on_licences, _("still to be exported under a licence in force.")),
        (taken.exported, _("already in the exported-vehicle register.")),
    )
    return sorted(_inconsistent(vin, problem) for found, problem in problems for vin in found)


def check_confirmation_letters(case: Case, today: date) -> Result:
    """Each recent vehicle has its manufacturer's letter in force for the destination."""
    if case.destination_id is None:
        return "confirmation_letters", False, _("No destination given.")
    day = application_day(case, today)
    recent = [row for row in _rows(case) if needs_letter(row, day)]
    letters = letters_for([row.vin for row in recent], case.destination_id)
    problems = [
        problem
        for row in recent
        if (problem := letter_problem(row, letters.get(row.vin, []), case.destination_id, day))
    ]
    if problems:
        return "confirmation_letters", False, " ".join(problems)
    detail = _(
        "%(recent)d vehicle(s) registered %(days)d days or less before the application, "
        "each with its manufacturer's letter in force."
    ) % {"recent": len(recent), "days": letter_days()}
    return "confirmation_letters", True, detail


def letter_problem(
    row: ScheduledVehicle, letters: list[ConfirmationLetter], country_id: str, day: date
) -> str:
    """Why the vehicle's letters do not clear it for export ('' when one does)."""
    maker: Enterprise = row.vehicle_model.brand.manufacturer
    in_force = next((letter for letter in letters if letter.in_force), None)
    values = {"vin": row.vin, "maker": maker, "brand": row.vehicle_model.brand}
    if in_force is None and letters:
        values.update(number=letters[0].number, reason=letters[0].revocation_reason or "—")
        return _("%(vin)s: letter revoked — %(number)s was revoked: %(reason)s") % values
    if in_force is None:
        values["days"] = (day - row.first_registered_on).days
        return (
            _(
                "%(vin)s: letter missing — first registered %(days)d days before the "
                "application, it needs a confirmation letter from %(maker)s."
            )
            % values
        )
    values["number"] = in_force.number
    if not _in_catalogue(maker) or in_force.manufacturer_id != maker.pk:
        values["issuer"] = in_force.manufacturer
        return (
            _(
                "%(vin)s: wrong issuer — letter %(number)s is from %(issuer)s; only %(brand)s's "
                "manufacturer as listed in MIIT's catalogue may confirm after-sales service."
            )
            % values
        )
    return _outlet_problem(in_force, country_id, day, values)


def _in_catalogue(enterprise: Enterprise) -> bool:
    return enterprise.kind == Enterprise.Kind.MANUFACTURER and bool(
        enterprise.miit_catalogue_number
    )


def _outlet_problem(
    letter: ConfirmationLetter, country_id: str, day: date, values: dict[str, object]
) -> str:
    outlet: ServiceOutlet = letter.outlet
    values["outlet"] = outlet
    if (
        outlet.verification_status != ServiceOutlet.Status.VERIFIED
        or outlet.withdrawn_at is not None
        or outlet.country_id != country_id
    ):
        return (
            _(
                "%(vin)s: outlet no longer verified — %(outlet)s, named in letter %(number)s, "
                "is not a verified outlet in the destination."
            )
            % values
        )
    if not outlet.contract_valid_from <= day <= outlet.contract_valid_until:
        return (
            _(
                "%(vin)s: outlet contract not running — the contract of %(outlet)s, named in "
                "letter %(number)s, does not run on the application date."
            )
            % values
        )
    return ""


def schedule_overview(case: Case, today: date | None = None) -> list[dict[str, object]]:
    """List each vehicle's age at application, whether it needs a letter, and its letter.

    Two queries whatever the schedule's length; the case page shows it.
    """
    day = application_day(case, today or timezone.localdate())
    rows = _rows(case)
    letters = letters_for([row.vin for row in rows], case.destination_id or "")
    overview = []
    for row in rows:
        found = letters.get(row.vin, [])
        needed = needs_letter(row, day)
        problem = letter_problem(row, found, case.destination_id or "", day) if needed else ""
        overview.append(
            {
                "vehicle": row,
                "age_days": (day - row.first_registered_on).days,
                "needs_letter": needed,
                "letter": next((letter for letter in found if letter.in_force), None),
                "problem": problem,
            }
        )
    return overview
