"""Reassess every obligation from the whole fleet (set-based, batched); open due reports."""

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from aftersales.models import Obligation
from aftersales.services import compliance_reports_open_due, obligations_recompute


class Command(BaseCommand):
    help = "Reassess the after-sales obligation of every market with exports."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--as-of", type=date.fromisoformat, default=None, help="Assess as on this day."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        changed = obligations_recompute(today=options["as_of"])
        counts = {s.label: Obligation.objects.filter(status=s).count() for s in Obligation.Status}
        summary = ", ".join(f"{label}: {n}" for label, n in counts.items())
        self.stdout.write(f"{changed} obligations changed. {summary}.")
        opened = compliance_reports_open_due(today=options["as_of"])
        self.stdout.write(f"{opened} compliance reports now due.")
