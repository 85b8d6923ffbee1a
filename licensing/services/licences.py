"""Every write to licences: issue, officer and system actions, exchange.

Customs declarations (the draw-down) live in declarations.py.

A licence's status changes only here, by compare-and-swap on (status, version) with its
audit event in the same transaction. `LICENCE_ACTIONS` is the table the admin buttons,
the API and the tests all read.
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_record
from config.errors import ActionForbidden, Conflict, StaleVersion, TransitionNotAllowed
from config.public import public_url
from licensing.models import (
    Case,
    Licence,
    LicenceLine,
)
from licensing.models.licences import MULTI_USE_DECLARATIONS
from licensing.numbering import licence_number_allocate
from licensing.services.used_licences import main_brand_id, schedule_case_id_for, schedule_lines
from licensing.validity import ValidityError, issued_validity
from registry.language import notify_in_their_language, notify_new_target_in_their_languages
from registry.models import IssuingOffice, Membership

S = Licence.Status
ACT_PERMISSION = "licensing.act_on_licence"
OFFICER = "officer"
SYSTEM = "system"
USES = {Licence.UseMode.SINGLE: 1, Licence.UseMode.MULTI: MULTI_USE_DECLARATIONS}


@dataclass(frozen=True)
class LicenceAction:
    """One row of the licence status table."""

    action: str
    sources: tuple[str, ...]
    target: str
    who: str
    verb: str
    label: str


LICENCE_ACTIONS: dict[str, LicenceAction] = {
    a.action: a
    for a in (
        LicenceAction(
            "suspend", (S.ACTIVE,), S.SUSPENDED, OFFICER, "licensing.licence.suspended", "Suspend"
        ),
        LicenceAction(
            "reinstate",
            (S.SUSPENDED,),
            S.ACTIVE,
            OFFICER,
            "licensing.licence.reinstated",
            "Reinstate",
        ),
        LicenceAction(
            "revoke",
            (S.ACTIVE, S.SUSPENDED),
            S.REVOKED,
            OFFICER,
            "licensing.licence.revoked",
            "Revoke",
        ),
        LicenceAction(
            "expire",
            (S.ACTIVE, S.SUSPENDED),
            S.EXPIRED,
            SYSTEM,
            "licensing.licence.expired",
            "Expire",
        ),
        LicenceAction(
            "exhaust", (S.ACTIVE,), S.EXHAUSTED, SYSTEM, "licensing.licence.exhausted", "Exhaust"
        ),
        LicenceAction(
            "exchange",
            (S.ACTIVE,),
            S.EXCHANGED,
            SYSTEM,
            "licensing.licence.exchanged",
            "Exchange",
        ),
    )
}
OFFICER_ACTIONS = tuple(a for a, spec in LICENCE_ACTIONS.items() if spec.who == OFFICER)


# --- issuance -------------------------------------------------------------------------


def licence_issue_for_case(*, case: Case, actor: Any) -> Licence:
    """Issue the licence an approved licence or exchange case grants (in its transaction)."""
    issued_on = timezone.localdate()
    try:
        valid_from, valid_until = issued_validity(
            requested_from=case.valid_from, requested_until=case.valid_until, issued_on=issued_on
        )
    except ValidityError as exc:
        raise Conflict(str(exc), code="invalid_validity") from exc
    # A plain issuance takes no savepoint: it runs inside the deciding transaction, and what
    # can fail in it (a second licence for the case, an office out of numbers) must fail that
    # whole transaction. An exchange keeps one, so a refused exchange leaves it usable.
    with transaction.atomic(savepoint=case.kind == Case.Kind.EXCHANGE):
        old = _licence_to_exchange(case) if case.kind == Case.Kind.EXCHANGE else None
        licence = _create_licence(case, actor, valid_from, valid_until, old)
        lines = _exchange_lines(old) if old else _issued_lines(case)
        created = LicenceLine.objects.bulk_create(
            [LicenceLine(licence=licence, remaining=q, **rest) for q, rest in lines]
        )
        if old is not None:
            _move(old, LICENCE_ACTIONS["exchange"], actor, _("Exchanged for %s") % licence.number)
        audit_record(
            actor=actor,
            verb="licensing.licence.issued",
            target=licence,
            enterprise_id=licence.holder_id,
            payload=_issue_payload(licence, old, created),
        )
        notify_holder(
            licence, "licence_issued", lambda: _("Licence %s issued") % licence.number, new=True
        )
    return licence


def _create_licence(
    case: Case, actor: Any, valid_from: date, valid_until: date, old: Licence | None
) -> Licence:
    office = IssuingOffice.objects.get(enterprises=case.applicant_id)
    uses = USES[case.use_mode]
    return Licence.objects.create(
        number=licence_number_allocate(office=office, year=valid_from.year),
        case=case,
        replaces=old,
        schedule_case_id=schedule_case_id_for(case, old),
        holder_id=case.applicant_id,
        issuing_office=office,
        brand_id=case.brand_id or main_brand_id(case),
        destination_id=case.destination_id,
        customs_port=case.customs_port,
        trade_mode=case.trade_mode,
        contract_number=case.contract_number,
        payment_terms=case.payment_terms,
        transport_mode=case.transport_mode,
        use_mode=case.use_mode,
        valid_from=valid_from,
        valid_until=valid_until,
        uses_left=min(uses, old.uses_left) if old else uses,
        issued_at=timezone.now(),
        issued_by=actor if actor is not None and actor.pk else None,
    )


def _licence_to_exchange(case: Case) -> Licence:
    old = Licence.objects.select_for_update().filter(pk=case.licence_to_exchange_id).first()
    if old is None or old.holder_id != case.applicant_id:
        raise Conflict(_("The exchange case names no licence of the applicant."))
    if old.status != S.ACTIVE:
        raise Conflict(
            _("Only an active licence can be exchanged; %(number)s is %(status)s.")
            % {"number": old.number, "status": old.get_status_display()},
            code="licence_not_usable",
        )
    return old


def _issued_lines(case: Case) -> list[tuple[int, dict[str, Any]]]:
    return schedule_lines(case) if case.is_used else _case_lines(case)


def _case_lines(case: Case) -> list[tuple[int, dict[str, Any]]]:
    """One licence line per model: a case naming a model twice gets the weighted price."""
    grouped: dict[int, list[Any]] = defaultdict(list)
    for line in case.lines.all():
        grouped[line.vehicle_model_id].append(line)
    result = []
    for model_id, lines in grouped.items():
        quantity = sum(line.quantity for line in lines)
        value = sum(line.unit_price_usd * line.quantity for line in lines)
        price = (value / quantity).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        result.append(
            (
                quantity,
                {
                    "vehicle_model_id": model_id,
                    "licensed_quantity": quantity,
                    "unit_price_usd": price,
                },
            )
        )
    return result


def _exchange_lines(old: Licence) -> list[tuple[int, dict[str, Any]]]:
    """The new licence carries what the old one had left, nothing more."""
    return [
        (
            line.remaining,
            {
                "vehicle_model_id": line.vehicle_model_id,
                "licensed_quantity": line.remaining,
                "unit_price_usd": line.unit_price_usd,
            },
        )
        for line in old.lines.select_for_update().filter(remaining__gt=0)
    ]


def _issue_payload(
    licence: Licence, old: Licence | None, lines: list[LicenceLine]
) -> dict[str, Any]:
    return {
        "number": licence.number,
        "case": licence.case_id,
        "replaces": old.number if old else None,
        "valid_from": licence.valid_from,
        "valid_until": licence.valid_until,
        "uses_left": licence.uses_left,
        "lines": [
            {"vehicle_model": line.vehicle_model_id, "quantity": line.licensed_quantity}
            for line in lines
        ],
    }


# --- status actions -------------------------------------------------------------------


def licence_suspend(
    *, licence: Licence, actor: Any, reason: str, expected_version: int | None = None
) -> Licence:
    """Suspend an active licence (officer, with a reason)."""
    return licence_act(
        licence=licence,
        action="suspend",
        actor=actor,
        reason=reason,
        expected_version=expected_version,
    )


def licence_reinstate(
    *, licence: Licence, actor: Any, reason: str, expected_version: int | None = None
) -> Licence:
    """Reinstate a suspended licence (officer, with a reason)."""
    return licence_act(
        licence=licence,
        action="reinstate",
        actor=actor,
        reason=reason,
        expected_version=expected_version,
    )


def licence_revoke(
    *, licence: Licence, actor: Any, reason: str, expected_version: int | None = None
) -> Licence:
    """Revoke an active or suspended licence for good (officer, with a reason)."""
    return licence_act(
        licence=licence,
        action="revoke",
        actor=actor,
        reason=reason,
        expected_version=expected_version,
    )


def licence_expire(*, licence: Licence, as_of: date | None = None) -> Licence:
    """Mark a licence past its last valid day as expired (system)."""
    day = as_of or timezone.localdate()
    if licence.valid_until >= day:
        raise TransitionNotAllowed(_("The licence is still within its validity."))
    return _system_move(licence, "expire", _("Validity ended on %s") % licence.valid_until)


def licence_exhaust(*, licence: Licence) -> Licence:
    """Mark a licence with nothing or no declarations left as exhausted (system)."""
    return _system_move(licence, "exhaust", _("Fully used"))


def licence_act(
    *,
    licence: Licence,
    action: str,
    actor: Any,
    reason: str,
    expected_version: int | None = None,
) -> Licence:
    """Take an officer action on a licence; the one entry point for the admin and the API."""
    spec = LICENCE_ACTIONS[action]
    if spec.who != OFFICER:
        raise ActionForbidden(_("Only the system may %s a licence.") % spec.label.lower())
    check_officer(actor)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Give the reason for this action.")]})
    check_source(licence=licence, action=action)
    if expected_version is not None and expected_version != licence.version:
        raise StaleVersion(_("The licence has changed since you loaded it; reload it."))
    with transaction.atomic():
        _move(licence, spec, actor, reason)
        notify_holder(licence, f"licence_{action}", _status_subject(licence))
    return licence


def check_officer(actor: Any) -> None:
    """Raise ActionForbidden unless the actor is a staff user who may act on licences."""
    if not (actor is not None and actor.is_active and actor.is_staff):
        raise ActionForbidden(_("Only a licensing officer may do this."))
    if not actor.has_perm(ACT_PERMISSION):
        raise ActionForbidden(_("Only a licensing officer may do this."))


def check_source(*, licence: Licence, action: str) -> None:
    """Raise TransitionNotAllowed unless the licence's status lets the action start."""
    spec = LICENCE_ACTIONS[action]
    if licence.status not in spec.sources:
        raise TransitionNotAllowed(
            _("Cannot %(action)s a licence that is %(status)s.")
            % {"action": spec.label.lower(), "status": licence.get_status_display().lower()}
        )


def licence_actions_available(*, actor: Any, licence: Licence) -> list[str]:
    """The officer actions this actor may take on this licence now (for buttons)."""
    try:
        check_officer(actor)
    except ActionForbidden:
        return []
    return [a for a in OFFICER_ACTIONS if licence.status in LICENCE_ACTIONS[a].sources]


def _system_move(licence: Licence, action: str, reason: str) -> Licence:
    check_source(licence=licence, action=action)
    with transaction.atomic():
        _move(licence, LICENCE_ACTIONS[action], None, reason)
        notify_holder(licence, f"licence_{action}", _status_subject(licence))
    return licence


def _move(licence: Licence, spec: LicenceAction, actor: Any, reason: str) -> None:
    """Compare-and-swap the status and audit it; the caller holds the transaction."""
    old_status, version = licence.status, licence.version
    moved = Licence.objects.filter(pk=licence.pk, status=old_status, version=version).update(
        status=spec.target, version=F("version") + 1, status_reason=reason
    )
    if not moved:
        current = Licence.objects.filter(pk=licence.pk).values_list("status", flat=True).first()
        if current not in spec.sources:
            raise TransitionNotAllowed(_("Someone else has already changed this licence."))
        raise StaleVersion(_("The licence has changed since you loaded it; reload it."))
    licence.status, licence.version, licence.status_reason = spec.target, version + 1, reason
    audit_record(
        actor=actor,
        verb=spec.verb,
        target=licence,
        enterprise_id=licence.holder_id,
        payload={"old_status": old_status, "new_status": spec.target, "reason": reason},
    )


# --- notifications --------------------------------------------------------------------


def _status_subject(licence: Licence) -> Callable[[], str]:
    return lambda: (
        _("Licence %(number)s is now %(status)s")
        % {
            "number": licence.number,
            "status": licence.get_status_display().lower(),
        }
    )


def notify_holder(
    licence: Licence,
    kind: str,
    subject: Callable[[], str],
    due_on: date | None = None,
    *,
    new: bool = False,
) -> int:
    """Queue a notice to every active member of the holder, each in their own language.

    ``new``: the licence was created in this transaction, so nothing about it can have been
    queued yet and every row goes in one INSERT.
    """

    def write() -> tuple[str, str]:
        text = subject()
        return text, _holder_notice_body(licence, text)

    members = Membership.objects.filter(enterprise_id=licence.holder_id, is_active=True)
    if new and due_on is None:
        users = [m.user for m in members.select_related("user__profile")]
        return notify_new_target_in_their_languages(
            recipients=users, write=write, kind=kind, target=licence
        )
    queued = 0
    for membership in members.select_related("user"):
        notice = notify_in_their_language(
            recipient=membership.user, write=write, kind=kind, target=licence, due_on=due_on
        )
        queued += notice is not None
    return queued


def _holder_notice_body(licence: Licence, subject: str) -> str:
    body = _(
        "%(subject)s.\nLicence %(number)s, status: %(status)s, valid %(start)s to %(end)s."
    ) % {
        "subject": subject,
        "number": licence.number,
        "status": licence.get_status_display(),
        "start": licence.valid_from,
        "end": licence.valid_until,
    }
    return (
        body
        + "\n"
        + _("Check it at %(url)s") % {"url": public_url("licence-verify", licence.number)}
    )
