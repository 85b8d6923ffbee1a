"""Rules every after-sales record obeys: brand rights, country, text, dates, reasons."""

from datetime import date
from typing import Any, TypeVar

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from aftersales.models import (
    Commitment,
)
from aftersales.services.obligations import markets_served, obligations_recompute
from audit.services import audit_record
from config.errors import StaleVersion, TransitionNotAllowed
from registry.models import Authorisation, Brand, Country, Enterprise
from registry.validators import validate_country_code

Actor = AbstractBaseUser | None
C = TypeVar("C", bound=Commitment)

EARLIEST_DATE = date(2000, 1, 1)
LATEST_DATE = date(2100, 12, 31)
MAX_REASON_LENGTH = 2000
VERIFY_PERMISSION = "aftersales.verify_serviceoutlet"
OUTLET_EDITABLE = {
    "country",
    "city",
    "address",
    "operator_name",
    "phone",
    "operator_kind",
    "brands",
    "contract_valid_from",
    "contract_valid_until",
}
# A change to where the outlet is or how long its contract runs voids its verification.
OUTLET_REVERIFY = {"country", "city", "address", "contract_valid_from", "contract_valid_until"}
WARRANTY_EDITABLE = {
    "brand",
    "country",
    "vehicle_warranty_months",
    "battery_warranty_months",
    "battery_warranty_km",
    "valid_from",
    "valid_until",
}
SPARE_PARTS_EDITABLE = {
    "brand",
    "country",
    "supply_years",
    "max_lead_time_days",
    "depot",
    "valid_from",
    "valid_until",
}


def may_commit_for_brand(enterprise: Enterprise, brand: Brand, on: date | None = None) -> bool:
    """Answer whether the enterprise owns the brand or is currently authorised to export it."""
    if enterprise.kind == Enterprise.Kind.MANUFACTURER:
        return brand.manufacturer_id == enterprise.pk
    if enterprise.kind == Enterprise.Kind.AUTHORISED_EXPORTER:
        return (
            Authorisation.objects.current(on=on)
            .filter(exporter=enterprise, manufacturer_id=brand.manufacturer_id, brands=brand)
            .exists()
        )
    return False


def brand_error(enterprise: Enterprise, brands: list[Brand]) -> str | None:
    if not brands:
        return _("Name at least one brand.")
    refused = [b.name for b in brands if not may_commit_for_brand(enterprise, b)]
    if refused:
        return _(
            "Your enterprise neither owns nor is currently authorised to export: %(brands)s."
        ) % {"brands": ", ".join(refused)}
    return None


def country_error(country: Country | None) -> str | None:
    if country is None:
        return None
    try:
        validate_country_code(country.code)
    except ValidationError as exc:
        return exc.messages[0]
    return None


def text_errors(instance: models.Model, names: list[str]) -> dict[str, str]:
    errors = {}
    for name in names:
        value = getattr(instance, name)
        if isinstance(value, str):
            setattr(instance, name, value.strip())
            if not value.strip():
                errors[name] = _("This field cannot be blank.")
    return errors


def period_errors(start: Any, end: Any, start_name: str, end_name: str) -> dict[str, str]:
    errors = {}
    for name, value in ((start_name, start), (end_name, end)):
        if isinstance(value, date) and not EARLIEST_DATE <= value <= LATEST_DATE:
            errors[name] = _("Give a date between %(first)s and %(last)s.") % {
                "first": EARLIEST_DATE,
                "last": LATEST_DATE,
            }
    if isinstance(start, date) and isinstance(end, date) and end <= start:
        errors[end_name] = _("The end date must be after the start date.")
    return errors


def raise_all(instance: models.Model, rule_errors: dict[str, str | None]) -> None:
    """Validate the model and the service rules together so the caller sees every problem."""
    errors: dict[str, list[str]] = {k: [v] for k, v in rule_errors.items() if v}
    try:
        instance.full_clean()
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)


def checked_reason(reason: str, *, required: bool) -> str:
    reason = (reason or "").strip()
    if required and not reason:
        raise ValidationError({"reason": _("Give the reason.")})
    if len(reason) > MAX_REASON_LENGTH:
        raise ValidationError(
            {"reason": _("Keep the reason under %(n)d characters.") % {"n": MAX_REASON_LENGTH}}
        )
    return reason


def refuse_unknown_fields(data: dict[str, Any], editable: set[str]) -> None:
    unknown = sorted(set(data) - editable)
    if unknown:
        raise ValidationError({name: _("This field cannot be changed.") for name in unknown})


def check_version(current: int, expected: int | None) -> None:
    if expected is not None and expected != current:
        raise StaleVersion(
            _("The record was changed by someone else (version %(v)d); reload it.") % {"v": current}
        )


def apply_fields(instance: models.Model, data: dict[str, Any]) -> None:
    for name, value in data.items():
        if not instance._meta.get_field(name).many_to_many:
            setattr(instance, name, value)


def withdraw_record(*, actor: Actor, instance: Any, reason: str, verb: str) -> Any:
    """Mark a record withdrawn exactly once and audit it (later edits don't matter)."""
    reason = checked_reason(reason, required=False)
    model = type(instance)
    with transaction.atomic():
        updated = model.objects.filter(pk=instance.pk, withdrawn_at__isnull=True).update(
            withdrawn_at=timezone.now(), version=F("version") + 1
        )
        if not updated:
            raise TransitionNotAllowed(_("This record is already withdrawn."))
        instance.refresh_from_db()
        audit_record(
            actor=actor,
            verb=verb,
            target=instance,
            enterprise_id=instance.enterprise_id,
            payload={"reason": reason},
        )
        obligations_recompute(markets=markets_served(instance))
    return instance
