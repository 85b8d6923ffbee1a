import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from audit.models import AuditCheckpoint, AuditEvent
from audit.services import checkpoint_create
from tests.audit.conftest import record_events


def snapshot_rows(table: str) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table} ORDER BY id")  # noqa: S608
        return cursor.fetchall()


def refused(sql: str) -> bool:
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # Fire the pending foreign-key checks, which TRUNCATE would otherwise trip on.
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(sql)
    except DatabaseError as error:
        return "append-only" in str(error)
    return False


@pytest.mark.django_db
@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE {t} SET hash = 'x' WHERE id = (SELECT min(id) FROM {t})",
        "UPDATE {t} SET seq = seq",
        "DELETE FROM {t} WHERE id = (SELECT max(id) FROM {t})",
        "DELETE FROM {t}",
    ],
)
@pytest.mark.parametrize("table", ["audit_auditevent", "audit_auditcheckpoint"])
def test_raw_updates_and_deletes_of_audit_rows_are_refused_and_change_nothing(statement, table):
    record_events(3)
    checkpoint_create()
    before = snapshot_rows(table)
    assert refused(statement.format(t=table))
    assert snapshot_rows(table) == before


@pytest.mark.django_db
def test_inserting_events_still_works_under_the_triggers():
    record_events(2)
    assert AuditEvent.objects.count() == 2


@pytest.mark.postgres
@pytest.mark.django_db
@pytest.mark.parametrize("table", ["audit_auditevent", "audit_auditcheckpoint"])
def test_truncate_is_refused_on_postgresql(table):
    record_events(2)
    checkpoint_create()
    before = snapshot_rows(table)
    assert refused(f"TRUNCATE {table}")
    assert refused(f"TRUNCATE {table} CASCADE")
    assert snapshot_rows(table) == before


@pytest.mark.postgres
@pytest.mark.django_db
def test_replica_session_role_does_not_bypass_the_triggers():
    record_events(2)
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = replica")
        assert refused("DELETE FROM audit_auditevent")
    assert AuditEvent.objects.count() == 2


@pytest.mark.postgres
@pytest.mark.django_db
def test_triggers_are_enabled_always_on_postgresql():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tgname, tgenabled FROM pg_trigger WHERE tgrelid IN "
            "('audit_auditevent'::regclass, 'audit_auditcheckpoint'::regclass) "
            "AND NOT tgisinternal"
        )
        rows = dict(cursor.fetchall())
    assert len(rows) == 4
    assert set(rows.values()) == {"A"}


@pytest.mark.django_db
def test_flush_outside_a_test_database_leaves_the_audit_trail_alone(monkeypatch):
    from audit.management.commands import flush

    record_events(1)
    monkeypatch.setattr(flush, "is_test_database", lambda name: False)
    with pytest.raises((DatabaseError, CommandError)):
        call_command("flush", interactive=False, verbosity=0)
    assert AuditEvent.objects.count() == 1
    assert AuditCheckpoint.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_test_runner_flush_still_empties_the_audit_tables_between_tests():
    record_events(1)
    call_command("flush", interactive=False, verbosity=0)
    assert AuditEvent.objects.count() == 0
    record_events(1)
    assert refused("DELETE FROM audit_auditevent")
