"""Drafts: open a case and edit it until submission, with its goods lines or vehicle schedule.

A licence or exchange case lists goods lines; a used-vehicle case lists its vehicles one by
one (the schedule, licensing.services.schedule). Either is replaced whole on an edit.
"""

import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_record, changes, snapshot
from config.errors import ActionForbidden, StaleVersion, TransitionNotAllowed
from licensing.models import Case, CaseLine, ScheduledVehicle
from licensing.services.schedule import schedule_rows, validate_schedule
from licensing.services.transitions import is_applicant_member
from licensing.services.validation import EDITABLE_FIELDS, validate_case
from registry.models import Enterprise, member_enterprise_id

Actor = Any


def _enterprise_for(actor: Actor, applicant: Enterprise | None) -> Enterprise:
    own_id = member_enterprise_id(actor)
    if applicant is None:
        if own_id is None:
            raise ValidationError({"applicant": _("Name the applicant enterprise.")})
        return Enterprise.objects.get(pk=own_id)
    return applicant


def case_create(
    *,
    actor: Actor,
    kind: str,
    applicant: Enterprise | None = None,
    lines: list[dict[str, Any]] | None = None,
    vehicles: list[dict[str, Any]] | None = None,
    **fields: Any,
) -> Case:
    """Open a draft case for the actor's enterprise with its goods lines or vehicles."""
    applicant = _enterprise_for(actor, applicant)
    case = Case(kind=kind, applicant=applicant, created_by=actor, **fields)
    if not is_applicant_member(actor, case):
        raise ActionForbidden(_("Only members of the applicant enterprise may apply."))
    line_objects = [CaseLine(**line) for line in (lines or [])]
    rows = schedule_rows(vehicles or []) if case.is_used else []
    _validate(case, line_objects, rows if case.is_used else None, vehicles_given=bool(vehicles))
    with transaction.atomic():
        # The reference carries the id, known only after the insert; a unique placeholder first.
        case.reference = f"TMP-{uuid.uuid4().hex[:16]}"
        case.save(force_insert=True)
        year = (
            (case.valid_from or timezone.localdate()).year
            if case.kind != "qualification"
            else case.year
        )
        case.reference = f"{Case.REFERENCE_PREFIX[case.kind]}-{year}-{case.pk:06d}"
        case.save(update_fields=["reference"])
        _save_lines(case, line_objects)
        _save_vehicles(case, rows)
        audit_record(
            actor=actor,
            verb="licensing.case.created",
            target=case,
            enterprise_id=case.applicant_id,
            payload={"new": _case_snapshot(case)},
        )
    return case


def _validate(
    case: Case,
    lines: list[CaseLine],
    rows: list[ScheduledVehicle] | None,
    *,
    vehicles_given: bool,
) -> None:
    """Check the case and its lines, and for a used case its schedule; one error for all."""
    errors: dict[str, Any] = {}
    try:
        validate_case(case, lines)
    except ValidationError as error:
        errors.update(error.error_dict)
    if rows is not None:
        try:
            validate_schedule(case, rows)
        except ValidationError as error:
            errors.update(error.error_dict)
    elif vehicles_given:
        errors["vehicles"] = [_("Only a used-vehicle case lists vehicles.")]
    if errors:
        raise ValidationError(errors)


def _save_lines(case: Case, lines: list[CaseLine]) -> None:
    for line in lines:
        line.case = case
    CaseLine.objects.bulk_create(lines)


def _save_vehicles(case: Case, rows: list[ScheduledVehicle]) -> None:
    for row in rows:
        row.case = case
    ScheduledVehicle.objects.bulk_create(rows)


def _case_snapshot(case: Case) -> dict[str, Any]:
    values = snapshot(case, [*EDITABLE_FIELDS, "kind", "applicant"])
    values["lines"] = [
        [line.vehicle_model_id, line.quantity, str(line.unit_price_usd)]
        for line in case.lines.all()
    ]
    if case.is_used:
        values["vehicles"] = [
            [
                row.vin,
                row.vehicle_model_id,
                row.first_registered_on.isoformat(),
                row.transferred_on.isoformat(),
                str(row.unit_price_usd),
            ]
            for row in case.vehicles.all()
        ]
    return values


def case_update(
    *,
    actor: Actor,
    case: Case,
    data: dict[str, Any],
    lines: list[dict[str, Any]] | None = None,
    vehicles: list[dict[str, Any]] | None = None,
    expected_version: int | None = None,
) -> Case:
    """Change a draft's details (and replace its lines or vehicles) if nobody changed it first."""
    if not is_applicant_member(actor, case):
        raise ActionForbidden(_("Only members of the applicant enterprise may edit the case."))
    if case.status != Case.Status.DRAFT:
        raise TransitionNotAllowed(_("Only a draft can be changed."))
    version = case.version if expected_version is None else expected_version
    if version != case.version:
        raise StaleVersion(_("The case has changed since you loaded it; reload and try again."))
    before = _case_snapshot(case)
    unknown = set(data) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError({name: _("This field cannot be changed.") for name in unknown})
    for name, value in data.items():
        setattr(case, name, value)
    line_objects = [CaseLine(**line) for line in lines] if lines is not None else None
    rows = _rows_after_edit(case, vehicles)
    _validate(
        case,
        line_objects if line_objects is not None else list(case.lines.all()),
        rows,
        vehicles_given=vehicles is not None,
    )
    with transaction.atomic():
        _write_draft(case, data, version)
        if line_objects is not None:
            case.lines.all().delete()
            _save_lines(case, line_objects)
        if vehicles is not None and rows is not None:
            case.vehicles.all().delete()
            _save_vehicles(case, rows)
        case.refresh_from_db()
        audit_record(
            actor=actor,
            verb="licensing.case.updated",
            target=case,
            enterprise_id=case.applicant_id,
            payload={"changes": changes(before, _case_snapshot(case))},
        )
    return case


def _rows_after_edit(
    case: Case, vehicles: list[dict[str, Any]] | None
) -> list[ScheduledVehicle] | None:
    """The schedule the draft will have: the new one sent, or the one it has (used cases)."""
    if not case.is_used:
        return None
    if vehicles is None:
        return list(case.vehicles.select_related("vehicle_model__brand"))
    return schedule_rows(vehicles)


def _write_draft(case: Case, data: dict[str, Any], version: int) -> None:
    values = {name: getattr(case, name) for name in data}
    moved = Case.objects.filter(pk=case.pk, status=Case.Status.DRAFT, version=version).update(
        version=F("version") + 1, updated_at=timezone.now(), **values
    )
    if not moved:
        raise StaleVersion(_("The case has changed since you loaded it; reload and try again."))
