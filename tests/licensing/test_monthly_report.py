"""The monthly bilingual report: its content, idempotence, audit, task, beat and admin."""

import io
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse
from pypdf import PdfReader

from audit.models import AuditEvent
from licensing.models import Case, MonthlyReport
from licensing.services.reports import monthly_report_generate
from licensing.tasks import generate_monthly_report
from tests.conftest import staff_user
from tests.licensing.factories import CaseFactory

pytestmark = pytest.mark.django_db

BJ = ZoneInfo("Asia/Shanghai")
LIST = reverse("admin:licensing_monthlyreport_changelist")
GENERATE = reverse("admin:licensing_monthlyreport_generate")


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = str(tmp_path)


@pytest.fixture
def march_case(db):  # type: ignore[no-untyped-def]
    case = CaseFactory(status=Case.Status.SUBMITTED)
    Case.objects.filter(pk=case.pk).update(submitted_at=datetime(2026, 3, 10, 10, tzinfo=BJ))
    return case


def text_of(report: MonthlyReport) -> str:
    with report.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_the_report_lists_every_chart_in_chinese_and_english(march_case):
    with time_machine.travel(datetime(2026, 4, 1, 2, tzinfo=BJ), tick=False):
        report = monthly_report_generate(month=date(2026, 3, 15), actor=None)
    text = text_of(report)
    assert report.month == date(2026, 3, 1) and report.created_by is None
    assert "Cases received per week, by kind" in text and "2026-03-09" in text
    assert "Age of open cases" in text and "Monthly statistics report" in text
    assert "每周收案数（按类型）" in text and "所有时间均为北京时间" in text
    assert "月度统计报告" in text


def test_generating_a_month_twice_keeps_one_report_and_one_audit_event(caseworker):
    first = monthly_report_generate(month=date(2026, 3, 1), actor=caseworker)
    again = monthly_report_generate(month=date(2026, 3, 31), actor=None)
    assert again.pk == first.pk and MonthlyReport.objects.count() == 1
    event = AuditEvent.objects.get(verb="licensing.monthly_report.generated")
    assert event.actor_id == caseworker.pk and event.payload == {"month": "2026-03-01"}


def test_the_task_keeps_the_report_of_the_month_just_ended_by_beijing_time():
    # 1 April 00:30 in Beijing is still 31 March in UTC.
    with time_machine.travel(datetime(2026, 4, 1, 0, 30, tzinfo=BJ), tick=False):
        pk = generate_monthly_report()
    assert MonthlyReport.objects.get(pk=pk).month == date(2026, 3, 1)
    assert generate_monthly_report("2026-02-10") != pk
    assert MonthlyReport.objects.get(month=date(2026, 2, 1)).created_by is None


def test_the_beat_runs_the_report_on_the_first_of_each_month_in_beijing():
    entry = settings.CELERY_BEAT_SCHEDULE["monthly-report"]
    assert entry["task"] == "licensing.tasks.generate_monthly_report"
    assert entry["schedule"].day_of_month == {1}
    assert settings.CELERY_TIMEZONE == "Asia/Shanghai"


def test_staff_who_see_statistics_list_and_download_a_report(client, auditor):
    report = monthly_report_generate(month=date(2026, 3, 1), actor=None)
    client.force_login(auditor)
    html = client.get(LIST).content.decode()
    assert "2026-03" in html and "Generate now" in html
    response = client.get(reverse("admin:licensing_monthlyreport_download", args=[report.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_portal_users_and_staff_without_statistics_are_refused(client, maker):
    report = monthly_report_generate(month=date(2026, 3, 1), actor=None)
    download = reverse("admin:licensing_monthlyreport_download", args=[report.pk])
    for user in (maker, staff_user("clerk")):
        client.force_login(user)
        assert client.get(LIST).status_code == 403
        assert client.get(download).status_code == 403
        assert client.post(GENERATE, {"month": "2026-03"}).status_code == 403
    assert MonthlyReport.objects.count() == 1


def test_a_missing_report_is_not_found(client, auditor):
    client.force_login(auditor)
    url = reverse("admin:licensing_monthlyreport_download", args=[999])
    assert client.get(url).status_code == 404


def test_generate_now_keeps_the_previous_month_and_refuses_any_other(client, officer):
    client.force_login(officer)
    with time_machine.travel(datetime(2026, 4, 3, 9, tzinfo=BJ), tick=False):
        client.post(GENERATE, {"month": "2026-03"})
        client.post(GENERATE, {"month": "2025-01"})
        client.post(GENERATE, {"month": "\x00" * 50})
        assert client.get(GENERATE).status_code == 405
    report = MonthlyReport.objects.get()
    assert report.month == date(2026, 3, 1) and report.created_by == officer


def test_the_report_list_reads_in_chinese(client, auditor, settings):
    monthly_report_generate(month=date(2026, 3, 1), actor=None)
    client.force_login(auditor)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    html = client.get(LIST).content.decode()
    assert "月度报告" in html and "立即生成" in html and "下载" in html
