"""Service outlets: create, update (re-verification), verify, reject, withdraw."""

from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from aftersales.models import (
    ServiceOutlet,
)
from aftersales.services.obligations import markets_served, obligations_recompute
from aftersales.services.rules import (
    OUTLET_EDITABLE,
    OUTLET_REVERIFY,
    VERIFY_PERMISSION,
    Actor,
    apply_fields,
    brand_error,
    check_version,
    checked_reason,
    country_error,
    period_errors,
    raise_all,
    refuse_unknown_fields,
    text_errors,
    withdraw_record,
)
from audit.recording import create_audited, update_audited
from audit.services import audit_record
from config.errors import ActionForbidden, StaleVersion, TransitionNotAllowed
from registry.models import Brand, Enterprise


def _outlet_errors(outlet: ServiceOutlet, brands: list[Brand] | None) -> dict[str, str | None]:
    errors: dict[str, str | None] = {
        "country": country_error(outlet.country if outlet.country_id else None),
        "brands": brand_error(outlet.enterprise, brands) if brands is not None else None,
    }
    errors.update(text_errors(outlet, ["city", "address", "operator_name"]))
    errors.update(
        period_errors(
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
    refuse_unknown_fields(fields, OUTLET_EDITABLE)
    outlet = ServiceOutlet(enterprise=enterprise, **fields)
    brands = list(brands)
    raise_all(outlet, _outlet_errors(outlet, brands))
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
    refuse_unknown_fields(data, OUTLET_EDITABLE)
    with transaction.atomic():
        current = ServiceOutlet.objects.select_for_update().get(pk=outlet.pk)
        if current.is_withdrawn:
            raise TransitionNotAllowed(_("A withdrawn outlet cannot be changed."))
        check_version(current.version, expected_version)
        old_brands = set(current.brands.values_list("pk", flat=True))
        served = markets_served(current)
        changed = _outlet_changed_fields(current, data, old_brands)
        new_brands = [b for b in data.get("brands", []) if b.pk not in old_brands]
        apply_fields(current, data)
        raise_all(current, _outlet_update_errors(current, data, new_brands))
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
        obligations_recompute(markets=served | markets_served(current))
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
        errors["brands"] = brand_error(outlet.enterprise, new_brands)
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
        obligations_recompute(markets=markets_served(outlet))
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
    reason = checked_reason(reason, required=True)
    return _outlet_move(
        actor=actor,
        outlet=outlet,
        action="reject",
        fields={"verified_by": actor, "verified_at": timezone.now(), "rejection_reason": reason},
        payload={"reason": reason},
    )


def outlet_withdraw(*, actor: Actor, outlet: ServiceOutlet, reason: str = "") -> ServiceOutlet:
    """Take an outlet off the record; it stays in the history."""
    return withdraw_record(
        actor=actor, instance=outlet, reason=reason, verb="aftersales.service_outlet.withdrawn"
    )
