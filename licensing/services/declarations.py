"""Customs declarations: the atomic draw-down of a licence's quantities and uses.

Each declaration locks the licence and its lines, checks the licence is usable on the
declared date, takes the quantities with conditional updates that can never go below zero,
records every VIN once, and marks the licence exhausted when nothing is left.
"""

from dataclasses import dataclass, field
from datetime import date
from typing import Any, NoReturn

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connections, router, transaction
from django.db.models import Case as DbCase
from django.db.models import Exists, F, IntegerField, OuterRef, Q, Value, When
from django.db.models.expressions import RawSQL
from django.utils.translation import gettext as _

from aftersales.services.fleet import exported_vehicles_register, warranty_months_expression
from audit.services import audit_batch, audit_record
from config.errors import ActionForbidden, Conflict
from config.sql import compiled_insert
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
            declaration, drawn = _draw_down(licence, actor, number, declared_on, lines)
    except IntegrityError as exc:
        # A concurrent declaration took the number or a VIN between our check and insert.
        raise ValidationError(
            {"non_field_errors": [_("The declaration number or a VIN is already recorded.")]}
        ) from exc
    # The caller's copy takes the values the locked row now has, without reading it again.
    for name in ("status", "status_reason", "version", "uses_left"):
        setattr(licence, name, getattr(drawn, name))
    licence.__dict__.pop("_prefetched_objects_cache", None)  # its lines have been drawn down
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
    models_seen: set[int] = set()
    vins_seen: set[str] = set()
    for index, line in enumerate(lines):
        if line.vehicle_model_id in models_seen:
            errors.append(_line_error(_("Each vehicle model appears on one line only."), index))
        models_seen.add(line.vehicle_model_id)
        errors += _one_line_errors(index, line)
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


def _one_line_errors(index: int, line: DeclaredLine) -> list[ValidationError]:
    if line.quantity < 1:
        return [_line_error(_("Quantities must be at least 1."), index)]
    errors = []
    if len(line.vins) != line.quantity:
        # Read only on this error path: a valid declaration never needs the model's name.
        model = VehicleModel.objects.filter(pk=line.vehicle_model_id).first()
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
) -> tuple[Declaration, Licence]:
    locked, licence_lines = _locked_licence(licence, number, declared_on, lines)
    _check_usable(locked, declared_on)
    _check_covered(licence_lines, lines)
    _check_not_yet_declared(locked, number, lines)
    scheduled = check_on_schedule(locked, lines) if locked.schedule_case_id else None
    _take(licence_lines, lines)
    Licence.objects.filter(pk=locked.pk).update(
        uses_left=F("uses_left") - 1, version=F("version") + 1
    )
    locked.uses_left, locked.version = locked.uses_left - 1, locked.version + 1
    # Every event of the declaration (register, obligation, declaration, exhaustion) goes
    # into the chain in one write at the end, in the order they are recorded.
    with audit_batch():
        declaration = _store_declaration(locked, actor, number, declared_on, lines, licence_lines)
        _register_vehicles(locked, actor, number, declared_on, lines, scheduled)
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
        _exhaust_if_used_up(locked, licence_lines)
    return declaration, locked


def _locked_licence(
    licence: Licence, number: str, declared_on: date, lines: list[DeclaredLine]
) -> tuple[Licence, dict[int, LicenceLine]]:
    """Lock the licence and its lines in one read, which also says whether the number or
    any VIN is already recorded (the details are read only when one is) and the warranty
    the exported cars get."""
    vins = [vin for line in lines for vin in line.vins]
    checks = {
        "number_taken": Exists(Declaration.objects.filter(number=number)),
        "vins_taken": Exists(DeclaredVehicle.objects.filter(vin__in=vins)),
    }
    rows = list(
        LicenceLine.objects.select_for_update(of=("self", "licence"))
        .select_related("licence__case")
        .filter(licence_id=licence.pk)
        .annotate(
            **checks,
            warranty_months=warranty_months_expression(
                enterprise=OuterRef("licence__holder_id"),
                brand=OuterRef("licence__brand_id"),
                country=OuterRef("licence__destination_id"),
                on=declared_on,
            ),
        )
        .order_by("pk")
    )
    if not rows:  # a licence always has lines; lock it alone all the same
        locked = (
            Licence.objects.select_for_update()
            .select_related("case")
            .annotate(**checks, warranty_months=Value(None, output_field=IntegerField()))
            .get(pk=licence.pk)
        )
        return locked, {}
    locked = rows[0].licence
    for name in ("number_taken", "vins_taken", "warranty_months"):
        setattr(locked, name, getattr(rows[0], name))
    for row in rows:
        row.licence = locked
    return locked, {row.vehicle_model_id: row for row in rows}


def _register_vehicles(
    licence: Licence,
    actor: Any,
    number: str,
    declared_on: date,
    lines: list[DeclaredLine],
    scheduled: dict[str, Any] | None,
) -> None:
    if scheduled is not None:
        register_used_vehicles(
            actor=actor,
            licence=licence,
            declaration_number=number,
            declared_on=declared_on,
            scheduled=scheduled,
        )
        return
    exported_vehicles_register(
        actor=actor,
        enterprise_id=licence.holder_id,
        brand_id=licence.brand_id,
        country_id=licence.destination_id,
        licence_number=licence.number,
        declaration_number=number,
        exported_on=declared_on,
        vehicles=[(vin, line.vehicle_model_id) for line in lines for vin in line.vins],
        warranty_months=licence.warranty_months,
    )


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


def _check_covered(by_model: dict[int, LicenceLine], lines: list[DeclaredLine]) -> None:
    unknown = sorted(
        line.vehicle_model_id for line in lines if line.vehicle_model_id not in by_model
    )
    if unknown:
        raise ValidationError(
            {"lines": [_("The licence does not cover vehicle model(s) %s.") % unknown]}
        )


def _check_not_yet_declared(locked: Licence, number: str, lines: list[DeclaredLine]) -> None:
    if locked.number_taken:
        raise ValidationError({"number": [_("This declaration number is already recorded.")]})
    if not locked.vins_taken:
        return
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


def _take(licence_lines: dict[int, LicenceLine], lines: list[DeclaredLine]) -> None:
    """Draw every line down in one UPDATE; its WHERE refuses an overdraw even without the lock."""
    taken = {licence_lines[line.vehicle_model_id]: line.quantity for line in lines}
    for licence_line, quantity in taken.items():
        if licence_line.remaining < quantity:
            _refuse_overdraw(licence_line, quantity)
    enough = Q()
    for licence_line, quantity in taken.items():
        enough |= Q(pk=licence_line.pk, remaining__gte=quantity)
    by_line = [When(pk=ll.pk, then=Value(quantity)) for ll, quantity in taken.items()]
    updated = LicenceLine.objects.filter(enough).update(
        remaining=F("remaining") - DbCase(*by_line, output_field=IntegerField())
    )
    if updated != len(taken):  # never under the lock; rolls the whole declaration back
        raise Conflict(
            _("Someone else has already changed this licence."), code="quantity_exceeded"
        )
    for licence_line, quantity in taken.items():
        licence_line.remaining -= quantity


def _refuse_overdraw(licence_line: LicenceLine, quantity: int) -> NoReturn:
    raise Conflict(
        _("Only %(left)d of %(model)s remain on the licence; %(asked)d declared.")
        % {"left": licence_line.remaining, "model": licence_line.vehicle_model, "asked": quantity},
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
    """Store the declaration, its lines and its vehicles.

    On PostgreSQL the three inserts are one statement: each part of the WITH names the rows
    the part before it inserted. Elsewhere they are three.
    """
    declaration = Declaration(
        licence=licence, number=number, declared_on=declared_on, recorded_by=actor
    )
    connection = connections[router.db_for_write(Declaration)]
    if connection.vendor != "postgresql":
        declaration.save(force_insert=True)
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
    stored_id = RawSQL("(SELECT id FROM stored)", ())
    parts = [
        compiled_insert(
            Declaration, [declaration], connection=connection, returning=("id", "recorded_at")
        ),
        compiled_insert(
            DeclarationLine,
            [
                DeclarationLine(
                    declaration_id=stored_id,
                    licence_line_id=licence_lines[line.vehicle_model_id].pk,
                    quantity=line.quantity,
                )
                for line in lines
            ],
            connection=connection,
            returning=("id", "licence_line"),
        ),
        compiled_insert(
            DeclaredVehicle,
            [
                DeclaredVehicle(
                    vin=vin,
                    declaration_id=stored_id,
                    declaration_line_id=RawSQL(
                        "(SELECT id FROM stored_lines WHERE licence_line_id = %s)",
                        (licence_lines[line.vehicle_model_id].pk,),
                    ),
                    vehicle_model_id=line.vehicle_model_id,
                )
                for line in lines
                for vin in line.vins
            ],
            connection=connection,
        ),
    ]
    (stored_sql, stored_params), (lines_sql, lines_params), (vins_sql, vins_params) = parts
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH stored AS ({stored_sql}), stored_lines AS ({lines_sql}), "  # noqa: S608
            f"stored_vehicles AS ({vins_sql}) SELECT id, recorded_at FROM stored",
            [*stored_params, *lines_params, *vins_params],
        )
        declaration.pk, declaration.recorded_at = cursor.fetchone()
    declaration._state.adding, declaration._state.db = False, connection.alias
    return declaration


def _exhaust_if_used_up(licence: Licence, licence_lines: dict[int, LicenceLine]) -> None:
    # The locked rows carry the values just written: nothing to read again.
    left = sum(line.remaining for line in licence_lines.values())
    if licence.uses_left == 0 or not left:
        licence_exhaust(licence=licence)
