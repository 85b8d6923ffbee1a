"""The hash chain: canonical serialisation of an event and verification of a sequence.

Pure functions over plain values, so the same code verifies rows read from the
database and rows read back from an exported CSV file (no database needed).
"""

import hashlib
import hmac
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder

GENESIS_HASH = "0" * 64
HASH_ALGORITHM = "sha256"

# Column order of the canonical form; the CSV export writes exactly these columns.
# Format 2 adds the actor's id (the key the admin follows) and the format number itself.
# Events hashed before it (hash_version empty) are checked over the format-1 fields.
CHAIN_FIELDS = (
    "seq",
    "occurred_at",
    "actor",
    "actor_id",
    "verb",
    "target_type",
    "target_id",
    "target_repr",
    "enterprise_id",
    "payload",
    "ip",
    "hash_version",
    "prev_hash",
)
CHAIN_FIELDS_V1 = tuple(f for f in CHAIN_FIELDS if f not in ("actor_id", "hash_version"))
HASH_VERSION = 2
_V1_POSITIONS = tuple(CHAIN_FIELDS.index(f) for f in CHAIN_FIELDS_V1)
_VERSION_POSITION = CHAIN_FIELDS.index("hash_version")


def canonical_json(value: Any) -> str:
    """Serialise a JSON-able value the one way the chain accepts."""
    return json.dumps(
        value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), cls=DjangoJSONEncoder
    )


def normalise_payload(payload: dict[str, Any] | None) -> dict[str, Any]:
    """Return the payload as it will read back from the database (plain JSON types)."""
    return json.loads(canonical_json(payload or {}))


def format_time(moment: datetime) -> str:
    """Render a timestamp as UTC ISO 8601 with microseconds."""
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def compute_hash(values: Sequence[str]) -> str:
    """Hash one event's canonical string values (CHAIN_FIELDS, or CHAIN_FIELDS_V1 order)."""
    if len(values) == len(CHAIN_FIELDS) and values[_VERSION_POSITION] in ("", "1"):
        values = [values[i] for i in _V1_POSITIONS]
    if len(values) not in (len(CHAIN_FIELDS), len(CHAIN_FIELDS_V1)):
        raise ValueError(f"expected {len(CHAIN_FIELDS)} values, got {len(values)}")
    return hashlib.sha256(canonical_json(list(values)).encode("utf-8")).hexdigest()


def upgrade_v1_row(values: Sequence[str]) -> list[str]:
    """Widen a format-1 row (CHAIN_FIELDS_V1 order) to CHAIN_FIELDS with empty new fields."""
    by_name = dict(zip(CHAIN_FIELDS_V1, values, strict=True))
    return [by_name.get(name, "") for name in CHAIN_FIELDS]


@dataclass(frozen=True)
class ChainProblem:
    """The first place where a sequence of events stops verifying."""

    position: int
    seq: str
    reason: str

    def __str__(self) -> str:
        return f"row {self.position} (seq {self.seq}): {self.reason}"


def verify_rows(
    rows: Iterable[tuple[Sequence[str], str]],
    *,
    expected_prev_hash: str = GENESIS_HASH,
    expected_first_seq: int = 1,
) -> tuple[ChainProblem | None, int, str]:
    """Check (values, stored hash) pairs in order; return (first problem, count, last hash)."""
    prev_hash, expected_seq, count = expected_prev_hash, expected_first_seq, 0
    for position, (values, stored_hash) in enumerate(rows, start=1):
        seq = values[0]
        problem = _row_problem(values, stored_hash, prev_hash, expected_seq)
        if problem:
            return ChainProblem(position, seq, problem), count, prev_hash
        prev_hash, expected_seq, count = stored_hash, expected_seq + 1, count + 1
    return None, count, prev_hash


def _row_problem(values: Sequence[str], stored: str, prev_hash: str, seq: int) -> str | None:
    if values[0] != str(seq):
        return f"expected seq {seq}: a row is missing, inserted or out of order"
    if values[-1] != prev_hash:
        return "prev_hash does not match the previous row's hash"
    if compute_hash(values) != stored:
        return "hash does not match the row's contents"
    return None


def verify_each_row(
    rows: Iterable[tuple[Sequence[str], str]],
) -> tuple[ChainProblem | None, int, str]:
    """Check a filtered subset: each row's own hash and strictly increasing seq."""
    last_seq, last_hash, count = 0, "", 0
    for position, (values, stored_hash) in enumerate(rows, start=1):
        seq = values[0]
        problem = None
        if not seq.isdigit() or int(seq) <= last_seq:
            problem = f"seq {seq} does not follow {last_seq}: rows inserted or out of order"
        elif compute_hash(values) != stored_hash:
            problem = "hash does not match the row's contents"
        if problem:
            return ChainProblem(position, seq, problem), count, last_hash
        last_seq, last_hash, count = int(seq), stored_hash, count + 1
    return None, count, last_hash


# --- CSV form ---------------------------------------------------------------------------

# The export writes the chain fields and the stored hash, so it can be re-verified offline.
CSV_COLUMNS = (*CHAIN_FIELDS, "hash")
CSV_COLUMNS_V1 = (*CHAIN_FIELDS_V1, "hash")
CSV_FORMAT = "evl-audit-csv/2"
CANONICAL_FORM = "sha256(json-array(chain-fields))/2"
# A spreadsheet treats a cell starting with one of these as a formula (or strips it).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "'")


def escape_cell(value: str) -> str:
    """Defuse spreadsheet formulas reversibly: prefix a quote to cells starting a trigger."""
    return "'" + value if value.startswith(FORMULA_TRIGGERS) else value


def unescape_cell(value: str) -> str:
    """Undo escape_cell."""
    return value[1:] if value.startswith("'") else value


# --- Signed checkpoints -----------------------------------------------------------------

SIGNATURE_ALGORITHM = "hmac-sha256"


def checkpoint_message(seq: int | str, head_hash: str, created_at: str) -> bytes:
    """Return the bytes a checkpoint signature covers."""
    return canonical_json([str(seq), head_hash, created_at]).encode("utf-8")


def sign(key: str, message: bytes) -> str:
    """Return the HMAC-SHA256 of a message under the audit signing key."""
    if not key:
        raise ValueError("AUDIT_SIGNING_KEY is not set")
    return hmac.new(key.encode("utf-8"), message, hashlib.sha256).hexdigest()


def signature_valid(key: str, message: bytes, signature: str) -> bool:
    """Check a signature in constant time."""
    return hmac.compare_digest(sign(key, message), signature)
