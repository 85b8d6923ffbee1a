"""`flush`, refusing to wipe the audit trail except in a test database.

Django's test cases that commit (live-server and transactional tests) flush every table
between tests; the append-only triggers would refuse that. Only a database whose name
marks it as a test database gets its triggers lifted for the duration of the flush.
"""

from pathlib import Path
from typing import Any

from django.core.management.commands import flush
from django.db import connections

from audit.triggers import install_triggers, remove_triggers


def is_test_database(name: str) -> bool:
    """Tell whether a database name is one Django's test runner created."""
    text = str(name)
    return Path(text).name.startswith("test") or "memorydb" in text or text == ":memory:"


class Command(flush.Command):
    def handle(self, **options: Any) -> None:
        connection = connections[options["database"]]
        if not is_test_database(connection.settings_dict["NAME"]):
            super().handle(**options)  # the triggers refuse the audit tables
            return
        remove_triggers(connection)
        try:
            super().handle(**options)
        finally:
            install_triggers(connection)
