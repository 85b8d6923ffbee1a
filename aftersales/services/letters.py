"""Confirmation letters: a manufacturer issues one per VIN and destination, and revokes it.

A letter's number is `CL-YYYY-NNNNNN`, from a per-year counter advanced by one upsert in
the issuing transaction (like licence numbers), so two letters never share one.
"""

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from aftersales.models import ConfirmationLetter, LetterNumberSequence, LetterRequest, ServiceOutlet
from aftersales.services.letter_checks import (
    acting_enterprise,
    letter_in_force_error,
    model_error,
    normalised_vin,
    notify_members,
    outlet_error,
    raise_errors,
    saved_once,
    vin_error,
)
from aftersales.services.letter_requests import request_move
from aftersales.services.rules import Actor, checked_reason, country_error
from audit.services import audit_record
from config.errors import ActionForbidden, TransitionNotAllowed
from config.public import public_url
from registry.countries import country_name
from registry.models import Country, Enterprise, VehicleModel

REVOKE_PERMISSION = "aftersales.revoke_confirmationletter"


def letter_number_allocate(*, year: int) -> str:
    """Take the next letter number of the year; call inside the issuing transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("allocate a letter number inside the issuing transaction")
    table = LetterNumberSequence._meta.db_table
    with transaction.get_connection().cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (year, last_number) VALUES (%s, 1) "  # noqa: S608 - table name from the model
            f"ON CONFLICT (year) DO UPDATE SET last_number = {table}.last_number + 1 "
            "RETURNING last_number",
            [year],
        )
        sequence = int(cursor.fetchone()[0])
    return f"CL-{year:04d}-{sequence:06d}"


def letter_issue(
    *,
    actor: Actor,
    vin: str,
    vehicle_model: VehicleModel,
    country: Country,
    outlet: ServiceOutlet,
    request: LetterRequest | None = None,
) -> ConfirmationLetter:
    """Issue a letter for a VIN the actor's enterprise built, naming its outlet there.

    With a request, the request's VIN, model and destination are used and it is answered.
    """
    manufacturer = _issuer(actor)
    if request is not None:
        _check_request(request, manufacturer)
        vin, vehicle_model, country = request.vin, request.vehicle_model, request.country
    letter = ConfirmationLetter(
        manufacturer=manufacturer,
        requester_id=request.requester_id if request else None,
        request=request,
        vin=normalised_vin(vin),
        vehicle_model=vehicle_model,
        country=country,
        outlet=outlet,
        issued_by=actor,
        issued_at=timezone.now(),
    )
    raise_errors(_letter_errors(letter, timezone.localdate()))
    with transaction.atomic():
        letter.number = letter_number_allocate(year=timezone.localdate().year)
        letter.full_clean(validate_constraints=False)  # a lost race is caught below
        saved_once(field="vin", message=_in_force_message(), save=letter.save)
        if request is not None:
            request_move(actor=actor, request=request, action="issue", fields={}, payload={})
        _audit(actor, letter, "issued", _snapshot(letter))
        notify_members(
            letter.requester_id,
            kind="aftersales.confirmation_letter.issued",
            target=letter,
            write=lambda: _issued_notice(letter),
        )
    return letter


def _issuer(actor: Actor) -> Enterprise:
    enterprise = acting_enterprise(actor)
    if enterprise.kind != Enterprise.Kind.MANUFACTURER:
        raise ActionForbidden(_("Only a manufacturer issues confirmation letters."))
    return enterprise


def _check_request(request: LetterRequest, manufacturer: Enterprise) -> None:
    if request.manufacturer_id != manufacturer.pk:
        raise_errors({"request": _("This request is addressed to another manufacturer.")})
    if request.status != LetterRequest.Status.PENDING:
        raise TransitionNotAllowed(
            _("This request is %(status)s; only a pending request can be answered.")
            % {"status": request.get_status_display().lower()}
        )


def _letter_errors(letter: ConfirmationLetter, today: date) -> dict[str, str | None]:
    errors = {
        "vin": vin_error(letter.vin, letter.manufacturer),
        "vehicle_model": model_error(letter.vehicle_model, letter.manufacturer),
        "country": country_error(letter.country),
    }
    if not errors["vehicle_model"]:
        errors["outlet"] = outlet_error(
            letter.outlet,
            manufacturer=letter.manufacturer,
            vehicle_model=letter.vehicle_model,
            country=letter.country,
            on=today,
        )
    if not errors["vin"]:
        errors["vin"] = letter_in_force_error(letter.vin, letter.country)
    return errors


def _in_force_message() -> str:
    return _("A letter for this VIN and destination is already in force.")


def _snapshot(letter: ConfirmationLetter) -> dict:
    return {
        "number": letter.number,
        "vin": letter.vin,
        "vehicle_model": letter.vehicle_model_id,
        "country": letter.country_id,
        "outlet": letter.outlet_id,
        "request": letter.request_id,
    }


def _issued_notice(letter: ConfirmationLetter) -> tuple[str, str]:
    subject = _("Confirmation letter %(number)s issued for VIN %(vin)s") % {
        "number": letter.number,
        "vin": letter.vin,
    }
    body = _("%(maker)s names %(outlet)s to serve the vehicle in %(country)s.") % {
        "maker": letter.manufacturer.name_en,
        "outlet": letter.outlet,
        "country": country_name(letter.country_id),
    }
    check = _("Check it at %(url)s") % {"url": public_url("letter-verify", letter.number)}
    return subject, f"{body}\n{check}"


def letter_revoke(*, actor: Actor, letter: ConfirmationLetter, reason: str) -> ConfirmationLetter:
    """Revoke a letter in force, by its manufacturer or by staff allowed to, with a reason."""
    _require_revoker(actor, letter)
    reason = checked_reason(reason, required=True)
    sources, target = ConfirmationLetter.TRANSITIONS["revoke"]
    with transaction.atomic():
        moved = ConfirmationLetter.objects.filter(pk=letter.pk, status__in=sources).update(
            status=target, revoked_by=actor, revoked_at=timezone.now(), revocation_reason=reason
        )
        if not moved:
            raise TransitionNotAllowed(_("This letter is already revoked."))
        old = letter.status
        letter.refresh_from_db()
        _audit(actor, letter, "revoked", {"changes": {"status": [old, target]}, "reason": reason})
        notify_members(
            letter.requester_id,
            kind="aftersales.confirmation_letter.revoked",
            target=letter,
            write=lambda: _revoked_notice(letter),
        )
    return letter


def _require_revoker(actor: Actor, letter: ConfirmationLetter) -> None:
    if actor is not None and actor.is_staff:
        if not (actor.is_active and actor.has_perm(REVOKE_PERMISSION)):
            raise ActionForbidden(_("You may not revoke confirmation letters."))
        return
    if acting_enterprise(actor).pk != letter.manufacturer_id:
        raise ActionForbidden(_("Only the manufacturer that issued a letter may revoke it."))


def _revoked_notice(letter: ConfirmationLetter) -> tuple[str, str]:
    subject = _("Confirmation letter %(number)s for VIN %(vin)s was revoked") % {
        "number": letter.number,
        "vin": letter.vin,
    }
    return subject, _("Reason: %(reason)s") % {"reason": letter.revocation_reason}


def _audit(actor: Actor, letter: ConfirmationLetter, verb: str, payload: dict) -> None:
    audit_record(
        actor=actor,
        verb=f"aftersales.confirmation_letter.{verb}",
        target=letter,
        enterprise_id=letter.manufacturer_id,
        payload=payload,
    )
