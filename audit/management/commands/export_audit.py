"""Export the audit trail (or a date range of it) to CSV, with a manifest beside it."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.http import QueryDict

from audit.export import Digest, csv_stream
from audit.filters import AuditEventFilter, applied_filters
from audit.manifest import manifest_build, manifest_bytes
from audit.models import AuditEvent
from audit.services import export_begin
from config.db_router import read_database, replica_reads


class Command(BaseCommand):
    help = "Write audit events to FILE as CSV and FILE.manifest.json."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--since", help="ISO 8601 date/time, inclusive")
        parser.add_argument("--until", help="ISO 8601 date/time, exclusive")
        parser.add_argument("--output", required=True, help="CSV file to write")

    def handle(self, *args: Any, **options: Any) -> None:
        params = QueryDict(mutable=True)
        for name in ("since", "until"):
            if options[name]:
                params[name] = options[name]
        filterset = AuditEventFilter(params, queryset=AuditEvent.objects.all())
        if not filterset.is_valid():
            raise CommandError(f"invalid range: {dict(filterset.errors)}")
        filters = applied_filters(filterset)
        run = export_begin(actor=None, queryset=filterset.qs, filters=filters, channel="command")
        output = Path(options["output"])
        digest = Digest()
        with output.open("wb") as handle, replica_reads():
            for block in digest.watch(csv_stream(run.queryset.using(read_database()))):
                handle.write(block)
        manifest = manifest_build(
            queryset=run.queryset,
            filters=filters,
            through_seq=run.checkpoint.seq,
            digest=digest,
            exported_by=run.exported_by,
            checkpoint=run.checkpoint,
        )
        manifest_path = output.with_name(output.name + ".manifest.json")
        manifest_path.write_bytes(manifest_bytes(manifest))
        self.stdout.write(
            f"{manifest['row_count']} events to {output} (manifest {manifest_path.name})"
        )
