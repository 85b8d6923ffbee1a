"""Rules confirmation letters and their requests share: who built the VIN, what is in force.

Also the notices both send, each in the recipient's language.
"""

from collections.abc import Callable
from datetime import date
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext as _

from aftersales.models import ConfirmationLetter, ServiceOutlet
from aftersales.services.rules import Actor
from config.errors import ActionForbidden
from registry.language import notify_in_their_language
from registry.models import (
    Country,
    Enterprise,
    VehicleModel,
    member_enterprise_id,
    member_may_apply,
)
from registry.selectors import acting_members, vin_manufacturers
from registry.validators import validate_vin


def acting_enterprise(actor: Actor) -> Enterprise:
    """The enterprise an applicant or administrator acts for; anyone else is refused."""
    if actor is None or not member_may_apply(actor):
        raise ActionForbidden(_("Only an enterprise's applicants and administrators may do this."))
    return Enterprise.objects.get(pk=member_enterprise_id(actor))


def normalised_vin(vin: str) -> str:
    """The VIN as stored: trimmed and upper-case."""
    return (vin or "").strip().upper()


def vin_error(vin: str, manufacturer: Enterprise) -> str | None:
    """Why the VIN cannot be the manufacturer's: malformed, or its WMI is someone else's."""
    try:
        validate_vin(vin)
    except ValidationError as exc:
        return exc.messages[0]
    if vin_manufacturers([vin]).get(vin) != manufacturer.pk:
        return _("This VIN was not built by %(maker)s.") % {"maker": manufacturer.name_en}
    return None


def model_error(vehicle_model: VehicleModel, manufacturer: Enterprise) -> str | None:
    if vehicle_model.brand.manufacturer_id != manufacturer.pk:
        return _("%(model)s is not a model of %(maker)s.") % {
            "model": vehicle_model,
            "maker": manufacturer.name_en,
        }
    return None


def letter_in_force_error(vin: str, country: Country) -> str | None:
    letter = ConfirmationLetter.objects.filter(
        vin=vin, country=country, status=ConfirmationLetter.Status.IN_FORCE
    ).first()
    if letter is None:
        return None
    return _("Letter %(number)s for this VIN and destination is already in force.") % {
        "number": letter.number
    }


def outlet_error(
    outlet: ServiceOutlet,
    *,
    manufacturer: Enterprise,
    vehicle_model: VehicleModel,
    country: Country,
    on: date,
) -> str | None:
    """Why the outlet may not be named: not the manufacturer's, elsewhere, or not in order."""
    if outlet.enterprise_id != manufacturer.pk:
        return _("Name one of your own verified outlets.")
    if outlet.country_id != country.pk:
        return _("This outlet is not in the destination country.")
    if not outlet.brands.filter(pk=vehicle_model.brand_id).exists():
        return _("This outlet does not serve %(brand)s.") % {"brand": vehicle_model.brand}
    if outlet.is_withdrawn or outlet.verification_status != ServiceOutlet.Status.VERIFIED:
        return _("This outlet is not verified.")
    if not outlet.contract_valid_from <= on <= outlet.contract_valid_until:
        return _("This outlet's contract is not running today.")
    return None


def raise_errors(errors: dict[str, str | None]) -> None:
    found = {name: [message] for name, message in errors.items() if message}
    if found:
        raise ValidationError(found)


def saved_once(*, field: str, message: str, save: Callable[[], Any]) -> None:
    """Run `save`; a unique constraint lost to a concurrent writer becomes a field error."""
    try:
        with transaction.atomic():
            save()
    except IntegrityError as exc:
        raise ValidationError({field: [message]}) from exc


def notify_members(
    enterprise_id: int | None, *, kind: str, target: models.Model, write: Callable[[], tuple]
) -> int:
    """Queue one notice per acting member of the enterprise, in each one's language."""
    if enterprise_id is None:
        return 0
    users = get_user_model().objects.filter(
        acting_members("membership"), membership__enterprise_id=enterprise_id
    )
    queued = 0
    for user in users:
        queued += (
            notify_in_their_language(recipient=user, write=write, kind=kind, target=target)
            is not None
        )
    return queued
