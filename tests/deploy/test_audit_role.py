"""The application's database role may only INSERT and SELECT audit rows (PostgreSQL)."""

from pathlib import Path

import pytest
from django.db import DatabaseError, connection, transaction

from audit.models import AuditEvent
from audit.services import audit_record

SQL = Path(__file__).resolve().parents[2] / "deploy" / "sql" / "audit_role.sql"
ROLE = "evl_app_role_test"
pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


@pytest.fixture
def as_app_role(admin_user):  # type: ignore[no-untyped-def]
    """Inside the test's transaction: create the role, grant as the file says, become it."""
    audit_record(actor=admin_user, verb="registry.enterprise.updated", target=admin_user)
    script = SQL.read_text().replace(':"app_role"', f'"{ROLE}"')
    statements = [s for s in _without_comments(script).split(";") if s.strip()]
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE ROLE "{ROLE}" NOLOGIN')
        for statement in statements:
            cursor.execute(statement)
        cursor.execute(f'SET ROLE "{ROLE}"')
    yield
    with connection.cursor() as cursor:
        cursor.execute("RESET ROLE")


def _without_comments(script: str) -> str:
    return "\n".join(line for line in script.splitlines() if not line.startswith("--"))


def _sqlstate(sql: str) -> str:
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)
    except DatabaseError as error:
        return getattr(error.__cause__, "sqlstate", "")
    return "ok"


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE audit_auditevent SET verb = 'rewritten'",
        "DELETE FROM audit_auditevent",
        "TRUNCATE audit_auditevent",
        "DELETE FROM audit_auditcheckpoint",
        "DROP TRIGGER audit_auditevent_append_only ON audit_auditevent",
    ],
)
def test_the_application_role_cannot_rewrite_or_remove_audit_rows(as_app_role, sql):
    # 42501 insufficient_privilege (42501 also for DROP TRIGGER: must be owner):
    # refused by the grants themselves, not only by the append-only triggers.
    assert _sqlstate(sql) == "42501"


def test_the_application_role_reads_and_appends_audit_events(as_app_role, admin_user):
    before = AuditEvent.objects.count()
    audit_record(actor=admin_user, verb="registry.enterprise.updated", target=admin_user)
    assert AuditEvent.objects.count() == before + 1
