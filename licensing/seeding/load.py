"""Drive the load: reuse what exists, write chunk by chunk, keep counters and chain head true."""

from collections.abc import Callable
from datetime import datetime

from django.db import transaction

from audit.chain import GENESIS_HASH
from audit.models import ChainHead
from licensing.models import Case, LicenceNumberSequence
from licensing.seeding import bulk
from licensing.seeding.cases import TABLES, Keys, generate
from licensing.seeding.world import build_world


def load(
    *, total: int, chunk: int, now: datetime, progress: Callable[[int], None] | None = None
) -> dict[str, int]:
    """Bring the database up to `total` cases; return how many rows each table gained."""
    world = build_world(now.year)
    added = {model._meta.verbose_name_plural: 0 for model in TABLES}
    start = Case.objects.count()
    for begin in range(start, total, chunk):
        stop = min(begin + chunk, total)
        with transaction.atomic():
            keys = _keys()
            rows = generate(begin, stop, total, world, keys, now).rows
            for model, table in TABLES.items():
                added[model._meta.verbose_name_plural] += bulk.write(table, rows.get(model, []))
            _save_keys(keys)
        if progress is not None:
            progress(stop)
    bulk.reset_sequences(TABLES)
    bulk.analyse()
    return {str(label): n for label, n in added.items()}


def _keys() -> Keys:
    """Lock the chain head and read where every table and counter stands."""
    ChainHead.objects.get_or_create(pk=1, defaults={"seq": 0, "hash": GENESIS_HASH})
    head = ChainHead.objects.select_for_update().get(pk=1)
    numbers = {
        (office, year): last
        for office, year, last in LicenceNumberSequence.objects.select_for_update().values_list(
            "issuing_office_id", "year", "last_number"
        )
    }
    ids = {model: bulk.next_id(model) for model in TABLES}
    return Keys(ids=ids, seq=head.seq, head_hash=head.hash, numbers=numbers)


def _save_keys(keys: Keys) -> None:
    ChainHead.objects.filter(pk=1).update(seq=keys.seq, hash=keys.head_hash)
    for (office, year), last in keys.numbers.items():
        LicenceNumberSequence.objects.update_or_create(
            issuing_office_id=office, year=year, defaults={"last_number": last}
        )
