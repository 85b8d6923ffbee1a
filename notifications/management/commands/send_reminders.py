"""Run every reminder sweep now, as if today were --as-of, then deliver the outbox."""

from argparse import ArgumentTypeError
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from notifications.discovery import run_sweeps
from notifications.services import notifications_deliver_pending


class Command(BaseCommand):
    help = "Run every reminder sweep (as if today were --as-of) and deliver the outbox."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--as-of", type=_parse_date, default=None, help="YYYY-MM-DD")

    def handle(self, *args: Any, **options: Any) -> None:
        as_of = options["as_of"] or timezone.localdate()
        self.stdout.write(f"Sweeps as of {as_of.isoformat()}:")
        results = run_sweeps(as_of)
        for name, count in results.items():
            shown = "FAILED (see log)" if count is None else str(count)
            self.stdout.write(f"  {name}: {shown}")
        if not results:
            self.stdout.write("  (no sweeps declared)")
        counts = notifications_deliver_pending()
        self.stdout.write(
            f"Delivered: {counts['sent']} sent, {counts['retry']} to retry, "
            f"{counts['failed']} failed"
        )
        if any(count is None for count in results.values()):
            raise CommandError("at least one sweep failed")


def _parse_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise ArgumentTypeError(f"expected YYYY-MM-DD, not {value!r}") from exc
