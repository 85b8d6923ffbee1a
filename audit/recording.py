"""Save-and-audit helpers shared by every app's create/update services."""

from typing import Any, TypeVar

from django.contrib.auth.models import AbstractBaseUser
from django.db import models, transaction

from audit.services import audit_record, changes, snapshot

M = TypeVar("M", bound=models.Model)


def audited_fields(instance: models.Model) -> list[str]:
    """Names of the concrete and many-to-many fields worth recording."""
    return [
        f.name
        for f in instance._meta.get_fields()
        if (f.concrete or f.many_to_many) and not f.auto_created and f.name != "id"
    ]


def create_audited(
    instance: M,
    *,
    actor: AbstractBaseUser | None,
    verb: str,
    m2m: dict[str, list[Any]] | None = None,
    enterprise_id: int | None = None,
    is_enterprise: bool = False,
) -> M:
    """Validate, insert and audit a new object (with its many-to-many values) atomically.

    ``is_enterprise`` files the event under the new object's own id, which exists only
    once it is inserted.
    """
    instance.full_clean()
    with transaction.atomic():
        instance.save(force_insert=True)
        for name, values in (m2m or {}).items():
            getattr(instance, name).set(values)
        audit_record(
            actor=actor,
            verb=verb,
            target=instance,
            enterprise_id=instance.pk if is_enterprise else enterprise_id,
            payload={"new": snapshot(instance, audited_fields(instance))},
        )
    return instance


def update_audited(
    instance: M,
    *,
    actor: AbstractBaseUser | None,
    verb: str,
    data: dict[str, Any],
    enterprise_id: int | None = None,
) -> M:
    """Apply field values, validate, save only what changed and audit old → new atomically."""
    fields = audited_fields(instance)
    before = snapshot(instance, fields)
    m2m = {k: v for k, v in data.items() if instance._meta.get_field(k).many_to_many}
    for name, value in data.items():
        if name not in m2m:
            setattr(instance, name, value)
    instance.full_clean()
    with transaction.atomic():
        plain = [k for k in data if k not in m2m]
        if plain:
            instance.save(update_fields=plain)
        for name, values in m2m.items():
            getattr(instance, name).set(values)
        diff = changes(before, snapshot(instance, fields))
        if diff:
            audit_record(
                actor=actor,
                verb=verb,
                target=instance,
                enterprise_id=enterprise_id,
                payload={"changes": diff},
            )
    return instance
