"""Reads of confirmation letters and their requests: scoped lists, the inbox, the checks."""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from aftersales.models import ConfirmationLetter, LetterRequest, ServiceOutlet
from config.errors import NotFound
from registry.models import Brand, Country, Enterprise

LETTER_NUMBER = re.compile(r"^CL-\d{4}-\d{6}$")

LETTER_RELATED = ("manufacturer", "requester", "vehicle_model__brand", "country", "outlet")


def letters_visible_to(user: Any) -> QuerySet[ConfirmationLetter]:
    """Letters the user may see (staff all, members those issued by or for their enterprise)."""
    return ConfirmationLetter.objects.visible_to(user).select_related(*LETTER_RELATED)


def letter_requests_visible_to(user: Any) -> QuerySet[LetterRequest]:
    """Requests the user may see: those its enterprise made or received; staff all."""
    return LetterRequest.objects.visible_to(user).select_related(
        "manufacturer", "requester", "vehicle_model__brand", "country", "letter"
    )


def letter_inbox(enterprise_id: int | None) -> QuerySet[LetterRequest]:
    """Requests awaiting the manufacturer's answer, oldest first."""
    return (
        LetterRequest.objects.filter(
            manufacturer_id=enterprise_id, status=LetterRequest.Status.PENDING
        )
        .select_related("requester", "vehicle_model__brand", "country")
        .order_by("created_at", "pk")
    )


def letter_outlets(
    manufacturer: Enterprise, brand: Brand, country: Country, on: date | None = None
) -> QuerySet[ServiceOutlet]:
    """The manufacturer's own verified outlets serving the brand in the country today."""
    return (
        ServiceOutlet.objects.valid_on(on or timezone.localdate())
        .verified()
        .filter(enterprise=manufacturer, country=country, brands=brand)
        .order_by("city", "operator_name", "pk")
    )


@dataclass(frozen=True)
class LetterVerification:
    """What the public check shows: the vehicle, issuer and outlet; nothing of the exporter."""

    number: str
    status: str
    status_label: str
    revoked_on: date | None
    vin: str
    brand: str
    model: str
    destination: str
    destination_name: str
    issuer: str
    issuer_zh: str
    outlet_name: str
    outlet_city: str
    outlet_phone: str


def letter_verification(number: str) -> LetterVerification:
    """Look a letter number up for the public; unknown and malformed numbers are a 404."""
    number = (number or "").strip().upper()
    letter = (
        ConfirmationLetter.objects.filter(number=number)
        .select_related("manufacturer", "vehicle_model__brand", "country", "outlet")
        .first()
        if LETTER_NUMBER.fullmatch(number)
        else None
    )
    if letter is None:
        raise NotFound(_("No confirmation letter has this number."))
    return LetterVerification(
        number=letter.number,
        status=letter.status,
        status_label=str(letter.get_status_display()),
        revoked_on=timezone.localdate(letter.revoked_at) if letter.revoked_at else None,
        vin=letter.vin,
        brand=letter.vehicle_model.brand.name,
        model=letter.vehicle_model.name,
        destination=letter.country_id,
        destination_name=letter.country.name,
        issuer=letter.manufacturer.name_en,
        issuer_zh=letter.manufacturer.name_zh,
        outlet_name=letter.outlet.operator_name,
        outlet_city=letter.outlet.city,
        outlet_phone=letter.outlet.phone,
    )


def letters_for(vins: Iterable[str], country_id: str) -> dict[str, list[ConfirmationLetter]]:
    """Every confirmation letter naming one of the VINs for the destination, newest first.

    Screening reads the one in force, or the revoked one to say why none is (one query).
    """
    found: dict[str, list[ConfirmationLetter]] = {}
    letters = (
        ConfirmationLetter.objects.filter(vin__in=list(vins), country_id=country_id)
        .select_related("manufacturer", "outlet", "vehicle_model__brand")
        .order_by("vin", "-issued_at", "-pk")
    )
    for letter in letters:
        found.setdefault(letter.vin, []).append(letter)
    return found
