"""Reads of the audit trail: who may see it, export facts, checkpoints, timelines."""

from typing import Any

from django.db.models import Count, Max, Min, QuerySet

from audit.models import AuditCheckpoint, AuditEvent


def may_view_audit(user: Any) -> bool:
    """Staff holding audit.view_auditevent (every staff role) may read the trail."""
    return bool(user.is_authenticated and user.is_staff and user.has_perm("audit.view_auditevent"))


def may_export_audit(user: Any) -> bool:
    """Only auditors (audit.export_auditevent) may export and verify the trail."""
    return bool(
        user.is_authenticated and user.is_staff and user.has_perm("audit.export_auditevent")
    )


def events_visible_to(user: Any) -> QuerySet[AuditEvent]:
    """Return every event for those who may read the trail, none for anyone else."""
    if may_view_audit(user):
        return AuditEvent.objects.all()
    return AuditEvent.objects.none()


def export_facts(queryset: QuerySet[AuditEvent]) -> dict[str, Any]:
    """Return count, seq range, first prev_hash and last hash of an export's rows."""
    facts = queryset.aggregate(row_count=Count("id"), first_seq=Min("seq"), last_seq=Max("seq"))
    by_seq = queryset.order_by("seq")
    facts["first_prev_hash"] = by_seq.values_list("prev_hash", flat=True).first()
    facts["last_hash"] = by_seq.reverse().values_list("hash", flat=True).first()
    return facts


def checkpoint_at(seq: int) -> AuditCheckpoint | None:
    """Return the newest checkpoint signed at exactly this sequence number."""
    return AuditCheckpoint.objects.filter(seq=seq).order_by("-id").first()


def latest_checkpoint() -> AuditCheckpoint | None:
    """Return the most recent checkpoint."""
    return AuditCheckpoint.objects.order_by("-seq", "-id").first()


def timeline(obj: Any, *, limit: int = 20) -> list[AuditEvent]:
    """Return the latest events about one object, newest first."""
    return list(AuditEvent.objects.for_target(obj).select_related("actor")[:limit])
