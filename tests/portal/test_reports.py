"""Portal compliance reports: the list with obligations, submitting, answering a query."""

from datetime import date

import pytest
from django.urls import reverse

from aftersales.models import ComplianceReport, Obligation
from tests.aftersales.factories import (
    ComplianceReportFactory,
    ExportedVehicleFactory,
    ObligationFactory,
)
from tests.pagecheck import assert_reads_in_chinese
from tests.registry.factories import CountryFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]
LIST = reverse("portal:report_list")
SUBMIT = reverse("portal:report_submit")
PERIOD = date(2025, 7, 1)


@pytest.fixture
def exports(manufacturer, france):  # type: ignore[no-untyped-def]
    return ExportedVehicleFactory(
        enterprise=manufacturer,
        country=france,
        exported_on=date(2025, 8, 1),
        warranty_ends_on=date(2027, 7, 31),
    )


@pytest.fixture
def due(manufacturer, france):  # type: ignore[no-untyped-def]
    return ComplianceReportFactory(
        enterprise=manufacturer,
        country=france,
        period_start=PERIOD,
        period_end=date(2025, 12, 31),
        due_on=date(2026, 1, 30),
    )


def figures(**changes):  # type: ignore[no-untyped-def]
    data = {
        "country": "FR",
        "period_start": "2025-07-01",
        "warranty_claims_received": "40",
        "warranty_claims_resolved": "38",
        "repair_wait_avg_days": "4.5",
        "repair_wait_p90_days": "9.0",
        "parts_fill_rate_pct": "96.5",
        "outlets_active": "3",
    }
    data.update(changes)
    return data


def test_a_viewer_reads_reports_and_obligations_in_plain_words_but_may_not_submit(
    client, viewer, manufacturer, france, due
):  # type: ignore[no-untyped-def]
    ObligationFactory(
        enterprise=manufacturer, country=france, status=Obligation.Status.BREACHED, gaps="outlets"
    )
    client.force_login(viewer)
    page = client.get(LIST).content.decode()
    assert "2025-07-01 – 2025-12-31" in page
    assert "2026-01-30" in page
    assert "Breached" in page
    assert "No verified service outlet with a running contract." in page
    assert "outlets</td>" not in page
    assert "Submit a compliance report" not in page
    assert client.get(SUBMIT).status_code == 403
    assert client.post(SUBMIT, figures()).status_code == 403


def test_another_enterprises_reports_never_show(client, maker, rival_enterprise, france):  # type: ignore[no-untyped-def]
    ComplianceReportFactory(enterprise=rival_enterprise, country=france, question="Secret?")
    client.force_login(maker)
    page = client.get(LIST).content.decode()
    assert "Secret?" not in page
    assert "No compliance reports." in page


def test_an_applicant_submits_a_due_report_late_and_sees_it_flagged(
    client, applicant, exports, due
):  # type: ignore[no-untyped-def]
    client.force_login(applicant)
    form = client.get(SUBMIT, {"country": "FR", "period_start": "2025-07-01"})
    assert 'value="2025-07-01"' in form.content.decode()
    response = client.post(SUBMIT, figures(), follow=True)
    page = response.content.decode()
    assert "The compliance report was submitted." in page
    assert "Late" in page
    due.refresh_from_db()
    assert due.status == ComplianceReport.Status.SUBMITTED
    assert due.warranty_claims_received == 40


def test_answering_a_query_shows_the_question_and_resubmits(client, maker, exports, due):  # type: ignore[no-untyped-def]
    due.status = ComplianceReport.Status.QUERIED
    due.question = "Why did repairs take so long in November?"
    due.save()
    client.force_login(maker)
    assert "Answer the question" in client.get(LIST).content.decode()
    form = client.get(SUBMIT, {"country": "FR", "period_start": "2025-07-01"}).content.decode()
    assert "Why did repairs take so long in November?" in form
    client.post(SUBMIT, figures(repair_wait_avg_days="6.0"))
    due.refresh_from_db()
    assert due.status == ComplianceReport.Status.SUBMITTED


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"warranty_claims_resolved": "41"}, "More claims resolved than received."),
        ({"parts_fill_rate_pct": "120"}, "100"),
        ({"outlets_active": "-1"}, "greater than or equal to 0"),
        ({"period_start": "2026-01-01"}, "This period has not ended yet."),
        ({"period_start": "2025-08-01"}, "A reporting period starts on"),
        ({"period_start": "soon"}, "Enter a valid date."),
    ],
)
def test_bad_figures_are_refused_on_their_field_keep_the_input_and_save_nothing(
    client, maker, exports, due, changes, problem
):  # type: ignore[no-untyped-def]
    client.force_login(maker)
    response = client.post(SUBMIT, figures(**changes))
    assert response.status_code == 400
    page = response.content.decode()
    assert problem in page
    assert 'value="4.5"' in page
    due.refresh_from_db()
    assert due.status == ComplianceReport.Status.DUE


def test_a_market_without_exports_cannot_be_chosen(client, maker, exports, due):  # type: ignore[no-untyped-def]
    CountryFactory(code="DE")
    client.force_login(maker)
    response = client.post(SUBMIT, figures(country="DE"))
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()


def test_a_report_already_submitted_cannot_be_submitted_again(client, maker, exports, due):  # type: ignore[no-untyped-def]
    client.force_login(maker)
    client.post(SUBMIT, figures())
    response = client.post(SUBMIT, figures(outlets_active="9"))
    assert response.status_code == 400
    due.refresh_from_db()
    assert due.outlets_active == 3


def test_a_bad_period_in_the_address_shows_an_empty_form(client, maker, exports):  # type: ignore[no-untyped-def]
    client.force_login(maker)
    assert client.get(SUBMIT, {"country": "FR", "period_start": "2025-13-45"}).status_code == 200


def test_the_report_pages_read_in_chinese(client, maker, manufacturer, france, exports, due):  # type: ignore[no-untyped-def]
    ObligationFactory(
        enterprise=manufacturer,
        country=france,
        status=Obligation.Status.AT_RISK,
        gaps="outlets",
        gap_ends_on=date(2027, 1, 31),
    )
    client.force_login(maker)
    data = [exports.brand.name, manufacturer.name_en]
    assert "合规报告" in assert_reads_in_chinese(client, LIST, data)
    assert_reads_in_chinese(client, SUBMIT + "?country=FR&period_start=2025-07-01", data)
