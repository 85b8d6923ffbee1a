"""Every write to the registry: one audited service per action."""

import copy
from datetime import date
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.recording import create_audited, update_audited
from audit.services import audit_record
from config.errors import TransitionNotAllowed
from registry.calendar import package_exceptions, package_years
from registry.models import (
    Authorisation,
    Brand,
    CalendarDay,
    Country,
    Enterprise,
    IssuingOffice,
    Membership,
    Qualification,
    VehicleModel,
    WorldManufacturerIdentifier,
)

Actor = AbstractBaseUser | None


def enterprise_create(*, actor: Actor, **fields: Any) -> Enterprise:
    """Register an enterprise."""
    enterprise = Enterprise(**fields)
    return create_audited(
        enterprise, actor=actor, verb="registry.enterprise.created", is_enterprise=True
    )


def enterprise_update(*, actor: Actor, enterprise: Enterprise, data: dict[str, Any]) -> Enterprise:
    """Change an enterprise's registered details."""
    return update_audited(
        enterprise,
        actor=actor,
        verb="registry.enterprise.updated",
        data=data,
        enterprise_id=enterprise.pk,
    )


def membership_create(
    *, actor: Actor, user: AbstractBaseUser, enterprise: Enterprise, role: str
) -> Membership:
    """Attach a portal user to an enterprise with a role."""
    membership = Membership(user=user, enterprise=enterprise, role=role)
    return create_audited(
        membership, actor=actor, verb="registry.membership.created", enterprise_id=enterprise.pk
    )


def membership_update(*, actor: Actor, membership: Membership, data: dict[str, Any]) -> Membership:
    """Change a portal user's role in their enterprise, or deactivate the membership."""
    return update_audited(
        membership,
        actor=actor,
        verb="registry.membership.updated",
        data=data,
        enterprise_id=membership.enterprise_id,
    )


def brand_create(*, actor: Actor, **fields: Any) -> Brand:
    """Register a brand for its manufacturer."""
    brand = Brand(**fields)
    return create_audited(
        brand, actor=actor, verb="registry.brand.created", enterprise_id=brand.manufacturer_id
    )


def brand_update(*, actor: Actor, brand: Brand, data: dict[str, Any]) -> Brand:
    """Change a brand's names or owner."""
    return update_audited(
        brand,
        actor=actor,
        verb="registry.brand.updated",
        data=data,
        enterprise_id=brand.manufacturer_id,
    )


def vehicle_model_create(*, actor: Actor, **fields: Any) -> VehicleModel:
    """Register a vehicle model under a brand."""
    model = VehicleModel(**fields)
    return create_audited(
        model,
        actor=actor,
        verb="registry.vehicle_model.created",
        enterprise_id=model.brand.manufacturer_id,
    )


def vehicle_model_update(
    *, actor: Actor, vehicle_model: VehicleModel, data: dict[str, Any]
) -> VehicleModel:
    """Change a vehicle model's details."""
    return update_audited(
        vehicle_model,
        actor=actor,
        verb="registry.vehicle_model.updated",
        data=data,
        enterprise_id=vehicle_model.brand.manufacturer_id,
    )


def _check_authorisation(authorisation: Authorisation, brands: list[Brand]) -> None:
    errors: dict[str, str] = {}
    if authorisation.manufacturer.kind != Enterprise.Kind.MANUFACTURER:
        errors["manufacturer"] = _("Only a manufacturer can authorise an export company.")
    if authorisation.exporter.kind == Enterprise.Kind.MANUFACTURER:
        errors["exporter"] = _("The authorised party must be an export company.")
    if not brands:
        errors["brands"] = _("Name at least one brand.")
    elif any(b.manufacturer_id != authorisation.manufacturer_id for b in brands):
        errors["brands"] = _("A manufacturer can only authorise its own brands.")
    if _overlaps(authorisation):
        errors["valid_from"] = _(
            "An authorisation between these enterprises already covers "
            "part of this period; revoke or change it first."
        )
    if errors:
        raise ValidationError(errors)


def _overlaps(authorisation: Authorisation) -> bool:
    if not (authorisation.valid_from and authorisation.valid_until):
        return False
    return (
        Authorisation.objects.filter(
            manufacturer_id=authorisation.manufacturer_id,
            exporter_id=authorisation.exporter_id,
            revoked_at__isnull=True,
            valid_from__lte=authorisation.valid_until,
            valid_until__gte=authorisation.valid_from,
        )
        .exclude(pk=authorisation.pk)
        .exists()
    )


def authorisation_create(*, actor: Actor, brands: list[Brand], **fields: Any) -> Authorisation:
    """Record a manufacturer's authorisation of an export company for some of its brands."""
    authorisation = Authorisation(**fields)
    authorisation.full_clean()
    _check_authorisation(authorisation, list(brands))
    return create_audited(
        authorisation,
        actor=actor,
        verb="registry.authorisation.created",
        m2m={"brands": list(brands)},
        enterprise_id=authorisation.manufacturer_id,
    )


def authorisation_update(
    *, actor: Actor, authorisation: Authorisation, data: dict[str, Any]
) -> Authorisation:
    """Change an authorisation's brands or validity (revoked ones are final)."""
    if authorisation.is_revoked:
        raise TransitionNotAllowed(_("A revoked authorisation cannot be changed."))
    brands = list(data.get("brands", authorisation.brands.all()))
    # Check a copy: update_audited must still see the old values to record old → new.
    proposed = copy.copy(authorisation)
    for name, value in data.items():
        if name != "brands":
            setattr(proposed, name, value)
    proposed.full_clean()
    _check_authorisation(proposed, brands)
    return update_audited(
        authorisation,
        actor=actor,
        verb="registry.authorisation.updated",
        data=data,
        enterprise_id=authorisation.manufacturer_id,
    )


def authorisation_revoke(
    *, actor: Actor, authorisation: Authorisation, reason: str
) -> Authorisation:
    """Revoke an authorisation with a reason; it stays on record."""
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for revoking.")})
    with transaction.atomic():
        updated = Authorisation.objects.filter(pk=authorisation.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now(), revocation_reason=reason
        )
        if not updated:
            raise TransitionNotAllowed(_("The authorisation is already revoked."))
        authorisation.refresh_from_db()
        audit_record(
            actor=actor,
            verb="registry.authorisation.revoked",
            target=authorisation,
            enterprise_id=authorisation.manufacturer_id,
            payload={"reason": reason},
        )
    return authorisation


def qualification_grant(
    *,
    actor: Actor,
    enterprise: Enterprise,
    year: int,
    qualification_class: str,
    source_case_reference: str = "",
    granted_on: date | None = None,
) -> Qualification:
    """Put an enterprise on the year's qualification list."""
    qualification = Qualification(
        enterprise=enterprise,
        year=year,
        qualification_class=qualification_class,
        granted_on=granted_on or timezone.localdate(),
        source_case_reference=source_case_reference,
    )
    return create_audited(
        qualification,
        actor=actor,
        verb="registry.qualification.granted",
        enterprise_id=enterprise.pk,
    )


QUALIFICATION_MOVES = {
    "suspend": ({Qualification.Status.GRANTED}, Qualification.Status.SUSPENDED),
    "reinstate": ({Qualification.Status.SUSPENDED}, Qualification.Status.GRANTED),
    "cancel": (
        {Qualification.Status.GRANTED, Qualification.Status.SUSPENDED},
        Qualification.Status.CANCELLED,
    ),
}


def qualification_set_status(
    *, actor: Actor, qualification: Qualification, action: str, reason: str
) -> Qualification:
    """Suspend, reinstate or cancel a qualification, with a reason."""
    sources, target = QUALIFICATION_MOVES[action]
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason.")})
    with transaction.atomic():
        old = qualification.status
        updated = Qualification.objects.filter(pk=qualification.pk, status__in=sources).update(
            status=target, status_reason=reason
        )
        if not updated:
            raise TransitionNotAllowed(
                _("This qualification cannot be %(action)s now.") % {"action": action}
            )
        qualification.refresh_from_db()
        audit_record(
            actor=actor,
            verb=f"registry.qualification.{action}",
            target=qualification,
            enterprise_id=qualification.enterprise_id,
            payload={"reason": reason, "changes": {"status": [old, target]}},
        )
    return qualification


def issuing_office_create(*, actor: Actor, **fields: Any) -> IssuingOffice:
    """Register a licence-issuing office."""
    return create_audited(
        IssuingOffice(**fields), actor=actor, verb="registry.issuing_office.created"
    )


def issuing_office_update(
    *, actor: Actor, issuing_office: IssuingOffice, data: dict[str, Any]
) -> IssuingOffice:
    """Change an issuing office's name or province."""
    return update_audited(
        issuing_office, actor=actor, verb="registry.issuing_office.updated", data=data
    )


def country_create(*, actor: Actor, **fields: Any) -> Country:
    """Register a destination country with its statutory warranty minimum."""
    return create_audited(Country(**fields), actor=actor, verb="registry.country.created")


def country_update(*, actor: Actor, country: Country, data: dict[str, Any]) -> Country:
    """Change a country's statutory minimums."""
    return update_audited(country, actor=actor, verb="registry.country.updated", data=data)


def _check_wmi(identifier: WorldManufacturerIdentifier) -> None:
    identifier.code = (identifier.code or "").strip().upper()
    if identifier.manufacturer_id and identifier.manufacturer.kind != Enterprise.Kind.MANUFACTURER:
        raise ValidationError(
            {"manufacturer": _("A VIN prefix is assigned to a vehicle manufacturer.")}
        )


def wmi_create(*, actor: Actor, **fields: Any) -> WorldManufacturerIdentifier:
    """Record which manufacturer a VIN prefix (world manufacturer identifier) belongs to."""
    identifier = WorldManufacturerIdentifier(**fields)
    _check_wmi(identifier)
    return create_audited(
        identifier,
        actor=actor,
        verb="registry.world_manufacturer_identifier.created",
        enterprise_id=identifier.manufacturer_id,
    )


def wmi_update(
    *, actor: Actor, identifier: WorldManufacturerIdentifier, data: dict[str, Any]
) -> WorldManufacturerIdentifier:
    """Correct a VIN prefix or the manufacturer it is assigned to."""
    fresh = copy.copy(identifier)
    for name, value in data.items():
        setattr(fresh, name, value)
    _check_wmi(fresh)
    data = {**data, **({"code": fresh.code} if "code" in data else {})}
    return update_audited(
        identifier,
        actor=actor,
        verb="registry.world_manufacturer_identifier.updated",
        data=data,
        enterprise_id=fresh.manufacturer_id,
    )


def calendar_day_set(
    *,
    actor: Actor,
    day: date,
    is_working_day: bool,
    name: str = "",
    source: str = CalendarDay.Source.STAFF,
) -> CalendarDay:
    """Record a holiday or make-up working day (staff enter years the package lacks)."""
    existing = CalendarDay.objects.filter(date=day).first()
    data = {"is_working_day": is_working_day, "name": name, "source": source}
    if existing:
        return update_audited(
            existing, actor=actor, verb="registry.calendar_day.updated", data=data
        )
    return create_audited(
        CalendarDay(date=day, **data), actor=actor, verb="registry.calendar_day.created"
    )


def calendar_sync_from_package(*, actor: Actor) -> int:
    """Load the package's official holidays and make-up days for every year it covers."""
    years = package_years()
    known = set(
        CalendarDay.objects.filter(date__year__in=list(years)).values_list(
            "date", "is_working_day", "name"
        )
    )
    missing = [row for row in package_exceptions(years) if row not in known]
    with transaction.atomic():
        CalendarDay.objects.filter(date__in=[d for d, _w, _n in missing]).delete()
        CalendarDay.objects.bulk_create(
            CalendarDay(date=d, is_working_day=w, name=n, source=CalendarDay.Source.PACKAGE)
            for d, w, n in missing
        )
        if missing:
            audit_record(
                actor=actor,
                verb="registry.calendar.synced",
                target=("registry.calendarday", "", "PRC official calendar"),
                payload={"years": [years.start, years.stop - 1], "days": len(missing)},
            )
    return len(missing)
