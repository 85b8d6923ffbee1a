"""Reads of licences: scoped lists, one licence for a user, public verification."""

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import Prefetch, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from config.errors import NotFound
from config.ids import parse_id
from licensing.models import Declaration, Licence, LicenceLine, LicenceQuerySet
from licensing.numbering import is_licence_number
from registry.countries import country_name


def licences_visible_to(user: Any) -> LicenceQuerySet:
    """Licences the user may see, with what a list or detail shows, in a fixed query count."""
    return (
        Licence.objects.visible_to(user)
        .select_related("holder", "destination", "issuing_office", "brand", "case")
        .prefetch_related(
            Prefetch("lines", queryset=LicenceLine.objects.select_related("vehicle_model__brand"))
        )
    )


def licence_for(*, user: Any, pk: Any) -> Licence:
    """One licence the user may see; another enterprise's is the same 404 as a missing one."""
    licence_id = parse_id(pk)
    licence = licences_visible_to(user).filter(pk=licence_id).first() if licence_id else None
    if licence is None:
        raise NotFound(_("No such licence."))
    return licence


def licence_declarations(licence: Licence) -> list[Declaration]:
    """The licence's declarations with their lines and VINs, oldest first."""
    return list(
        licence.declarations.select_related("recorded_by").prefetch_related(
            "lines__licence_line__vehicle_model", "vehicles"
        )
    )


def licences_expiring_within(days: int, *, on: date | None = None) -> LicenceQuerySet:
    """Active licences whose last valid day falls within the next `days` days."""
    start = on or timezone.localdate()
    return Licence.objects.expiring_between(start, start + timedelta(days=days))


def licences_to_use_soon(
    enterprise_id: int | None, *, days: int, on: date | None = None
) -> LicenceQuerySet:
    """The enterprise's active licences ending within `days` days with vehicles still to ship."""
    expiring = licences_expiring_within(days, on=on).filter(holder_id=enterprise_id)
    with_quantity = expiring.annotate(quantity_left=Sum("lines__remaining"))
    return (
        with_quantity.filter(quantity_left__gt=0)
        .select_related("destination")
        .order_by("valid_until", "pk")
    )


@dataclass(frozen=True)
class Verification:
    """What the public may learn about a licence number: nothing more."""

    number: str
    holder: str
    destination: str
    valid_from: date
    valid_until: date
    status: str
    status_label: str

    @property
    def destination_name(self) -> str:
        """The destination country's name in the reader's language."""
        return country_name(self.destination)


def licence_verification(number: str) -> Verification:
    """Look up a licence number for the public; unknown and malformed numbers are a 404."""
    if not is_licence_number(number):
        raise NotFound(_("No licence has this number."))
    licence = Licence.objects.select_related("holder").filter(number=number).first()
    if licence is None:
        raise NotFound(_("No licence has this number."))
    return Verification(
        number=licence.number,
        holder=licence.holder.name_en,
        destination=licence.destination_id,
        valid_from=licence.valid_from,
        valid_until=licence.valid_until,
        status=licence.status,
        status_label=str(licence.get_status_display()),
    )
