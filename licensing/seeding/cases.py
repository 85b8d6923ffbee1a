"""Generate one chunk of cases with what follows from each: lines, licences, declarations
with their cars in the exported-vehicle register, notices and the audit events that record
them, chained to the current head of the trail.
"""

import random
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from licensing.models import Case, CaseLine, Licence, LicenceLine
from licensing.models.licences import MULTI_USE_DECLARATIONS
from licensing.numbering import format_licence_number
from licensing.seeding.chunk import Chunk, Keys, chain, event
from licensing.seeding.exports import DECLARED_CARS_MAX, Declared, declaration
from licensing.seeding.world import World
from notifications.models import Notification

S = Case.Status
# A ministry's table after a few years: nearly everything closed, a few hundred open.
STATUS_WEIGHTS = {
    S.DRAFT: 2,
    S.SUBMITTED: 1,
    S.UNDER_REVIEW: 1.5,
    S.INFO_REQUESTED: 0.5,
    S.RECOMMENDED: 0.5,
    S.APPROVED: 80,
    S.REFUSED: 8,
    S.WITHDRAWN: 6.5,
}
ASSESSED = {S.UNDER_REVIEW, S.INFO_REQUESTED, S.RECOMMENDED, S.APPROVED, S.REFUSED}
DECIDED = {S.APPROVED, S.REFUSED}
CLOCKED = {S.SUBMITTED, S.UNDER_REVIEW, S.RECOMMENDED}
QUALIFICATION_SHARE = 0.04
DECLARED_SHARE = 0.6
SPAN_DAYS = 1000
PORTS = ("Shanghai Yangshan", "Shenzhen Nansha", "Tianjin Xingang", "Ningbo Zhoushan")


def generate(start: int, stop: int, total: int, world: World, keys: Keys, now: datetime) -> Chunk:
    """Build cases start..stop-1 (of `total`, oldest first) and everything they led to."""
    rng = random.Random(start)  # noqa: S311 - reproducible sample data, not secrets
    statuses, weights = zip(*STATUS_WEIGHTS.items(), strict=True)
    chunk = Chunk()
    for n in range(start, stop):
        created = now - timedelta(days=(total - n) * SPAN_DAYS / total, minutes=rng.randint(0, 600))
        status = rng.choices(statuses, weights)[0]
        _case(chunk, rng, world, keys, created, status, now)
    chain(chunk, keys)
    return chunk


def _case(
    chunk: Chunk,
    rng: random.Random,
    world: World,
    keys: Keys,
    created: datetime,
    status: str,
    now: datetime,
) -> None:
    case_id = keys.take(Case)
    enterprise = rng.choice(world.enterprises)
    member = world.member_of[enterprise.pk]
    qualification = rng.random() < QUALIFICATION_SHARE
    kind = Case.Kind.QUALIFICATION if qualification else Case.Kind.LICENCE
    submitted = None if status == S.DRAFT else created + timedelta(hours=2)
    decided = submitted + timedelta(days=rng.randint(1, 5)) if status in DECIDED else None
    recommender = (
        rng.choice(world.caseworkers)
        if status in ASSESSED - {S.UNDER_REVIEW, S.INFO_REQUESTED}
        else None
    )
    values: dict[str, Any] = {
        "id": case_id,
        "reference": f"{Case.REFERENCE_PREFIX[kind]}-{created.year}-{case_id:06d}",
        "kind": kind,
        "applicant_id": enterprise.pk,
        "status": status,
        "version": 1 + (submitted is not None) + (status in ASSESSED) + 2 * (decided is not None),
        "created_by_id": member.pk,
        "created_at": created,
        "updated_at": decided or submitted or created,
        "submitted_at": submitted,
        "sla_due_on": (now + timedelta(days=rng.randint(-4, 4))).date()
        if status in CLOCKED
        else None,
        "assigned_to_id": rng.choice(world.caseworkers).pk if status in ASSESSED else None,
        "recommended_by_id": recommender.pk if recommender else None,
        "recommended_at": (decided or now) - timedelta(hours=3) if recommender else None,
        "recommendation": (Case.Outcome.APPROVE if status != S.REFUSED else Case.Outcome.REFUSE)
        if recommender
        else "",
        "decision": {S.APPROVED: Case.Outcome.APPROVE, S.REFUSED: Case.Outcome.REFUSE}.get(
            status, ""
        ),
        "decided_by_id": rng.choice(world.officers).pk if decided else None,
        "decided_at": decided,
    }
    if qualification:
        values.update(year=created.year, qualification_class="2")
    else:
        values.update(_licence_terms(rng, world, enterprise, created, case_id))
    chunk.add(Case, **values)
    lines = (
        [] if qualification else _case_lines(chunk, rng, world, keys, case_id, values["brand_id"])
    )
    _case_events(chunk, world, member, values, rng)
    if status == S.APPROVED and not qualification:
        _licence(chunk, rng, world, keys, values, lines, now)


def _licence_terms(
    rng: random.Random, world: World, enterprise: Any, created: datetime, case_id: int
) -> dict[str, Any]:
    valid_from = created.date() + timedelta(days=7)
    return {
        "brand_id": world.brand_of[enterprise.pk],
        "destination_id": rng.choice(world.countries),
        "customs_port": rng.choice(PORTS),
        "trade_mode": Case.TradeMode.choices[0][0],
        "contract_number": f"CT{created.year}-{case_id:08d}",
        "payment_terms": "T/T 30 days",
        "transport_mode": Case.TransportMode.choices[0][0],
        "use_mode": Case.UseMode.MULTI if rng.random() < 0.3 else Case.UseMode.SINGLE,
        "valid_from": valid_from,
        "valid_until": min(valid_from + timedelta(days=180), date(valid_from.year, 12, 31)),
    }


def _case_lines(
    chunk: Chunk, rng: random.Random, world: World, keys: Keys, case_id: int, brand_id: int
) -> list[tuple[int, int, Decimal]]:
    models = rng.sample(world.models_by_brand[brand_id], rng.choice((1, 1, 2)))
    lines = []
    for model_id in models:
        quantity, price = rng.randint(10, 400), Decimal(rng.randint(18_000, 60_000))
        chunk.add(
            CaseLine,
            id=keys.take(CaseLine),
            case_id=case_id,
            vehicle_model_id=model_id,
            quantity=quantity,
            unit_price_usd=price,
        )
        lines.append((model_id, quantity, price))
    return lines


def _case_events(
    chunk: Chunk, world: World, member: Any, case: dict[str, Any], rng: random.Random
) -> None:
    if case["submitted_at"] is None:
        return
    target = ("licensing.case", case["id"], case["reference"])
    enterprise = case["applicant_id"]
    event(
        chunk,
        case["submitted_at"],
        member,
        "licensing.case.submitted",
        target,
        enterprise,
        {"status": [S.DRAFT, S.SUBMITTED]},
    )
    if case["decided_at"] is not None:
        event(
            chunk,
            case["decided_at"],
            world.staff_by_id[case["decided_by_id"]],
            "licensing.case.decided",
            target,
            enterprise,
            {"status": [S.RECOMMENDED, case["status"]], "reasons": "Meets the conditions."},
        )
    elif case["status"] == S.WITHDRAWN:
        event(
            chunk,
            case["submitted_at"] + timedelta(days=rng.randint(1, 9)),
            member,
            "licensing.case.withdrawn",
            target,
            enterprise,
            {"status": [S.SUBMITTED, S.WITHDRAWN]},
        )


def _licence(
    chunk: Chunk,
    rng: random.Random,
    world: World,
    keys: Keys,
    case: dict[str, Any],
    lines: list[tuple[int, int, Decimal]],
    now: datetime,
) -> None:
    licence_id = keys.take(Licence)
    office = world.office_of[case["applicant_id"]]
    year = case["valid_from"].year
    sequence = keys.numbers.get((office.pk, year), 0) + 1
    keys.numbers[(office.pk, year)] = sequence
    number = format_licence_number(year=year, office_code=office.code, sequence=sequence)
    issued = case["decided_at"] + timedelta(seconds=1)
    multi = case["use_mode"] == Case.UseMode.MULTI
    uses = MULTI_USE_DECLARATIONS if multi else 1
    declared_on = issued.date() + timedelta(days=rng.randint(5, 60))
    declares = rng.random() < DECLARED_SHARE and declared_on <= min(now.date(), case["valid_until"])
    drawn = rng.randint(1, min(lines[0][1], DECLARED_CARS_MAX)) if declares else 0
    expired = case["valid_until"] < now.date()
    status = Licence.Status.EXPIRED if expired else Licence.Status.ACTIVE
    if declares and not multi and not expired:
        status = Licence.Status.EXHAUSTED
    chunk.add(
        Licence,
        id=licence_id,
        number=number,
        case_id=case["id"],
        holder_id=case["applicant_id"],
        issuing_office_id=office.pk,
        brand_id=case["brand_id"],
        destination_id=case["destination_id"],
        customs_port=case["customs_port"],
        trade_mode=case["trade_mode"],
        contract_number=case["contract_number"],
        payment_terms=case["payment_terms"],
        transport_mode=case["transport_mode"],
        use_mode=case["use_mode"],
        valid_from=case["valid_from"],
        valid_until=case["valid_until"],
        uses_left=uses - declares,
        status=status,
        issued_at=issued,
        issued_by_id=case["decided_by_id"],
    )
    line_ids = []
    for position, (model_id, quantity, price) in enumerate(lines):
        line_ids.append(keys.take(LicenceLine))
        chunk.add(
            LicenceLine,
            id=line_ids[-1],
            licence_id=licence_id,
            vehicle_model_id=model_id,
            licensed_quantity=quantity,
            remaining=quantity - (drawn if position == 0 else 0),
            unit_price_usd=price,
        )
    member = world.member_of[case["applicant_id"]]
    officer = world.staff_by_id[case["decided_by_id"]]
    target = ("licensing.licence", licence_id, number)
    event(
        chunk,
        issued,
        officer,
        "licensing.licence.issued",
        target,
        case["applicant_id"],
        {
            "number": number,
            "case": case["reference"],
            "valid_until": case["valid_until"].isoformat(),
        },
    )
    chunk.add(
        Notification,
        id=keys.take(Notification),
        recipient_id=member.pk,
        kind="licence_issued",
        target_type="licensing.licence",
        target_id=str(licence_id),
        target_repr=number,
        subject=f"Licence {number} issued",
        body=f"Licence {number} issued.",
        status=Notification.Status.SENT,
        attempts=1,
        next_attempt_at=issued,
        created_at=issued,
        sent_at=issued,
    )
    if declares:
        declared = Declared(licence_id, number, line_ids[0], lines[0][0], drawn, declared_on)
        declaration(chunk, keys, declared, member, target, case)
