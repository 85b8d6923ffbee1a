"""Send the long audit reads (exports, verification) to a streaming replica when one is set.

With `DATABASE_REPLICA_URL` set, the settings add a `replica` database and this router.
Code that only reads a consistent snapshot wraps itself in `replica_reads()`; every other
read, and every write, stays on the primary (a replica lags, and a write must see its own
transaction).
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.conf import settings

REPLICA = "replica"
_on_replica: ContextVar[bool] = ContextVar("replica_reads", default=False)


@contextmanager
def replica_reads() -> Iterator[None]:
    """Within this block, reads go to the replica when one is configured."""
    token = _on_replica.set(True)
    try:
        yield
    finally:
        _on_replica.reset(token)


def read_database() -> str:
    """Name the database a read in the current block goes to."""
    return REPLICA if _on_replica.get() and REPLICA in settings.DATABASES else "default"


class ReplicaRouter:
    """Reads inside `replica_reads()` go to the replica; everything else to the primary."""

    def db_for_read(self, model: type, **hints: Any) -> str:
        return read_database()

    def db_for_write(self, model: type, **hints: Any) -> str:
        return "default"

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        return True

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == "default"
