"""Verify the audit trail in the database, or offline from an exported CSV file."""

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from audit.verification import Report, load_manifest, verify_csv
from config.db_router import replica_reads


class Command(BaseCommand):
    help = "Verify the hash chain and checkpoints; exit non-zero naming the first bad row."
    # The offline mode must run without a database, so skip the checks that query it.
    requires_system_checks: list[str] = []
    requires_migrations_checks = False

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--csv", help="verify this exported file instead of the database")
        parser.add_argument("--manifest", help="manifest of the file (default: FILE.manifest.json)")

    def handle(self, *args: Any, **options: Any) -> None:
        key = settings.AUDIT_SIGNING_KEY
        if options["csv"]:
            report = self._verify_file(Path(options["csv"]), options["manifest"], key)
        else:
            with replica_reads():
                report = self._verify_database(key)
        for note in report.notes:
            self.stdout.write(f"note: {note}")
        if not report.ok:
            raise CommandError("audit trail does NOT verify: " + "; ".join(report.problems))
        self.stdout.write(f"OK: {report.checked} events verify (last hash {report.last_hash})")

    def _verify_file(self, path: Path, manifest_arg: str | None, key: str) -> Report:
        manifest_path = Path(manifest_arg) if manifest_arg else None
        default = path.with_name(path.name + ".manifest.json")
        if manifest_path is None and default.exists():
            manifest_path = default
        if not path.exists():
            raise CommandError(f"no such file: {path}")
        manifest = load_manifest(manifest_path) if manifest_path else None
        if manifest is None:
            self.stdout.write("note: no manifest, verifying from the genesis of the chain")
        return verify_csv(path, manifest, key=key)

    def _verify_database(self, key: str) -> Report:
        from audit.services import verification_record
        from audit.verification import verify_database

        report = verify_database(key=key)
        problem = report.problems[0] if report.problems else None
        verification_record(actor=None, checked=report.checked, problem=problem, source="command")
        return report
