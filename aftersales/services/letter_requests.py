"""Exporters ask manufacturers for confirmation letters; manufacturers refuse or answer them.

Issuing a letter on a request lives in letters.py (letter_issue with request=).
"""

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from aftersales.models import LetterRequest
from aftersales.services.letter_checks import (
    acting_enterprise,
    letter_in_force_error,
    normalised_vin,
    notify_members,
    raise_errors,
    saved_once,
    vin_error,
)
from aftersales.services.rules import Actor, checked_reason, country_error
from audit.services import audit_record
from config.errors import ActionForbidden, TransitionNotAllowed
from registry.countries import country_name
from registry.models import Country, VehicleModel

PAST_TENSE = {"issue": "issued", "refuse": "refused", "withdraw": "withdrawn"}
REFUSALS = {
    "issue": gettext_lazy("This request is %(status)s; only a pending request can be answered."),
    "refuse": gettext_lazy("This request is %(status)s; only a pending request can be refused."),
    "withdraw": gettext_lazy(
        "This request is %(status)s; only a pending request can be withdrawn."
    ),
}


def letter_request_create(
    *, actor: Actor, vin: str, vehicle_model: VehicleModel, country: Country, note: str = ""
) -> LetterRequest:
    """Ask the model's manufacturer for a confirmation letter for one VIN and destination."""
    requester = acting_enterprise(actor)
    manufacturer = vehicle_model.brand.manufacturer
    vin = normalised_vin(vin)
    request = LetterRequest(
        requester=requester,
        manufacturer=manufacturer,
        vin=vin,
        vehicle_model=vehicle_model,
        country=country,
        note=(note or "").strip(),
        created_by=actor,
    )
    raise_errors(_request_errors(request))
    request.full_clean(validate_constraints=False)  # a lost race is caught on save
    with transaction.atomic():
        saved_once(field="vin", message=_pending_message(), save=request.save)
        _audit(actor, request, "requested", {"vin": vin, "country": country.pk})
        notify_members(
            manufacturer.pk,
            kind="aftersales.letter_request.received",
            target=request,
            write=lambda: _received_notice(request),
        )
    return request


def _request_errors(request: LetterRequest) -> dict[str, str | None]:
    if request.requester_id == request.manufacturer_id:
        return {"vehicle_model": _("Your enterprise built this model; issue the letter yourself.")}
    errors = {
        "vin": vin_error(request.vin, request.manufacturer),
        "country": country_error(request.country),
    }
    if not errors["vin"]:
        errors["vin"] = _vin_taken_error(request)
    return errors


def _vin_taken_error(request: LetterRequest) -> str | None:
    # The letter's number and holder are not shown: they are not the requester's business.
    if letter_in_force_error(request.vin, request.country):
        return _("A letter for this VIN and destination is already in force.")
    return _pending_message() if _pending_exists(request) else None


def _pending_exists(request: LetterRequest) -> bool:
    return LetterRequest.objects.filter(
        requester=request.requester,
        vin=request.vin,
        country=request.country,
        status=LetterRequest.Status.PENDING,
    ).exists()


def _pending_message() -> str:
    return _("You already asked for a letter for this VIN and destination; it is pending.")


def _received_notice(request: LetterRequest) -> tuple[str, str]:
    subject = _("%(exporter)s asks for a confirmation letter for VIN %(vin)s") % {
        "exporter": request.requester.name_en,
        "vin": request.vin,
    }
    body = _("Vehicle: %(model)s. Destination: %(country)s.") % {
        "model": request.vehicle_model,
        "country": country_name(request.country_id),
    }
    return subject, f"{body}\n{request.note}".strip()


def letter_request_withdraw(*, actor: Actor, request: LetterRequest) -> LetterRequest:
    """Take back a pending request (the requester's applicants and administrators)."""
    if acting_enterprise(actor).pk != request.requester_id:
        raise ActionForbidden(_("Only the enterprise that asked may withdraw this request."))
    return request_move(actor=actor, request=request, action="withdraw", fields={}, payload={})


def letter_request_refuse(*, actor: Actor, request: LetterRequest, reason: str) -> LetterRequest:
    """Refuse a request addressed to the actor's enterprise, giving the reason."""
    require_addressee(actor, request)
    reason = checked_reason(reason, required=True)
    with transaction.atomic():
        request = request_move(
            actor=actor,
            request=request,
            action="refuse",
            fields={"refusal_reason": reason},
            payload={"reason": reason},
        )
        notify_members(
            request.requester_id,
            kind="aftersales.letter_request.refused",
            target=request,
            write=lambda: _refused_notice(request),
        )
    return request


def _refused_notice(request: LetterRequest) -> tuple[str, str]:
    subject = _("%(maker)s refused a confirmation letter for VIN %(vin)s") % {
        "maker": request.manufacturer.name_en,
        "vin": request.vin,
    }
    return subject, _("Reason: %(reason)s") % {"reason": request.refusal_reason}


def require_addressee(actor: Actor, request: LetterRequest) -> None:
    """Refuse anyone but an acting member of the manufacturer the request is addressed to."""
    if acting_enterprise(actor).pk != request.manufacturer_id:
        raise ActionForbidden(_("This request is addressed to another manufacturer."))


def request_move(
    *, actor: Actor, request: LetterRequest, action: str, fields: dict[str, Any], payload: dict
) -> LetterRequest:
    """Compare-and-swap the request's status and audit the move."""
    sources, target = LetterRequest.TRANSITIONS[action]
    with transaction.atomic():
        moved = LetterRequest.objects.filter(pk=request.pk, status__in=sources).update(
            status=target, answered_by=actor, answered_at=timezone.now(), **fields
        )
        if not moved:
            request.refresh_from_db()
            status = {"status": request.get_status_display().lower()}
            raise TransitionNotAllowed(str(REFUSALS[action]) % status)
        old = request.status
        request.refresh_from_db()
        changes = {"changes": {"status": [old, target]}, **payload}
        _audit(actor, request, PAST_TENSE[action], changes)
    return request


def _audit(actor: Actor, request: LetterRequest, verb: str, payload: dict) -> None:
    audit_record(
        actor=actor,
        verb=f"aftersales.letter_request.{verb}",
        target=request,
        enterprise_id=request.requester_id,
        payload=payload,
    )
