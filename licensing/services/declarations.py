"""Customs declarations: the atomic draw-down of a licence's quantities and uses.

Each declaration locks the licence and its lines, checks the licence is usable on the
declared date, takes the quantities with conditional updates that can never go below zero,
records every VIN once, and marks the licence exhausted when nothing is left.
"""

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.utils.translation import gettext as _

from aftersales.services.fleet import exported_vehicles_register
from audit.services import audit_record
from config.errors import ActionForbidden, Conflict
from licensing.models import (
    Declaration,
    DeclarationLine,
    DeclaredVehicle,
    Licence,
    LicenceLine,
)
from licensing.services.licences import S, licence_exhaust
from licensing.services.used_licences import check_on_schedule, register_used_vehicles
from registry.models import VehicleModel, member_enterprise_id
from registry.validators import validate_vin


@dataclass(frozen=True)
class DeclaredLine:
    """One line of a customs declaration as submitted: a model, a quantity, its VINs."""

    vehicle_model_id: int
    quantity: int
    vins: list[str] = field(default_factory=list)


def declaration_record(
    *,
    licence: Licence,
    actor: Any,
    number: str,
    declared_on: date,
    lines: list[DeclaredLine],
) -> Declaration:
    """Record a customs declaration and draw the licence down, all or nothing."""
    check_may_declare(actor=actor, licence=licence)
    _validate_declaration_input(number=number, lines=lines)
    try:
        with transaction.atomic():
            declaration = _draw_down(licence, actor, number, declared_on, lines)
    except IntegrityError as exc:
        # A concurrent declaration took the number or a VIN between our check and insert.
        raise ValidationError(
            {"non_field_errors": [_("The declaration number or a VIN is already recorded.")]}
        ) from exc
    licence.refresh_from_db()
    return declaration


def check_may_declare(*, actor: Any, licence: Licence) -> None:
    """Raise ActionForbidden unless the actor is a member of the holder who may apply."""
    if member_enterprise_id(actor) != licence.holder_id or not actor.membership.may_apply:
        raise ActionForbidden(_("Only the licence holder's applicants may record declarations."))


def _validate_declaration_input(*, number: str, lines: list[DeclaredLine]) -> None:
    errors: dict[str, list[Any]] = {}
    try:
        Declaration._meta.get_field("number").run_validators(number)
    except ValidationError as exc:
        errors["number"] = exc.messages
    line_errors = _line_errors(lines)
    if line_errors:
        errors["lines"] = line_errors
    if errors:
        raise ValidationError(errors)


def _line_errors(lines: list[DeclaredLine]) -> list[ValidationError]:
    """Every problem of the lines; each carries params `line` (index) and, where apt, `vin`."""
    if not lines:
        return [ValidationError(_("A declaration has at least one line."), code="no_lines")]
    errors = []
    names = VehicleModel.objects.in_bulk([line.vehicle_model_id for line in lines])
    models_seen: set[int] = set()
    vins_seen: set[str] = set()
    for index, line in enumerate(lines):
        if line.vehicle_model_id in models_seen:
            errors.append(_line_error(_("Each vehicle model appears on one line only."), index))
        models_seen.add(line.vehicle_model_id)
        errors += _one_line_errors(index, line, names.get(line.vehicle_model_id))
        for vin in line.vins:
            if vin in vins_seen:
                errors.append(
                    _line_error(
                        _("%(vin)s appears more than once in this declaration."), index, vin
                    )
                )
            vins_seen.add(vin)
    return errors


def _line_error(message: str, index: int, vin: str = "", **params: Any) -> ValidationError:
    return ValidationError(message, params={"line": index, "vin": vin, **params})


def _one_line_errors(
    index: int, line: DeclaredLine, model: VehicleModel | None
) -> list[ValidationError]:
    if line.quantity < 1:
        return [_line_error(_("Quantities must be at least 1."), index)]
    errors = []
    if len(line.vins) != line.quantity:
        errors.append(
            _line_error(
                _("Model %(model)s: %(count)d VINs for a quantity of %(quantity)d."),
                index,
                model=str(model or line.vehicle_model_id),
                count=len(line.vins),
                quantity=line.quantity,
            )
        )
    for vin in line.vins:
        try:
            validate_vin(vin)
        except ValidationError as exc:
            # The check-digit message names the VIN already; the shape message does not.
            errors += [
                _line_error("%(problem)s", index, vin, problem=m if vin in m else f"{vin}: {m}")
                for m in exc.messages
            ]
    return errors


def _draw_down(
    licence: Licence, actor: Any, number: str, declared_on: date, lines: list[DeclaredLine]
) -> Declaration:
    locked = Licence.objects.select_for_update().select_related("case").get(pk=licence.pk)
    _check_usable(locked, declared_on)
    licence_lines = _locked_lines(locked, lines)
    _check_not_yet_declared(number, lines)
    scheduled = check_on_schedule(locked, lines) if locked.case.is_used else None
    for line in lines:
        _take(licence_lines[line.vehicle_model_id], line.quantity)
    Licence.objects.filter(pk=locked.pk).update(
        uses_left=F("uses_left") - 1, version=F("version") + 1
    )
    declaration = _store_declaration(locked, actor, number, declared_on, lines, licence_lines)
    if scheduled is not None:
        register_used_vehicles(
            actor=actor,
            licence=locked,
            declaration_number=number,
            declared_on=declared_on,
            scheduled=scheduled,
        )
    else:
        exported_vehicles_register(
            actor=actor,
            enterprise_id=locked.holder_id,
            brand_id=locked.brand_id,
            country_id=locked.destination_id,
            licence_number=locked.number,
            declaration_number=number,
            exported_on=declared_on,
            vehicles=[(vin, line.vehicle_model_id) for line in lines for vin in line.vins],
        )
    audit_record(
        actor=actor,
        verb="licensing.declaration.recorded",
        target=locked,
        enterprise_id=locked.holder_id,
        payload={
            "declaration": number,
            "declared_on": declared_on,
            "lines": {str(line.vehicle_model_id): line.quantity for line in lines},
        },
    )
    _exhaust_if_used_up(locked)
    return declaration


def _check_usable(licence: Licence, declared_on: date) -> None:
    if licence.status != S.ACTIVE:
        raise Conflict(
            _("Licence %(number)s is %(status)s.")
            % {"number": licence.number, "status": licence.get_status_display().lower()},
            code="licence_not_usable",
        )
    if licence.uses_left < 1:
        raise Conflict(_("The licence has no declarations left."), code="licence_not_usable")
    if not licence.valid_from <= declared_on <= licence.valid_until:
        raise Conflict(
            _("The declaration date is outside the licence's validity (%(start)s to %(end)s).")
            % {"start": licence.valid_from, "end": licence.valid_until},
            code="licence_not_usable",
        )


def _locked_lines(licence: Licence, lines: list[DeclaredLine]) -> dict[int, LicenceLine]:
    by_model = {
        line.vehicle_model_id: line
        for line in LicenceLine.objects.select_for_update().filter(licence=licence)
    }
    unknown = sorted(
        line.vehicle_model_id for line in lines if line.vehicle_model_id not in by_model
    )
    if unknown:
        raise ValidationError(
            {"lines": [_("The licence does not cover vehicle model(s) %s.") % unknown]}
        )
    return by_model


def _check_not_yet_declared(number: str, lines: list[DeclaredLine]) -> None:
    if Declaration.objects.filter(number=number).exists():
        raise ValidationError({"number": [_("This declaration number is already recorded.")]})
    vins = [vin for line in lines for vin in line.vins]
    taken = set(DeclaredVehicle.objects.filter(vin__in=vins).values_list("vin", flat=True))
    if taken:
        raise ValidationError(
            {
                "lines": [
                    _line_error(_("%(vin)s is already declared."), index, vin)
                    for index, line in enumerate(lines)
                    for vin in line.vins
                    if vin in taken
                ]
            }
        )


def _take(licence_line: LicenceLine, quantity: int) -> None:
    """Draw down one line; the WHERE clause refuses an overdraw even without the lock."""
    taken = LicenceLine.objects.filter(pk=licence_line.pk, remaining__gte=quantity).update(
        remaining=F("remaining") - quantity
    )
    if not taken:
        raise Conflict(
            _("Only %(left)d of %(model)s remain on the licence; %(asked)d declared.")
            % {
                "left": LicenceLine.objects.get(pk=licence_line.pk).remaining,
                "model": licence_line.vehicle_model,
                "asked": quantity,
            },
            code="quantity_exceeded",
        )


def _store_declaration(
    licence: Licence,
    actor: Any,
    number: str,
    declared_on: date,
    lines: list[DeclaredLine],
    licence_lines: dict[int, LicenceLine],
) -> Declaration:
    declaration = Declaration.objects.create(
        licence=licence, number=number, declared_on=declared_on, recorded_by=actor
    )
    stored = DeclarationLine.objects.bulk_create(
        [
            DeclarationLine(
                declaration=declaration,
                licence_line=licence_lines[line.vehicle_model_id],
                quantity=line.quantity,
            )
            for line in lines
        ]
    )
    DeclaredVehicle.objects.bulk_create(
        [
            DeclaredVehicle(
                vin=vin,
                declaration=declaration,
                declaration_line=row,
                vehicle_model_id=line.vehicle_model_id,
            )
            for line, row in zip(lines, stored, strict=True)
            for vin in line.vins
        ]
    )
    return declaration


def _exhaust_if_used_up(licence: Licence) -> None:
    licence.refresh_from_db(fields=["status", "version", "uses_left"])
    left = LicenceLine.objects.filter(licence=licence).aggregate(left=Sum("remaining"))["left"]
    if licence.uses_left == 0 or not left:
        licence_exhaust(licence=licence)
