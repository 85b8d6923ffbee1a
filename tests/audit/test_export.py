import csv
import io
import json

import pytest
from django.core.management import call_command

from audit.chain import CSV_COLUMNS, unescape_cell, verify_rows
from audit.export import BOM, copy_stream, csv_stream, python_stream
from audit.models import AuditCheckpoint, AuditEvent
from audit.services import audit_record
from tests.audit.conftest import record_events


def read_back(data: bytes) -> list[list[str]]:
    assert data.startswith(BOM)
    rows = list(csv.reader(io.StringIO(data[len(BOM) :].decode("utf-8"), newline="")))
    return [[unescape_cell(cell) for cell in row] for row in rows]


@pytest.mark.django_db
def test_python_export_has_bom_header_and_every_event_verifiable():
    events = record_events(12, awkward=True)
    data = b"".join(python_stream(AuditEvent.objects.all()))
    header, *rows = read_back(data)
    assert tuple(header) == CSV_COLUMNS
    assert [row[:-1] for row in rows] == [e.chain_values() for e in events]
    problem, count, _last = verify_rows((row[:-1], row[-1]) for row in rows)
    assert problem is None and count == 12


@pytest.mark.django_db
def test_every_cell_is_quoted_and_formula_cells_are_defused():
    record_events(len(("=", "+")) * 5, awkward=True)
    text = b"".join(python_stream(AuditEvent.objects.all())).decode("utf-8-sig")
    assert text.splitlines()[0].startswith('"seq","occurred_at","actor"')
    assert '"\'=SUM(A1)"' in text
    assert '"\'@cmd"' in text
    assert '"""q"" ,x"' in text
    assert "中文\n第二行" in text


@pytest.mark.django_db
def test_python_export_yields_blocks_of_a_thousand_rows(monkeypatch):
    from audit import export

    monkeypatch.setattr(export, "CHUNK_ROWS", 3)
    record_events(7)
    blocks = list(python_stream(AuditEvent.objects.all()))
    assert len(blocks) == 1 + 3  # header, then 3 + 3 + 1 rows


@pytest.mark.postgres
@pytest.mark.django_db
def test_copy_export_is_byte_identical_to_the_python_export():
    record_events(30, awkward=True)
    queryset = AuditEvent.objects.all()
    assert b"".join(copy_stream(queryset)) == b"".join(python_stream(queryset))


@pytest.mark.postgres
@pytest.mark.django_db
def test_copy_export_escapes_a_negative_enterprise_and_every_trigger_like_python():
    from audit.chain import FORMULA_TRIGGERS

    record_events(6, awkward=True, enterprise_id=-5)
    record_events(3, enterprise_id=0)
    for trigger in FORMULA_TRIGGERS:
        audit_record(
            actor=None,
            verb="test.thing.done",
            target=("test.thing", f"{trigger}1", f"{trigger}repr"),
            payload={"n": trigger},
        )
    queryset = AuditEvent.objects.all()
    copied = b"".join(copy_stream(queryset))

    assert copied == b"".join(python_stream(queryset))
    text = copied.decode("utf-8-sig")
    assert '"\'-5"' in text and '"0"' in text
    assert all(f'"\'{trigger}repr"' in text for trigger in FORMULA_TRIGGERS)


@pytest.mark.postgres
@pytest.mark.django_db
def test_copy_export_of_a_filtered_queryset_matches_python_too():
    record_events(30, awkward=True)
    queryset = AuditEvent.objects.filter(verb="test.thing.done", seq__gte=4, enterprise_id=7)
    copied = b"".join(copy_stream(queryset))
    assert copied == b"".join(python_stream(queryset))
    assert len(read_back(copied)) == 1 + queryset.count()


@pytest.mark.django_db
def test_export_command_writes_the_file_a_manifest_and_a_checkpoint(tmp_path):
    record_events(5, awkward=True)
    output = tmp_path / "trail.csv"
    call_command("export_audit", output=str(output), stdout=io.StringIO())
    manifest = json.loads((tmp_path / "trail.csv.manifest.json").read_text())
    rows = read_back(output.read_bytes())[1:]
    checkpoint = AuditCheckpoint.objects.get()
    assert manifest["row_count"] == len(rows) == 5
    assert manifest["first_prev_hash"] == "0" * 64
    assert manifest["last_hash"] == rows[-1][-1] == checkpoint.hash
    assert manifest["checkpoint"]["signature"] == checkpoint.signature
    assert manifest["contiguous"] is True
    assert manifest["hash_algorithm"] == "sha256"
    exported = AuditEvent.objects.get(verb="audit.trail.exported")
    assert exported.payload["through_seq"] == 5 and exported.seq == 6


@pytest.mark.django_db
def test_export_command_range_keeps_only_events_in_it(tmp_path):
    record_events(3)
    output = tmp_path / "trail.csv"
    call_command(
        "export_audit",
        since="2000-01-01",
        until="2000-02-01",
        output=str(output),
        stdout=io.StringIO(),
    )
    manifest = json.loads((tmp_path / "trail.csv.manifest.json").read_text())
    assert manifest["row_count"] == 0
    assert manifest["filters"]["since"].startswith("2000-01-01")
    assert len(read_back(output.read_bytes())) == 1


@pytest.mark.django_db
def test_csv_stream_picks_the_path_of_the_database():
    stream = csv_stream(AuditEvent.objects.all())
    assert next(iter(stream)).startswith(BOM)
