"""The append-only, hash-chained event log."""

from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from audit.chain import format_time
from config.errors import DomainError


class AuditImmutable(DomainError):
    """Audit events are never changed or deleted."""

    code = "audit_immutable"
    status = 403


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise AuditImmutable("audit events cannot be updated")

    def delete(self) -> NoReturn:
        raise AuditImmutable("audit events cannot be deleted")

    def for_target(self, obj: models.Model) -> "AuditEventQuerySet":
        """Events about one object, newest first."""
        return self.filter(target_type=obj._meta.label_lower, target_id=str(obj.pk)).order_by(
            "-seq"
        )

    def for_enterprise(self, enterprise_id: int) -> "AuditEventQuerySet":
        """Events concerning one enterprise, newest first."""
        return self.filter(enterprise_id=enterprise_id).order_by("-seq")


class AuditEvent(models.Model):
    """One thing that happened: who, what, to what, when, from where, with old/new values."""

    seq = models.PositiveBigIntegerField(_("sequence"), unique=True, editable=False)
    occurred_at = models.DateTimeField(_("time"), db_index=True, editable=False)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    actor_label = models.CharField(_("actor name"), max_length=150, editable=False)
    verb = models.CharField(_("verb"), max_length=100, db_index=True, editable=False)
    target_type = models.CharField(_("target type"), max_length=100, editable=False)
    target_id = models.CharField(_("target id"), max_length=64, editable=False)
    target_repr = models.CharField(_("target"), max_length=255, editable=False)
    enterprise_id = models.BigIntegerField(_("enterprise"), null=True, blank=True, db_index=True)
    payload = models.JSONField(_("payload"), default=dict, editable=False)
    # The exact canonical JSON the hash covers, so exports (SQL COPY included) and the
    # verifier never depend on how a database re-serialises JSON.
    payload_text = models.TextField(_("canonical payload"), default="", editable=False)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True, editable=False)
    prev_hash = models.CharField(_("previous hash"), max_length=64, editable=False)
    hash = models.CharField(_("hash"), max_length=64, unique=True, editable=False)
    # Which fields the hash covers (audit.chain); empty for events written before format 2.
    hash_version = models.PositiveSmallIntegerField(
        _("hash format"), null=True, blank=True, editable=False
    )

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-seq"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [models.Index(fields=["target_type", "target_id", "seq"])]
        permissions = [("export_auditevent", "Can export and verify the audit trail")]

    def __str__(self) -> str:
        return f"#{self.seq} {self.verb} {self.target_repr}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AuditImmutable("audit events cannot be updated")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AuditImmutable("audit events cannot be deleted")

    def chain_values(self) -> list[str]:
        """Return the canonical string values the hash covers (audit.chain.CHAIN_FIELDS)."""
        from audit.chain import canonical_json

        return [
            str(self.seq),
            format_time(self.occurred_at),
            self.actor_label,
            "" if self.actor_id is None else str(self.actor_id),
            self.verb,
            self.target_type,
            self.target_id,
            self.target_repr,
            "" if self.enterprise_id is None else str(self.enterprise_id),
            self.payload_text or canonical_json(self.payload),
            self.ip or "",
            "" if self.hash_version is None else str(self.hash_version),
            self.prev_hash,
        ]


class ChainHead(models.Model):
    """The single row every append locks, so concurrent appends never fork the chain."""

    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("chain head")

    def __str__(self) -> str:
        return f"head #{self.seq} {self.hash[:12]}"


class AuditCheckpoint(models.Model):
    """A signed statement that the chain had `seq` events ending in `hash` at `created_at`."""

    seq = models.PositiveBigIntegerField(_("sequence"), editable=False, db_index=True)
    hash = models.CharField(_("head hash"), max_length=64, editable=False)
    created_at = models.DateTimeField(_("time"), editable=False)
    signature = models.CharField(_("signature"), max_length=64, editable=False)

    class Meta:
        ordering = ["-seq", "-id"]
        get_latest_by = ["seq", "id"]
        verbose_name = _("audit checkpoint")
        verbose_name_plural = _("audit checkpoints")

    def __str__(self) -> str:
        return f"checkpoint #{self.seq} {self.hash[:12]}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AuditImmutable("audit checkpoints cannot be updated")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AuditImmutable("audit checkpoints cannot be deleted")

    def as_dict(self) -> dict[str, str | int]:
        """Return the checkpoint as the plain values a manifest carries."""
        return {
            "seq": self.seq,
            "hash": self.hash,
            "created_at": format_time(self.created_at),
            "signature": self.signature,
        }
