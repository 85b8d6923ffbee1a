"""Evidence uploads are checked by content and size, stored under random names, served scoped."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from audit.models import AuditEvent
from config.uploads import extension_for, safe_filename
from licensing.models import Document
from tests.licensing.factories import PDF_BYTES, PNG_BYTES, draft_case

pytestmark = pytest.mark.usefixtures("frozen_today")

EXE_BYTES = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 120
JPEG_BYTES = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 32


@pytest.fixture
def case(maker):  # type: ignore[no-untyped-def]
    return draft_case(maker, eligible=False)


def upload(client, case, name: str, content: bytes, doc_type: str = "other"):  # type: ignore[no-untyped-def]
    return client.post(
        f"/api/v1/cases/{case.pk}/documents/",
        {"doc_type": doc_type, "file": SimpleUploadedFile(name, content)},
        format="multipart",
    )


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("letter.pdf", PDF_BYTES, "application/pdf"),
        ("outlet.png", PNG_BYTES, "image/png"),
        ("photo.jpg", JPEG_BYTES, "image/jpeg"),
    ],
)
def test_pdf_png_and_jpeg_are_accepted_by_their_content(
    api_as, maker, case, name, content, content_type
):  # type: ignore[no-untyped-def]
    response = upload(api_as(maker), case, name, content)
    assert response.status_code == 201, response.json()
    document = Document.objects.get(pk=response.json()["id"])
    assert document.content_type == content_type and document.original_name == name
    assert name not in document.file.name, "stored under a random name"
    assert AuditEvent.objects.filter(verb="licensing.document.added").count() == 1


@pytest.mark.parametrize(
    ("name", "content"),
    [("invoice.pdf", EXE_BYTES), ("empty.pdf", b""), ("notes.txt", b"hello"), ("x.png", b"%PD")],
)
def test_wrong_content_is_refused_whatever_the_name(api_as, maker, case, name, content):  # type: ignore[no-untyped-def]
    before = Document.objects.count()
    response = upload(api_as(maker), case, name, content)
    assert response.status_code == 400
    assert "file" in response.json()
    assert Document.objects.count() == before


@override_settings(DOCUMENT_MAX_BYTES=1024)
def test_oversized_files_are_refused(api_as, maker, case):  # type: ignore[no-untyped-def]
    response = upload(api_as(maker), case, "big.pdf", PDF_BYTES + b"0" * 2048)
    assert response.status_code == 400 and "file" in response.json()


def test_a_bad_document_type_is_a_field_error(api_as, maker, case):  # type: ignore[no-untyped-def]
    response = upload(api_as(maker), case, "a.pdf", PDF_BYTES, doc_type="selfie")
    assert response.status_code == 400 and "doc_type" in response.json()


def test_another_enterprise_can_neither_upload_nor_download(api_as, maker, rival, case):  # type: ignore[no-untyped-def]
    assert upload(api_as(rival), case, "a.pdf", PDF_BYTES).status_code == 404
    document = case.documents.first()
    url = f"/api/v1/cases/{case.pk}/documents/{document.pk}/download/"
    assert api_as(rival).get(url).status_code == 404


def test_staff_may_download_and_a_document_of_another_case_is_not_found(
    api_as, maker, caseworker, case
):  # type: ignore[no-untyped-def]
    other = draft_case(maker, eligible=False)
    document = other.documents.first()
    client = api_as(caseworker)
    assert (
        client.get(f"/api/v1/cases/{other.pk}/documents/{document.pk}/download/").status_code == 200
    )
    assert (
        client.get(f"/api/v1/cases/{case.pk}/documents/{document.pk}/download/").status_code == 404
    )


def test_staff_cannot_upload_on_behalf_of_the_applicant(api_as, caseworker, case):  # type: ignore[no-untyped-def]
    assert upload(api_as(caseworker), case, "a.pdf", PDF_BYTES).status_code == 403


@pytest.mark.parametrize(
    ("name", "content", "stored"),
    [
        ("evil.html", PDF_BYTES, "evil.pdf"),
        ("a.exe", PDF_BYTES, "a.pdf"),
        ("invoice\u202efdp.exe", PDF_BYTES, "invoicefdp.pdf"),
        ("scan\u200f\u2066.PNG", PNG_BYTES, "scan.png"),
        ('tab\tescape\x1b:quote".pdf', PDF_BYTES, "tabescapequote.pdf"),
        ("../../etc/passwd", PDF_BYTES, "passwd.pdf"),
        ("C:\\Users\\x\\photo.jpeg", JPEG_BYTES, "photo.jpeg"),
        ("photo.jpg", JPEG_BYTES, "photo.jpg"),
        (".htaccess", PNG_BYTES, "htaccess.png"),
        ("...", PNG_BYTES, "document.png"),
        ("许可证 扫描件.pdf", PDF_BYTES, "许可证 扫描件.pdf"),
    ],
)
def test_the_stored_and_offered_name_takes_the_detected_type_and_loses_control_characters(
    api_as, maker, case, name, content, stored
):  # type: ignore[no-untyped-def]
    response = upload(api_as(maker), case, name, content)
    assert response.status_code == 201, response.json()
    document = Document.objects.get(pk=response.json()["id"])
    assert document.original_name == stored
    assert document.file.name.endswith(extension_for(document.content_type))
    url = f"/api/v1/cases/{case.pk}/documents/{document.pk}/download/"
    disposition = api_as(maker).get(url)["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "\u202e" not in disposition and ".exe" not in disposition and ".html" not in disposition


def test_a_name_stored_before_the_rule_is_cleaned_when_offered(api_as, maker, case):  # type: ignore[no-untyped-def]
    document = case.documents.first()
    Document.objects.filter(pk=document.pk).update(original_name="old\u202elmth.pdf")
    url = f"/api/v1/cases/{case.pk}/documents/{document.pk}/download/"
    disposition = api_as(maker).get(url)["Content-Disposition"]
    assert disposition == 'attachment; filename="oldlmth.pdf"'


def test_line_breaks_and_nul_in_a_name_are_dropped_too():
    assert safe_filename("line\r\nbreak\x00\u2028.pdf", "application/pdf") == "linebreak.pdf"


def test_a_full_disk_is_a_clear_error_leaving_no_row_file_or_event(
    api_as, maker, case, monkeypatch, settings, tmp_path
):  # type: ignore[no-untyped-def]
    import errno

    from django.core.files.storage import FileSystemStorage

    settings.MEDIA_ROOT = str(tmp_path)
    written = FileSystemStorage._save

    def fill_the_disk(storage, name, content):  # type: ignore[no-untyped-def]
        written(storage, name, content)  # part of the file reaches the disk, then it is full
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(FileSystemStorage, "_save", fill_the_disk)
    before = (Document.objects.count(), AuditEvent.objects.count())
    response = upload(api_as(maker), case, "letter.pdf", PDF_BYTES)
    assert response.status_code == 507
    assert response.json()["code"] == "storage_full"
    assert (Document.objects.count(), AuditEvent.objects.count()) == before
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []
