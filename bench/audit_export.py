"""Benchmark: streaming CSV export of the audit trail against PostgreSQL's own COPY.

    DATABASE_URL=postgres://.../evl_bench .venv/bin/python bench/audit_export.py --rows 1000000

Fills the database (migrating it first) up to --rows events with a valid hash chain, built
by the same chain functions audit_record uses but bulk-loaded with COPY FROM for speed.
Then, each in its own process so peak memory is its own, it measures:
  copy    plain `COPY (SELECT ...) TO STDOUT CSV` of the same rows (the physical limit)
  export  our export stream (escaped, canonical, quoted; COPY path on PostgreSQL)
  python  our Python path (the SQLite path), only with --python
and prints time, MB/s and peak RSS of each, and the export/COPY ratio.
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from audit.chain import GENESIS_HASH, canonical_json, compute_hash, format_time  # noqa: E402
from audit.export import copy_stream, python_stream  # noqa: E402
from audit.models import AuditEvent, ChainHead  # noqa: E402

VERBS = ("licensing.case.submitted", "licensing.case.decided", "registry.enterprise.updated")
NOTES = ("routine", "中文备注，含逗号", 'says "hello"\nsecond line', "=HYPERLINK(1)", "-5")
COLUMNS = (
    "seq, occurred_at, actor_label, verb, target_type, target_id, target_repr, "
    "enterprise_id, payload, payload_text, ip, prev_hash, hash"
)


def fill(rows: int) -> None:
    """Append events until the trail holds `rows`, chaining from the current head."""
    call_command("migrate", verbosity=0)
    head = ChainHead.objects.filter(pk=1).first()
    seq, prev = (head.seq, head.hash) if head else (0, GENESIS_HASH)
    missing = rows - seq
    if missing <= 0:
        return
    started = time.perf_counter()
    start = datetime(2026, 1, 1, tzinfo=UTC) + timedelta(seconds=seq)
    with transaction.atomic(), connection.cursor() as cursor:
        statement = f"COPY audit_auditevent ({COLUMNS}) FROM STDIN"
        with cursor.cursor.copy(statement) as copy:
            for n in range(seq + 1, rows + 1):
                row = _event(n, start + timedelta(milliseconds=n), prev)
                prev = row[-1]
                copy.write_row(row)
        ChainHead.objects.update_or_create(pk=1, defaults={"seq": rows, "hash": prev})
    print(f"generated {missing:,} events in {time.perf_counter() - started:.1f} s", flush=True)


def _event(n: int, when: datetime, prev: str) -> tuple:
    note = NOTES[n % len(NOTES)]
    payload = canonical_json({"changes": {"status": ["draft", "submitted"]}, "n": n, "note": note})
    enterprise = n % 50 or None
    values = [
        str(n),
        format_time(when),
        "bench",
        VERBS[n % len(VERBS)],
        "licensing.case",
        str(n % 5000),
        f"EVL-{n % 5000:05d} 纯电动",
        "" if enterprise is None else str(enterprise),
        payload,
        f"10.0.{n % 256}.{n % 200 + 1}",
        prev,
    ]
    digest = compute_hash(values)
    return (*values[:7], enterprise, payload, payload, values[9], prev, digest)


def plain_copy_blocks():  # type: ignore[no-untyped-def]
    sql = (
        f"COPY (SELECT {COLUMNS.replace('payload, payload_text', 'payload_text')} "
        "FROM audit_auditevent ORDER BY seq) TO STDOUT WITH (FORMAT csv)"
    )
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        yield from copy


def measure(method: str) -> dict:
    """Consume one export method fully; return its time, size and this process's peak RSS."""
    queryset = AuditEvent.objects.all()
    blocks = {
        "copy": plain_copy_blocks,
        "export": lambda: copy_stream(queryset),
        "python": lambda: python_stream(queryset),
    }[method]()
    started, size = time.perf_counter(), 0
    for block in blocks:
        size += len(block)
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"method": method, "seconds": seconds, "bytes": size, "peak_rss_mb": peak_mb}


def run_child(method: str) -> dict:
    output = subprocess.run(
        [sys.executable, __file__, "--measure", method],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--python", action="store_true", help="also time the Python path")
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure)))
        return
    if connection.vendor != "postgresql":
        sys.exit("this benchmark compares against PostgreSQL COPY: set DATABASE_URL")
    fill(args.rows)
    count = AuditEvent.objects.count()
    methods = ["copy", "export", "copy", "export"] + (["python"] if args.python else [])
    results: dict[str, dict] = {}
    for method in methods:  # run each twice, keep the faster (warm cache for both)
        result = run_child(method)
        best = results.get(method)
        if best is None or result["seconds"] < best["seconds"]:
            results[method] = result
    print(f"\n{count:,} events")
    for r in results.values():
        mb = r["bytes"] / 1e6
        print(
            f"{r['method']:>7}: {r['seconds']:6.2f} s  {mb:8.1f} MB  "
            f"{mb / r['seconds']:6.1f} MB/s  peak RSS {r['peak_rss_mb']:6.1f} MB"
        )
    ratio = results["export"]["seconds"] / results["copy"]["seconds"]
    print(f"export / COPY time ratio: {ratio:.2f}x")
    if "python" in results:
        slower = results["python"]["seconds"] / results["copy"]["seconds"]
        print(f"python / COPY time ratio: {slower:.2f}x")


if __name__ == "__main__":
    main()
