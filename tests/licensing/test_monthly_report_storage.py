"""Monthly reports live in the evidence storage: any host serves them, reading is audited,
and a storage that fails leaves nothing half-written."""

import errno
import importlib
from datetime import date, datetime
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.urls import reverse

from audit.models import AuditEvent
from config.errors import ActionForbidden, NotFound, StorageFull
from licensing.models import MonthlyReport
from licensing.services.reports import monthly_report_generate, monthly_report_open

pytestmark = pytest.mark.django_db
MARCH = date(2026, 3, 1)
BJ = ZoneInfo("Asia/Shanghai")
GENERATE = reverse("admin:licensing_monthlyreport_generate")
moved = importlib.import_module("licensing.migrations.0012_monthly_report_in_document_storage")


@pytest.fixture
def media(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


@pytest.fixture
def shared_store(settings, tmp_path, media):  # type: ignore[no-untyped-def]
    """A store every host mounts (as the S3 bucket is), apart from this host's MEDIA_ROOT."""
    settings.STORAGES = {
        **settings.STORAGES,
        "documents": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "shared"), "base_url": None},
        },
    }
    return tmp_path / "shared"


def files_under(folder) -> list:  # type: ignore[no-untyped-def]
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


def download(client, report):  # type: ignore[no-untyped-def]
    return client.get(reverse("admin:licensing_monthlyreport_download", args=[report.pk]))


def test_a_report_is_written_to_the_evidence_storage_and_downloaded_from_it(
    client, auditor, shared_store, media
):
    report = monthly_report_generate(month=MARCH, actor=None)
    assert report.file.name.startswith("reports/2026-03-") and report.file.name.endswith(".pdf")
    assert files_under(shared_store) == [report.file.name]
    assert files_under(media) == []
    client.force_login(auditor)
    response = download(client, report)
    assert response.status_code == 200
    assert "private, no-store" in response["Cache-Control"]
    assert b"".join(response.streaming_content) == (shared_store / report.file.name).read_bytes()


def test_without_a_configured_store_reports_go_where_case_evidence_goes(media):
    report = monthly_report_generate(month=MARCH, actor=None)
    assert files_under(media) == [f"cases/{report.file.name}"]


def test_every_download_is_audited_with_its_reader(client, auditor, media):
    report = monthly_report_generate(month=MARCH, actor=None)
    client.force_login(auditor)
    download(client, report)
    download(client, report)
    events = AuditEvent.objects.filter(verb="licensing.monthly_report.downloaded")
    assert [e.actor_id for e in events] == [auditor.pk, auditor.pk]
    assert events.first().payload == {"month": "2026-03-01", "file": report.file.name}


def test_the_service_refuses_readers_without_statistics_and_records_no_download(
    maker, caseworker, media
):
    report = monthly_report_generate(month=MARCH, actor=None)
    for reader in (maker, None):
        with pytest.raises(ActionForbidden):
            monthly_report_open(actor=reader, report=report)
    monthly_report_open(actor=caseworker, report=report).close()
    readers = AuditEvent.objects.filter(verb="licensing.monthly_report.downloaded")
    assert list(readers.values_list("actor_id", flat=True)) == [caseworker.pk]


def fill_the_disk():  # type: ignore[no-untyped-def]
    written = FileSystemStorage._save

    def part_then_full(storage, name, content):  # type: ignore[no-untyped-def]
        written(storage, name, ContentFile(content.read()[:100]))  # part reaches the disk
        raise OSError(errno.ENOSPC, "No space left on device")

    return mock.patch.object(FileSystemStorage, "_save", part_then_full)


def test_a_full_storage_is_a_clear_error_leaving_no_row_file_or_event(caseworker, media):
    events = AuditEvent.objects.count()
    with fill_the_disk(), pytest.raises(StorageFull) as refused:
        monthly_report_generate(month=MARCH, actor=caseworker)
    assert "out of space" in refused.value.message and "Nothing was saved" in refused.value.message
    assert not MonthlyReport.objects.exists()
    assert AuditEvent.objects.count() == events
    assert files_under(media) == []


def test_generate_now_on_a_full_storage_says_so_and_keeps_nothing(client, officer, media):
    client.force_login(officer)
    with time_machine.travel(datetime(2026, 4, 3, 9, tzinfo=BJ), tick=False), fill_the_disk():
        response = client.post(GENERATE, {"month": "2026-03"}, follow=True)
    assert "out of space" in response.content.decode()
    assert not MonthlyReport.objects.exists() and files_under(media) == []


def test_a_report_whose_row_cannot_be_written_leaves_no_file(caseworker, media):
    with (
        mock.patch("licensing.services.reports.audit_record", side_effect=RuntimeError("down")),
        pytest.raises(RuntimeError),
    ):
        monthly_report_generate(month=MARCH, actor=caseworker)
    assert not MonthlyReport.objects.exists()
    assert files_under(media) == []


def test_a_missing_file_is_a_clear_error_and_generating_again_renders_it(client, auditor, media):
    report = monthly_report_generate(month=MARCH, actor=None)
    lost = report.file.name
    report.file.storage.delete(lost)
    with pytest.raises(NotFound, match="2026-03 report is missing"):
        monthly_report_open(actor=auditor, report=report)
    client.force_login(auditor)
    response = client.get(
        reverse("admin:licensing_monthlyreport_download", args=[report.pk]), follow=True
    )
    assert "missing from the document storage" in response.content.decode()
    again = monthly_report_generate(month=MARCH, actor=auditor)
    assert again.pk == report.pk and again.file.name != lost
    assert again.file.storage.exists(again.file.name)
    event = AuditEvent.objects.filter(verb="licensing.monthly_report.generated").latest("seq")
    assert event.payload == {"month": "2026-03-01", "replaces_missing": lost}
    assert not AuditEvent.objects.filter(verb="licensing.monthly_report.downloaded").exists()


def test_the_migration_moves_reports_kept_on_this_host_into_the_evidence_storage(
    shared_store, media
):
    old_folder = media / "reports"
    old_folder.mkdir(parents=True)
    (old_folder / "2026-02.pdf").write_bytes(b"%PDF-1.4 February")
    MonthlyReport.objects.bulk_create(
        [
            MonthlyReport(month=date(2026, 2, 1), file="2026-02.pdf"),
            MonthlyReport(month=MARCH, file="2026-03.pdf"),  # written on another host
        ]
    )
    moved.into_document_storage(apps, None)
    february, march = MonthlyReport.objects.order_by("month")
    assert february.file.name.startswith("reports/2026-02-")
    assert (shared_store / february.file.name).read_bytes() == b"%PDF-1.4 February"
    assert (old_folder / "2026-02.pdf").exists()  # the original stays until someone removes it
    assert march.file.name == "2026-03.pdf"
    moved.back_to_local_folder(apps, None)
    february.refresh_from_db()
    assert not february.file.name.startswith("reports/")
    assert (old_folder / february.file.name).read_bytes() == b"%PDF-1.4 February"
