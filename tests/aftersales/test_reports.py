"""Compliance reports: due per market with exports, submitted with checks, reviewed."""

from datetime import date

import pytest
import time_machine

from aftersales.models import ComplianceReport
from aftersales.services import (
    compliance_report_accept,
    compliance_report_query,
    compliance_reports_open_due,
)
from aftersales.services.reports import report_period
from audit.models import AuditEvent
from config.errors import ActionForbidden, TransitionNotAllowed
from tests.aftersales.factories import export_vehicles

R = ComplianceReport.Status
URL = "/api/v1/compliance-reports/"
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def travel():  # type: ignore[no-untyped-def]
    with time_machine.travel(date(2026, 7, 20), tick=False) as traveller:
        yield traveller


@pytest.fixture
def exports(manufacturer):  # type: ignore[no-untyped-def]
    return export_vehicles(enterprise=manufacturer, exported_on=date(2026, 2, 10), count=2)


def body(**overrides):  # type: ignore[no-untyped-def]
    return {
        "country": "FR",
        "period_start": "2026-01-01",
        "warranty_claims_received": 10,
        "warranty_claims_resolved": 8,
        "repair_wait_avg_days": "4.5",
        "repair_wait_p90_days": "11.0",
        "parts_fill_rate_pct": "93.5",
        "outlets_active": 3,
        **overrides,
    }


def test_periods_are_half_years_starting_in_january():
    assert report_period(date(2026, 2, 10)) == (date(2026, 1, 1), date(2026, 6, 30))
    assert report_period(date(2026, 12, 31)) == (date(2026, 7, 1), date(2026, 12, 31))


def test_a_due_report_opens_once_per_market_with_exports_in_an_ended_period(exports):
    assert compliance_reports_open_due() == 1
    assert compliance_reports_open_due() == 0
    report = ComplianceReport.objects.get()
    assert (report.status, report.period_end, report.due_on) == (
        R.DUE,
        date(2026, 6, 30),
        date(2026, 7, 30),
    )


def test_a_member_submits_the_figures_on_time(api_as, maker, exports):
    answer = api_as(maker).post(URL, body())
    assert answer.status_code == 201, answer.json()
    assert (answer.json()["status"], answer.json()["late"]) == ("submitted", False)
    assert AuditEvent.objects.filter(verb="aftersales.compliance_report.submitted").exists()


def test_a_report_submitted_after_its_due_date_is_flagged_late(api_as, maker, exports, travel):
    travel.move_to(date(2026, 8, 1))
    assert api_as(maker).post(URL, body()).json()["late"] is True


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"warranty_claims_received": -1}, "warranty_claims_received"),
        ({"warranty_claims_resolved": 11}, "warranty_claims_resolved"),
        ({"parts_fill_rate_pct": "100.1"}, "parts_fill_rate_pct"),
        ({"repair_wait_avg_days": "-2"}, "repair_wait_avg_days"),
        ({"repair_wait_p90_days": "99999"}, "repair_wait_p90_days"),
        ({"outlets_active": "many"}, "outlets_active"),
        ({"country": "DE"}, "country"),
        ({"country": "EU"}, "country"),
        ({"period_start": "2026-02-01"}, "period_start"),
        ({"period_start": "2026-07-01"}, "period_start"),
    ],
)
def test_impossible_figures_or_a_market_without_exports_are_a_400_saving_nothing(
    api_as, maker, exports, overrides, field
):
    answer = api_as(maker).post(URL, body(**overrides))
    assert answer.status_code == 400
    assert field in answer.json()
    assert not ComplianceReport.objects.filter(status=R.SUBMITTED).exists()


def test_another_enterprises_report_is_a_404(api_as, maker, rival, exports):
    report_id = api_as(maker).post(URL, body()).json()["id"]
    assert api_as(rival).get(f"{URL}{report_id}/").status_code == 404
    assert api_as(rival).get(URL).json()["count"] == 0


def test_a_caseworker_queries_then_accepts_the_answered_report(api_as, maker, exports, caseworker):
    report = ComplianceReport.objects.get(pk=api_as(maker).post(URL, body()).json()["id"])
    report = compliance_report_query(actor=caseworker, report=report, question="Why 11 days?")
    assert api_as(maker).get(f"{URL}{report.pk}/").json()["question"] == "Why 11 days?"
    assert api_as(maker).post(URL, body(repair_wait_p90_days="9.0")).status_code == 201
    report.refresh_from_db()
    report = compliance_report_accept(actor=caseworker, report=report)
    assert report.status == R.ACCEPTED
    with pytest.raises(TransitionNotAllowed):
        compliance_report_query(actor=caseworker, report=report, question="Again?")
    assert api_as(maker).post(URL, body()).status_code == 409


def test_a_portal_user_cannot_review_a_report(maker, exports, api_as):
    report = ComplianceReport.objects.get(pk=api_as(maker).post(URL, body()).json()["id"])
    with pytest.raises(ActionForbidden):
        compliance_report_accept(actor=maker, report=report)
