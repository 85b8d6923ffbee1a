"""Reads of confirmation letters and their requests: scoped lists, the inbox, the checks."""

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from aftersales.models import ConfirmationLetter, LetterRequest, ServiceOutlet
from registry.models import Brand, Country, Enterprise

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


def letter_by_number(number: str) -> ConfirmationLetter | None:
    """The letter with this printed number, for the public check; None if there is none."""
    return (
        ConfirmationLetter.objects.filter(number=(number or "").strip().upper())
        .select_related("manufacturer", "vehicle_model__brand", "country", "outlet")
        .first()
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
