"""Verification of the trail: in the database, or offline from an exported CSV and manifest.

The CSV path never touches the database, so an auditor can run it on a copy of the files.
"""

import csv
import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from audit.chain import (
    CSV_COLUMNS,
    CSV_COLUMNS_V1,
    GENESIS_HASH,
    ChainProblem,
    checkpoint_message,
    signature_valid,
    unescape_cell,
    upgrade_v1_row,
    verify_each_row,
    verify_rows,
)

Rows = Iterator[tuple[list[str], str]]
PAYLOAD_POSITION = CSV_COLUMNS.index("payload")
STREAM_ROWS = 5000


@dataclass
class Report:
    """What a verification run found; `problems` empty means the trail verifies."""

    checked: int = 0
    last_hash: str = ""
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def fail(self, problem: str | ChainProblem) -> None:
        self.problems.append(str(problem))


def checkpoint_problem(checkpoint: dict[str, Any], key: str) -> str | None:
    """Check a checkpoint's signature; return why it fails, or None."""
    if not key:
        return None
    message = checkpoint_message(checkpoint["seq"], checkpoint["hash"], checkpoint["created_at"])
    if not signature_valid(key, message, checkpoint["signature"]):
        return f"checkpoint #{checkpoint['seq']} signature does not verify"
    return None


# --- Offline: CSV file and manifest -------------------------------------------------------


def read_csv_rows(path: Path, report: Report) -> Rows:
    """Yield (chain values, stored hash) from an export, un-escaping every cell."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader, None)
        columns = tuple(header or ())
        if columns not in (CSV_COLUMNS, CSV_COLUMNS_V1):
            report.fail(f"header is not the audit export's columns: {header}")
            return
        for line in reader:
            cells = [unescape_cell(cell) for cell in line]
            if len(cells) != len(columns):
                cells = (cells + [""] * len(columns))[: len(columns)]
            values = cells[:-1] if columns == CSV_COLUMNS else upgrade_v1_row(cells[:-1])
            yield values, cells[-1]


def file_sha256(path: Path) -> str:
    """Hash a file in blocks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def verify_csv(path: Path, manifest: dict[str, Any] | None, *, key: str) -> Report:
    """Verify an exported CSV file, against its manifest and checkpoint when given."""
    report = Report()
    manifest = manifest or {}
    rows = read_csv_rows(path, report)
    if manifest.get("contiguous", True):
        problem, count, last = verify_rows(
            rows,
            expected_prev_hash=manifest.get("first_prev_hash") or GENESIS_HASH,
            expected_first_seq=int(manifest.get("first_seq") or 1),
        )
    else:
        problem, count, last = verify_each_row(rows)
    report.checked, report.last_hash = count, last
    if problem:
        report.fail(problem)
    if not report.problems and manifest:
        _check_manifest(path, manifest, report, key)
    return report


def _check_manifest(path: Path, manifest: dict[str, Any], report: Report, key: str) -> None:
    if report.checked != manifest.get("row_count"):
        report.fail(
            f"row {report.checked + 1}: file has {report.checked} rows, manifest says "
            f"{manifest.get('row_count')} (rows deleted, inserted or truncated)"
        )
    if report.checked and report.last_hash != manifest.get("last_hash"):
        report.fail(f"row {report.checked}: last hash differs from the manifest (truncated?)")
    if file_sha256(path) != manifest.get("file_sha256"):
        report.fail("file SHA-256 differs from the manifest")
    if key:
        _check_signatures(manifest, report, key)
    else:
        report.notes.append("AUDIT_SIGNING_KEY not set: signatures not checked")
    _check_checkpoint_covers(manifest, report)


def _check_signatures(manifest: dict[str, Any], report: Report, key: str) -> None:
    from audit.chain import canonical_json

    unsigned = {k: v for k, v in manifest.items() if k != "signature"}
    message = canonical_json(unsigned).encode("utf-8")
    if not signature_valid(key, message, manifest.get("signature", "")):
        report.fail("manifest signature does not verify (manifest edited?)")
    checkpoint = manifest.get("checkpoint")
    if checkpoint and (problem := checkpoint_problem(checkpoint, key)):
        report.fail(problem)


def _check_checkpoint_covers(manifest: dict[str, Any], report: Report) -> None:
    checkpoint = manifest.get("checkpoint")
    if not checkpoint:
        report.notes.append("no checkpoint in the manifest: tail truncation not checkable")
        return
    bounded = any(name in manifest.get("filters", {}) for name in ("until", "seq_max"))
    ends_early = report.checked and report.last_hash != checkpoint["hash"]
    if manifest.get("contiguous") and not bounded and ends_early:
        report.fail(
            f"row {report.checked}: export ends before checkpoint #{checkpoint['seq']} "
            "(tail truncated)"
        )
    anchor = manifest.get("external_anchor")
    last_seq = int(manifest.get("last_seq") or 0)
    if anchor and manifest.get("contiguous") and not bounded and int(anchor["seq"]) > last_seq:
        report.fail(
            f"tail cut: the external anchor of {anchor['created_at']} covers {anchor['seq']} "
            f"events, the export ends at seq {last_seq}; first missing seq {last_seq + 1}"
        )


def load_manifest(path: Path) -> dict[str, Any]:
    """Read a manifest file."""
    return json.loads(path.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


# --- Database ------------------------------------------------------------------------------


def verify_database(*, key: str) -> Report:
    """Verify the whole chain in the database and every checkpoint against it."""
    from audit.models import AuditCheckpoint

    report = Report()
    checkpoints = list(AuditCheckpoint.objects.order_by("seq", "id"))
    expected = {c.seq: c.hash for c in checkpoints}
    problem, count, last = verify_rows(_database_rows(report, expected))
    report.checked, report.last_hash = count, last
    if problem:
        report.problems.insert(0, str(problem))
    for checkpoint in checkpoints:
        if sig_problem := checkpoint_problem(checkpoint.as_dict(), key):
            report.fail(sig_problem)
    if checkpoints and not problem and checkpoints[-1].seq > count:
        latest = checkpoints[-1]
        report.fail(
            f"row {count + 1} (seq {count + 1}): missing, but checkpoint #{latest.seq} "
            f"signed {latest.created_at:%Y-%m-%d %H:%M} covers it (tail truncated)"
        )
    _check_external_anchor(report, count, key)
    return report


def _check_external_anchor(report: Report, count: int, key: str) -> None:
    from audit.anchor import anchor_path, latest_anchor
    from audit.models import AuditEvent

    anchor = latest_anchor()
    if anchor is None:
        report.notes.append(f"no external anchor in {anchor_path()}: a cut tail would go unseen")
        return
    seq, when = int(anchor["seq"]), anchor["created_at"]
    if problem := checkpoint_problem(anchor, key):
        report.fail(f"external anchor: {problem} (anchor file forged?)")
    elif seq > count:
        report.fail(
            f"tail cut: the external anchor of {when} covers {seq} events, the database holds "
            f"{count}; first missing seq {count + 1}"
        )
    elif AuditEvent.objects.filter(seq=seq, hash=anchor["hash"]).exists() or seq == 0:
        report.notes.append(f"external anchor #{seq} of {when} matches the chain")
    else:
        report.fail(f"seq {seq}: hash differs from the external anchor of {when} (rewritten)")


def _database_rows(report: Report, checkpoints: dict[int, str]) -> Rows:
    from django.db import connection

    signed = {str(seq): head for seq, head in checkpoints.items()}
    rows = _postgres_rows() if connection.vendor == "postgresql" else _python_rows()
    for values, stored_hash, payload_matches in rows:
        seq = values[0]
        if not payload_matches:
            report.fail(f"seq {seq}: payload differs from the canonical text the hash covers")
        if seq in signed and signed[seq] != stored_hash:
            report.fail(f"seq {seq}: hash differs from the one checkpoint #{seq} signed")
        yield values, stored_hash


def _python_rows() -> Iterator[tuple[list[str], str, bool]]:
    """Render each event through the export's Python column map (databases without COPY)."""
    from audit.export import COLUMNS, FIELDS
    from audit.models import AuditEvent

    records = AuditEvent.objects.order_by("seq").values_list(*FIELDS, "payload")
    for record in records.iterator(chunk_size=STREAM_ROWS):
        values = [c.text(v) for c, v in zip(COLUMNS, record, strict=False)]
        matches = json.loads(values[PAYLOAD_POSITION] or "{}") == record[-1]
        yield values[:-1], values[-1], matches


def _postgres_rows() -> Iterator[tuple[list[str], str, bool]]:
    """Stream ready-rendered text rows through a server-side cursor.

    PostgreSQL renders every chain field as the export's text (the same SQL expressions as
    COPY) and compares the JSONB payload with its canonical text itself, so Python builds no
    model, datetime or parsed payload per row.
    """
    from django.db import connection

    from audit.export import COLUMNS
    from audit.models import AuditEvent

    select = ", ".join(c.sql for c in COLUMNS)
    same_payload = "t.payload = COALESCE(NULLIF(t.payload_text, ''), '{}')::jsonb"
    table = connection.ops.quote_name(AuditEvent._meta.db_table)
    sql = f"SELECT {select}, {same_payload} FROM {table} AS t ORDER BY t.seq"  # noqa: S608
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql)
        while batch := cursor.fetchmany(STREAM_ROWS):
            for row in batch:
                yield list(row[:-2]), row[-2], row[-1]
