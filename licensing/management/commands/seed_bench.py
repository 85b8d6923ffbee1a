"""Load a ministry-sized world for the benchmarks through bulk paths (COPY on PostgreSQL)."""

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from licensing.seeding.load import load


class Command(BaseCommand):
    help = (
        "Create N cases with their lines, licences, declarations, notices and a valid audit "
        "chain; reuse what exists (a second run adds only what is missing), then ANALYZE."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--cases", type=int, required=True, help="how many cases in all")
        parser.add_argument("--chunk", type=int, default=20_000, help="cases per transaction")

    def handle(self, *args: Any, **options: Any) -> None:
        total, chunk = options["cases"], options["chunk"]
        if total < 1 or chunk < 1:
            raise CommandError("--cases and --chunk must be positive")
        started = time.perf_counter()

        def progress(done: int) -> None:
            elapsed = time.perf_counter() - started
            self.stdout.write(f"  {done:,} of {total:,} cases ({elapsed:.0f} s)")

        counts = load(total=total, chunk=chunk, now=timezone.now(), progress=progress)
        summary = ", ".join(f"{n:,} {label}" for label, n in counts.items())
        elapsed = time.perf_counter() - started
        self.stdout.write(self.style.SUCCESS(f"Ready in {elapsed:.1f} s: {summary}."))
