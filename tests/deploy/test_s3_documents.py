"""Evidence on S3-compatible storage (django-storages), against moto's server on 127.0.0.1."""

import socket
from datetime import date

import boto3
import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from moto.server import ThreadedMotoServer

from licensing.models import Document
from licensing.services.reports import monthly_report_generate
from tests.licensing.conftest import TODAY
from tests.licensing.factories import PDF_BYTES, draft_case

BUCKET = "evl-documents"
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]


@pytest.fixture
def frozen_today():  # type: ignore[no-untyped-def]
    with time_machine.travel(TODAY, tick=False):
        yield TODAY.date()


@pytest.fixture(scope="module")
def s3_endpoint():  # type: ignore[no-untyped-def]
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture
def bucket(s3_endpoint, settings, monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    client = boto3.client("s3", endpoint_url=s3_endpoint, region_name="us-east-1")
    client.create_bucket(Bucket=BUCKET)
    settings.STORAGES = {
        **settings.STORAGES,
        "documents": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": BUCKET,
                "endpoint_url": s3_endpoint,
                "region_name": "us-east-1",
                "location": "cases",
                "default_acl": None,
                "file_overwrite": False,
            },
        },
    }
    yield client
    for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        client.delete_object(Bucket=BUCKET, Key=item["Key"])
    client.delete_bucket(Bucket=BUCKET)


def _keys(bucket) -> set[str]:  # type: ignore[no-untyped-def]
    return {o["Key"] for o in bucket.list_objects_v2(Bucket=BUCKET).get("Contents", [])}


def _upload(client, case):  # type: ignore[no-untyped-def]
    upload = SimpleUploadedFile("terms.pdf", PDF_BYTES, content_type="application/pdf")
    return client.post(
        f"/api/v1/cases/{case.pk}/documents/",
        {"doc_type": "warranty", "file": upload},
        format="multipart",
    )


def test_an_upload_lands_in_the_bucket_and_downloads_unchanged(api_as, maker, bucket):
    case = draft_case(maker)
    client = api_as(maker)
    response = _upload(client, case)
    assert response.status_code == 201, response.json()
    document = Document.objects.get(pk=response.json()["id"])
    key = f"cases/{document.file.name}"
    assert key in _keys(bucket)
    assert bucket.get_object(Bucket=BUCKET, Key=key)["Body"].read() == PDF_BYTES
    download = client.get(f"/api/v1/cases/{case.pk}/documents/{document.pk}/download/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF_BYTES


def test_another_enterprise_cannot_fetch_an_object_stored_in_the_bucket(
    api_as, maker, rival, bucket
):
    case = draft_case(maker)
    doc_id = _upload(api_as(maker), case).json()["id"]
    response = api_as(rival).get(f"/api/v1/cases/{case.pk}/documents/{doc_id}/download/")
    assert response.status_code == 404


def test_a_refused_upload_leaves_no_object_in_the_bucket(api_as, maker, bucket):
    case = draft_case(maker)
    before = _keys(bucket)
    bad = SimpleUploadedFile("a.pdf", b"MZ not a pdf", content_type="application/pdf")
    response = api_as(maker).post(
        f"/api/v1/cases/{case.pk}/documents/",
        {"doc_type": "warranty", "file": bad},
        format="multipart",
    )
    assert response.status_code == 400
    assert _keys(bucket) == before


def test_a_monthly_report_is_kept_in_the_bucket_and_any_host_serves_it(
    client, auditor, bucket, settings, tmp_path
):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = str(tmp_path)  # this host's own disk keeps nothing
    report = monthly_report_generate(month=date(2026, 3, 1), actor=None)
    key = f"cases/{report.file.name}"
    assert key in _keys(bucket)
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []
    client.force_login(auditor)
    response = client.get(reverse("admin:licensing_monthlyreport_download", args=[report.pk]))
    assert response.status_code == 200
    served = b"".join(response.streaming_content)
    assert served.startswith(b"%PDF")
    assert served == bucket.get_object(Bucket=BUCKET, Key=key)["Body"].read()
