"""The only writer of audit events."""

from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import models, transaction
from django.utils import timezone

from audit.chain import GENESIS_HASH, canonical_json, compute_hash, normalise_payload
from audit.context import current_ip
from audit.models import AuditEvent, ChainHead

SYSTEM_ACTOR = "system"
Target = models.Model | tuple[str, str, str]


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
    with transaction.atomic():
        head = _locked_head()
        event = AuditEvent(
            seq=head.seq + 1,
            occurred_at=timezone.now(),
            actor=actor if actor is not None and actor.pk else None,
            actor_label=actor.get_username() if actor is not None else SYSTEM_ACTOR,
            verb=verb,
            target_type=target_type,
            target_id=target_id,
            target_repr=target_repr[:255],
            enterprise_id=enterprise_id,
            payload=normalise_payload(payload),
            ip=ip if ip is not None else current_ip.get(),
            prev_hash=head.hash,
        )
        event.hash = compute_hash(event.chain_values())
        event.save(force_insert=True)
        ChainHead.objects.filter(pk=head.pk).update(seq=event.seq, hash=event.hash)
    return event


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


__all__ = ["SYSTEM_ACTOR", "audit_record", "canonical_json", "changes", "snapshot"]
