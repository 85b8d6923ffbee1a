"""The building blocks of a generated chunk: the tables it fills, the keys it takes, and
the audit events it records, chained onto the head of the trail.
"""

from dataclasses import dataclass, field
from datetime import datetime
from types import SimpleNamespace
from typing import Any

from aftersales.models import ExportedVehicle
from audit.chain import HASH_VERSION, canonical_json, compute_hash
from audit.models import AuditEvent
from licensing.models import (
    Case,
    CaseLine,
    Declaration,
    DeclarationLine,
    DeclaredVehicle,
    Licence,
    LicenceLine,
)
from licensing.seeding.bulk import Table
from notifications.models import Notification

TABLES = {
    m: Table(m)
    for m in (
        Case,
        CaseLine,
        Licence,
        LicenceLine,
        Declaration,
        DeclarationLine,
        DeclaredVehicle,
        ExportedVehicle,
        Notification,
    )
}
TABLES[AuditEvent] = Table(AuditEvent)


@dataclass
class Keys:
    """The next free primary key of each table, and the chain head to append to."""

    ids: dict[type, int]
    seq: int
    head_hash: str
    numbers: dict[tuple[int, int], int]

    def take(self, model: type) -> int:
        self.ids[model] += 1
        return self.ids[model] - 1


@dataclass
class Chunk:
    """Rows of every table for one chunk of cases, in insertion order."""

    rows: dict[type, list[list[Any]]] = field(default_factory=dict)
    events: list[SimpleNamespace] = field(default_factory=list)

    def add(self, model: type, **values: Any) -> None:
        self.rows.setdefault(model, []).append(TABLES[model].row(**values))


def event(
    chunk: Chunk,
    when: datetime,
    actor: Any,
    verb: str,
    target: tuple[str, int, str],
    enterprise_id: int,
    payload: dict[str, Any],
) -> None:
    text = canonical_json(payload)
    chunk.events.append(
        SimpleNamespace(
            occurred_at=when,
            actor_id=actor.pk,
            actor_label=actor.get_username(),
            verb=verb,
            target_type=target[0],
            target_id=str(target[1]),
            target_repr=target[2],
            enterprise_id=enterprise_id,
            payload=text,
            payload_text=text,
            ip=None,
            hash_version=HASH_VERSION,
        )
    )


def chain(chunk: Chunk, keys: Keys) -> None:
    """Number the chunk's events in time order and hash each onto the one before.

    The hash is the audit app's own (AuditEvent.chain_values, audit.chain.compute_hash),
    applied to light objects: a model instance per event would double the load time.
    """
    chunk.events.sort(key=lambda e: e.occurred_at)
    table = TABLES[AuditEvent]
    rows = chunk.rows.setdefault(AuditEvent, [])
    for record in chunk.events:
        keys.seq += 1
        record.id, record.seq, record.prev_hash = keys.take(AuditEvent), keys.seq, keys.head_hash
        record.hash = compute_hash(AuditEvent.chain_values(record))  # type: ignore[arg-type]
        keys.head_hash = record.hash
        rows.append(table.row(**vars(record)))
