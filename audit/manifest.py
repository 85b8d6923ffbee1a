"""The manifest written beside every export: what range, how many rows, which checkpoint."""

import json
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from audit.anchor import latest_anchor
from audit.chain import (
    CANONICAL_FORM,
    CSV_COLUMNS,
    CSV_FORMAT,
    HASH_ALGORITHM,
    SIGNATURE_ALGORITHM,
    canonical_json,
    format_time,
    sign,
)
from audit.export import Digest, csv_stream
from audit.filters import is_contiguous
from audit.models import AuditCheckpoint
from audit.selectors import checkpoint_at, export_facts


def manifest_build(
    *,
    queryset: QuerySet,
    filters: dict[str, str],
    through_seq: int,
    digest: Digest,
    exported_by: str,
    checkpoint: AuditCheckpoint | None = None,
) -> dict[str, Any]:
    """Describe an export that has been streamed through `digest`, and sign the description."""
    checkpoint = checkpoint or checkpoint_at(through_seq)
    manifest = {
        "format": CSV_FORMAT,
        "columns": list(CSV_COLUMNS),
        "hash_algorithm": HASH_ALGORITHM,
        "canonical_form": CANONICAL_FORM,
        "signature_algorithm": SIGNATURE_ALGORITHM,
        "filters": filters,
        "contiguous": is_contiguous(filters),
        "through_seq": through_seq,
        **export_facts(queryset),
        "file_sha256": digest.sha256.hexdigest(),
        "file_size": digest.size,
        "checkpoint": checkpoint.as_dict() if checkpoint else None,
        # The newest checkpoint outside the database: an export of a cut chain falls short of it.
        "external_anchor": latest_anchor(),
        "exported_by": exported_by,
        "generated_at": format_time(timezone.now()),
    }
    manifest["signature"] = sign(settings.AUDIT_SIGNING_KEY, manifest_message(manifest))
    return manifest


def manifest_for_range(
    *, queryset: QuerySet, filters: dict[str, str], through_seq: int, exported_by: str
) -> dict[str, Any]:
    """Re-stream an export (without keeping it) to build its manifest."""
    digest = Digest()
    for _block in digest.watch(csv_stream(queryset)):
        pass
    return manifest_build(
        queryset=queryset,
        filters=filters,
        through_seq=through_seq,
        digest=digest,
        exported_by=exported_by,
    )


def manifest_message(manifest: dict[str, Any]) -> bytes:
    """Return the bytes a manifest signature covers: everything but the signature."""
    unsigned = {k: v for k, v in manifest.items() if k != "signature"}
    return canonical_json(unsigned).encode("utf-8")


def manifest_bytes(manifest: dict[str, Any]) -> bytes:
    """Render a manifest as the pretty JSON file handed to auditors."""
    return (json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
