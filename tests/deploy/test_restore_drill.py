"""bin/restore_drill.sh restores a dump into a scratch database and verifies its audit trail."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from audit.services import audit_record, checkpoint_create

ROOT = Path(__file__).resolve().parents[2]
SCRATCH = "evl_deploy_restore_drill"
pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def anchor(tmp_path, settings):  # type: ignore[no-untyped-def]
    settings.AUDIT_ANCHOR_PATH = str(tmp_path / "anchor.jsonl")
    return settings.AUDIT_ANCHOR_PATH


def _server_url(database: str) -> str:
    params = connection.settings_dict
    user, host, port = params["USER"], params["HOST"] or "127.0.0.1", params["PORT"] or 5432
    password = f":{params['PASSWORD']}" if params["PASSWORD"] else ""
    return f"postgres://{user}{password}@{host}:{port}/{database}"


def _dump(path: Path) -> Path:
    url = _server_url(connection.settings_dict["NAME"])
    subprocess.run(["pg_dump", "--format=custom", "--file", str(path), url], check=True)
    return path


def _drill(dump: Path, anchor: str) -> subprocess.CompletedProcess:
    env = dict(
        os.environ,
        ADMIN_DATABASE_URL=_server_url("postgres"),
        PYTHON=sys.executable,
        DJANGO_SETTINGS_MODULE="config.settings.test",
        AUDIT_ANCHOR_PATH=anchor,
        AUDIT_SIGNING_KEY=settings.AUDIT_SIGNING_KEY,
    )
    command = [str(ROOT / "bin" / "restore_drill.sh"), str(dump), SCRATCH]
    try:
        return subprocess.run(command, env=env, capture_output=True, text=True, timeout=240)
    finally:
        subprocess.run(
            ["psql", _server_url("postgres"), "-qc", f"DROP DATABASE IF EXISTS {SCRATCH}"]
        )


def _events(user, n: int) -> None:  # type: ignore[no-untyped-def]
    for _ in range(n):
        audit_record(actor=user, verb="registry.enterprise.updated", target=user)


def test_a_fresh_dump_restores_and_its_audit_trail_verifies(tmp_path, anchor, admin_user):
    _events(admin_user, 3)
    checkpoint_create()
    result = _drill(_dump(tmp_path / "db.dump"), anchor)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "OK:" in result.stdout and "restore drill passed" in result.stdout


def test_a_dump_older_than_the_latest_anchored_checkpoint_fails_the_drill(
    tmp_path, anchor, admin_user
):
    _events(admin_user, 3)
    checkpoint_create()
    dump = _dump(tmp_path / "db.dump")
    _events(admin_user, 2)
    checkpoint_create()
    result = _drill(dump, anchor)
    assert result.returncode != 0
    assert "does NOT verify" in result.stderr


def test_a_damaged_dump_fails_the_drill_before_verifying(tmp_path, anchor):
    damaged = tmp_path / "damaged.dump"
    damaged.write_bytes(b"PGDMP not really a dump")
    result = _drill(damaged, anchor)
    assert result.returncode != 0 and "OK:" not in result.stdout
