"""The schedule (附表) of a used-vehicle case: what makes its rows acceptable, row by row.

Every problem is one ValidationError under "vehicles" whose params carry the row index
(`row`, from 0) and the field (`field`), so the API can answer per row and per field while
the admin and logs read a sentence naming the vehicle.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from aftersales.models import ExportedVehicle
from licensing.models import Case, ScheduledVehicle
from licensing.services.used_licences import vins_still_to_export
from registry.models import VehicleModel
from registry.selectors import vin_manufacturers

ROW_FIELDS = ("vin", "vehicle_model", "first_registered_on", "transferred_on", "unit_price_usd")


def max_vehicles() -> int:
    """How many vehicles one used-vehicle case may list."""
    return int(getattr(settings, "USED_VEHICLE_SCHEDULE_MAX", 500))


def schedule_rows(vehicles: Iterable[dict[str, Any]]) -> list[ScheduledVehicle]:
    """Build unsaved schedule rows from plain values; VINs are upper-cased."""
    rows = []
    for values in vehicles:
        known = {k: v for k, v in values.items() if k in ROW_FIELDS or k == "vehicle_model_id"}
        row = ScheduledVehicle(**known)
        row.vin = str(row.vin or "").strip().upper()
        rows.append(row)
    return rows


def row_error(index: int, field: str, problem: str) -> ValidationError:
    """One problem of one row, readable alone and carrying where it belongs."""
    label = ScheduledVehicle._meta.get_field(field).verbose_name
    return ValidationError(
        _("Vehicle %(number)d, %(label)s: %(problem)s"),
        code="schedule_row",
        params={
            "row": index,
            "field": field,
            "number": index + 1,
            "label": label,
            "problem": problem,
        },
    )


def validate_schedule(case: Case, rows: list[ScheduledVehicle], today: date | None = None) -> None:
    """Raise {"vehicles": [...]} for anything wrong with the schedule; save nothing."""
    day = today or timezone.localdate()
    if not rows:
        raise ValidationError({"vehicles": [_("Add at least one vehicle.")]})
    if len(rows) > max_vehicles():
        raise ValidationError(
            {"vehicles": [_("A case lists at most %(max)d vehicles.") % {"max": max_vehicles()}]}
        )
    errors = _row_problems(rows, day)
    errors += _taken_elsewhere(case, rows)
    if errors:
        raise ValidationError({"vehicles": errors})


def _row_problems(rows: list[ScheduledVehicle], day: date) -> list[ValidationError]:
    models = VehicleModel.objects.select_related("brand").in_bulk(
        {row.vehicle_model_id for row in rows if row.vehicle_model_id}
    )
    makers = vin_manufacturers([row.vin for row in rows])
    first_index: dict[str, int] = {}
    errors: list[ValidationError] = []
    for index, row in enumerate(rows):
        model = models.get(row.vehicle_model_id)
        row_errors = _field_errors(index, row, model)
        if not row_errors:
            row.vehicle_model = model
            row_errors = _consistency_errors(index, row, model, day, makers.get(row.vin))
        if row.vin in first_index:
            row_errors.append(
                row_error(
                    index,
                    "vin",
                    _("The VIN is already listed as vehicle %(first)d.")
                    % {"first": first_index[row.vin] + 1},
                )
            )
        first_index.setdefault(row.vin, index)
        errors += row_errors
    return errors


def _field_errors(index: int, row: ScheduledVehicle, model: VehicleModel | None) -> list[Any]:
    errors = []
    try:
        # The model is looked up for all rows at once above, not once per row here.
        row.full_clean(exclude=["case", "vehicle_model"], validate_constraints=False)
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            errors += [row_error(index, field, m) for m in messages if field in ROW_FIELDS]
    if model is None:
        errors.append(row_error(index, "vehicle_model", _("Choose a vehicle model.")))
    return errors


def _consistency_errors(
    index: int, row: ScheduledVehicle, model: VehicleModel, day: date, maker_id: int | None
) -> list[ValidationError]:
    """Dates against each other and the application day; the model and who built the VIN."""
    errors = []
    if model.powertrain != VehicleModel.Powertrain.BEV:
        errors.append(
            row_error(
                index, "vehicle_model", _("%(model)s is not battery-electric.") % {"model": model}
            )
        )
    if maker_id is not None and maker_id != model.brand.manufacturer_id:
        errors.append(
            row_error(
                index,
                "vin",
                _("The VIN was not built by the manufacturer of %(brand)s.")
                % {"brand": model.brand},
            )
        )
    if row.first_registered_on > day:
        errors.append(
            row_error(index, "first_registered_on", _("The registration cannot be in the future."))
        )
    if row.transferred_on < row.first_registered_on:
        errors.append(
            row_error(
                index,
                "transferred_on",
                _("The transfer cannot come before the first registration (%(day)s).")
                % {"day": row.first_registered_on},
            )
        )
    elif row.transferred_on > day:
        errors.append(
            row_error(
                index, "transferred_on", _("The transfer cannot come after the application date.")
            )
        )
    return errors


@dataclass(frozen=True)
class TakenVins:
    """The VINs of a schedule that something else already holds, by what holds them."""

    on_open_cases: set[str]
    on_licences: set[str]
    exported: set[str]


def vins_taken(case: Case, vins: list[str]) -> TakenVins:
    """VINs on another open case, still to export under a licence in force, or exported.

    Three queries whatever the number of VINs; drafts, submission and screening all ask.
    """
    others = ScheduledVehicle.objects.filter(vin__in=vins, case__status__in=Case.OPEN_STATUSES)
    if case.pk:
        others = others.exclude(case_id=case.pk)
    return TakenVins(
        on_open_cases=set(others.values_list("vin", flat=True)),
        on_licences=vins_still_to_export(vins),
        exported=set(ExportedVehicle.objects.filter(vin__in=vins).values_list("vin", flat=True)),
    )


def _taken_elsewhere(case: Case, rows: list[ScheduledVehicle]) -> list[ValidationError]:
    vins = [row.vin for row in rows]
    taken = vins_taken(case, vins)
    problems = (
        (taken.on_open_cases, _("The VIN is on another open application.")),
        (taken.on_licences, _("The VIN is still to be exported under a licence in force.")),
        (taken.exported, _("The VIN has already been exported.")),
    )
    return [
        row_error(index, "vin", message)
        for index, vin in enumerate(vins)
        for found, message in problems
        if vin in found
    ]


def schedule_completeness_problems(case: Case) -> dict[str, list[str]]:
    """Re-check the stored schedule on the day of submission (dates, other cases, exports)."""
    rows = list(case.vehicles.all())
    try:
        validate_schedule(case, rows)
    except ValidationError as error:
        return {"vehicles": error.message_dict["vehicles"]}
    return {}
