"""Database triggers that make the audit tables append-only, per database vendor.

Installed by migration 0005 and re-ensured after every migrate (SQLite drops a table's
triggers whenever a migration rebuilds the table).
"""

from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper

PROTECTED_TABLES = ("audit_auditevent", "audit_auditcheckpoint")

PG_FUNCTION = """
CREATE OR REPLACE FUNCTION audit_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit trail is append-only: % on % refused', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'restrict_violation';
END
$$
"""
PG_TABLE = [
    "CREATE OR REPLACE TRIGGER {t}_append_only BEFORE UPDATE OR DELETE ON {t} "
    "FOR EACH ROW EXECUTE FUNCTION audit_refuse_change()",
    "CREATE OR REPLACE TRIGGER {t}_no_truncate BEFORE TRUNCATE ON {t} "
    "FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change()",
    # ALWAYS: also fire under session_replication_role = replica.
    "ALTER TABLE {t} ENABLE ALWAYS TRIGGER {t}_append_only",
    "ALTER TABLE {t} ENABLE ALWAYS TRIGGER {t}_no_truncate",
]
SQLITE_TABLE = [
    "CREATE TRIGGER IF NOT EXISTS {t}_no_update BEFORE UPDATE ON {t} "
    "BEGIN SELECT RAISE(ABORT, 'audit trail is append-only: UPDATE on {t} refused'); END",
    "CREATE TRIGGER IF NOT EXISTS {t}_no_delete BEFORE DELETE ON {t} "
    "BEGIN SELECT RAISE(ABORT, 'audit trail is append-only: DELETE on {t} refused'); END",
]


def install_statements(vendor: str) -> list[str]:
    """Return the SQL that installs the append-only triggers on this vendor."""
    if vendor == "postgresql":
        return [PG_FUNCTION] + [s.format(t=t) for t in PROTECTED_TABLES for s in PG_TABLE]
    if vendor == "sqlite":
        return [s.format(t=t) for t in PROTECTED_TABLES for s in SQLITE_TABLE]
    return []


def removal_statements(vendor: str) -> list[str]:
    """Return the SQL that removes the triggers (used only to unapply the migration)."""
    if vendor == "postgresql":
        drops = [
            f"DROP TRIGGER IF EXISTS {t}_{name} ON {t}"
            for t in PROTECTED_TABLES
            for name in ("append_only", "no_truncate")
        ]
        return [*drops, "DROP FUNCTION IF EXISTS audit_refuse_change()"]
    if vendor == "sqlite":
        return [
            f"DROP TRIGGER IF EXISTS {t}_{name}"
            for t in PROTECTED_TABLES
            for name in ("no_update", "no_delete")
        ]
    return []


def install_triggers(connection: BaseDatabaseWrapper) -> None:
    """Install (or re-install) the append-only triggers."""
    with connection.cursor() as cursor:
        _settle_deferred_checks(connection, cursor)
        for statement in install_statements(connection.vendor):
            cursor.execute(statement)


def remove_triggers(connection: BaseDatabaseWrapper) -> None:
    """Remove the append-only triggers."""
    with connection.cursor() as cursor:
        _settle_deferred_checks(connection, cursor)
        for statement in removal_statements(connection.vendor):
            cursor.execute(statement)


def _settle_deferred_checks(connection: BaseDatabaseWrapper, cursor: Any) -> None:
    # PostgreSQL refuses ALTER TABLE while deferred foreign-key checks are pending.
    if connection.vendor == "postgresql" and connection.in_atomic_block:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
