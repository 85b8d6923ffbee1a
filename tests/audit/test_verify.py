import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection

from audit.chain import CSV_COLUMNS, escape_cell, unescape_cell
from audit.export import BOM
from audit.models import AuditEvent
from audit.services import checkpoint_create
from audit.verification import load_manifest, verify_csv
from tests.audit.conftest import record_events

KEY = settings.AUDIT_SIGNING_KEY


@pytest.fixture
def exported(db, tmp_path) -> Path:  # type: ignore[no-untyped-def]
    """An export of eight awkward events, with its manifest beside it."""
    record_events(8, awkward=True)
    output = tmp_path / "trail.csv"
    call_command("export_audit", output=str(output), stdout=io.StringIO())
    return output


def read_rows(path: Path) -> list[list[str]]:
    text = path.read_bytes()[len(BOM) :].decode("utf-8")
    return [[unescape_cell(c) for c in row] for row in csv.reader(io.StringIO(text, newline=""))]


def write_rows(path: Path, rows: list[list[str]]) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator="\n")
    writer.writerows([[escape_cell(c) for c in row] for row in rows])
    path.write_bytes(BOM + buffer.getvalue().encode("utf-8"))


def first_problem(path: Path, *, manifest: bool = True, key: str = KEY) -> str:
    manifest_data = load_manifest(path.with_name(path.name + ".manifest.json"))
    report = verify_csv(path, manifest_data if manifest else None, key=key)
    assert not report.ok
    return report.problems[0]


def test_an_untouched_export_verifies_with_and_without_its_manifest(exported):
    manifest = load_manifest(exported.with_name("trail.csv.manifest.json"))
    assert verify_csv(exported, manifest, key=KEY).ok
    assert verify_csv(exported, None, key=KEY).checked == 8


@pytest.mark.parametrize("column", range(len(CSV_COLUMNS)))
def test_an_edit_of_any_cell_names_the_row(exported, column):
    rows = read_rows(exported)
    rows[4][column] = rows[4][column] + "1" if column else "99"
    write_rows(exported, rows)
    assert first_problem(exported).startswith("row 4 ")
    assert first_problem(exported, manifest=False).startswith("row 4 ")


def test_a_deleted_row_names_the_gap(exported):
    rows = read_rows(exported)
    del rows[4]
    write_rows(exported, rows)
    assert first_problem(exported).startswith("row 4 (seq 5)")


def test_an_inserted_row_is_detected(exported):
    rows = read_rows(exported)
    rows.insert(4, list(rows[3]))
    write_rows(exported, rows)
    assert first_problem(exported).startswith("row 4 ")


def test_reordered_rows_are_detected(exported):
    rows = read_rows(exported)
    rows[4], rows[5] = rows[5], rows[4]
    write_rows(exported, rows)
    assert first_problem(exported).startswith("row 4 (seq 5)")


def test_a_truncated_tail_is_detected_against_the_manifest(exported):
    write_rows(exported, read_rows(exported)[:-2])
    assert "file has 6 rows, manifest says 8" in first_problem(exported)


def test_truncation_with_a_doctored_manifest_fails_its_signature(exported):
    rows = read_rows(exported)[:-2]
    write_rows(exported, rows)
    manifest_path = exported.with_name("trail.csv.manifest.json")
    manifest = load_manifest(manifest_path)
    from audit.verification import file_sha256

    manifest.update(row_count=6, last_hash=rows[-1][-1], file_sha256=file_sha256(exported))
    manifest_path.write_text(json.dumps(manifest))
    assert "manifest signature does not verify" in first_problem(exported)
    # Without the key the signed checkpoint still shows the tail is missing.
    assert "tail truncated" in first_problem(exported, key="")


def test_a_forged_checkpoint_signature_is_detected(exported):
    manifest_path = exported.with_name("trail.csv.manifest.json")
    manifest = load_manifest(manifest_path)
    manifest["checkpoint"]["signature"] = "0" * 64
    manifest_path.write_text(json.dumps(manifest))
    report = verify_csv(exported, manifest, key=KEY)
    assert any("checkpoint #8 signature" in p for p in report.problems)


def test_verify_command_on_a_file_exits_non_zero_naming_the_row(exported):
    rows = read_rows(exported)
    rows[3][3] = "test.thing.forged"
    write_rows(exported, rows)
    with pytest.raises(CommandError, match="row 3 \\(seq 3\\)"):
        call_command("verify_audit", csv=str(exported), stdout=io.StringIO())


def test_offline_verification_needs_no_database(exported):
    env = {
        **os.environ,
        "DATABASE_URL": "postgres://nobody@127.0.0.1:9/unreachable",
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
    }
    ok = subprocess.run(
        [sys.executable, "manage.py", "verify_audit", "--csv", str(exported)],
        capture_output=True,
        text=True,
        env=env,
        cwd=settings.BASE_DIR,
    )
    assert ok.returncode == 0, ok.stderr
    assert "OK: 8 events verify" in ok.stdout
    write_rows(exported, read_rows(exported)[:-1])
    bad = subprocess.run(
        [sys.executable, "manage.py", "verify_audit", "--csv", str(exported)],
        capture_output=True,
        text=True,
        env=env,
        cwd=settings.BASE_DIR,
    )
    assert bad.returncode != 0
    assert "manifest says 8" in bad.stderr


@pytest.mark.django_db
def test_verify_command_on_the_database_passes_and_is_itself_recorded():
    record_events(4)
    checkpoint_create()
    out = io.StringIO()
    call_command("verify_audit", stdout=out)
    assert "OK: 4 events verify" in out.getvalue()
    event = AuditEvent.objects.get(verb="audit.trail.verified")
    assert event.payload == {"checked": 4, "ok": True, "problem": None}


@pytest.mark.django_db
def test_verify_command_names_the_first_tampered_row_in_the_database(lifted_triggers):
    record_events(4)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET verb = 'forged' WHERE seq = 2")
    with pytest.raises(CommandError, match="row 2 \\(seq 2\\)"):
        call_command("verify_audit", stdout=io.StringIO())
    assert AuditEvent.objects.get(verb="audit.trail.verified").payload["ok"] is False


@pytest.mark.django_db
def test_an_edited_json_payload_is_detected_in_the_database(lifted_triggers):
    record_events(3)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET payload = %s WHERE seq = 2", ['{"n": 9}'])
    with pytest.raises(CommandError, match="seq 2: payload differs"):
        call_command("verify_audit", stdout=io.StringIO())


@pytest.mark.django_db
def test_a_deleted_tail_is_detected_against_the_latest_checkpoint(lifted_triggers):
    record_events(5)
    checkpoint_create()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE seq > 3")
    with pytest.raises(CommandError, match="checkpoint #5 .*tail truncated"):
        call_command("verify_audit", stdout=io.StringIO())


@pytest.mark.django_db
@pytest.mark.parametrize("events", [3, 40])
def test_database_verification_reads_the_trail_in_the_same_few_queries_at_any_length(
    events, django_assert_num_queries
):
    record_events(events)
    checkpoint_create()
    from audit.verification import verify_database

    # The checkpoints, then the whole trail as one stream (no anchor file here).
    with django_assert_num_queries(2):
        report = verify_database(key=KEY)
    assert report.ok, report.problems
    assert report.checked == events
