"""The external anchor: checkpoints leave the database, so a cut tail and a moved actor show."""

import io
import json

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import connection

from audit.models import AuditEvent
from audit.services import audit_record, checkpoint_create
from tests.audit.conftest import record_events

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def anchor_file(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.AUDIT_ANCHOR_PATH = str(tmp_path / "anchor.jsonl")
    return tmp_path / "anchor.jsonl"


@pytest.fixture
def anchored_checkpoint(django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    """Sign a checkpoint and run its after-commit anchoring, as a committed one would."""

    def sign():  # type: ignore[no-untyped-def]
        with django_capture_on_commit_callbacks(execute=True):
            return checkpoint_create()

    return sign


def cut_tail_and_rewind_head(keep: int) -> None:
    """Delete events after `keep`, the checkpoints after them, and rewind the head."""
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE seq > %s", [keep])
        cursor.execute("DELETE FROM audit_auditcheckpoint WHERE seq > %s", [keep])
        cursor.execute("SELECT hash FROM audit_auditevent WHERE seq = %s", [keep])
        head_hash = cursor.fetchone()[0]
        cursor.execute("UPDATE audit_chainhead SET seq = %s, hash = %s", [keep, head_hash])


def test_every_checkpoint_is_appended_to_the_anchor_file(anchor_file, anchored_checkpoint):
    record_events(3)
    first = anchored_checkpoint()
    record_events(2)
    second = anchored_checkpoint()
    lines = [json.loads(line) for line in anchor_file.read_text().splitlines()]
    assert lines == [first.as_dict(), second.as_dict()]


def test_a_checkpoint_rolled_back_leaves_no_anchor_line(anchor_file):
    record_events(1)
    checkpoint_create()  # the test's transaction never commits it
    assert not anchor_file.exists() or anchor_file.read_text() == ""


def test_a_cut_tail_with_rewound_head_is_reported_with_the_first_missing_seq(
    lifted_triggers, anchored_checkpoint
):
    record_events(8)
    anchored_checkpoint()
    cut_tail_and_rewind_head(keep=5)
    with pytest.raises(CommandError, match="first missing seq 6"):
        call_command("verify_audit", stdout=io.StringIO())


def test_an_intact_trail_verifies_against_its_anchor(anchored_checkpoint):
    record_events(4)
    anchored_checkpoint()
    out = io.StringIO()
    call_command("verify_audit", stdout=out)
    assert "OK: 4 events verify" in out.getvalue()
    assert "anchor" in out.getvalue()


def test_a_trail_rewritten_after_its_anchor_does_not_verify(lifted_triggers, anchored_checkpoint):
    record_events(4)
    anchored_checkpoint()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE seq > 2")
        cursor.execute("DELETE FROM audit_auditcheckpoint")
        cursor.execute("SELECT hash FROM audit_auditevent WHERE seq = 2")
        cursor.execute("UPDATE audit_chainhead SET seq = 2, hash = %s", [cursor.fetchone()[0]])
    record_events(2)  # new events 3 and 4 with different hashes
    with pytest.raises(CommandError, match="seq 4: hash differs from the external anchor"):
        call_command("verify_audit", stdout=io.StringIO())


def test_a_forged_anchor_line_is_refused(anchor_file, anchored_checkpoint):
    record_events(2)
    anchored_checkpoint()
    forged = {"seq": 2, "hash": "f" * 64, "created_at": "2026-01-01T00:00:00+00:00"}
    with anchor_file.open("a") as handle:
        handle.write(json.dumps({**forged, "signature": "0" * 64}) + "\n")
    with pytest.raises(CommandError, match="external anchor: .*signature does not verify"):
        call_command("verify_audit", stdout=io.StringIO())


def test_a_changed_actor_id_alone_no_longer_verifies(lifted_triggers):
    users = get_user_model().objects
    alice, mallory = users.create(username="alice"), users.create(username="mallory")
    audit_record(actor=alice, verb="test.thing.done", target=("test.thing", "1", "one"))
    with connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET actor_id = %s", [mallory.pk])
    with pytest.raises(CommandError, match="row 1 \\(seq 1\\): hash does not match"):
        call_command("verify_audit", stdout=io.StringIO())


def test_events_hashed_before_actor_ids_were_covered_still_verify(lifted_triggers):
    from audit.chain import CHAIN_FIELDS, compute_hash

    record_events(2)
    values = AuditEvent.objects.get(seq=2).chain_values()
    values[CHAIN_FIELDS.index("hash_version")] = ""
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE audit_auditevent SET hash_version = NULL, hash = %s WHERE seq = 2",
            [compute_hash(values)],
        )
        cursor.execute("UPDATE audit_chainhead SET hash = %s", [compute_hash(values)])
    assert AuditEvent.objects.get(seq=2).hash_version is None
    out = io.StringIO()
    call_command("verify_audit", stdout=out)
    assert "OK: 2 events verify" in out.getvalue()


def test_the_export_manifest_prints_the_latest_external_anchor(
    tmp_path, anchored_checkpoint, anchor_file
):
    record_events(3)
    anchored_checkpoint()
    output = tmp_path / "trail.csv"
    call_command("export_audit", output=str(output), stdout=io.StringIO())
    manifest = json.loads((tmp_path / "trail.csv.manifest.json").read_text())
    assert manifest["external_anchor"]["seq"] == 3
    assert manifest["external_anchor"] == json.loads(anchor_file.read_text().splitlines()[-1])


def test_an_export_made_after_the_tail_was_cut_fails_against_its_anchor(
    tmp_path, anchored_checkpoint, lifted_triggers
):
    from audit.verification import load_manifest, verify_csv

    record_events(6)
    anchored_checkpoint()
    cut_tail_and_rewind_head(keep=4)
    output = tmp_path / "trail.csv"
    call_command("export_audit", output=str(output), stdout=io.StringIO())
    manifest = load_manifest(tmp_path / "trail.csv.manifest.json")
    report = verify_csv(output, manifest, key=settings.AUDIT_SIGNING_KEY)
    assert any("first missing seq 5" in problem for problem in report.problems)
