"""Seed (or reuse) the ministry-sized dataset and print the whole scale table.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/evl_bench .venv/bin/python bench/run_all.py \\
        --cases 1000000

Every row is measured in a child process of its own (so its peak memory is its own) against a
baseline measured in the same run on the same data; the table goes to stdout and to
docs/PERFORMANCE.md with a description of the machine. Nothing here asserts a timing.
"""

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

ORDER = ("admin", "api", "issue", "declare", "verify", "certificate", "export")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--rows", default=",".join(ORDER), help="comma-separated subset")
    parser.add_argument("--output", default=str(ROOT / "docs" / "PERFORMANCE.md"))
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        _measure_child(args.measure)
        return
    if connection.vendor != "postgresql":
        sys.exit("Set DATABASE_URL to a PostgreSQL database of its own: the scale is for it.")
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    # Seeded in a process of its own: Linux carries a parent's peak RSS into the children it
    # starts, so a load held in this process would be every row's peak memory.
    subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "seed_bench", "--cases", str(args.cases)],
        check=True,
    )
    seed_s = time.perf_counter() - started
    rows: list[dict[str, Any]] = []
    for key in args.rows.split(","):
        print(f"measuring {key} ...", file=sys.stderr, flush=True)
        try:
            rows += _export_rows() if key == "export" else _child(key)
        except (subprocess.CalledProcessError, ValueError, KeyError) as exc:
            print(getattr(exc, "stderr", "") or exc, file=sys.stderr)
            rows.append({"work": f"{key}: failed (see the run's output)", "failed": True})
    table = _table(rows)
    print(table)
    Path(args.output).write_text(_document(table, args.cases, seed_s), encoding="utf-8")
    print(f"written to {args.output}", file=sys.stderr)


def _measure_child(key: str) -> None:
    from bench.scale_rows import ROWS

    load = os.getloadavg()[0]
    results = ROWS[key]()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    for row in results:
        row.update(peak_mb=peak, load=load)
    print(json.dumps(results))


def _child(key: str) -> list[dict[str, Any]]:
    done = subprocess.run(
        [sys.executable, __file__, "--measure", key], capture_output=True, text=True
    )
    if done.returncode:
        # One broken row must not cost the others: report it and go on.
        print(done.stderr, file=sys.stderr)
        return [{"work": f"{key}: failed (see the run's output)", "failed": True}]
    return json.loads(done.stdout.strip().splitlines()[-1])


def _export_rows() -> list[dict[str, Any]]:
    """Our audit CSV export against plain COPY of the same rows (bench/audit_export.py)."""
    script = str(ROOT / "bench" / "audit_export.py")
    best: dict[str, dict[str, Any]] = {}
    load = os.getloadavg()[0]
    for method in ("copy", "export", "copy", "export"):
        output = subprocess.run(
            [sys.executable, script, "--measure", method],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        result = json.loads(output.strip().splitlines()[-1])
        if method not in best or result["seconds"] < best[method]["seconds"]:
            best[method] = result
    ours, copy = best["export"], best["copy"]
    return [
        {
            "work": f"audit CSV export ({ours['bytes'] / 1e6:,.0f} MB)",
            "ours_ms": ours["seconds"] * 1000,
            "queries": None,
            "baseline": "plain COPY of the same rows",
            "baseline_ms": copy["seconds"] * 1000,
            "peak_mb": ours["peak_rss_mb"],
            "load": load,
        }
    ]


def _ms(value: float) -> str:
    return f"{value / 1000:,.1f} s" if value >= 10_000 else f"{value:,.1f} ms"


def _table(rows: list[dict[str, Any]]) -> str:
    lines = [
        "| work | ours | queries | baseline in the same run | baseline | ratio | peak RSS | load |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        if r.get("failed"):
            lines.append(f"| {r['work']} | — | — | — | — | — | — | — |")
            continue
        ratio = r["ours_ms"] / r["baseline_ms"] if r.get("baseline_ms") else None
        note = f" ({r['note']})" if r.get("note") else ""
        queries = "—" if r["queries"] is None else r["queries"]
        lines.append(
            f"| {r['work']} | {_ms(r['ours_ms'])}{note} | {queries} "
            f"| {r['baseline']} | {_ms(r['baseline_ms'])} | {f'{ratio:.2f}×' if ratio else '—'} "
            f"| {r['peak_mb']:.0f} MB | {r['load']:.1f} |"
        )
    return "\n".join(lines)


def _machine() -> str:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    memory = next(
        line.split(":", 1)[1].strip()
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal")
    )
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgres = cursor.fetchone()[0]
    return (
        f"{cpu}, {os.cpu_count()} CPUs, {memory} RAM; {platform.system()} {platform.release()}; "
        f"PostgreSQL {postgres}; Python {platform.python_version()}, Django {django.get_version()}"
    )


def _document(table: str, cases: int, seed_s: float) -> str:
    from audit.models import AuditEvent
    from licensing.models import Case, Licence

    counts = (
        f"{Case.objects.count():,} cases, {Licence.objects.count():,} licences, "
        f"{AuditEvent.objects.count():,} audit events"
    )
    return f"""# Performance at ministry scale

Produced by `bench/run_all.py --cases {cases}` (do not edit by hand; run it again). Each row
is timed in a process of its own against a baseline measured in the same run on the same
data: medians of {9} runs after a warm-up, except the audit trail (one full pass each) and
the export (best of two). Load is the 1-minute load average when the row started; the
machine is shared, so ratios mean more than absolute times.

Machine: {_machine()}.

Dataset: {counts} (`seed_bench` took {seed_s:,.0f} s this run; 0 when reused).

{table}
"""


if __name__ == "__main__":
    main()
