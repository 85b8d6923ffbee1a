"""The external anchor: every signed checkpoint is also appended to a file outside the database.

Someone with database rights can cut the chain's tail, delete the checkpoints after it and
rewind the head; the anchor file keeps the last signed head out of their reach. Point
AUDIT_ANCHOR_PATH at storage the database administrators cannot rewrite (an append-only file,
``chattr +a``, or a WORM mount); the application only ever opens it with O_APPEND.
"""

import json
import os
from pathlib import Path
from typing import Any

from django.conf import settings

from audit.chain import canonical_json


def anchor_path() -> Path:
    """Return where checkpoints are anchored."""
    return Path(settings.AUDIT_ANCHOR_PATH)


def anchor_append(checkpoint: dict[str, Any]) -> None:
    """Append one checkpoint as a JSON line, opened append-only and flushed to disk."""
    path = anchor_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    line = (canonical_json(checkpoint) + "\n").encode("utf-8")
    handle = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
    try:
        os.write(handle, line)
        os.fsync(handle)
    finally:
        os.close(handle)


def latest_anchor() -> dict[str, Any] | None:
    """Return the last complete checkpoint line of the anchor file, or None if there is none."""
    path = anchor_path()
    if not path.exists():
        return None
    latest = None
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            try:
                record = json.loads(line)
            except ValueError:
                continue  # a torn last write (crash mid-line) is not a checkpoint
            if isinstance(record, dict) and {"seq", "hash", "created_at"} <= set(record):
                latest = record
    return latest
