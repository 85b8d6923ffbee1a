"""Warranty and spare-parts commitments: create, update, withdraw."""

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from aftersales.models import (
    Commitment,
    SparePartsCommitment,
    WarrantyCommitment,
)
from aftersales.services.obligations import markets_served, obligations_recompute
from aftersales.services.rules import (
    SPARE_PARTS_EDITABLE,
    WARRANTY_EDITABLE,
    Actor,
    C,
    apply_fields,
    brand_error,
    check_version,
    country_error,
    period_errors,
    raise_all,
    refuse_unknown_fields,
    text_errors,
    withdraw_record,
)
from audit.recording import create_audited, update_audited
from config.errors import TransitionNotAllowed
from registry.models import Enterprise


def _commitment_errors(commitment: Commitment, brand_changed: bool) -> dict[str, str | None]:
    errors: dict[str, str | None] = {
        "country": country_error(commitment.country if commitment.country_id else None),
    }
    if brand_changed and commitment.brand_id:
        errors["brand"] = brand_error(commitment.enterprise, [commitment.brand])
    errors.update(
        period_errors(commitment.valid_from, commitment.valid_until, "valid_from", "valid_until")
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
            ) % {"country": commitment.country.name, "minimum": minimum}
    return errors


def _spare_parts_errors(
    commitment: SparePartsCommitment, brand_changed: bool
) -> dict[str, str | None]:
    errors = _commitment_errors(commitment, brand_changed)
    errors.update(text_errors(commitment, ["depot"]))
    return errors


def _commitment_create(commitment: C, *, actor: Actor, rules: Any, verb: str) -> C:
    raise_all(commitment, rules(commitment, True))
    with transaction.atomic():
        create_audited(commitment, actor=actor, verb=verb, enterprise_id=commitment.enterprise_id)
        obligations_recompute(markets=markets_served(commitment))
    return commitment


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
    refuse_unknown_fields(data, editable)
    model = type(commitment)
    with transaction.atomic():
        current = model.objects.select_for_update().get(pk=commitment.pk)
        if current.is_withdrawn:
            raise TransitionNotAllowed(_("A withdrawn commitment cannot be changed."))
        check_version(current.version, expected_version)
        brand_changed = "brand" in data and data["brand"].pk != current.brand_id
        served = markets_served(current)
        changed = any(getattr(current, k) != v for k, v in data.items())
        apply_fields(current, data)
        raise_all(current, rules(current, brand_changed))
        if not changed:
            return current
        update_audited(
            current,
            actor=actor,
            verb=verb,
            data={**data, "version": current.version + 1},
            enterprise_id=current.enterprise_id,
        )
        obligations_recompute(markets=served | markets_served(current))
    return current


def warranty_commitment_create(
    *, actor: Actor, enterprise: Enterprise, **fields: Any
) -> WarrantyCommitment:
    """Record warranty terms for a brand in a market (at least the statutory minimum)."""
    refuse_unknown_fields(fields, WARRANTY_EDITABLE)
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
    return withdraw_record(
        actor=actor,
        instance=commitment,
        reason=reason,
        verb="aftersales.warranty_commitment.withdrawn",
    )


def spare_parts_commitment_create(
    *, actor: Actor, enterprise: Enterprise, **fields: Any
) -> SparePartsCommitment:
    """Record a spare-parts supply commitment for a brand in a market."""
    refuse_unknown_fields(fields, SPARE_PARTS_EDITABLE)
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
    return withdraw_record(
        actor=actor,
        instance=commitment,
        reason=reason,
        verb="aftersales.spare_parts_commitment.withdrawn",
    )
