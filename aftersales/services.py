"""Every write to after-sales records: one audited service per action."""

from datetime import date
from typing import Any, TypeVar

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from aftersales.models import (
    Commitment,
    ServiceOutlet,
    SparePartsCommitment,
    WarrantyCommitment,
)
from audit.recording import create_audited, update_audited
from audit.services import audit_record
from config.errors import ActionForbidden, StaleVersion, TransitionNotAllowed
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


# --- rules shared by every record -------------------------------------------------------


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


def _brand_error(enterprise: Enterprise, brands: list[Brand]) -> str | None:
    if not brands:
        return _("Name at least one brand.")
    refused = [b.name for b in brands if not may_commit_for_brand(enterprise, b)]
    if refused:
        return _(
            "Your enterprise neither owns nor is currently authorised to export: %(brands)s."
        ) % {"brands": ", ".join(refused)}
    return None


def _country_error(country: Country | None) -> str | None:
    if country is None:
        return None
    try:
        validate_country_code(country.code)
    except ValidationError as exc:
        return exc.messages[0]
    return None


def _text_errors(instance: models.Model, names: list[str]) -> dict[str, str]:
    errors = {}
    for name in names:
        value = getattr(instance, name)
        if isinstance(value, str):
            setattr(instance, name, value.strip())
            if not value.strip():
                errors[name] = _("This field cannot be blank.")
    return errors


def _period_errors(start: Any, end: Any, start_name: str, end_name: str) -> dict[str, str]:
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


def _raise_all(instance: models.Model, rule_errors: dict[str, str | None]) -> None:
    """Validate the model and the service rules together so the caller sees every problem."""
    errors: dict[str, list[str]] = {k: [v] for k, v in rule_errors.items() if v}
    try:
        instance.full_clean()
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)


def _reason(reason: str, *, required: bool) -> str:
    reason = (reason or "").strip()
    if required and not reason:
        raise ValidationError({"reason": _("Give the reason.")})
    if len(reason) > MAX_REASON_LENGTH:
        raise ValidationError(
            {"reason": _("Keep the reason under %(n)d characters.") % {"n": MAX_REASON_LENGTH}}
        )
    return reason


def _unknown_fields(data: dict[str, Any], editable: set[str]) -> None:
    unknown = sorted(set(data) - editable)
    if unknown:
        raise ValidationError({name: _("This field cannot be changed.") for name in unknown})


def _check_version(current: int, expected: int | None) -> None:
    if expected is not None and expected != current:
        raise StaleVersion(
            _("The record was changed by someone else (version %(v)d); reload it.") % {"v": current}
        )


# --- service outlets ----------------------------------------------------------------------


def _outlet_errors(outlet: ServiceOutlet, brands: list[Brand] | None) -> dict[str, str | None]:
    errors: dict[str, str | None] = {
        "country": _country_error(outlet.country if outlet.country_id else None),
        "brands": _brand_error(outlet.enterprise, brands) if brands is not None else None,
    }
    errors.update(_text_errors(outlet, ["city", "address", "operator_name"]))
    errors.update(
        _period_errors(
            outlet.contract_valid_from,
            outlet.contract_valid_until,
            "contract_valid_from",
            "contract_valid_until",
        )
    )
    return errors


def outlet_create(
    *, actor: Actor, enterprise: Enterprise, brands: list[Brand], **fields: Any
) -> ServiceOutlet:
    """Record a service outlet abroad; it waits for staff verification."""
    _unknown_fields(fields, OUTLET_EDITABLE)
    outlet = ServiceOutlet(enterprise=enterprise, **fields)
    brands = list(brands)
    _raise_all(outlet, _outlet_errors(outlet, brands))
    return create_audited(
        outlet,
        actor=actor,
        verb="aftersales.service_outlet.created",
        m2m={"brands": brands},
        enterprise_id=enterprise.pk,
    )


def outlet_update(
    *,
    actor: Actor,
    outlet: ServiceOutlet,
    data: dict[str, Any],
    expected_version: int | None = None,
) -> ServiceOutlet:
    """Change an outlet's details; moving it or changing its contract voids verification."""
    _unknown_fields(data, OUTLET_EDITABLE)
    with transaction.atomic():
        current = ServiceOutlet.objects.select_for_update().get(pk=outlet.pk)
        if current.is_withdrawn:
            raise TransitionNotAllowed(_("A withdrawn outlet cannot be changed."))
        _check_version(current.version, expected_version)
        old_brands = set(current.brands.values_list("pk", flat=True))
        changed = _outlet_changed_fields(current, data, old_brands)
        new_brands = [b for b in data.get("brands", []) if b.pk not in old_brands]
        _apply(current, data)
        _raise_all(current, _outlet_update_errors(current, data, new_brands))
        if not changed:
            return current
        update_audited(
            current,
            actor=actor,
            verb="aftersales.service_outlet.updated",
            data={**data, "version": current.version + 1},
            enterprise_id=current.enterprise_id,
        )
        if _needs_reverification(current.verification_status, changed, bool(new_brands)):
            current = _outlet_move(
                actor=actor,
                outlet=current,
                action="reopen",
                fields={"verified_by": None, "verified_at": None, "rejection_reason": ""},
                payload={"reason": "details changed", "fields": sorted(changed)},
            )
    return current


def _needs_reverification(status: str, changed: set[str], brand_added: bool) -> bool:
    """A rejected outlet edited is resubmitted; a verified one when it moves or re-contracts."""
    if status == ServiceOutlet.Status.REJECTED:
        return True
    if status == ServiceOutlet.Status.VERIFIED:
        return bool(changed & OUTLET_REVERIFY) or brand_added
    return False


def _outlet_update_errors(
    outlet: ServiceOutlet, data: dict[str, Any], new_brands: list[Brand]
) -> dict[str, str | None]:
    errors = _outlet_errors(outlet, None)
    if "brands" in data and not data["brands"]:
        errors["brands"] = _("Name at least one brand.")
    elif new_brands:
        # Brands already served stay even if an authorisation lapsed; new ones are checked.
        errors["brands"] = _brand_error(outlet.enterprise, new_brands)
    return errors


def _outlet_changed_fields(
    outlet: ServiceOutlet, data: dict[str, Any], old_brands: set[int]
) -> set[str]:
    changed = set()
    for name, value in data.items():
        if name == "brands":
            if {b.pk for b in value} != old_brands:
                changed.add(name)
        elif getattr(outlet, name) != value:
            changed.add(name)
    return changed


def _apply(instance: models.Model, data: dict[str, Any]) -> None:
    for name, value in data.items():
        if not instance._meta.get_field(name).many_to_many:
            setattr(instance, name, value)


PAST_TENSE = {"verify": "verified", "reject": "rejected", "reopen": "reopened"}
REFUSALS = {
    "verify": gettext_lazy("Only a pending outlet can be verified; this one is %(status)s."),
    "reject": gettext_lazy("This outlet cannot be rejected: it is %(status)s."),
    "reopen": gettext_lazy("This outlet is already %(status)s."),
}


def _outlet_move(
    *,
    actor: Actor,
    outlet: ServiceOutlet,
    action: str,
    fields: dict[str, Any],
    payload: dict[str, Any],
) -> ServiceOutlet:
    """Compare-and-swap the verification status on (status, version) and audit the move."""
    sources, target = ServiceOutlet.TRANSITIONS[action]
    with transaction.atomic():
        old = outlet.verification_status
        updated = ServiceOutlet.objects.filter(
            pk=outlet.pk,
            version=outlet.version,
            verification_status__in=sources,
            withdrawn_at__isnull=True,
        ).update(verification_status=target, version=F("version") + 1, **fields)
        if not updated:
            _refuse_move(outlet, action)
        outlet.refresh_from_db()
        audit_record(
            actor=actor,
            verb=f"aftersales.service_outlet.{PAST_TENSE[action]}",
            target=outlet,
            enterprise_id=outlet.enterprise_id,
            payload={"changes": {"verification_status": [old, target]}, **payload},
        )
    return outlet


def _refuse_move(outlet: ServiceOutlet, action: str) -> None:
    stored = ServiceOutlet.objects.filter(pk=outlet.pk).first()
    if stored is not None and stored.version != outlet.version:
        raise StaleVersion(_("The outlet was changed meanwhile; reload it and try again."))
    if outlet.is_withdrawn:
        raise TransitionNotAllowed(_("The outlet has been withdrawn."))
    status = {"status": outlet.get_verification_status_display().lower()}
    raise TransitionNotAllowed(str(REFUSALS[action]) % status)


def _require_verifier(actor: Actor) -> None:
    if actor is not None and not actor.has_perm(VERIFY_PERMISSION):
        raise ActionForbidden(_("You may not verify or reject service outlets."))


def outlet_verify(*, actor: Actor, outlet: ServiceOutlet) -> ServiceOutlet:
    """Confirm a pending outlet after checking its contract and premises."""
    _require_verifier(actor)
    if outlet.contract_valid_until < timezone.localdate():
        raise TransitionNotAllowed(
            _("The outlet's contract ended on %(day)s; it cannot be verified.")
            % {"day": outlet.contract_valid_until}
        )
    return _outlet_move(
        actor=actor,
        outlet=outlet,
        action="verify",
        fields={"verified_by": actor, "verified_at": timezone.now(), "rejection_reason": ""},
        payload={},
    )


def outlet_reject(*, actor: Actor, outlet: ServiceOutlet, reason: str) -> ServiceOutlet:
    """Refuse an outlet (pending or previously verified) with a reason."""
    _require_verifier(actor)
    reason = _reason(reason, required=True)
    return _outlet_move(
        actor=actor,
        outlet=outlet,
        action="reject",
        fields={"verified_by": actor, "verified_at": timezone.now(), "rejection_reason": reason},
        payload={"reason": reason},
    )


def outlet_withdraw(*, actor: Actor, outlet: ServiceOutlet, reason: str = "") -> ServiceOutlet:
    """Take an outlet off the record; it stays in the history."""
    return _withdraw(
        actor=actor, instance=outlet, reason=reason, verb="aftersales.service_outlet.withdrawn"
    )


def _withdraw(*, actor: Actor, instance: Any, reason: str, verb: str) -> Any:
    """Mark a record withdrawn exactly once and audit it (later edits don't matter)."""
    reason = _reason(reason, required=False)
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
    return instance


# --- warranty and spare-parts commitments -------------------------------------------------


def _commitment_errors(commitment: Commitment, brand_changed: bool) -> dict[str, str | None]:
    errors: dict[str, str | None] = {
        "country": _country_error(commitment.country if commitment.country_id else None),
    }
    if brand_changed and commitment.brand_id:
        errors["brand"] = _brand_error(commitment.enterprise, [commitment.brand])
    errors.update(
        _period_errors(commitment.valid_from, commitment.valid_until, "valid_from", "valid_until")
    )
    return errors


def _warranty_errors(commitment: WarrantyCommitment, brand_changed: bool) -> dict[str, str | None]:
    errors = _commitment_errors(commitment, brand_changed)
    months = commitment.vehicle_warranty_months
    if commitment.country_id and isinstance(months, int):
        minimum = commitment.country.statutory_warranty_months
        if months < minimum:
            errors["vehicle_warranty_months"] = _(
                "%(country)s requires a vehicle warranty of at least %(minimum)d months."
            ) % {"country": commitment.country_id, "minimum": minimum}
    return errors


def _spare_parts_errors(
    commitment: SparePartsCommitment, brand_changed: bool
) -> dict[str, str | None]:
    errors = _commitment_errors(commitment, brand_changed)
    errors.update(_text_errors(commitment, ["depot"]))
    return errors


def _commitment_create(commitment: C, *, actor: Actor, rules: Any, verb: str) -> C:
    _raise_all(commitment, rules(commitment, True))
    return create_audited(
        commitment, actor=actor, verb=verb, enterprise_id=commitment.enterprise_id
    )


def _commitment_update(
    commitment: C,
    *,
    actor: Actor,
    data: dict[str, Any],
    expected_version: int | None,
    editable: set[str],
    rules: Any,
    verb: str,
) -> C:
    _unknown_fields(data, editable)
    model = type(commitment)
    with transaction.atomic():
        current = model.objects.select_for_update().get(pk=commitment.pk)
        if current.is_withdrawn:
            raise TransitionNotAllowed(_("A withdrawn commitment cannot be changed."))
        _check_version(current.version, expected_version)
        brand_changed = "brand" in data and data["brand"].pk != current.brand_id
        changed = any(getattr(current, k) != v for k, v in data.items())
        _apply(current, data)
        _raise_all(current, rules(current, brand_changed))
        if not changed:
            return current
        return update_audited(
            current,
            actor=actor,
            verb=verb,
            data={**data, "version": current.version + 1},
            enterprise_id=current.enterprise_id,
        )


def warranty_commitment_create(
    *, actor: Actor, enterprise: Enterprise, **fields: Any
) -> WarrantyCommitment:
    """Record warranty terms for a brand in a market (at least the statutory minimum)."""
    _unknown_fields(fields, WARRANTY_EDITABLE)
    return _commitment_create(
        WarrantyCommitment(enterprise=enterprise, **fields),
        actor=actor,
        rules=_warranty_errors,
        verb="aftersales.warranty_commitment.created",
    )


def warranty_commitment_update(
    *,
    actor: Actor,
    commitment: WarrantyCommitment,
    data: dict[str, Any],
    expected_version: int | None = None,
) -> WarrantyCommitment:
    """Change a warranty commitment's terms or period."""
    return _commitment_update(
        commitment,
        actor=actor,
        data=data,
        expected_version=expected_version,
        editable=WARRANTY_EDITABLE,
        rules=_warranty_errors,
        verb="aftersales.warranty_commitment.updated",
    )


def warranty_commitment_withdraw(
    *, actor: Actor, commitment: WarrantyCommitment, reason: str = ""
) -> WarrantyCommitment:
    """Withdraw a warranty commitment; it stays on record."""
    return _withdraw(
        actor=actor,
        instance=commitment,
        reason=reason,
        verb="aftersales.warranty_commitment.withdrawn",
    )


def spare_parts_commitment_create(
    *, actor: Actor, enterprise: Enterprise, **fields: Any
) -> SparePartsCommitment:
    """Record a spare-parts supply commitment for a brand in a market."""
    _unknown_fields(fields, SPARE_PARTS_EDITABLE)
    return _commitment_create(
        SparePartsCommitment(enterprise=enterprise, **fields),
        actor=actor,
        rules=_spare_parts_errors,
        verb="aftersales.spare_parts_commitment.created",
    )


def spare_parts_commitment_update(
    *,
    actor: Actor,
    commitment: SparePartsCommitment,
    data: dict[str, Any],
    expected_version: int | None = None,
) -> SparePartsCommitment:
    """Change a spare-parts commitment's terms or period."""
    return _commitment_update(
        commitment,
        actor=actor,
        data=data,
        expected_version=expected_version,
        editable=SPARE_PARTS_EDITABLE,
        rules=_spare_parts_errors,
        verb="aftersales.spare_parts_commitment.updated",
    )


def spare_parts_commitment_withdraw(
    *, actor: Actor, commitment: SparePartsCommitment, reason: str = ""
) -> SparePartsCommitment:
    """Withdraw a spare-parts commitment; it stays on record."""
    return _withdraw(
        actor=actor,
        instance=commitment,
        reason=reason,
        verb="aftersales.spare_parts_commitment.withdrawn",
    )
