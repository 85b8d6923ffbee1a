"""The obligation rules, in one place, and the set-based recompute that applies them.

An obligation is one enterprise × brand × country. It lasts until the last warranty of
the vehicles exported there ends (its horizon). On a given day it is:

* fulfilled — every warranty has ended;
* breached — cars are under warranty but no verified outlet with a running contract, no
  warranty commitment or no spare-parts commitment is in force;
* at risk — one of those ends before the horizon, within the warning window;
* covered — otherwise.

The brand's manufacturer's outlets and commitments count for its authorised exporters,
as in licence screening.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import islice
from typing import Any, NamedTuple

from django.conf import settings
from django.db import transaction
from django.db.models import Count, F, Max, Q, Value
from django.utils import timezone

from aftersales.models import (
    ExportedVehicle,
    Obligation,
    ServiceOutlet,
    SparePartsCommitment,
    WarrantyCommitment,
)
from audit.services import audit_record
from registry.models import Brand

O = Obligation.Status  # noqa: E741
BATCH = 1000


class Market(NamedTuple):
    enterprise_id: int
    brand_id: int
    country_id: str


@dataclass(frozen=True)
class CoverEnds:
    """The latest end date of what serves a market today (None: nothing in force)."""

    outlets: date | None
    warranty: date | None
    spare_parts: date | None


@dataclass(frozen=True)
class Assessment:
    status: str
    gaps: tuple[str, ...] = ()
    gap_ends_on: date | None = None


def obligation_assess(
    *, horizon: date, today: date, ends: CoverEnds, window_days: int
) -> Assessment:
    """Assess one market on the day: the whole rule set."""
    if horizon < today:
        return Assessment(O.FULFILLED)
    by_kind = {"outlets": ends.outlets, "warranty": ends.warranty, "spare_parts": ends.spare_parts}
    missing = tuple(kind for kind, end in by_kind.items() if end is None)
    if missing:
        return Assessment(O.BREACHED, missing)
    warn_until = today + timedelta(days=window_days)
    early = [(end, kind) for kind, end in by_kind.items() if end < horizon and end <= warn_until]
    if early:
        end, kind = min(early)
        return Assessment(O.AT_RISK, (kind,), end)
    return Assessment(O.COVERED)


def obligations_recompute(
    *, markets: Iterable[Market] | None = None, today: date | None = None
) -> int:
    """Reassess the given markets (all markets with exports when None); return changes.

    Set-based and batched: one grouped pass over the fleet, a fixed number of queries per
    batch of markets, so memory stays flat whatever the fleet size.
    """
    today = today or timezone.localdate()
    fleet = ExportedVehicle.objects.all()
    if markets is not None:
        markets = list(markets)
        if not markets:
            return 0
        fleet = _only(fleet, markets)
    # count(*), not count(id): PostgreSQL then answers from the market index alone.
    rows = (
        fleet.values_list("enterprise_id", "brand_id", "country_id")
        .annotate(horizon=Max("warranty_ends_on"), vehicles=Count("*"))
        .order_by()
    )
    # One row per market, not per car: read whole. (A server-side cursor would make
    # PostgreSQL plan for the first rows and walk the index instead of hashing.)
    rows = iter(list(rows))
    changed = 0
    for batch in batches(rows, BATCH):
        # Inside a caller's transaction (a declaration, an outlet change) a savepoint would
        # only add two round trips: an error here rolls the whole change back anyway.
        with transaction.atomic(savepoint=False):
            changed += _apply(batch, today)
    return changed


def obligation_recompute_market(*, enterprise_id: int, brand_id: int, country_id: str) -> int:
    """Reassess one enterprise × brand × country now (the incremental path)."""
    return obligations_recompute(markets=[Market(enterprise_id, brand_id, country_id)])


def markets_served(record: Any) -> set[Market]:
    """The markets with exports an outlet or commitment serves: its holder's and licensees'."""
    if isinstance(record, ServiceOutlet):
        brand_ids = set(record.brands.values_list("pk", flat=True))
    else:
        brand_ids = {record.brand_id}
    manufactured = set(
        Brand.objects.filter(pk__in=brand_ids, manufacturer_id=record.enterprise_id).values_list(
            "pk", flat=True
        )
    )
    rows = Obligation.objects.filter(
        brand_id__in=brand_ids, country_id=record.country_id
    ).values_list("enterprise_id", "brand_id", "country_id")
    return {
        Market(*row) for row in rows if row[0] == record.enterprise_id or row[1] in manufactured
    }


def _only(fleet: Any, markets: list[Market]) -> Any:
    condition = Q()
    for market in markets:
        condition |= Q(
            enterprise_id=market.enterprise_id,
            brand_id=market.brand_id,
            country_id=market.country_id,
        )
    return fleet.filter(condition)


def batches(rows: Iterator[Any], size: int) -> Iterator[list[Any]]:
    """Yield lists of up to `size` items from an iterator."""
    while batch := list(islice(rows, size)):
        yield batch


def _apply(batch: list[tuple[int, int, str, date, int]], today: date) -> int:
    ends = _cover_ends([Market(*row[:3]) for row in batch], today)
    existing = _existing([Market(*row[:3]) for row in batch])
    window = settings.OBLIGATION_WARNING_DAYS
    fresh, transitions = [], []
    for enterprise_id, brand_id, country_id, horizon, vehicles in batch:
        market = Market(enterprise_id, brand_id, country_id)
        found = obligation_assess(
            horizon=horizon, today=today, ends=ends[market], window_days=window
        )
        gaps = " ".join(found.gaps)
        old = existing.get(market)
        if old and (old.status, old.horizon, old.vehicles, old.gaps, old.gap_ends_on) == (
            found.status,
            horizon,
            vehicles,
            gaps,
            found.gap_ends_on,
        ):
            continue
        fresh.append(
            Obligation(
                enterprise_id=enterprise_id,
                brand_id=brand_id,
                country_id=country_id,
                status=found.status,
                horizon=horizon,
                vehicles=vehicles,
                gaps=gaps,
                gap_ends_on=found.gap_ends_on,
                assessed_on=today,
            )
        )
        if old is None or old.status != found.status:
            if old is not None:
                fresh[-1].brand = old.brand  # read with it: its event names the brand
            transitions.append((fresh[-1], old.status if old else None))
    _upsert(fresh)
    _audit(transitions)
    return len(fresh)


def _upsert(obligations: list[Obligation]) -> None:
    Obligation.objects.bulk_create(
        obligations,
        update_conflicts=True,
        unique_fields=["enterprise", "brand", "country"],
        update_fields=[
            "status",
            "horizon",
            "vehicles",
            "gaps",
            "gap_ends_on",
            "assessed_on",
            "updated_at",
        ],
    )


def _audit(transitions: list[tuple[Obligation, str | None]]) -> None:
    """One event per enterprise for the batch: the obligation itself when only one moved."""
    # A market's first obligation has no brand read yet: one read for all of the batch.
    unread = {o.brand_id for o, _old in transitions if not Obligation.brand.is_cached(o)}
    brands = Brand.objects.in_bulk(unread) if unread else {}
    by_enterprise: dict[int, list[tuple[Obligation, str | None]]] = defaultdict(list)
    for obligation, old in transitions:
        if obligation.brand_id in brands:
            obligation.brand = brands[obligation.brand_id]
        by_enterprise[obligation.enterprise_id].append((obligation, old))
    for enterprise_id, moved in by_enterprise.items():
        changes = [
            {"obligation": o.pk, "old": old, "new": o.status, "horizon": o.horizon, "gaps": o.gaps}
            for o, old in moved
        ]
        target = moved[0][0] if len(moved) == 1 else _many(len(moved))
        audit_record(
            actor=None,
            verb="aftersales.obligation.assessed",
            target=target,
            enterprise_id=enterprise_id,
            payload={"changes": changes},
        )


def _many(count: int) -> tuple[str, str, str]:
    return ("aftersales.obligation", "", f"{count} obligations")


def _existing(markets: list[Market]) -> dict[Market, Obligation]:
    rows = Obligation.objects.select_related("brand").filter(
        enterprise_id__in={m.enterprise_id for m in markets},
        brand_id__in={m.brand_id for m in markets},
        country_id__in={m.country_id for m in markets},
    )
    wanted = set(markets)
    return {
        key: row
        for row in rows
        if (key := Market(row.enterprise_id, row.brand_id, row.country_id)) in wanted
    }


# Each kind of cover: what is in force on the day, its brand relation and its end field.
COVER_SOURCES: tuple[tuple[str, Callable[[date], Any], str, str], ...] = (
    (
        "outlets",
        lambda day: ServiceOutlet.objects.verified().valid_on(day),
        "brands",
        "contract_valid_until",
    ),
    ("warranty", lambda day: WarrantyCommitment.objects.valid_on(day), "brand", "valid_until"),
    ("spare_parts", lambda day: SparePartsCommitment.objects.valid_on(day), "brand", "valid_until"),
)


def _cover_ends(markets: list[Market], today: date) -> dict[Market, CoverEnds]:
    """The latest end of each kind of cover in force today, for every market of the batch.

    One round trip: the three kinds are read as one UNION ALL, each row carrying the brand's
    manufacturer, whose cover counts for its authorised exporters too.
    """
    first, *rest = [
        _latest(in_force(today), kind, brand, end_field, markets)
        for kind, in_force, brand, end_field in COVER_SOURCES
    ]
    found: dict[str, dict[tuple[int, int, str], date]] = defaultdict(dict)
    makers: dict[int, int] = {}
    for kind, enterprise_id, brand_id, country_id, maker_id, until in first.union(*rest, all=True):
        found[kind][(enterprise_id, brand_id, country_id)] = until
        makers[brand_id] = maker_id

    def best(kind: str, market: Market) -> date | None:
        ends = [
            found[kind].get((holder, market.brand_id, market.country_id))
            for holder in (market.enterprise_id, makers.get(market.brand_id))
        ]
        return max((e for e in ends if e), default=None)

    return {m: CoverEnds(*(best(kind, m) for kind, *_ in COVER_SOURCES)) for m in markets}


def _latest(queryset: Any, kind: str, brand: str, end_field: str, markets: list[Market]) -> Any:
    """Rows (kind, holder, brand, country, brand's maker, latest end) for the markets."""
    maker = F(f"{brand}__manufacturer_id")
    return (
        queryset.filter(
            Q(enterprise_id__in={m.enterprise_id for m in markets}) | Q(enterprise_id=maker),
            **{f"{brand}__in": {m.brand_id for m in markets}},
            country_id__in={m.country_id for m in markets},
        )
        .annotate(kind=Value(kind), maker=maker)
        .values_list("kind", "enterprise_id", brand, "country_id", "maker")
        .annotate(until=Max(end_field))
        .order_by()
    )
