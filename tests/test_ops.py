"""Operations: /healthz, production settings, deploy checks, the OpenAPI schema and docs."""

import os
import re
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.management import call_command

from config.celery import app as celery_app

ROOT = Path(settings.BASE_DIR)
PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "SECRET_KEY": "x" * 64 + "-production-like-secret-for-the-check",
    "AUDIT_SIGNING_KEY": "a-production-like-audit-signing-key",
    "ALLOWED_HOSTS": "licensing.example.test",
    "PUBLIC_BASE_URL": "https://licensing.example.test",
    "AUDIT_ANCHOR_PATH": "/var/lib/evl-anchor/audit-anchor.jsonl",
    "STAFF_OTP_REQUIRED": "true",
}


def run_manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Run manage.py in a fresh interpreter, since settings are read once per process."""
    # Browser tests set DJANGO_ALLOW_ASYNC_UNSAFE for this process; a deployment never has it.
    dropped = {
        "SECRET_KEY",
        "AUDIT_SIGNING_KEY",
        "PUBLIC_BASE_URL",
        "AUDIT_ANCHOR_PATH",
        "STAFF_OTP_REQUIRED",
        "DJANGO_SETTINGS_MODULE",
        "DJANGO_ALLOW_ASYNC_UNSAFE",
    }
    clean = {k: v for k, v in os.environ.items() if k not in dropped}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.django_db
def test_healthz_answers_200_when_database_and_broker_are_up(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {"database": True, "broker": True},
        "details": {"outbox": {"pending": 0, "failed": 0, "oldest_pending_seconds": 0}},
    }


@pytest.mark.django_db
def test_healthz_answers_503_json_when_the_broker_is_unreachable(client, monkeypatch):
    # A real connection attempt to a port nobody listens on: only the failure is staged.
    connect = celery_app.connection_for_write
    monkeypatch.setattr(
        celery_app, "connection_for_write", lambda: connect(url="redis://127.0.0.1:9/0")
    )
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "status": "unavailable",
        "checks": {"database": True, "broker": False},
        "details": {"outbox": {"pending": 0, "failed": 0, "oldest_pending_seconds": 0}},
    }


@pytest.mark.django_db
def test_healthz_is_never_cached(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert "no-cache" in response["Cache-Control"]


def test_production_refuses_to_start_without_secret_key():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "SECRET_KEY"}
    result = run_manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_refuses_to_start_without_audit_signing_key():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "AUDIT_SIGNING_KEY"}
    result = run_manage("check", env=env)
    assert result.returncode != 0
    assert "AUDIT_SIGNING_KEY" in result.stderr


def test_production_refuses_to_start_without_a_public_base_url():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "PUBLIC_BASE_URL"}
    result = run_manage("check", env=env)
    assert result.returncode != 0
    assert "PUBLIC_BASE_URL" in result.stderr


def test_production_refuses_to_start_with_staff_two_factor_off():
    result = run_manage("check", env={**PRODUCTION_ENV, "STAFF_OTP_REQUIRED": "false"})
    assert result.returncode != 0
    assert "STAFF_OTP_REQUIRED" in result.stderr


def test_deploy_check_passes_with_the_documented_production_environment():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    # drf-spectacular reports schema warnings as checks too; the schema test owns those.
    issues = [
        line
        for line in (result.stdout + result.stderr).splitlines()
        if re.match(r"^\S*: \(", line) and "(drf_spectacular." not in line
    ]
    assert issues == []
    if result.returncode != 0:
        assert "drf_spectacular" in result.stderr, result.stderr


def test_openapi_schema_is_valid_openapi_3():
    out = StringIO()
    call_command("spectacular", "--validate", stdout=out, stderr=StringIO())
    assert "openapi: 3" in out.getvalue()


def test_openapi_schema_generates_without_warnings():
    call_command("spectacular", "--validate", "--fail-on-warn", stdout=StringIO())


@pytest.mark.django_db
def test_api_docs_render_with_bundled_assets_and_no_cdn(client):
    response = client.get("/api/docs/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in page
    assert "cdn.jsdelivr.net" not in page
    assert finders.find("drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js")
