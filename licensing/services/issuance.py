"""Issuing the licence an approved case grants, and exchanging an active licence for it.

The old licence of an exchange moves to exchanged through the status table in licences.py,
in the same transaction as the new licence is issued.
"""

from collections import defaultdict
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_record
from config.errors import Conflict
from licensing.models import Case, Licence, LicenceLine
from licensing.models.licences import MULTI_USE_DECLARATIONS
from licensing.numbering import licence_number_allocate
from licensing.services.licences import LICENCE_ACTIONS, S, _move, notify_holder
from licensing.services.used_licences import main_brand_id, schedule_case_id_for, schedule_lines
from licensing.validity import ValidityError, issued_validity
from registry.models import IssuingOffice

USES = {Licence.UseMode.SINGLE: 1, Licence.UseMode.MULTI: MULTI_USE_DECLARATIONS}


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
