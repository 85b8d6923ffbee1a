"""Login lockout, security headers and session lifetime."""

import time

import pytest
from django.test import Client

from config.middleware import SESSION_STARTED_KEY
from tests.registry.factories import UserFactory

pytestmark = pytest.mark.django_db


def fail_logins(client: Client, url: str, username: str, times: int, **extra) -> None:
    for _ in range(times):
        client.post(url, {"username": username, "password": "wrong"}, **extra)


def test_correct_password_is_refused_after_five_failures_from_the_same_address():
    UserFactory(username="officer-x", is_staff=True)
    client = Client(REMOTE_ADDR="10.1.1.1")
    fail_logins(client, "/admin/login/", "officer-x", 5)
    response = client.post("/admin/login/", {"username": "officer-x", "password": "pw"})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_lockout_of_one_address_does_not_lock_the_user_out_elsewhere():
    UserFactory(username="officer-y", is_staff=True)
    fail_logins(Client(REMOTE_ADDR="10.1.1.2"), "/admin/login/", "officer-y", 6)
    other = Client(REMOTE_ADDR="10.9.9.9")
    response = other.post("/admin/login/", {"username": "officer-y", "password": "pw"})
    assert response.status_code == 302
    assert other.session.get("_auth_user_id")


def test_four_failures_then_the_right_password_logs_in():
    UserFactory(username="maker-z")
    client = Client(REMOTE_ADDR="10.1.1.3")
    fail_logins(client, "/portal/login/", "maker-z", 4)
    response = client.post("/portal/login/", {"username": "maker-z", "password": "pw"})
    assert response.status_code == 302


def test_api_token_endpoint_locks_out_too():
    UserFactory(username="api-user")
    client = Client(REMOTE_ADDR="10.1.1.4")
    fail_logins(client, "/api/v1/auth/token/", "api-user", 5)
    response = client.post("/api/v1/auth/token/", {"username": "api-user", "password": "pw"})
    assert response.status_code == 429
    assert "token" not in response.content.decode()


@pytest.mark.parametrize("url", ["/portal/login/", "/admin/login/", "/api/docs/"])
def test_pages_carry_security_headers(url):
    response = Client().get(url)
    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    assert "object-src 'none'" in csp
    assert "base-uri 'none'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "script-src 'self'" in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


def test_api_docs_load_no_script_from_another_origin():
    body = Client().get("/api/docs/").content.decode()
    assert "cdn" not in body.lower()
    assert "<script>" not in body


def test_session_older_than_the_absolute_limit_is_logged_out(settings):
    user = UserFactory(username="long-session", is_staff=True)
    client = Client()
    client.force_login(user)
    session = client.session
    session[SESSION_STARTED_KEY] = time.time() - settings.SESSION_ABSOLUTE_SECONDS - 1
    session.save()
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_session_within_the_absolute_limit_stays_logged_in():
    user = UserFactory(username="fresh-session", is_staff=True)
    client = Client()
    client.force_login(user)
    assert client.get("/admin/").status_code == 200


@pytest.mark.parametrize("body", ['["maker"]', '"maker"', "42", "null"])
def test_a_token_request_that_is_not_an_object_is_a_bad_request(body):
    response = Client().post("/api/v1/auth/token/", body, content_type="application/json")
    assert response.status_code == 400


def test_a_refused_admin_page_is_an_audit_event():
    from audit.models import AuditEvent

    client = Client()
    client.force_login(UserFactory(username="no-role", is_staff=True))
    response = client.get("/admin/registry/enterprise/add/")
    assert response.status_code == 403
    event = AuditEvent.objects.get(verb="auth.permission.refused")
    assert event.actor_label == "no-role"
    assert event.payload["path"] == "/admin/registry/enterprise/add/"
