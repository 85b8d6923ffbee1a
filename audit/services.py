"""The only writer of audit events."""

import ipaddress
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import connections, models, router, transaction
from django.http import HttpRequest
from django.utils import timezone

from audit.anchor import anchor_append
from audit.chain import (
    GENESIS_HASH,
    HASH_VERSION,
    canonical_json,
    checkpoint_message,
    compute_hash,
    format_time,
    normalise_payload,
    sign,
)
from audit.context import current_ip
from audit.models import AuditCheckpoint, AuditEvent, ChainHead
from config.errors import ActionForbidden
from config.sql import compiled_insert

SYSTEM_ACTOR = "system"
Target = models.Model | tuple[str, str, str]
# The events an open audit_batch holds back (None: no batch open).
_pending_events: ContextVar[list[AuditEvent] | None] = ContextVar("audit_pending", default=None)


def audit_record(
    *,
    actor: AbstractBaseUser | None,
    verb: str,
    target: Target,
    payload: dict[str, Any] | None = None,
    enterprise_id: int | None = None,
    ip: str | None = None,
) -> AuditEvent:
    """Append one event to the chain inside the caller's transaction."""
    target_type, target_id, target_repr = _describe(target)
    payload = normalise_payload(payload)
    event = AuditEvent(
        occurred_at=timezone.now(),
        actor=actor if actor is not None and actor.pk else None,
        actor_label=actor.get_username() if actor is not None else SYSTEM_ACTOR,
        verb=verb,
        target_type=target_type,
        target_id=target_id,
        target_repr=target_repr[:255],
        enterprise_id=enterprise_id,
        payload=payload,
        payload_text=canonical_json(payload),
        ip=_normalised_ip(ip if ip is not None else current_ip.get()),
        hash_version=HASH_VERSION,
    )
    pending = _pending_events.get()
    if pending is not None:
        pending.append(event)
    else:
        _append([event])
    return event


@contextmanager
def audit_batch() -> Iterator[None]:
    """Chain the events recorded inside in one write when the block ends without error.

    For an action that records several events in one transaction: the chain head is locked
    and written once (three queries in all) instead of once per event. Open it inside the
    caller's transaction; the events get their sequence numbers and hashes at the end.
    """
    if _pending_events.get() is not None:
        yield  # an enclosing batch writes them
        return
    pending: list[AuditEvent] = []
    token = _pending_events.set(pending)
    try:
        yield
    finally:
        _pending_events.reset(token)
    if pending:
        _append(pending)


def _append(events: list[AuditEvent]) -> None:
    # No savepoint: an event that cannot be written fails the caller's whole transaction.
    with transaction.atomic(savepoint=False):
        head = _locked_head()
        seq, prev_hash = head.seq, head.hash
        for event in events:
            seq += 1
            event.seq, event.prev_hash = seq, prev_hash
            event.hash = prev_hash = compute_hash(event.chain_values())
        _store(events, head.pk, seq, prev_hash)


def _store(events: list[AuditEvent], head_pk: int, seq: int, last_hash: str) -> None:
    """Insert the chained events and move the head to the last of them.

    On PostgreSQL one statement does both (the insert as a data-modifying WITH, which runs
    to completion whatever the outer statement reads): one round trip fewer for every
    audited action. Elsewhere the insert and the update are two statements.
    """
    connection = connections[router.db_for_write(AuditEvent)]
    if connection.vendor != "postgresql":
        AuditEvent.objects.bulk_create(events)
        ChainHead.objects.filter(pk=head_pk).update(seq=seq, hash=last_hash)
        return
    insert_sql, insert_params = compiled_insert(
        AuditEvent, events, connection=connection, returning=("id", "seq")
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH appended AS ({insert_sql}), "  # noqa: S608 - Django compiled the insert
            "moved AS (UPDATE audit_chainhead SET seq = %s, hash = %s WHERE id = %s) "
            "SELECT id, seq FROM appended",
            [*insert_params, seq, last_hash, head_pk],
        )
        ids = {number: pk for pk, number in cursor.fetchall()}
    for event in events:
        event.pk = ids[event.seq]
        event._state.adding, event._state.db = False, connection.alias


def checkpoint_create() -> AuditCheckpoint:
    """Sign the current head (count, last hash, time); store it and anchor it outside."""
    with transaction.atomic():
        head = _locked_head()
        created_at = timezone.now()
        message = checkpoint_message(head.seq, head.hash, format_time(created_at))
        checkpoint = AuditCheckpoint.objects.create(
            seq=head.seq,
            hash=head.hash,
            created_at=created_at,
            signature=sign(settings.AUDIT_SIGNING_KEY, message),
        )
        # Only a committed checkpoint leaves the database, so the anchor never runs ahead.
        transaction.on_commit(partial(anchor_append, checkpoint.as_dict()))
    return checkpoint


@dataclass(frozen=True)
class ExportRun:
    """An export in progress: its rows pinned at a signed checkpoint."""

    queryset: models.QuerySet[AuditEvent]
    filters: dict[str, str]
    checkpoint: AuditCheckpoint
    exported_by: str


def export_begin(
    *,
    actor: AbstractBaseUser | None,
    queryset: models.QuerySet[AuditEvent],
    filters: dict[str, str],
    channel: str,
) -> ExportRun:
    """Sign a checkpoint at the head, pin the export to it and record who exported what."""
    with transaction.atomic():
        checkpoint = checkpoint_create()
        audit_record(
            actor=actor,
            verb="audit.trail.exported",
            target=("audit.auditcheckpoint", str(checkpoint.pk), str(checkpoint)),
            payload={"filters": filters, "through_seq": checkpoint.seq, "channel": channel},
        )
    label = actor.get_username() if actor is not None else SYSTEM_ACTOR
    return ExportRun(queryset.filter(seq__lte=checkpoint.seq), filters, checkpoint, label)


def verification_record(
    *, actor: AbstractBaseUser | None, checked: int, problem: str | None, source: str
) -> AuditEvent:
    """Record that someone verified the trail, and what they found."""
    return audit_record(
        actor=actor,
        verb="audit.trail.verified",
        target=("audit.trail", source, source),
        payload={"checked": checked, "ok": problem is None, "problem": problem},
    )


def refusal_record(*, actor: AbstractBaseUser | None, method: str, path: str, reason: str) -> None:
    """Record that someone was refused permission (in its own transaction, so it persists)."""
    user = actor if actor is not None and actor.is_authenticated else None
    audit_record(
        actor=user,
        verb="auth.permission.refused",
        target=("http.request", path[:64], f"{method} {path}"),
        payload={"method": method, "path": path, "reason": reason[:500]},
    )


def refusal_record_if_forbidden(*, request: HttpRequest, error: Exception) -> None:
    """Record a service's permission refusal met through a page, as the API records its 403s."""
    if isinstance(error, ActionForbidden):
        refusal_record(
            actor=getattr(request, "user", None),
            method=request.method or "",
            path=request.path,
            reason=error.message,
        )


def _normalised_ip(ip: str | None) -> str | None:
    # Hash the address as the database will hand it back (PostgreSQL canonicalises inet).
    if not ip:
        return None
    try:
        address = ipaddress.ip_address(ip.split("%")[0])  # no zone: inet has none
    except ValueError:
        return None
    mapped = getattr(address, "ipv4_mapped", None)
    return str(mapped or address)


def _locked_head() -> ChainHead:
    head = ChainHead.objects.select_for_update().filter(pk=1).first()
    if head is None:
        ChainHead.objects.get_or_create(pk=1, defaults={"seq": 0, "hash": GENESIS_HASH})
        head = ChainHead.objects.select_for_update().get(pk=1)
    return head


def _describe(target: Target) -> tuple[str, str, str]:
    if isinstance(target, tuple):
        return target
    return target._meta.label_lower, str(target.pk), str(target)


def snapshot(instance: models.Model, fields: list[str]) -> dict[str, Any]:
    """Capture field values (foreign keys as ids) in JSON-able form."""
    values = {}
    for name in fields:
        field = instance._meta.get_field(name)
        if field.many_to_many:
            values[name] = sorted(
                instance.pk and getattr(instance, name).values_list("pk", flat=True) or []
            )
        else:
            values[name] = getattr(instance, field.attname)
    return normalise_payload(values)


def changes(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """Return {field: [old, new]} for the fields whose value changed."""
    return {k: [before.get(k), after[k]] for k in after if before.get(k) != after[k]}


__all__ = [
    "SYSTEM_ACTOR",
    "audit_batch",
    "audit_record",
    "canonical_json",
    "changes",
    "checkpoint_create",
    "snapshot",
]
