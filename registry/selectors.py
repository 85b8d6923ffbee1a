"""Reads across the registry and the audit trail."""

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import AuditEvent
from config.errors import NotFound
from config.ids import parse_id
from registry.api_tokens import ApiToken
from registry.calendar import year_has_official_data
from registry.models import CalendarDay, Membership, WorldManufacturerIdentifier

RECENT_EVENTS = 20


def enterprise_recent_events(enterprise_id: int, limit: int = RECENT_EVENTS) -> QuerySet:
    """Return the newest audit events concerning one enterprise."""
    return AuditEvent.objects.for_enterprise(enterprise_id)[:limit]


def calendar_year_missing(today: date | None = None) -> int | None:
    """Return next year if it has no official calendar data yet, else None."""
    year = (today or timezone.localdate()).year + 1
    return None if year_has_official_data(year) else year


def calendar_years_with_data() -> list[int]:
    """List the years that have at least one recorded holiday or make-up working day."""
    return sorted(set(CalendarDay.objects.values_list("date__year", flat=True)))


def enterprise_members(enterprise_id: int | None) -> QuerySet[Membership]:
    """The enterprise's memberships with their users, active ones first."""
    return (
        Membership.objects.filter(enterprise_id=enterprise_id)
        .select_related("user")
        .order_by("-is_active", "user__username")
    )


def enterprise_member(enterprise_id: int | None, pk: Any) -> Membership:
    """One membership of the enterprise; another enterprise's is the same 404 as a missing one."""
    member_id = parse_id(pk)
    found = enterprise_members(enterprise_id).filter(pk=member_id).first() if member_id else None
    if found is None:
        raise NotFound(_("No such member."))
    return found


def enterprise_api_tokens(enterprise_id: int | None) -> QuerySet[ApiToken]:
    """Live API tokens of the enterprise's members, newest first."""
    return ApiToken.objects.live().of_enterprise(enterprise_id).select_related("user")


def enterprise_api_token(enterprise_id: int | None, pk: Any) -> ApiToken:
    """One live token of the enterprise; anything else is not found."""
    token_id = parse_id(pk)
    tokens = enterprise_api_tokens(enterprise_id)
    found = tokens.filter(pk=token_id).first() if token_id else None
    if found is None:
        raise NotFound(_("No such token."))
    return found


def acting_members(path: str) -> Q:
    """Rows whose membership at `path` is an active administrator or applicant, user active."""
    return Q(
        **{
            f"{path}__is_active": True,
            f"{path}__user__is_active": True,
            f"{path}__role__in": (Membership.Role.ADMIN, Membership.Role.APPLICANT),
        }
    )


def vin_manufacturers(vins: Iterable[str]) -> dict[str, int]:
    """The manufacturer id each VIN's world manufacturer identifier is assigned to (one query).

    A VIN whose first three characters are assigned to no one is left out.
    """
    vins = list(vins)  # read twice below: a generator would be spent by the first pass
    codes = {vin[:3].upper(): vin for vin in vins}
    owners = dict(
        WorldManufacturerIdentifier.objects.filter(code__in=codes).values_list(
            "code", "manufacturer_id"
        )
    )
    return {vin: owners[vin[:3].upper()] for vin in vins if vin[:3].upper() in owners}
