"""Round trips that differ by database, for the tests that pin query counts.

On PostgreSQL a data-modifying WITH chains several writes into one statement; SQLite runs
them one by one.
"""

from django.db import connection


def _on_postgresql() -> bool:
    return connection.vendor == "postgresql"


def audit_append() -> int:
    """Chaining events: lock the head; insert the events and move the head."""
    return 2 if _on_postgresql() else 3


def declaration_store() -> int:
    """A declaration, its lines and its vehicles."""
    return 1 if _on_postgresql() else 3
