"""Run every reminder sweep as of a day, then deliver the outbox.

A day still to come is previewed: the sweeps run in a transaction that is rolled back, so
nothing is written (no expiry, no notification, no audit event) unless --apply is given,
which only test and staging settings allow.
"""

from argparse import ArgumentTypeError
from datetime import date
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from notifications.discovery import SweepRun, sweeps_preview, sweeps_run
from notifications.services import notifications_deliver_pending

EARLIEST = date(2000, 1, 1)


class Command(BaseCommand):
    help = (
        "Run every reminder sweep as of --as-of (default today) and deliver the outbox. "
        "A future date is a dry run unless --apply is given."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--as-of", type=parse_as_of, default=None, help="YYYY-MM-DD")
        parser.add_argument(
            "--dry-run", action="store_true", help="Print what would happen; write nothing."
        )
        parser.add_argument(
            "--apply",
            action="store_true",
            help="Let a future --as-of write (test and staging databases only).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        today = timezone.localdate()
        as_of = options["as_of"] or today
        if options["apply"] and not settings.REMINDERS_ALLOW_FUTURE_APPLY:
            raise CommandError("--apply is refused by these settings (production).", returncode=2)
        future = as_of > today
        if options["dry_run"] or (future and not options["apply"]):
            self._preview(as_of, future)
            return
        run = sweeps_run(as_of)
        self._print(run, f"Sweeps as of {as_of.isoformat()}:")
        counts = notifications_deliver_pending()
        self.stdout.write(
            f"Delivered: {counts['sent']} sent, {counts['retry']} to retry, "
            f"{counts['failed']} failed"
        )
        if run.failed:
            raise CommandError("at least one sweep failed")

    def _preview(self, as_of: date, future: bool) -> None:
        why = " (a date still to come)" if future else ""
        run = sweeps_preview(as_of)
        self._print(run, f"DRY RUN as of {as_of.isoformat()}{why}: what the sweeps would do:")
        self.stdout.write(f"Would deliver: {run.deliverable} notifications")
        self.stdout.write("Nothing was written. Give --apply to a test or staging database to act.")
        if run.failed:
            raise CommandError("at least one sweep failed")

    def _print(self, run: SweepRun, heading: str) -> None:
        self.stdout.write(heading)
        for name, count in run.results.items():
            shown = "FAILED (see log)" if count is None else str(count)
            self.stdout.write(f"  {name}: {shown}")
        if not run.results:
            self.stdout.write("  (no sweeps declared)")


def parse_as_of(value: str) -> date:
    """Parse --as-of: an ISO date from 2000 on."""
    try:
        day = date.fromisoformat(value)
    except ValueError as exc:
        raise ArgumentTypeError(f"expected a date as YYYY-MM-DD, not {value!r}") from exc
    if day < EARLIEST:
        raise ArgumentTypeError(f"{value} is before {EARLIEST.isoformat()}; give a real date")
    return day
