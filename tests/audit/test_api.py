import hashlib
from urllib.parse import urlparse

import pytest
from django.http import StreamingHttpResponse

from audit.export import BOM
from audit.models import AuditCheckpoint, AuditEvent
from tests.audit.conftest import record_events

LIST = "/api/v1/audit-events/"
EXPORT = "/api/v1/audit-events/export.csv"
MANIFEST = "/api/v1/audit-events/export.manifest.json"
CHECKPOINTS = "/api/v1/audit-checkpoints/"


def body(response) -> bytes:  # type: ignore[no-untyped-def]
    return b"".join(response.streaming_content)


@pytest.mark.django_db
def test_auditors_and_staff_read_the_list_newest_first(api_as, auditor, caseworker):
    record_events(3)
    for user in (auditor, caseworker):
        response = api_as(user).get(LIST)
        assert response.status_code == 200
        assert [e["seq"] for e in response.data["results"]] == [3, 2, 1]


@pytest.mark.django_db
def test_the_list_is_cursor_paginated(api_as, auditor, monkeypatch):
    from audit.api.views import NewestFirst

    monkeypatch.setattr(NewestFirst, "page_size", 2)
    record_events(5)
    first = api_as(auditor).get(LIST).data
    second = api_as(auditor).get(first["next"]).data
    assert [e["seq"] for e in first["results"] + second["results"]] == [5, 4, 3, 2]
    assert "cursor=" in first["next"]


@pytest.mark.django_db
def test_the_list_filters_like_the_admin(api_as, auditor):
    record_events(6, enterprise_id=42)
    client = api_as(auditor)
    assert {e["verb"] for e in client.get(LIST, {"verb": "test.thing.done"}).data["results"]} == {
        "test.thing.done"
    }
    by_enterprise = client.get(LIST, {"enterprise": 42}).data["results"]
    assert {e["enterprise_id"] for e in by_enterprise} == {42}
    assert [e["seq"] for e in client.get(LIST, {"target_id": "4"}).data["results"]] == [5]
    assert client.get(LIST, {"since": "2999-01-01T00:00:00Z"}).data["results"] == []


@pytest.mark.django_db
def test_portal_users_and_anonymous_cannot_read_the_trail(api, api_as, maker):
    record_events(1)
    assert api.get(LIST).status_code in (401, 403)
    assert api_as(maker).get(LIST).status_code == 403


@pytest.mark.django_db
def test_auditor_export_streams_csv_and_is_recorded_with_a_checkpoint(api_as, auditor):
    record_events(4, awkward=True)
    response = api_as(auditor).get(EXPORT, {"verb": "test.thing.done"})
    assert response.status_code == 200
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"].startswith("text/csv")
    data = body(response)
    assert data.startswith(BOM + b'"seq","occurred_at"')
    assert data.count(b'"test.thing.done"') == 2
    checkpoint = AuditCheckpoint.objects.get()
    assert checkpoint.seq == 4
    event = AuditEvent.objects.get(verb="audit.trail.exported")
    assert event.actor == auditor
    assert event.payload["filters"] == {"verb": "test.thing.done"}


@pytest.mark.django_db
def test_the_manifest_beside_an_export_describes_exactly_that_file(api_as, auditor):
    record_events(4)
    client = api_as(auditor)
    response = client.get(EXPORT)
    data = body(response)
    link = response["Link"].split(";")[0].strip("<>")
    record_events(2)  # later events must not change the manifest of this export
    manifest = client.get(urlparse(link).path + "?" + urlparse(link).query).json()
    assert manifest["file_sha256"] == hashlib.sha256(data).hexdigest()
    assert manifest["row_count"] == 4 and manifest["through_seq"] == 4
    assert manifest["checkpoint"]["seq"] == 4
    assert manifest["exported_by"] == auditor.username


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["caseworker", "registrar", "maker"])
def test_only_auditors_may_export(api_as, request, who):
    user = request.getfixturevalue(who)
    client = api_as(user)
    assert client.get(EXPORT).status_code == 403
    assert client.get(MANIFEST).status_code == 403
    assert not AuditCheckpoint.objects.exists()


@pytest.mark.django_db
def test_anonymous_export_is_refused(api):
    assert api.get(EXPORT).status_code in (401, 403)


@pytest.mark.django_db
def test_a_refused_export_is_itself_an_audit_event(api_as, caseworker):
    api_as(caseworker).get(EXPORT)
    event = AuditEvent.objects.get(verb="auth.permission.refused")
    assert event.actor == caseworker
    assert event.payload["path"] == EXPORT


@pytest.mark.django_db
def test_bad_filter_values_are_a_400(api_as, auditor):
    assert api_as(auditor).get(EXPORT, {"since": "yesterday"}).status_code == 400


@pytest.mark.django_db
def test_auditors_fetch_the_signed_checkpoints(api_as, auditor):
    from audit.services import checkpoint_create

    record_events(2)
    checkpoint = checkpoint_create()
    results = api_as(auditor).get(CHECKPOINTS).data["results"]
    assert results[0]["seq"] == 2
    assert results[0]["signature"] == checkpoint.signature
