"""The database lost during an admin request, the session saved on the way out included:
the same clean 503 as the API, and nothing half-written."""

import json

import pytest
from django.contrib.sessions.backends.base import UpdateError
from django.contrib.sessions.backends.db import SessionStore
from django.db import OperationalError, connection, connections
from django.test import Client
from django.urls import reverse

from audit.models import AuditEvent
from config.views import server_error
from licensing.admin.cases import CaseAdmin
from licensing.models import Case
from licensing.services import transitions
from tests.licensing.factories import case_in_status

pytestmark = pytest.mark.usefixtures("frozen_today")
NOTHING_SAVED = b"Nothing was saved; try again shortly."
MAY_BE_SAVED = b"Your last change may have been saved: check before trying again."


def _lose_the_connection(*args, **kwargs):  # type: ignore[no-untyped-def]
    raise OperationalError("server closed the connection unexpectedly")


def _assert_clean_503(response) -> None:  # type: ignore[no-untyped-def]
    assert response.status_code == 503
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response["Retry-After"] == "30"
    assert b"Traceback" not in response.content and b"OperationalError" not in response.content
    assert b"server closed" not in response.content


@pytest.fixture
def staff_client(caseworker):  # type: ignore[no-untyped-def]
    """A signed-in caseworker's browser; server errors come back as pages, as in production."""
    client = Client(raise_request_exception=False)
    client.force_login(caseworker)
    return client


@pytest.fixture
def under_review(maker, caseworker, officer):  # type: ignore[no-untyped-def]
    return case_in_status(
        "under_review", applicant_user=maker, caseworker=caseworker, officer=officer
    )


def _recommend(client, case):  # type: ignore[no-untyped-def]
    url = reverse("admin:licensing_case_transition", args=[case.pk, "recommend"])
    body = {"version": case.version, "outcome": "approve", "reasons": "Complete and in order."}
    return client.post(url, body)


def _events(case: Case) -> int:
    return AuditEvent.objects.for_target(case).filter(verb="licensing.case.recommended").count()


def test_an_admin_page_whose_session_cannot_be_saved_is_a_clean_503(staff_client, monkeypatch):
    monkeypatch.setattr(SessionStore, "save", _lose_the_connection)
    response = staff_client.get("/admin/licensing/case/")
    _assert_clean_503(response)
    assert NOTHING_SAVED in response.content


def test_an_admin_page_losing_the_database_before_the_view_is_a_clean_503(
    staff_client, monkeypatch
):
    # The session is read before any view runs (the absolute session lifetime).
    monkeypatch.setattr(SessionStore, "load", _lose_the_connection)
    response = staff_client.get("/admin/licensing/case/")
    _assert_clean_503(response)
    assert NOTHING_SAVED in response.content


def test_an_admin_page_losing_the_database_in_the_view_and_at_the_session_save_is_a_503(
    staff_client, monkeypatch
):
    monkeypatch.setattr(CaseAdmin, "get_queryset", _lose_the_connection)
    monkeypatch.setattr(SessionStore, "save", _lose_the_connection)
    response = staff_client.get("/admin/licensing/case/")
    _assert_clean_503(response)
    assert NOTHING_SAVED in response.content


def test_an_admin_action_losing_the_database_half_way_is_a_503_and_writes_nothing(
    staff_client, under_review, monkeypatch
):
    monkeypatch.setattr(transitions, "audit_record", _lose_the_connection)
    monkeypatch.setattr(SessionStore, "save", _lose_the_connection)
    response = _recommend(staff_client, under_review)
    _assert_clean_503(response)
    assert NOTHING_SAVED in response.content
    under_review.refresh_from_db()
    assert under_review.status == Case.Status.UNDER_REVIEW
    assert _events(under_review) == 0


def test_an_admin_change_committed_before_the_session_save_fails_is_not_called_unsaved(
    staff_client, under_review, monkeypatch
):
    monkeypatch.setattr(SessionStore, "save", _lose_the_connection)
    response = _recommend(staff_client, under_review)
    _assert_clean_503(response)
    assert MAY_BE_SAVED in response.content and NOTHING_SAVED not in response.content
    under_review.refresh_from_db()
    assert under_review.status == Case.Status.RECOMMENDED


def test_an_admin_error_that_is_not_the_database_stays_a_plain_500(staff_client, monkeypatch):
    def fail(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("a bug")

    monkeypatch.setattr(CaseAdmin, "get_queryset", fail)
    response = staff_client.get("/admin/licensing/case/")
    assert response.status_code == 500
    assert b"a bug" not in response.content and b"Traceback" not in response.content


def test_an_api_request_losing_the_database_outside_the_view_gets_the_api_503(rf):
    request = rf.get("/api/v1/cases/")
    try:
        _lose_the_connection()
    except OperationalError:
        response = server_error(request)
    assert response.status_code == 503
    assert json.loads(response.content)["code"] == "database_unavailable"
    assert response["Retry-After"] == "30"


def _kill_own_backend() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    killer = connections.create_connection("default")
    try:
        with killer.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    finally:
        killer.close()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_postgresql_backend_killed_mid_admin_action_is_a_503_with_nothing_written(
    staff_client, under_review, monkeypatch
):
    real_audit_record = transitions.audit_record

    def kill_own_backend_then_continue(**kwargs):  # type: ignore[no-untyped-def]
        _kill_own_backend()
        return real_audit_record(**kwargs)

    monkeypatch.setattr(transitions, "audit_record", kill_own_backend_then_continue)
    response = _recommend(staff_client, under_review)
    _assert_clean_503(response)
    assert NOTHING_SAVED in response.content
    connection.close()  # the killed connection; the next query opens a new one
    under_review.refresh_from_db()
    assert under_review.status == Case.Status.UNDER_REVIEW
    assert _events(under_review) == 0


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_postgresql_backend_killed_before_the_admin_session_is_saved_is_a_clean_503(
    staff_client, monkeypatch
):
    real_save = SessionStore.save

    def kill_own_backend_then_save(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        _kill_own_backend()
        return real_save(self, *args, **kwargs)

    monkeypatch.setattr(SessionStore, "save", kill_own_backend_then_save)
    response = staff_client.get("/admin/licensing/case/")
    _assert_clean_503(response)
    assert NOTHING_SAVED in response.content
    connection.close()


def test_a_session_deleted_by_a_concurrent_sign_out_is_still_a_400(staff_client, monkeypatch):
    def deleted_meanwhile(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise UpdateError

    monkeypatch.setattr(SessionStore, "save", deleted_meanwhile)
    response = staff_client.get("/admin/licensing/case/")
    assert response.status_code == 400
