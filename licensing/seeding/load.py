"""Drive the load: reuse what exists, write chunk by chunk, keep counters and chain head true.

Python builds the next chunk while PostgreSQL stores the two before it, each through a writer
thread with a connection of its own: the server's time goes into its indexes, one CPU per
backend, so two writers and the generator keep a small server busy. Each chunk is one durable
transaction: it copies its rows, waits for the chunk before it to commit, then locks the chain
head and licence counters and checks they are exactly where the generator left them, so the
chain is appended in order and a run that races a live append fails instead of forking it.
Inside an outer transaction (tests) or on SQLite the chunks are written in line, the same way.
"""

from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import replace
from datetime import datetime
from typing import Any

from django.core.management.base import CommandError
from django.db import connection, transaction

from aftersales.models import Obligation
from aftersales.services.obligations import obligations_recompute
from audit.chain import GENESIS_HASH
from audit.models import ChainHead
from licensing.models import Case, LicenceNumberSequence
from licensing.seeding import bulk
from licensing.seeding.cases import generate
from licensing.seeding.chunk import TABLES, Keys
from licensing.seeding.world import build_world

WRITERS = 2


def load(
    *, total: int, chunk: int, now: datetime, progress: Callable[[int], None] | None = None
) -> dict[str, int]:
    """Bring the database up to `total` cases; return how many rows each table gained."""
    world = build_world(now.year)
    added = {model._meta.verbose_name_plural: 0 for model in TABLES}
    start = Case.objects.count()
    keys = _keys()
    threaded = connection.vendor == "postgresql" and not connection.in_atomic_block
    with ThreadPoolExecutor(max_workers=WRITERS) as writers:
        pending: list[tuple[int, Future[dict]]] = []
        for begin in range(start, total, chunk):
            stop = min(begin + chunk, total)
            before = _snapshot(keys)
            rows = generate(begin, stop, total, world, keys, now).rows
            previous = pending[-1][1] if pending else None
            job = (rows, before, _snapshot(keys), previous, threaded)
            if len(pending) == WRITERS:
                _collect(added, pending.pop(0), progress)
            pending.append((stop, writers.submit(_write_chunk, *job) if threaded else _now(*job)))
        while pending:
            _collect(added, pending.pop(0), progress)
    bulk.reset_sequences(TABLES)
    bulk.analyse()
    # The obligations follow from the register as the service keeps them (set-based).
    added[Obligation._meta.verbose_name_plural] = obligations_recompute(today=now.date())
    return {str(label): n for label, n in added.items()}


def _now(*job: Any) -> "Future[dict]":
    future: Future[dict] = Future()
    future.set_result(_write_chunk(*job))
    return future


def _collect(
    added: dict, item: tuple[int, "Future[dict]"], progress: Callable[[int], None] | None
) -> None:
    stop, future = item
    for label, n in future.result().items():
        added[label] += n
    if progress is not None:
        progress(stop)


def _snapshot(keys: Keys) -> Keys:
    return replace(keys, ids=dict(keys.ids), numbers=dict(keys.numbers))


def _write_chunk(
    rows: dict, before: Keys, after: Keys, previous: "Future[dict] | None", own_connection: bool
) -> dict:
    """Store one generated chunk in a transaction of its own; return rows per table."""
    try:
        with transaction.atomic():
            relaxed = bulk.relax_checks()
            written = {
                model._meta.verbose_name_plural: bulk.write(table, rows.get(model, []))
                for model, table in TABLES.items()
            }
            if previous is not None:
                previous.result()  # the chain grows in order: the chunk before commits first
            _claim(before)
            if relaxed:
                bulk.check_references(
                    {model: (before.ids[model], after.ids[model]) for model in TABLES}
                )
            _save_keys(after)
        return written
    finally:
        if own_connection:
            connection.close()


def _keys() -> Keys:
    """Read where every table, counter and the chain head stand before the first chunk."""
    ChainHead.objects.get_or_create(pk=1, defaults={"seq": 0, "hash": GENESIS_HASH})
    head = ChainHead.objects.get(pk=1)
    ids = {model: bulk.next_id(model) for model in TABLES}
    return Keys(ids=ids, seq=head.seq, head_hash=head.hash, numbers=_numbers(lock=False))


def _numbers(*, lock: bool) -> dict[tuple[int, int], int]:
    sequences = LicenceNumberSequence.objects.all()
    if lock:
        sequences = sequences.select_for_update()
    return {
        (office, year): last
        for office, year, last in sequences.values_list("issuing_office_id", "year", "last_number")
    }


def _claim(before: Keys) -> None:
    """Lock the chain head and counters; refuse if anything moved since the chunk was built."""
    head = ChainHead.objects.select_for_update().get(pk=1)
    if (head.seq, head.hash) != (before.seq, before.head_hash) or _numbers(
        lock=True
    ) != before.numbers:
        raise CommandError("The audit trail or licence counters moved during the load; rerun.")


def _save_keys(keys: Keys) -> None:
    ChainHead.objects.filter(pk=1).update(seq=keys.seq, hash=keys.head_hash)
    for (office, year), last in keys.numbers.items():
        LicenceNumberSequence.objects.update_or_create(
            issuing_office_id=office, year=year, defaults={"last_number": last}
        )
