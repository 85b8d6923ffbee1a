"""Admin: obligations worst first, an enterprise's compliance profile, report review."""

from datetime import date

import pytest
import time_machine
from django.contrib.auth.models import Permission
from django.urls import reverse

from aftersales.models import ComplianceReport, Obligation
from aftersales.services import compliance_report_submit
from tests.aftersales.factories import export_vehicles, serve_market
from tests.registry.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db
REPORTS = reverse("admin:aftersales_compliancereport_changelist")
FIGURES = {
    "warranty_claims_received": 4,
    "warranty_claims_resolved": 4,
    "repair_wait_avg_days": 3,
    "repair_wait_p90_days": 7,
    "parts_fill_rate_pct": 97,
    "outlets_active": 2,
}


@pytest.fixture(autouse=True)
def travel():  # type: ignore[no-untyped-def]
    with time_machine.travel(date(2026, 7, 20), tick=False):
        yield


@pytest.fixture
def markets():  # type: ignore[no-untyped-def]
    covered = EnterpriseFactory(kind="manufacturer", name_en="Covered Cars")
    serve_market(enterprise=covered)
    export_vehicles(enterprise=covered, exported_on=date(2026, 2, 1))
    breached = EnterpriseFactory(kind="manufacturer", name_en="Breached Cars")
    export_vehicles(enterprise=breached, exported_on=date(2026, 2, 1))
    return covered, breached


@pytest.fixture
def report(markets, maker):  # type: ignore[no-untyped-def]
    enterprise = maker.membership.enterprise
    export_vehicles(enterprise=enterprise, exported_on=date(2026, 2, 1))
    return compliance_report_submit(
        actor=maker,
        enterprise=enterprise,
        country_id="FR",
        period_start=date(2026, 1, 1),
        figures=FIGURES,
    )


def test_the_obligations_list_puts_breached_markets_first(client, caseworker, markets):
    client.force_login(caseworker)
    page = client.get(reverse("admin:aftersales_obligation_changelist")).content.decode()
    assert page.index("Breached Cars") < page.index("Covered Cars")
    assert "No verified service outlet" in page


def test_the_compliance_profile_shows_obligations_and_reports(client, caseworker, report):
    client.force_login(caseworker)
    url = reverse("admin:aftersales_obligation_profile", args=[report.enterprise_id])
    page = client.get(url).content.decode()
    assert "Breached" in page and "7.0" in page and "97.0" in page


def test_a_caseworker_accepts_a_report_from_the_list(client, caseworker, report):
    client.force_login(caseworker)
    data = {"action": "accept_reports", "_selected_action": [report.pk]}
    client.post(REPORTS, data)
    report.refresh_from_db()
    assert report.status == ComplianceReport.Status.ACCEPTED


def test_a_caseworker_queries_a_report_with_a_question(client, caseworker, report):
    client.force_login(caseworker)
    data = {"action": "query_reports", "_selected_action": [report.pk], "apply": "1"}
    client.post(REPORTS, {**data, "reason": "Why so few outlets?"})
    report.refresh_from_db()
    assert (report.status, report.question) == ("queried", "Why so few outlets?")


def test_review_actions_are_offered_only_to_reviewers(client, caseworker, registrar, report):
    client.force_login(registrar)
    registrar.user_permissions.add(Permission.objects.get(codename="view_compliancereport"))
    page = client.get(REPORTS)
    assert page.status_code == 200
    assert "accept_reports" not in page.content.decode()
    client.force_login(caseworker)
    assert "accept_reports" in client.get(REPORTS).content.decode()


def test_obligations_cannot_be_edited_in_the_admin(client, caseworker, markets):
    client.force_login(caseworker)
    obligation = Obligation.objects.get(status=Obligation.Status.BREACHED)
    url = reverse("admin:aftersales_obligation_change", args=[obligation.pk])
    assert client.post(url, {"status": "covered"}).status_code == 403
    obligation.refresh_from_db()
    assert obligation.status == Obligation.Status.BREACHED
