"""The database lost in the middle of a request: a clean 503, and nothing half-written."""

import pytest
from django.db import OperationalError, connection, connections

from licensing.models import Case
from licensing.services import drafts
from tests.licensing.test_api_cases import _body

pytestmark = pytest.mark.usefixtures("frozen_today")


@pytest.fixture
def template(maker):  # type: ignore[no-untyped-def]
    from tests.licensing.factories import draft_case

    return draft_case(maker)


def _assert_clean_503(response) -> None:  # type: ignore[no-untyped-def]
    assert response.status_code == 503
    assert response.json()["code"] == "database_unavailable"
    assert response["Retry-After"] == "30"
    assert b"Traceback" not in response.content and b"OperationalError" not in response.content


def test_a_connection_error_after_a_partial_write_is_a_503_and_rolls_back(
    api_as, maker, template, monkeypatch
):
    def lose_the_connection(**kwargs):  # type: ignore[no-untyped-def]
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(drafts, "audit_record", lose_the_connection)
    before = Case.objects.count()
    response = api_as(maker).post("/api/v1/cases/", _body(template), format="json")
    _assert_clean_503(response)
    assert Case.objects.count() == before


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_postgresql_backend_killed_mid_request_is_a_503_with_nothing_written(
    api_as, maker, template, monkeypatch
):
    real_audit_record = drafts.audit_record

    def kill_own_backend_then_continue(**kwargs):  # type: ignore[no-untyped-def]
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            pid = cursor.fetchone()[0]
        killer = connections.create_connection("default")
        try:
            with killer.cursor() as cursor:
                cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
        finally:
            killer.close()
        return real_audit_record(**kwargs)

    monkeypatch.setattr(drafts, "audit_record", kill_own_backend_then_continue)
    before = Case.objects.count()
    response = api_as(maker).post("/api/v1/cases/", _body(template), format="json")
    _assert_clean_503(response)
    connection.close()  # the killed connection; the next query opens a new one
    assert Case.objects.count() == before
